/* transfer.c, wrong: locks only the account with the lower id, not both */
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
    /* The lower id first... and one lock is enough to keep others out (wrong). */
    struct account *first = from->id < to->id ? from : to;

    PT(pthread_mutex_lock(&first->lock));
    from->balance -= amount;
    to->balance += amount;
    PT(pthread_mutex_unlock(&first->lock));
}
