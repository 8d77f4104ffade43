/* transfer.c, wrong: sorts the accounts by id, then moves the money from the first locked to the second */
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
    if (to->id < from->id) {
        struct account *swap = from;
        from = to;
        to = swap;
    }
    PT(pthread_mutex_lock(&from->lock));
    PT(pthread_mutex_lock(&to->lock));
    from->balance -= amount;
    to->balance += amount;
    PT(pthread_mutex_unlock(&to->lock));
    PT(pthread_mutex_unlock(&from->lock));
}
