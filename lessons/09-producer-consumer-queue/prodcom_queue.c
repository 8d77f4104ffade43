/*
 * prodcom_queue.c - the article's final prodcom_queue.py: a producer and a
 * consumer share a queue of at most 10 messages; main lets them run for
 * 0.1 s, then sets an Event that tells the producer to stop.
 *
 * The article's consumer loops "while the event is unset or the queue is
 * not empty", which can hang (it may block in get() after the producer
 * has left) or lose the last message (the producer may put one after the
 * consumer saw an empty queue). Here the producer closes the queue when
 * it stops, and the consumer gets until the queue is closed and drained:
 * it cannot miss a message and cannot wait for one that will never come.
 */
#include "cli.h"
#include "event.h"
#include "executor.h"
#include "log.h"
#include "queue.h"
#include "timing.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct shared {
    queue_t *queue;
    event_t *event;
};

/* Pretend we're getting a number from the network. */
static void *producer(void *arg)
{
    struct shared *s = arg;

    while (!event_is_set(s->event)) {
        int message = 1 + rand() % 101; /* random.randint(1, 101); only this thread calls rand() */
        log_info("Producer got message: %d", message);
        queue_put(s->queue, (void *)(intptr_t)message);
    }
    log_info("Producer received event. Exiting");
    queue_close(s->queue); /* no more messages: wakes a consumer waiting in get */
    return NULL;
}

/* Pretend we're saving a number in the database. */
static void *consumer(void *arg)
{
    struct shared *s = arg;
    void *message;

    /* Python: while not event.is_set() or not queue.empty(): */
    while (queue_get(s->queue, &message) == QUEUE_OK)
        log_info("Consumer storing message: %d (size=%zu)", (int)(intptr_t)message,
                 queue_size(s->queue));
    log_info("Consumer received event. Exiting");
    return NULL;
}

int main(int argc, char **argv)
{
    struct shared s;

    cli_no_args(argc, argv);
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    s.queue = queue_create(10);
    s.event = event_create();

    executor_t *executor = executor_create(2);
    executor_submit(executor, producer, &s);
    executor_submit(executor, consumer, &s);
    timing_sleep(0.1);
    log_info("Main: about to set event");
    event_set(s.event);
    executor_destroy(executor);

    event_destroy(s.event);
    queue_destroy(s.queue);
    return 0;
}
