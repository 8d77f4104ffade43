/* inventory.c, wrong: an ERRORCHECK mutex whose errors are ignored, so add's unlock frees add_many's hold */
#include "inventory.h"

#include "pt.h"

void inventory_init(struct inventory *inv)
{
    pthread_mutexattr_t attr;

    /* ERRORCHECK: a second lock by the owner fails instead of hanging. */
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&inv->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    for (int i = 0; i < INVENTORY_ITEMS; i++)
        inv->counts[i] = 0;
}

void inventory_destroy(struct inventory *inv)
{
    pthread_mutex_destroy(&inv->lock);
}

void inventory_add(struct inventory *inv, int item, long count)
{
    pthread_mutex_lock(&inv->lock);     /* EDEADLK inside add_many: we hold it already */
    inv->counts[item] += count;
    pthread_mutex_unlock(&inv->lock);
}

void inventory_add_many(struct inventory *inv, const int items[], const long counts[], size_t n)
{
    pthread_mutex_lock(&inv->lock);
    for (size_t i = 0; i < n; i++)
        inventory_add(inv, items[i], counts[i]);
    pthread_mutex_unlock(&inv->lock);
}

long inventory_count(struct inventory *inv, int item)
{
    pthread_mutex_lock(&inv->lock);
    long count = inv->counts[item];
    pthread_mutex_unlock(&inv->lock);
    return count;
}

long inventory_total(struct inventory *inv)
{
    long total = 0;

    pthread_mutex_lock(&inv->lock);
    for (int i = 0; i < INVENTORY_ITEMS; i++)
        total += inv->counts[i];
    pthread_mutex_unlock(&inv->lock);
    return total;
}
