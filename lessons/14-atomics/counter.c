/*
 * counter.c - lesson 14: lesson 4's counter, three correct ways, timed side
 * by side in one run.
 *
 * Each thread adds 1, ITERATIONS times, to a count that ends at
 * threads x ITERATIONS:
 *   atomic_fetch_add  one atomic_long every thread adds to (lesson 4's fix);
 *   mutex             one plain long, each ++ inside pthread_mutex_lock/unlock;
 *   per-thread sum    each thread counts in its own variable and adds it to
 *                     the total once, at the end (lesson 12's partial sums).
 * Each way runs on 1 thread, then on THREADS (default 2). The local count is
 * volatile, as lesson 12's counters are, so that every addition goes to
 * memory and the compiler cannot fold the loop into one addition.
 * ITERATIONS scales with WORKBOOK_TIME_SCALE. The last lines are bench: lines.
 */
#include "cli.h"
#include "pt.h"
#include "timing.h"

#include <stdatomic.h>
#include <stdio.h>

#define ITERATIONS 5000000L
#define MAX_THREADS 16

static atomic_long shared_atomic;
static long shared_plain;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long iterations;

static void *by_atomic(void *unused)
{
    (void)unused;
    for (long i = 0; i < iterations; i++)
        atomic_fetch_add(&shared_atomic, 1);
    return NULL;
}

static void *by_mutex(void *unused)
{
    (void)unused;
    for (long i = 0; i < iterations; i++) {
        PT(pthread_mutex_lock(&lock));
        shared_plain++;
        PT(pthread_mutex_unlock(&lock));
    }
    return NULL;
}

static void *by_local_sum(void *unused)
{
    volatile long mine = 0;
    (void)unused;
    for (long i = 0; i < iterations; i++)
        mine++;
    atomic_fetch_add(&shared_atomic, mine);     /* once per thread */
    return NULL;
}

/* Run fn on n threads; print the row; return nanoseconds per addition. */
static double row(const char *name, void *(*fn)(void *), int n)
{
    pthread_t tid[MAX_THREADS];

    atomic_store(&shared_atomic, 0);
    shared_plain = 0;
    double start = timing_now();
    for (int i = 0; i < n; i++)
        PT(pthread_create(&tid[i], NULL, fn, NULL));
    for (int i = 0; i < n; i++)
        PT(pthread_join(tid[i], NULL));
    double ns = (timing_now() - start) * 1e9 / ((double)iterations * n);
    long total = atomic_load(&shared_atomic) + shared_plain;
    printf("%-17s %7d %12ld %10.2f%s\n", name, n, total, ns,
           total == iterations * n ? "" : "  a bug: additions were lost");
    return ns;
}

int main(int argc, char **argv)
{
    int threads = (int)cli_number(argc, argv, "THREADS", 2, 2, MAX_THREADS);
    iterations = (long)(ITERATIONS * timing_scale());
    if (iterations < 1000)
        iterations = 1000;

    printf("%ld additions per thread\n", iterations);
    printf("%-17s %7s %12s %10s\n", "way", "threads", "total", "ns/add");
    row("per-thread sum", by_local_sum, 1);
    double local = row("per-thread sum", by_local_sum, threads);
    row("atomic_fetch_add", by_atomic, 1);
    double atomic = row("atomic_fetch_add", by_atomic, threads);
    row("mutex", by_mutex, 1);
    double mutex = row("mutex", by_mutex, threads);
    printf("with %d threads: atomic_fetch_add %.1fx and mutex %.1fx the time of per-thread sums\n",
           threads, atomic / local, mutex / local);
    printf("bench: counter_local_ns %.2f ns\n", local);
    printf("bench: counter_atomic_vs_local %.1f x\n", atomic / local);
    printf("bench: counter_mutex_vs_local %.1f x\n", mutex / local);
    return 0;
}
