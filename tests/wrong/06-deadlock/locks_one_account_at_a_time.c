/* transfer.c, wrong: locks one account at a time, the debit under one lock and the credit under the other */
#include "transfer.h"

#include "pt.h"

void account_init(struct account *a, int id, long balance)
{
    a->id = id;
    a->balance = balance;
    PT(pthread_mutex_init(&a->lock, NULL));
}

void account_destroy(struct account *a)
{
    PT(pthread_mutex_destroy(&a->lock));
}

void transfer(struct account *from, struct account *to, long amount)
{
    if (from == to)
        return;
    /* Each balance has its own lock, so each change takes only that lock:
     * a thread never holds two locks, so it can never deadlock. */
    PT(pthread_mutex_lock(&from->lock));
    from->balance -= amount;
    PT(pthread_mutex_unlock(&from->lock));
    PT(pthread_mutex_lock(&to->lock));
    to->balance += amount;
    PT(pthread_mutex_unlock(&to->lock));
}
