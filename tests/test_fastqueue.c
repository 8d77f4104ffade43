/*
 * test_fastqueue.c - queue.h's tests, run against fastqueue.h: the fast
 * queue of lesson 13 must keep every promise the readable one makes.
 */
#include "fastqueue.h"

#define queue_t fastqueue_t
#define queue_create fastqueue_create
#define queue_destroy fastqueue_destroy
#define queue_put fastqueue_put
#define queue_get fastqueue_get
#define queue_try_put fastqueue_try_put
#define queue_try_get fastqueue_try_get
#define queue_put_timed fastqueue_put_timed
#define queue_get_timed fastqueue_get_timed
#define queue_close fastqueue_close
#define queue_size fastqueue_size
#define queue_empty fastqueue_empty
#define queue_full fastqueue_full

#include "test_queue.c"
