/* bqueue.c - exercise 9 (see bqueue.h). Replace the TODOs. */
#include "bqueue.h"

#include "alloc.h"
#include "pt.h"

#include <stdlib.h>

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
    /* TODO: lock; wait on not_full while count == capacity; store item at
     * (head + count) % capacity; count++; signal not_empty; unlock. */
    (void)q;
    (void)item;
}

int bqueue_get(struct bqueue *q)
{
    /* TODO: lock; wait on not_empty while count == 0; take items[head];
     * advance head (wrapping); count--; signal not_full; unlock; return it. */
    (void)q;
    return 0;
}

size_t bqueue_size(struct bqueue *q)
{
    /* TODO: read count under the lock. */
    (void)q;
    return 0;
}
