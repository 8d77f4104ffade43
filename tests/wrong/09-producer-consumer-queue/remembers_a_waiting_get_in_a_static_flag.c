/* bqueue.c, wrong: a static flag says whether a get (or a put) waits, so a put signals only then; every queue shares the flag */
#include "bqueue.h"

#include "alloc.h"
#include "pt.h"

#include <stdbool.h>
#include <stdlib.h>

/* Signal only when someone waits: a signal nobody hears is a wasted call. */
static bool get_waiting, put_waiting;

void bqueue_init(struct bqueue *q, size_t capacity)
{
    PT(pthread_mutex_init(&q->lock, NULL));
    PT(pthread_cond_init(&q->not_empty, NULL));
    PT(pthread_cond_init(&q->not_full, NULL));
    q->items = alloc_zeroed(capacity, sizeof *q->items);
    q->capacity = capacity;
    q->head = 0;
    q->count = 0;
}

void bqueue_destroy(struct bqueue *q)
{
    free(q->items);
    PT(pthread_cond_destroy(&q->not_full));
    PT(pthread_cond_destroy(&q->not_empty));
    PT(pthread_mutex_destroy(&q->lock));
}

void bqueue_put(struct bqueue *q, int item)
{
    PT(pthread_mutex_lock(&q->lock));
    while (q->count == q->capacity) {
        put_waiting = true;
        PT(pthread_cond_wait(&q->not_full, &q->lock));
        put_waiting = false;
    }
    q->items[(q->head + q->count) % q->capacity] = item;
    q->count++;
    if (get_waiting)
        PT(pthread_cond_signal(&q->not_empty));
    PT(pthread_mutex_unlock(&q->lock));
}

int bqueue_get(struct bqueue *q)
{
    PT(pthread_mutex_lock(&q->lock));
    while (q->count == 0) {
        get_waiting = true;
        PT(pthread_cond_wait(&q->not_empty, &q->lock));
        get_waiting = false;
    }
    int item = q->items[q->head];
    q->head = (q->head + 1) % q->capacity;
    q->count--;
    if (put_waiting)
        PT(pthread_cond_signal(&q->not_full));
    PT(pthread_mutex_unlock(&q->lock));
    return item;
}

size_t bqueue_size(struct bqueue *q)
{
    PT(pthread_mutex_lock(&q->lock));
    size_t n = q->count;
    PT(pthread_mutex_unlock(&q->lock));
    return n;
}
