/* inventory.c, wrong: inventory_total adds up in a static, which every inventory shares, and returns it after the unlock */
#include "inventory.h"

#include "pt.h"

void inventory_init(struct inventory *inv)
{
    /* add_many() holds the lock when it calls add(). (split_lock.c shows the
     * other answer: an internal add that expects the lock held.) */
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

void inventory_add_many(struct inventory *inv, const int items[], const long counts[], size_t n)
{
    PT(pthread_mutex_lock(&inv->lock));
    for (size_t i = 0; i < n; i++)
        inventory_add(inv, items[i], counts[i]);
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
    /* static: the sum must still be there after the unlock */
    static long total;

    total = 0;
    PT(pthread_mutex_lock(&inv->lock));
    for (int i = 0; i < INVENTORY_ITEMS; i++)
        total += inv->counts[i];
    PT(pthread_mutex_unlock(&inv->lock));
    return total;
}
