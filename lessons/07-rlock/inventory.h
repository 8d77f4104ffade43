/*
 * inventory.h - exercise 7: two public functions, both locking, one
 * calling the other.
 *
 * inventory_add() adds to one item's count under the inventory's lock.
 * inventory_add_many() adds a whole delivery as one step (no thread may
 * see half of it), so it holds the lock for the whole delivery, and calls
 * inventory_add() for each line of it. As shipped, the second lock hangs:
 * relock.c again. Make it work either way the lesson shows: a recursive
 * mutex (lock as often as you like, unlock as often as you locked), or an
 * internal add that expects the lock held, used by both public functions.
 *
 * What the tests hold every public function to: it takes the lock (and
 * waits for it while another thread holds it) before it touches the
 * counts, and lets go of it once, when it is done; so add_many is locked
 * from its first line to its last, and when any of them returns the lock
 * is free.
 */
#ifndef INVENTORY_H
#define INVENTORY_H

#include <pthread.h>
#include <stddef.h>

#define INVENTORY_ITEMS 8

struct inventory {
    pthread_mutex_t lock;           /* guards counts */
    long counts[INVENTORY_ITEMS];
};

void inventory_init(struct inventory *inv);
void inventory_destroy(struct inventory *inv);

/* Add count to item (0 <= item < INVENTORY_ITEMS). */
void inventory_add(struct inventory *inv, int item, long count);

/* Add counts[i] to items[i] for each i < n, all as one step. */
void inventory_add_many(struct inventory *inv, const int items[], const long counts[], size_t n);

/* The count of one item, and of all items together, read under the lock. */
long inventory_count(struct inventory *inv, int item);
long inventory_total(struct inventory *inv);

#endif
