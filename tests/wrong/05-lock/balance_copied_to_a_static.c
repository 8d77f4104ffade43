/* account.c, wrong: account_balance copies the balance to a static, "so the copy outlives the unlock", which every account shares */
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
    if (covered)
        a->balance -= amount;
    PT(pthread_mutex_unlock(&a->lock));
    return covered;
}

long account_balance(struct account *a)
{
    /* static: the copy must still be there after the unlock */
    static long balance;

    PT(pthread_mutex_lock(&a->lock));
    balance = a->balance;
    PT(pthread_mutex_unlock(&a->lock));
    return balance;
}

void account_destroy(struct account *a)
{
    PT(pthread_mutex_destroy(&a->lock));
}
