/*
 * litmus.c - lesson 14: store buffering, the reorder x86 does.
 *
 * Two threads, two shared variables, x and y, many trials. In each trial:
 *     thread 1: x = 1; r1 = y;        thread 2: y = 1; r2 = x;
 * Run one after the other in any order, at least one thread sees the
 * other's store: r1 == 0 && r2 == 0 is impossible. But each core puts its
 * store in a store buffer and goes on to its load before the store reaches
 * the cache, so both loads can read the old 0s. C11 allows that outcome with
 * relaxed and with release/acquire orders, and forbids it with seq_cst (one
 * total order of all seq_cst operations, which every thread sees). The demo
 * counts the four outcomes for each order. TRIALS (default 100000) scales
 * with WORKBOOK_TIME_SCALE.
 *
 * A trial's "1" is its own number: in trial t each thread stores t + 1, so
 * nothing is reset between trials and "saw the other's store" is r == t + 1.
 * The two threads meet before each trial and start it at the same instant
 * by the clock, so their stores and loads run at the same moment on two cores.
 */
#include "cli.h"
#include "pt.h"
#include "timing.h"

#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>

#define TRIALS 100000L

/* Each on a cache line of its own (lesson 12), so no store waits for another's line. */
static alignas(64) atomic_long x;
static alignas(64) atomic_long y;
static alignas(64) atomic_long arrived;   /* 2 per trial */
static atomic_long started;                /* trial t may start once it is t + 1 */
static double start_at;                    /* when; written before started, read after */
static long trials;
static memory_order store_order, load_order;

struct side {
    atomic_long *mine, *other;
    unsigned char *saw;             /* saw[t]: 1 when this side read the other's store */
};

/* Meet the other thread, then start the trial at the same instant as it: the
 * second to arrive sets that instant, 20 microseconds ahead, and both watch
 * the clock until then (a clock both cores read alike lines them up far
 * better than the moment each sees the other arrive). */
static void start_together(long t)
{
    if (atomic_fetch_add(&arrived, 1) % 2 == 1) {
        start_at = timing_now() + 20e-6;
        atomic_store(&started, t + 1);
    }
    for (int spins = 0; atomic_load(&started) < t + 1; spins++)
        if (spins > 20000)
            sched_yield();          /* one core: let the other thread run */
    while (timing_now() < start_at)
        ;
}

static void *run_side(void *arg)
{
    struct side *s = arg;
    for (long t = 0; t < trials; t++) {
        start_together(t);
        atomic_store_explicit(s->mine, t + 1, store_order);
        s->saw[t] = atomic_load_explicit(s->other, load_order) == t + 1;
    }
    return NULL;
}

static void count(const char *name, memory_order store, memory_order load)
{
    static unsigned char saw1[TRIALS], saw2[TRIALS];
    struct side one = { &x, &y, saw1 }, two = { &y, &x, saw2 };
    pthread_t t1, t2;
    long outcomes[2][2] = { { 0, 0 }, { 0, 0 } };

    store_order = store;
    load_order = load;
    atomic_store(&x, 0);
    atomic_store(&y, 0);
    atomic_store(&arrived, 0);
    atomic_store(&started, 0);
    PT(pthread_create(&t1, NULL, run_side, &one));
    PT(pthread_create(&t2, NULL, run_side, &two));
    PT(pthread_join(t1, NULL));
    PT(pthread_join(t2, NULL));
    for (long t = 0; t < trials; t++)
        outcomes[saw1[t]][saw2[t]]++;
    printf("%-16s %8ld %10ld %10ld %10ld %10ld\n", name, trials, outcomes[1][1], outcomes[0][1],
           outcomes[1][0], outcomes[0][0]);
}

int main(int argc, char **argv)
{
    cli_no_args(argc, argv);
    trials = (long)(TRIALS * timing_scale());
    trials = trials < 100 ? 100 : trials > TRIALS ? TRIALS : trials;

    printf("%-16s %8s %10s %10s %10s %10s\n", "order", "trials", "r1=1 r2=1", "r1=0 r2=1",
           "r1=1 r2=0", "r1=0 r2=0");
    count("relaxed", memory_order_relaxed, memory_order_relaxed);
    count("release/acquire", memory_order_release, memory_order_acquire);
    count("seq_cst", memory_order_seq_cst, memory_order_seq_cst);
    printf("(r1=0 r2=0: each thread missed the other's store; C11 forbids it only for seq_cst)\n");
    return 0;
}
