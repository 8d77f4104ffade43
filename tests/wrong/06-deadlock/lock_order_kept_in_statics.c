/* transfer.c, wrong: the lock order worked out into two static pointers, which every transfer shares */
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

/* The two accounts in lock order: the lower id first. */
static struct account *first, *second;

void transfer(struct account *from, struct account *to, long amount)
{
    if (from == to)
        return;
    first = from->id < to->id ? from : to;
    second = first == from ? to : from;

    PT(pthread_mutex_lock(&first->lock));
    PT(pthread_mutex_lock(&second->lock));
    from->balance -= amount;
    to->balance += amount;
    PT(pthread_mutex_unlock(&second->lock));
    PT(pthread_mutex_unlock(&first->lock));
}
