/*
 * rwbench.c - readers only: how many passes a second lesson 5's mutex lets
 * through, against a reader-writer lock, with 1, 2 and 4 reader threads.
 *
 * Two kinds of critical section over the notes' cache of 100 entries:
 *   whole cache  check_cache's walk: every entry's key turned back into a
 *                number and compared (a few microseconds under the lock);
 *   one entry    one lookup, the same check on one entry (tens of
 *                nanoseconds: the lock itself is most of the pass).
 * A mutex lets one reader in at a time; the rwlock lets them all in, but
 * each rdlock and unlock still writes the lock's shared reader count.
 * Each row is run 3 times, mutex and rwlock in turn, and the best of each
 * kept; passes scale with WORKBOOK_TIME_SCALE. The bench: lines are the
 * rwlock's passes over the mutex's, within this one run. Last, what one
 * lock and unlock costs alone: one thread, nothing inside, timed in the
 * thread's own CPU time (which other programs on a busy machine do not
 * stretch).
 */
#include "cli.h"
#include "pt.h"
#include "timing.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ENTRIES 100
#define MAX_THREADS 4

struct entry {
    char key[24];
    long long value;
};

static struct entry cache[ENTRIES];
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;

struct run {
    bool rwlock, whole;
    long passes;
    long bad;
};

static void *read_cache(void *arg)
{
    struct run *r = arg;
    long bad = 0;

    for (long p = 0; p < r->passes; p++) {
        if (r->rwlock)
            PT(pthread_rwlock_rdlock(&rw));
        else
            PT(pthread_mutex_lock(&mutex));
        size_t first = r->whole ? 0 : (size_t)p % ENTRIES, end = r->whole ? ENTRIES : first + 1;
        for (size_t i = first; i < end; i++)
            if (strtoll(cache[i].key, NULL, 10) != cache[i].value)
                bad++;
        if (r->rwlock)
            PT(pthread_rwlock_unlock(&rw));
        else
            PT(pthread_mutex_unlock(&mutex));
    }
    return (void *)(intptr_t)bad;
}

/* Passes a second with n readers, each making `passes`. */
static double rate(bool rwlock, bool whole, int n, long passes)
{
    pthread_t tid[MAX_THREADS];
    struct run r = { rwlock, whole, passes, 0 };

    double start = timing_now();
    for (int i = 0; i < n; i++)
        PT(pthread_create(&tid[i], NULL, read_cache, &r));
    for (int i = 0; i < n; i++) {
        void *bad;
        PT(pthread_join(tid[i], &bad));
        if ((intptr_t)bad != 0)
            printf("a bug: %ld bad entries\n", (long)(intptr_t)bad);
    }
    return (double)passes * n / (timing_now() - start);
}

static void row(const char *section, bool whole, int n, long passes)
{
    double mutex_best = 0, rwlock_best = 0;

    for (int round = 0; round < 3; round++) {
        double m = rate(false, whole, n, passes), w = rate(true, whole, n, passes);
        mutex_best = m > mutex_best ? m : mutex_best;
        rwlock_best = w > rwlock_best ? w : rwlock_best;
    }
    printf("%-12s %7d %16.0f %16.0f %9.2f\n", section, n, mutex_best, rwlock_best,
           rwlock_best / mutex_best);
    printf("bench: rwlock_vs_mutex_%s_%dr %.2f x\n", whole ? "whole" : "one", n,
           rwlock_best / mutex_best);
}

/* CPU nanoseconds a lock and unlock, one thread, an empty section. */
static double empty_cost(bool rwlock, long pairs)
{
    struct timespec start, end;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
    for (long i = 0; i < pairs; i++) {
        if (rwlock) {
            PT(pthread_rwlock_rdlock(&rw));
            PT(pthread_rwlock_unlock(&rw));
        } else {
            PT(pthread_mutex_lock(&mutex));
            PT(pthread_mutex_unlock(&mutex));
        }
    }
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end);
    return ((double)(end.tv_sec - start.tv_sec) * 1e9 + (double)(end.tv_nsec - start.tv_nsec)) /
           (double)pairs;
}

int main(int argc, char **argv)
{
    cli_no_args(argc, argv);
    for (int i = 0; i < ENTRIES; i++) {
        snprintf(cache[i].key, sizeof cache[i].key, "%d", i);
        cache[i].value = i;
    }
    long whole = (long)(10000 * timing_scale()), one = (long)(500000 * timing_scale());
    whole = whole < 100 ? 100 : whole;
    one = one < 1000 ? 1000 : one;

    printf("%-12s %7s %16s %16s %9s\n", "section", "readers", "mutex passes/s", "rwlock passes/s",
           "rw/mutex");
    for (int n = 1; n <= MAX_THREADS; n *= 2)
        row("whole cache", true, n, whole);
    for (int n = 1; n <= MAX_THREADS; n *= 2)
        row("one entry", false, n, one);
    double m = empty_cost(false, one * 4), w = empty_cost(true, one * 4);
    printf("one thread, nothing inside: a lock and unlock costs %.1f ns (mutex), %.1f ns "
           "(rwlock, read) of CPU\n", m, w);
    printf("bench: rwlock_vs_mutex_empty_cpu %.2f x\n", w / m);
    return 0;
}
