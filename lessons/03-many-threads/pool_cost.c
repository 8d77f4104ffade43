/*
 * pool_cost.c - why thread pools exist (the notes' seed): a thread is not
 * free to start. Two figures, each the average of ROUNDS round trips in
 * which main waits for a task that does nothing:
 *   a new thread   pthread_create(), then pthread_join();
 *   a pool thread  executor_submit_future() to a worker that already
 *                  exists, then future_result().
 * ROUNDS defaults to 20000 times WORKBOOK_TIME_SCALE (at least 100). The
 * last two lines are make bench's. A busy machine changes both figures,
 * which is why no test checks them.
 */
#include "cli.h"
#include "executor.h"
#include "pt.h"
#include "timing.h"

#include <stdio.h>

#define ROUNDS 20000

static void *nothing(void *arg)
{
    return arg;
}

/* Microseconds per thread created and joined. */
static double new_thread_us(long rounds)
{
    pthread_t t;
    double start = timing_now();

    for (long i = 0; i < rounds; i++) {
        PT(pthread_create(&t, NULL, nothing, NULL));
        PT(pthread_join(t, NULL));
    }
    return (timing_now() - start) * 1e6 / (double)rounds;
}

/* Microseconds per task handed to an existing worker and waited for. */
static double pool_thread_us(long rounds)
{
    executor_t *ex = executor_create(1);
    double start = timing_now();

    for (long i = 0; i < rounds; i++)
        future_result(executor_submit_future(ex, nothing, NULL));
    double us = (timing_now() - start) * 1e6 / (double)rounds;
    executor_destroy(ex);
    return us;
}

int main(int argc, char **argv)
{
    long fallback = (long)(ROUNDS * timing_scale());
    long rounds = cli_number(argc, argv, "ROUNDS", fallback > 100 ? fallback : 100, 1, 10000000);

    double created = new_thread_us(rounds);
    double handed = pool_thread_us(rounds);
    printf("%ld round trips each, main waiting for a task that does nothing:\n", rounds);
    printf("  %-34s %8.2f us\n", "a new thread (create + join):", created);
    printf("  %-34s %8.2f us\n", "a pool thread (submit + result):", handed);
    printf("bench: thread_create_join %.2f us\n", created);
    printf("bench: pool_handoff %.2f us\n", handed);
    return 0;
}
