/*
 * prodcom_pipeline.c - the article's middle prodcom_queue.py, before it
 * drops the Pipeline: Pipeline is a queue.Queue(maxsize=10) whose
 * get_message() and set_message() wrap get() and put() with debug lines
 * (LOG_LEVEL=debug shows them). The producer logs "received EXIT event",
 * the consumer "(queue size=N)". prodcom_queue.c is the final version.
 *
 * In C the Pipeline is a queue_t and two functions that take one. As in
 * prodcom_queue.c, the producer closes the queue when it stops, and the
 * consumer gets until it is closed and drained (the README says why the
 * article's loop condition can hang or lose a message).
 */
#include "cli.h"
#include "event.h"
#include "executor.h"
#include "log.h"
#include "queue.h"
#include "timing.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct shared {
    queue_t *pipeline;
    event_t *event;
};

/* Pipeline.get_message: false once the pipeline is closed and empty. */
static bool get_message(queue_t *pipeline, const char *name, int *value)
{
    void *item;

    log_debug("%s:about to get from queue", name);
    if (queue_get(pipeline, &item) != QUEUE_OK)
        return false;
    *value = (int)(intptr_t)item;
    log_debug("%s:got %d from queue", name, *value);
    return true;
}

static void set_message(queue_t *pipeline, int value, const char *name)
{
    log_debug("%s:about to add %d to queue", name, value);
    queue_put(pipeline, (void *)(intptr_t)value);
    log_debug("%s:added %d to queue", name, value);
}

/* Pretend we're getting a number from the network. */
static void *producer(void *arg)
{
    struct shared *s = arg;

    while (!event_is_set(s->event)) {
        int message = 1 + rand() % 101; /* random.randint(1, 101); only this thread calls rand() */
        log_info("Producer got message: %d", message);
        set_message(s->pipeline, message, "Producer");
    }
    log_info("Producer received EXIT event. Exiting");
    queue_close(s->pipeline);   /* no more messages: wakes a consumer waiting in get */
    return NULL;
}

/* Pretend we're saving a number in the database. */
static void *consumer(void *arg)
{
    struct shared *s = arg;
    int message;

    /* Python: while not event.is_set() or not pipeline.empty(): */
    while (get_message(s->pipeline, "Consumer", &message))
        log_info("Consumer storing message: %d (queue size=%zu)", message, queue_size(s->pipeline));
    log_info("Consumer received EXIT event. Exiting");
    return NULL;
}

int main(int argc, char **argv)
{
    struct shared s;

    cli_no_args(argc, argv);
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    s.pipeline = queue_create(10);
    s.event = event_create();

    executor_t *executor = executor_create(2);
    executor_submit(executor, producer, &s);
    executor_submit(executor, consumer, &s);
    timing_sleep(0.1);
    log_info("Main: about to set event");
    event_set(s.event);
    executor_destroy(executor);

    event_destroy(s.event);
    queue_destroy(s.pipeline);
    return 0;
}
