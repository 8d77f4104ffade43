/* account.c, wrong: withdraw checks the balance, unlocks, then locks again to take it */
#include "account.h"

#include "pt.h"

void account_init(struct account *a, long balance)
{
    PT(pthread_mutex_init(&a->lock, NULL));
    a->balance = balance;
}

void account_deposit(struct account *a, long amount)
{
    PT(pthread_mutex_lock(&a->lock));
    a->balance += amount;
    PT(pthread_mutex_unlock(&a->lock));
}

bool account_withdraw(struct account *a, long amount)
{
    PT(pthread_mutex_lock(&a->lock));
    bool covered = a->balance >= amount;
    PT(pthread_mutex_unlock(&a->lock));
    if (!covered)
        return false;

    PT(pthread_mutex_lock(&a->lock));
    a->balance -= amount;
    PT(pthread_mutex_unlock(&a->lock));
    return true;
}

long account_balance(struct account *a)
{
    PT(pthread_mutex_lock(&a->lock));
    long balance = a->balance;
    PT(pthread_mutex_unlock(&a->lock));
    return balance;
}

void account_destroy(struct account *a)
{
    PT(pthread_mutex_destroy(&a->lock));
}
