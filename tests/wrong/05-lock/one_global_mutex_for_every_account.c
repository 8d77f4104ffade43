/* account.c, wrong: every function locks one static mutex shared by all accounts, not a->lock */
#include "account.h"

#include "pt.h"

/* One lock for the bank: simpler than a lock per account (wrong). */
static pthread_mutex_t bank_lock = PTHREAD_MUTEX_INITIALIZER;

void account_init(struct account *a, long balance)
{
    PT(pthread_mutex_init(&a->lock, NULL));
    a->balance = balance;
}

void account_deposit(struct account *a, long amount)
{
    PT(pthread_mutex_lock(&bank_lock));
    a->balance += amount;
    PT(pthread_mutex_unlock(&bank_lock));
}

bool account_withdraw(struct account *a, long amount)
{
    PT(pthread_mutex_lock(&bank_lock));
    bool covered = a->balance >= amount;
    if (covered)
        a->balance -= amount;
    PT(pthread_mutex_unlock(&bank_lock));
    return covered;
}

long account_balance(struct account *a)
{
    PT(pthread_mutex_lock(&bank_lock));
    long balance = a->balance;
    PT(pthread_mutex_unlock(&bank_lock));
    return balance;
}

void account_destroy(struct account *a)
{
    PT(pthread_mutex_destroy(&a->lock));
}
