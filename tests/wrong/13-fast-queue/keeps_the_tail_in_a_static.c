/* wakeq.c, wrong: the next free slot kept in a static `tail`, which every queue shares */
#include "wakeq.h"

#include "alloc.h"
#include "pt.h"

#include <stdlib.h>

/* Where the next put stores: one past the newest item. */
static size_t tail;

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
    tail = 0;
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
    q->items[tail] = item;
    tail = (tail + 1) % q->capacity;
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
    PT(pthread_mutex_lock(&q->lock));
    while (q->count == q->capacity) {
        q->waiting_putters++;
        PT(pthread_cond_wait(&q->not_full, &q->lock));
        q->waiting_putters--;
    }
    store(q, item);
    if (q->waiting_getters > 0)
        PT(pthread_cond_signal(&q->not_empty));
    PT(pthread_mutex_unlock(&q->lock));
}

int wakeq_get(struct wakeq *q)
{
    PT(pthread_mutex_lock(&q->lock));
    while (q->count == 0) {
        q->waiting_getters++;
        PT(pthread_cond_wait(&q->not_empty, &q->lock));
        q->waiting_getters--;
    }
    int item = take(q);
    if (q->waiting_putters > 0)
        PT(pthread_cond_signal(&q->not_full));
    PT(pthread_mutex_unlock(&q->lock));
    return item;
}
