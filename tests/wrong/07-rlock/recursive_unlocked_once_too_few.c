/* inventory.c, wrong: a recursive mutex, but add_many leaves its own lock held (locked n + 1 times, unlocked n) */
#include "inventory.h"

#include "pt.h"

void inventory_init(struct inventory *inv)
{
    pt_mutex_init_type(&inv->lock, PTHREAD_MUTEX_RECURSIVE);
    for (int i = 0; i < INVENTORY_ITEMS; i++)
        inv->counts[i] = 0;
}

void inventory_destroy(struct inventory *inv)
{
    PT(pthread_mutex_destroy(&inv->lock));
}

void inventory_add(struct inventory *inv, int item, long count)
{
    PT(pthread_mutex_lock(&inv->lock));
    inv->counts[item] += count;
    PT(pthread_mutex_unlock(&inv->lock));
}

/* Each inventory_add() unlocks when it is done. */
void inventory_add_many(struct inventory *inv, const int items[], const long counts[], size_t n)
{
    PT(pthread_mutex_lock(&inv->lock));
    for (size_t i = 0; i < n; i++)
        inventory_add(inv, items[i], counts[i]);
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
