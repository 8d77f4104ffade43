/*
 * bqueue.h - exercise 9: a bounded blocking queue of ints, from one mutex
 * and two condition variables: what Python's queue.Queue(maxsize) is
 * inside, and what common/queue.c is (with more on top).
 *
 * The items live in a ring: `capacity` slots, the oldest at `head`,
 * `count` of them in use; the next free slot is (head + count) % capacity.
 * bqueue_put() waits on not_full while the ring is full; bqueue_get()
 * waits on not_empty while it is empty. Each wakes the other side after
 * it changes the ring (signal the condition the other side waits on).
 * Wait in `while`, never `if`: a woken thread must look again, since
 * another may have got there first.
 *
 * Everything happens under `lock`, bqueue_size() too: an item is stored
 * (or read) and counted in one hold of it, and a signal comes only after
 * the change it announces. (One condition variable for both sides would
 * need pthread_cond_broadcast: a signal could wake a thread of the wrong
 * kind while the right one sleeps on.)
 */
#ifndef BQUEUE_H
#define BQUEUE_H

#include <pthread.h>
#include <stddef.h>

struct bqueue {
    pthread_mutex_t lock;       /* guards everything below */
    pthread_cond_t not_empty;   /* signalled after a put */
    pthread_cond_t not_full;    /* signalled after a get */
    int *items;                 /* capacity slots */
    size_t capacity, head, count;
};

void bqueue_init(struct bqueue *q, size_t capacity);   /* capacity >= 1 */
void bqueue_destroy(struct bqueue *q);                 /* no thread may be using q */

/* Wait while the queue is full, then add item at the back. */
void bqueue_put(struct bqueue *q, int item);

/* Wait while the queue is empty, then take the item at the front. */
int bqueue_get(struct bqueue *q);

/* How many items it holds now. */
size_t bqueue_size(struct bqueue *q);

#endif
