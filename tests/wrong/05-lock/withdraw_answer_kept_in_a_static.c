/* account.c, wrong: account_withdraw keeps its answer in a static, which every account shares, and returns it after the unlock */
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
    static bool covered;

    PT(pthread_mutex_lock(&a->lock));
    covered = a->balance >= amount;
    if (covered)
        a->balance -= amount;
    PT(pthread_mutex_unlock(&a->lock));
    return covered;
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
