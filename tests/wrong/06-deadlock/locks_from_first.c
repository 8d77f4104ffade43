/* transfer.c, wrong: locks from, then to: the order depends on the direction of the transfer */
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
    PT(pthread_mutex_lock(&from->lock));
    PT(pthread_mutex_lock(&to->lock));
    from->balance -= amount;
    to->balance += amount;
    PT(pthread_mutex_unlock(&to->lock));
    PT(pthread_mutex_unlock(&from->lock));
}
