/*
 * publish.c - lesson 14: handing data to another thread with release and
 * acquire (publish_relaxed.c is the same with the flag relaxed: a data race).
 *
 * A mailbox of one message: the producer writes the message (plain ints),
 * then sets `full` with a release store; the consumer waits until an acquire
 * load sees `full`, reads the message, and clears `full` with a release store
 * for the producer's acquire load. A release store and the acquire load that
 * reads it order everything before the store before everything after the
 * load: the consumer reads the whole message, never half of it, and
 * ThreadSanitizer sees the order and reports nothing. MESSAGES (default
 * 100000) scales with WORKBOOK_TIME_SCALE.
 */
#include "cli.h"
#include "pt.h"
#include "timing.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#define MESSAGES 100000L

static struct { long number, square; } message;     /* plain memory */
static atomic_bool full;
static long messages;

static void wait_until(bool value)
{
    while (atomic_load_explicit(&full, memory_order_acquire) != value)
        sched_yield();
}

static void *producer(void *unused)
{
    (void)unused;
    for (long i = 1; i <= messages; i++) {
        wait_until(false);
        message.number = i;
        message.square = i * i;
        atomic_store_explicit(&full, true, memory_order_release);   /* publish */
    }
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t tid;
    long wrong = 0;

    cli_no_args(argc, argv);
    messages = (long)(MESSAGES * timing_scale());
    messages = messages < 10 ? 10 : messages;
    PT(pthread_create(&tid, NULL, producer, NULL));
    for (long i = 1; i <= messages; i++) {
        wait_until(true);
        wrong += message.number != i || message.square != i * i;
        atomic_store_explicit(&full, false, memory_order_release);  /* hand the box back */
    }
    PT(pthread_join(tid, NULL));
    printf("%ld messages with release/acquire, %ld read wrong\n", messages, wrong);
    return 0;
}
