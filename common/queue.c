/*
 * queue.c - Python's queue.Queue in C: one mutex, two condition variables.
 *
 * DESIGN: `lock` guards everything below it. Two conditions, as in
 * CPython's Lib/queue.py:
 *   not_empty: getters wait on it until count > 0 (or the queue closes);
 *   not_full:  putters wait on it until count < maxsize (or it closes).
 * A put signals not_empty (one getter can use one item); a get signals
 * not_full (one putter can use one free slot). close() broadcasts both,
 * since every waiter must see it. Every wait is in a `while` loop that
 * looks again, as POSIX allows a condition wait to return with nothing
 * changed.
 *
 * The items are a ring: `head` is the oldest, `count` how many there are,
 * `capacity` the ring's size. An unbounded queue (maxsize 0) doubles the
 * ring when it is full; a bounded one gets all its slots at once.
 *
 * Lesson 9 uses this queue; lesson 13 measures it against the fast one
 * (fastqueue.c) and explains the difference.
 */
#include "queue.h"

#include "alloc.h"
#include "pt.h"
#include "timing.h"

#include <stdlib.h>

struct queue {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    void **ring;
    size_t capacity, head, count;
    size_t maxsize;             /* 0: no bound */
    bool closed;
};

queue_t *queue_create(size_t maxsize)
{
    queue_t *q = alloc_zeroed(1, sizeof *q);

    q->maxsize = maxsize;
    q->capacity = maxsize > 0 ? maxsize : 16;
    q->ring = alloc_zeroed(q->capacity, sizeof *q->ring);
    PT(pthread_mutex_init(&q->lock, NULL));
    pt_cond_init_monotonic(&q->not_empty);
    pt_cond_init_monotonic(&q->not_full);
    return q;
}

void queue_destroy(queue_t *q)
{
    PT(pthread_cond_destroy(&q->not_full));
    PT(pthread_cond_destroy(&q->not_empty));
    PT(pthread_mutex_destroy(&q->lock));
    free(q->ring);
    free(q);
}

static bool is_full(const queue_t *q)
{
    return q->maxsize > 0 && q->count == q->maxsize;
}

static bool is_empty(const queue_t *q)
{
    return q->count == 0;
}

/* Holding lock, an unbounded ring full: double it, oldest item first. */
static void grow(queue_t *q)
{
    void **ring = alloc_zeroed(q->capacity * 2, sizeof *ring);

    for (size_t i = 0; i < q->count; i++)
        ring[i] = q->ring[(q->head + i) % q->capacity];
    free(q->ring);
    q->ring = ring;
    q->capacity *= 2;
    q->head = 0;
}

/*
 * Holding lock: wait on cv while blocked(q) and the queue is open. false
 * when the deadline (NULL: none) passed first.
 */
static bool wait_while(queue_t *q, bool (*blocked)(const queue_t *), pthread_cond_t *cv,
                       const struct timespec *deadline)
{
    while (!q->closed && blocked(q))
        if (!pt_cond_wait_until(cv, &q->lock, deadline) && !q->closed && blocked(q))
            return false;
    return true;
}

/* The one put: block = false never waits; otherwise wait until deadline (NULL: no limit). */
static enum queue_status put(queue_t *q, void *item, bool block, const struct timespec *deadline)
{
    enum queue_status status = QUEUE_OK;

    PT(pthread_mutex_lock(&q->lock));
    if (!block && !q->closed && is_full(q))
        status = QUEUE_FULL;
    else if (!wait_while(q, is_full, &q->not_full, deadline))
        status = QUEUE_TIMEOUT;
    else if (q->closed)
        status = QUEUE_CLOSED;
    else {
        if (q->count == q->capacity)
            grow(q);
        q->ring[(q->head + q->count) % q->capacity] = item;
        q->count++;
        PT(pthread_cond_signal(&q->not_empty));
    }
    PT(pthread_mutex_unlock(&q->lock));
    return status;
}

/* The one get. A closed queue still hands out what it holds. */
static enum queue_status get(queue_t *q, void **item, bool block, const struct timespec *deadline)
{
    enum queue_status status = QUEUE_OK;

    PT(pthread_mutex_lock(&q->lock));
    if (!block && !q->closed && is_empty(q))
        status = QUEUE_EMPTY;
    else if (!wait_while(q, is_empty, &q->not_empty, deadline))
        status = QUEUE_TIMEOUT;
    else if (is_empty(q))
        status = QUEUE_CLOSED;              /* closed and drained */
    else {
        *item = q->ring[q->head];
        q->head = (q->head + 1) % q->capacity;
        q->count--;
        PT(pthread_cond_signal(&q->not_full));
    }
    PT(pthread_mutex_unlock(&q->lock));
    return status;
}

enum queue_status queue_put(queue_t *q, void *item) { return put(q, item, true, NULL); }
enum queue_status queue_get(queue_t *q, void **item) { return get(q, item, true, NULL); }
enum queue_status queue_try_put(queue_t *q, void *item) { return put(q, item, false, NULL); }
enum queue_status queue_try_get(queue_t *q, void **item) { return get(q, item, false, NULL); }

enum queue_status queue_put_timed(queue_t *q, void *item, double timeout)
{
    struct timespec deadline = timing_deadline(timeout);
    return put(q, item, true, &deadline);
}

enum queue_status queue_get_timed(queue_t *q, void **item, double timeout)
{
    struct timespec deadline = timing_deadline(timeout);
    return get(q, item, true, &deadline);
}

void queue_close(queue_t *q)
{
    PT(pthread_mutex_lock(&q->lock));
    q->closed = true;
    PT(pthread_cond_broadcast(&q->not_empty));
    PT(pthread_cond_broadcast(&q->not_full));
    PT(pthread_mutex_unlock(&q->lock));
}

size_t queue_size(queue_t *q)
{
    PT(pthread_mutex_lock(&q->lock));
    size_t count = q->count;
    PT(pthread_mutex_unlock(&q->lock));
    return count;
}

bool queue_empty(queue_t *q)
{
    return queue_size(q) == 0;
}

bool queue_full(queue_t *q)
{
    return q->maxsize > 0 && queue_size(q) >= q->maxsize;
}
