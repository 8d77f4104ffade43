/* wakeq.c - exercise 13 (see wakeq.h). Replace the TODOs. */
#include "wakeq.h"

#include "alloc.h"
#include "pt.h"

#include <stdlib.h>

void wakeq_init(struct wakeq *q, size_t capacity)
{
    PT(pthread_mutex_init(&q->lock, NULL));
    PT(pthread_cond_init(&q->not_empty, NULL));
    PT(pthread_cond_init(&q->not_full, NULL));
    q->items = alloc_zeroed(capacity, sizeof *q->items);
    q->capacity = capacity;
    q->head = 0;
    q->count = 0;
    q->waiting_getters = 0;
    q->waiting_putters = 0;
}

void wakeq_destroy(struct wakeq *q)
{
    free(q->items);
    PT(pthread_cond_destroy(&q->not_full));
    PT(pthread_cond_destroy(&q->not_empty));
    PT(pthread_mutex_destroy(&q->lock));
}

/* The ring, as in lesson 9. The caller holds q->lock. */
static void store(struct wakeq *q, int item)
{
    q->items[(q->head + q->count) % q->capacity] = item;
    q->count++;
}

static int take(struct wakeq *q)
{
    int item = q->items[q->head];
    q->head = (q->head + 1) % q->capacity;
    q->count--;
    return item;
}

void wakeq_put(struct wakeq *q, int item)
{
    /* TODO: lock; while the queue is full: count yourself in
     * waiting_putters, wait on not_full, take yourself off; store(q, item);
     * signal not_empty only if waiting_getters > 0; unlock. */
    (void)q;
    (void)item;
    (void)store;
}

int wakeq_get(struct wakeq *q)
{
    /* TODO: the same for a get: sleep on not_empty while the queue is
     * empty, counted in waiting_getters; take(q); signal not_full only if
     * waiting_putters > 0. */
    (void)q;
    (void)take;
    return 0;
}
