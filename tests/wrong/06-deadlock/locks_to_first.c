/* transfer.c, wrong: locks to, then from: still an order that depends on the direction */
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
    /* The receiving account first, so the two locks never cross (wrong). */
    PT(pthread_mutex_lock(&to->lock));
    PT(pthread_mutex_lock(&from->lock));
    from->balance -= amount;
    to->balance += amount;
    PT(pthread_mutex_unlock(&from->lock));
    PT(pthread_mutex_unlock(&to->lock));
}
