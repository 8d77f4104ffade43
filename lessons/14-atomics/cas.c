/*
 * cas.c - lesson 14: a counter built from a compare-and-swap loop.
 *
 * THREADS threads add 1, ITERATIONS times each, without atomic_fetch_add:
 * each reads the count, then asks atomic_compare_exchange_weak to store
 * count + 1 only if the count is still what it read. When another thread
 * got in between, the exchange fails, writes the count it found into
 * `seen`, and the loop tries again from there. The demo counts those
 * retries. ITERATIONS (default 1000000) scales with WORKBOOK_TIME_SCALE.
 */
#include "cli.h"
#include "pt.h"
#include "timing.h"

#include <stdatomic.h>
#include <stdio.h>

#define THREADS 2
#define ITERATIONS 1000000L

static atomic_long count, retries;
static long iterations;

static void *add_by_cas(void *unused)
{
    long mine = 0;
    (void)unused;
    for (long i = 0; i < iterations; i++) {
        long seen = atomic_load(&count);
        while (!atomic_compare_exchange_weak(&count, &seen, seen + 1))
            mine++;                 /* seen now holds the count found: try again from it */
    }
    atomic_fetch_add(&retries, mine);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t tid[THREADS];

    cli_no_args(argc, argv);
    iterations = (long)(ITERATIONS * timing_scale());
    iterations = iterations < 1000 ? 1000 : iterations;
    for (int i = 0; i < THREADS; i++)
        PT(pthread_create(&tid[i], NULL, add_by_cas, NULL));
    for (int i = 0; i < THREADS; i++)
        PT(pthread_join(tid[i], NULL));
    printf("%d threads, %ld compare-and-swap additions each: count %ld, %ld retries\n", THREADS,
           iterations, atomic_load(&count), atomic_load(&retries));
    return 0;
}
