/* transfer.c, wrong: one static mutex for the whole bank instead of the accounts' locks */
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

/* One lock for every account: no lock order to get wrong (wrong). */
static pthread_mutex_t bank_lock = PTHREAD_MUTEX_INITIALIZER;

void transfer(struct account *from, struct account *to, long amount)
{
    PT(pthread_mutex_lock(&bank_lock));
    from->balance -= amount;
    to->balance += amount;
    PT(pthread_mutex_unlock(&bank_lock));
}
