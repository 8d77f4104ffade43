/*
 * publish_relaxed.c - lesson 14: publish.c with a relaxed `full` flag, the
 * broken half of the pair.
 *
 * The flag is still atomic, so reading and writing it is no race; but a
 * relaxed store orders nothing around it. Nothing makes the producer's
 * writes of the message happen before the consumer's reads, so those plain
 * reads and writes are a data race: undefined behaviour, which
 * ThreadSanitizer reports on every run. On x86 the message usually still
 * arrives whole (its stores reach memory in program order and the compiler
 * happened to keep them there); on ARM or POWER the consumer can read the
 * flag before the message.
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
    while (atomic_load_explicit(&full, memory_order_relaxed) != value)
        sched_yield();
}

static void *producer(void *unused)
{
    (void)unused;
    for (long i = 1; i <= messages; i++) {
        wait_until(false);
        message.number = i;
        message.square = i * i;
        atomic_store_explicit(&full, true, memory_order_relaxed);   /* publish: orders nothing */
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
        atomic_store_explicit(&full, false, memory_order_relaxed);  /* hand the box back */
    }
    PT(pthread_join(tid, NULL));
    printf("%ld messages with a relaxed flag, %ld read wrong\n", messages, wrong);
    return 0;
}
