/*
 * false_sharing.c - lesson 12: per-thread counters side by side, and each
 * on its own cache line.
 *
 * Each thread adds 1 to its own counter ITERATIONS times. No counter is
 * shared, so there is no race and no lock. But the CPU's caches move memory
 * in lines (64 bytes on x86 and most ARM cores), and a core must own a
 * line to write to it. Counters side by side in one array share a line,
 * so the line travels from core to core, a burst of writes at each stop:
 * "false sharing". Padded, each counter owns its line and each core keeps
 * it.
 *
 * The counters are volatile so that every addition goes to memory, as a
 * counter that other code reads would; without it the compiler keeps the
 * sum in a register and there is nothing to see. THREADS (default: the
 * CPUs this process may use, at least 2). ITERATIONS scales with
 * WORKBOOK_TIME_SCALE. The last line is "bench: false_sharing_ratio <x> x".
 */
#include "cli.h"
#include "cpus.h"
#include "pt.h"
#include "timing.h"

#include <stdalign.h>
#include <stdio.h>
#include <unistd.h>

#define ITERATIONS 100000000L
#define LINE 64                 /* the padding: the line size of the machines we know */
#define MAX_THREADS 64

static volatile long packed[MAX_THREADS];           /* side by side: 8 share a line */

static struct {
    alignas(LINE) volatile long value;              /* one per line */
} padded[MAX_THREADS];

struct job {
    volatile long *counter;
    long iterations;
};

static void *count(void *arg)
{
    struct job *j = arg;
    for (long i = 0; i < j->iterations; i++)
        (*j->counter)++;
    return NULL;
}

static double run(volatile long *(*counter)(int), int threads, long iterations)
{
    pthread_t tid[MAX_THREADS];
    struct job jobs[MAX_THREADS];

    double start = timing_now();
    for (int i = 0; i < threads; i++) {
        jobs[i] = (struct job){ counter(i), iterations };
        *jobs[i].counter = 0;
        PT(pthread_create(&tid[i], NULL, count, &jobs[i]));
    }
    for (int i = 0; i < threads; i++)
        PT(pthread_join(tid[i], NULL));
    double seconds = timing_now() - start;
    for (int i = 0; i < threads; i++)
        if (*jobs[i].counter != iterations)
            printf("counter %d is %ld, not %ld: a bug\n", i, *jobs[i].counter, iterations);
    return seconds;
}

static volatile long *packed_counter(int i) { return &packed[i]; }
static volatile long *padded_counter(int i) { return &padded[i].value; }

/* The L1 data cache's line size as the system reports it; 0 when it does not. */
static long line_size(void)
{
#ifdef _SC_LEVEL1_DCACHE_LINESIZE
    long n = sysconf(_SC_LEVEL1_DCACHE_LINESIZE);   /* glibc */
    if (n > 0)
        return n;
#endif
    FILE *f = fopen("/sys/devices/system/cpu/cpu0/cache/index0/coherency_line_size", "r");
    long n2 = 0;
    if (f != NULL) {
        if (fscanf(f, "%ld", &n2) != 1)
            n2 = 0;
        fclose(f);
    }
    return n2;
}

int main(int argc, char **argv)
{
    int cpus = cpus_usable();
    int fallback = cpus < 2 ? 2 : cpus < MAX_THREADS ? cpus : MAX_THREADS;
    int threads = (int)cli_number(argc, argv, "THREADS", fallback, 1, MAX_THREADS);
    long iterations = (long)(ITERATIONS * timing_scale());
    long line = line_size();

    if (iterations < 1000)
        iterations = 1000;
    if (line > 0)
        printf("cache line: %ld bytes (this system says); counters padded to %d\n", line, LINE);
    else
        printf("cache line: the system does not say; counters padded to %d\n", LINE);
    printf("%d threads, %ld additions each, CPUs this process may use: %d\n", threads,
           iterations, cpus);
    double side = run(packed_counter, threads, iterations);
    double own = run(padded_counter, threads, iterations);
    printf("side by side (one line)  %8.3f s\n", side);
    printf("padded (a line each)     %8.3f s\n", own);
    printf("padded is %.1fx as fast%s\n", side / own,
           cpus < 2 ? " (one CPU: the threads take turns, so no line moves between cores)" : "");
    printf("bench: false_sharing_ratio %.2f x\n", side / own);
    return 0;
}
