/* transfer.c, wrong: the right lock order, but both locks let go between the debit and the credit */
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

/* Both accounts' locks, the lower id first, and back. */
static void lock_both(struct account *a, struct account *b)
{
    struct account *first = a->id < b->id ? a : b;
    struct account *second = first == a ? b : a;
    PT(pthread_mutex_lock(&first->lock));
    PT(pthread_mutex_lock(&second->lock));
}

static void unlock_both(struct account *a, struct account *b)
{
    PT(pthread_mutex_unlock(&a->lock));
    PT(pthread_mutex_unlock(&b->lock));
}

void transfer(struct account *from, struct account *to, long amount)
{
    if (from == to)
        return;
    /* Take the money out... */
    lock_both(from, to);
    from->balance -= amount;
    unlock_both(from, to);
    /* ...and put it in: each step is short and holds both locks. */
    lock_both(from, to);
    to->balance += amount;
    unlock_both(from, to);
}
