/* bqueue.c, wrong: waits with pthread_cond_timedwait(..., &(struct timespec){ 0, 100000000 }) as a 0.1 s safety net, but a timed wait takes the time to stop (here 0.1 s after 1970), not a duration */
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

/* Each wait gives up after 0.1 s and the loop looks again: a safety net
 * should a signal ever go astray. */
void bqueue_put(struct bqueue *q, int item)
{
    PT(pthread_mutex_lock(&q->lock));
    while (q->count == q->capacity)
        pthread_cond_timedwait(&q->not_full, &q->lock, &(struct timespec){ 0, 100000000 });
    q->items[(q->head + q->count) % q->capacity] = item;
    q->count++;
    PT(pthread_cond_signal(&q->not_empty));
    PT(pthread_mutex_unlock(&q->lock));
}

int bqueue_get(struct bqueue *q)
{
    PT(pthread_mutex_lock(&q->lock));
    while (q->count == 0)
        pthread_cond_timedwait(&q->not_empty, &q->lock, &(struct timespec){ 0, 100000000 });
    int item = q->items[q->head];
    q->head = (q->head + 1) % q->capacity;
    q->count--;
    PT(pthread_cond_signal(&q->not_full));
    PT(pthread_mutex_unlock(&q->lock));
    return item;
}

size_t bqueue_size(struct bqueue *q)
{
    PT(pthread_mutex_lock(&q->lock));
    size_t count = q->count;
    PT(pthread_mutex_unlock(&q->lock));
    return count;
}
