/*
 * queue.h - Python's queue.Queue: a thread-safe FIFO of pointers.
 *
 * maxsize bounds how many items it holds (0: no bound, as in Python).
 * queue_put() blocks while the queue is full, queue_get() while it is
 * empty. queue_close() is Python 3.13's Queue.shutdown(): afterwards every
 * put is refused, gets drain what is left and then report QUEUE_CLOSED,
 * and every blocked thread wakes. That is how a consumer learns that no
 * more items will come, without a sentinel value. Unlike Python's, there
 * is no shutdown(immediate=True), task_done() or join(), and maxsize is
 * fixed at creation.
 *
 * Timeouts follow the rule of timing.h: a negative one does not wait (where
 * Python raises ValueError), INFINITY waits without limit, NaN aborts.
 */
#ifndef WORKBOOK_QUEUE_H
#define WORKBOOK_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct queue queue_t;

enum queue_status {
    QUEUE_OK = 0,
    QUEUE_FULL,         /* try_put: no room now */
    QUEUE_EMPTY,        /* try_get: nothing now */
    QUEUE_TIMEOUT,      /* timed put or get: the time ran out */
    QUEUE_CLOSED,       /* put after close; get after close once drained */
};

queue_t *queue_create(size_t maxsize);
void queue_destroy(queue_t *q);         /* no thread may be using q */

/* Block until there is room (QUEUE_OK) or the queue is closed (QUEUE_CLOSED). */
enum queue_status queue_put(queue_t *q, void *item);
/* Block until an item is there (QUEUE_OK, *item set) or the queue is closed and empty. */
enum queue_status queue_get(queue_t *q, void **item);

/* Do not block: QUEUE_FULL / QUEUE_EMPTY instead of waiting. */
enum queue_status queue_try_put(queue_t *q, void *item);
enum queue_status queue_try_get(queue_t *q, void **item);

/* Wait at most timeout seconds: QUEUE_TIMEOUT when the time ran out. */
enum queue_status queue_put_timed(queue_t *q, void *item, double timeout);
enum queue_status queue_get_timed(queue_t *q, void **item, double timeout);

/* Refuse further puts and wake every blocked thread. Idempotent. */
void queue_close(queue_t *q);

/* Snapshots: another thread may change the answer right after. */
size_t queue_size(queue_t *q);
bool queue_empty(queue_t *q);
bool queue_full(queue_t *q);

#endif
