/*
 * fastqueue.h - the same queue as queue.h, made fast (lesson 13).
 *
 * Every call has queue.h's contract, word for word, with the prefix
 * fastqueue_ for queue_: FIFO, maxsize (0: no bound), blocking, try and
 * timed puts and gets, close, and the same statuses (enum queue_status).
 * Only the inside differs: a lock at each end, wake-ups only for threads
 * that sleep, a watch before sleeping (no longer than a sleep and a
 * wake-up cost on this machine, and rarer while watches fail), and
 * cache-line care (fastqueue.c's design note). The tests of queue.h run against
 * both (tests/test_queue.c, tests/test_fastqueue.c).
 */
#ifndef WORKBOOK_FASTQUEUE_H
#define WORKBOOK_FASTQUEUE_H

#include "queue.h"

typedef struct fastqueue fastqueue_t;

fastqueue_t *fastqueue_create(size_t maxsize);
void fastqueue_destroy(fastqueue_t *q);
enum queue_status fastqueue_put(fastqueue_t *q, void *item);
enum queue_status fastqueue_get(fastqueue_t *q, void **item);
enum queue_status fastqueue_try_put(fastqueue_t *q, void *item);
enum queue_status fastqueue_try_get(fastqueue_t *q, void **item);
enum queue_status fastqueue_put_timed(fastqueue_t *q, void *item, double timeout);
enum queue_status fastqueue_get_timed(fastqueue_t *q, void **item, double timeout);
void fastqueue_close(fastqueue_t *q);
size_t fastqueue_size(fastqueue_t *q);
bool fastqueue_empty(fastqueue_t *q);
bool fastqueue_full(fastqueue_t *q);

#endif
