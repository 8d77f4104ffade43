/* transfer.c, wrong: the lower id first, but transfer(a, a) locks a's lock twice */
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
    struct account *first = from->id < to->id ? from : to;
    struct account *second = first == from ? to : from;

    PT(pthread_mutex_lock(&first->lock));
    PT(pthread_mutex_lock(&second->lock));
    from->balance -= amount;
    to->balance += amount;
    PT(pthread_mutex_unlock(&second->lock));
    PT(pthread_mutex_unlock(&first->lock));
}
