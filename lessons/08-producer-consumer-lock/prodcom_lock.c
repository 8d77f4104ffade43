/*
 * prodcom_lock.c - the article's prodcom_lock.py: a producer hands ten
 * random messages to a consumer through a one-message Pipeline, guarded
 * by two locks that the threads pass back and forth.
 *
 * The article releases each Lock from the *other* thread: the consumer
 * releases the producer's lock and the producer the consumer's. A pthread
 * mutex may only be unlocked by the thread that locked it, so the two
 * "locks" here are binary semaphores, which any thread may release.
 * LOG_LEVEL=debug shows every acquire and release.
 */
#include "cli.h"
#include "executor.h"
#include "fail.h"
#include "log.h"
#include "semaphore.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define SENTINEL (-1) /* messages are 1 to 101 */

struct pipeline {
    int message;
    semaphore_t *producer_lock; /* taken while the message waits to be read */
    semaphore_t *consumer_lock; /* taken while there is no message to read */
};

/* Lock.release(): any thread may call it; releasing an unlocked lock is a bug. */
static void release(semaphore_t *lock)
{
    if (!semaphore_release(lock)) {
        fail_misuse("prodcom_lock: release of an unlocked lock");
    }
}

static int get_message(struct pipeline *pipeline, const char *name)
{
    log_debug("%s:about to acquire getlock", name);
    semaphore_acquire(pipeline->consumer_lock);
    log_debug("%s:have getlock", name);
    int message = pipeline->message; /* copy it before the producer may overwrite it */
    log_debug("%s:about to release setlock", name);
    release(pipeline->producer_lock);
    log_debug("%s:setlock released", name);
    return message;
}

static void set_message(struct pipeline *pipeline, int message, const char *name)
{
    log_debug("%s:about to acquire setlock", name);
    semaphore_acquire(pipeline->producer_lock);
    log_debug("%s:have setlock", name);
    pipeline->message = message;
    log_debug("%s:about to release getlock", name);
    release(pipeline->consumer_lock);
    log_debug("%s:getlock released", name);
}

/* Pretend we're getting a message from the network. */
static void *producer(void *arg)
{
    struct pipeline *pipeline = arg;

    for (int index = 0; index < 10; index++) {
        int message = 1 + rand() % 101; /* random.randint(1, 101); only this thread calls rand() */
        log_info("Producer got message: %d", message);
        set_message(pipeline, message, "Producer");
    }
    /* Send a sentinel message to tell consumer we're done */
    set_message(pipeline, SENTINEL, "Producer");
    return NULL;
}

/* Pretend we're saving a number in the database. */
static void *consumer(void *arg)
{
    struct pipeline *pipeline = arg;
    int message = 0;

    while (message != SENTINEL) {
        message = get_message(pipeline, "Consumer");
        if (message != SENTINEL)
            log_info("Consumer storing message: %d", message);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    struct pipeline pipeline = { .message = 0 };

    cli_no_args(argc, argv);
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    pipeline.producer_lock = semaphore_create_bounded(1);
    pipeline.consumer_lock = semaphore_create_bounded(1);
    semaphore_acquire(pipeline.consumer_lock); /* no message yet */

    executor_t *executor = executor_create(2);
    executor_submit(executor, producer, &pipeline);
    executor_submit(executor, consumer, &pipeline);
    executor_destroy(executor);

    semaphore_destroy(pipeline.consumer_lock);
    semaphore_destroy(pipeline.producer_lock);
    return 0;
}
