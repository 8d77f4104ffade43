/* inventory.c, wrong: split into add_locked() and add(), but add_locked() takes the lock as well */
#include "inventory.h"

#include "pt.h"

void inventory_init(struct inventory *inv)
{
    PT(pthread_mutex_init(&inv->lock, NULL));
    for (int i = 0; i < INVENTORY_ITEMS; i++)
        inv->counts[i] = 0;
}

void inventory_destroy(struct inventory *inv)
{
    PT(pthread_mutex_destroy(&inv->lock));
}

/* The caller holds inv->lock. */
static void add_locked(struct inventory *inv, int item, long count)
{
    PT(pthread_mutex_lock(&inv->lock));
    inv->counts[item] += count;
    PT(pthread_mutex_unlock(&inv->lock));
}

void inventory_add(struct inventory *inv, int item, long count)
{
    PT(pthread_mutex_lock(&inv->lock));
    add_locked(inv, item, count);
    PT(pthread_mutex_unlock(&inv->lock));
}

void inventory_add_many(struct inventory *inv, const int items[], const long counts[], size_t n)
{
    PT(pthread_mutex_lock(&inv->lock));
    for (size_t i = 0; i < n; i++)
        add_locked(inv, items[i], counts[i]);
    PT(pthread_mutex_unlock(&inv->lock));
}

long inventory_count(struct inventory *inv, int item)
{
    PT(pthread_mutex_lock(&inv->lock));
    long count = inv->counts[item];
    PT(pthread_mutex_unlock(&inv->lock));
    return count;
}

long inventory_total(struct inventory *inv)
{
    long total = 0;

    PT(pthread_mutex_lock(&inv->lock));
    for (int i = 0; i < INVENTORY_ITEMS; i++)
        total += inv->counts[i];
    PT(pthread_mutex_unlock(&inv->lock));
    return total;
}
