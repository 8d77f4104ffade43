/*
 * spinlocks.c - lesson 14: two spin locks built from atomics, beside
 * pthread_spin_lock and pthread_mutex, with 2 and 4 threads.
 *
 * test-and-set  an atomic_flag: lock sets it and spins while it was already
 *               set; unlock clears it. Whoever's exchange lands first wins,
 *               however long the others have waited: not fair.
 * ticket        two counters: lock takes the next ticket with one
 *               atomic_fetch_add on `next`, then spins until `serving` shows
 *               it; unlock adds 1 to `serving`. First come, first served.
 * Both spin without ever giving up the core, as pthread_spin_lock does. Each
 * thread takes the lock, adds 1 to a plain count and lets go, again and
 * again, for SECONDS (0.2 by default, scaled by WORKBOOK_TIME_SCALE). The
 * table shows how many times a millisecond the lock was taken, that as a share of the
 * mutex's in the same run, and the fewest and most any one thread got.
 * With more threads than cores, a spinning waiter holds a core the holder
 * (or, for the ticket lock, the next in line) needs to get anywhere.
 */
#include "cli.h"
#include "pt.h"
#include "timing.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#define SECONDS 0.2
#define MAX_THREADS 4

static atomic_flag flag = ATOMIC_FLAG_INIT;
static atomic_uint next, serving;
static pthread_spinlock_t spin;
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;

static void tas_lock(void)
{
    while (atomic_flag_test_and_set_explicit(&flag, memory_order_acquire))
        ;
}
static void tas_unlock(void) { atomic_flag_clear_explicit(&flag, memory_order_release); }

static void ticket_lock(void)
{
    unsigned ticket = atomic_fetch_add_explicit(&next, 1, memory_order_relaxed);
    while (atomic_load_explicit(&serving, memory_order_acquire) != ticket)
        ;
}
static void ticket_unlock(void)
{
    /* Only the holder writes serving: a plain load and store of it are enough. */
    unsigned now = atomic_load_explicit(&serving, memory_order_relaxed);
    atomic_store_explicit(&serving, now + 1, memory_order_release);
}

static void spin_lock(void) { PT(pthread_spin_lock(&spin)); }
static void spin_unlock(void) { PT(pthread_spin_unlock(&spin)); }
static void mutex_lock(void) { PT(pthread_mutex_lock(&mutex)); }
static void mutex_unlock(void) { PT(pthread_mutex_unlock(&mutex)); }

static const struct lock {
    const char *name;
    void (*lock)(void), (*unlock)(void);
} locks[] = {
    { "pthread_mutex", mutex_lock, mutex_unlock },
    { "test-and-set", tas_lock, tas_unlock },
    { "ticket", ticket_lock, ticket_unlock },
    { "pthread_spin_lock", spin_lock, spin_unlock },
};

static const struct lock *current;
static atomic_bool go, stop;
static atomic_int ready;
static long count;                  /* guarded by the lock under test */

static void *worker(void *arg)
{
    long *mine = arg;
    atomic_fetch_add(&ready, 1);
    while (!atomic_load(&go))       /* all start together */
        ;
    for (bool done = false; !done;) {
        current->lock();
        count++;
        done = atomic_load_explicit(&stop, memory_order_relaxed);
        current->unlock();
        ++*mine;
    }
    return NULL;
}

/* Times the lock was taken a millisecond, n threads; prints the row. */
static double row(const struct lock *l, int n, double seconds, double mutex_rate)
{
    pthread_t tid[MAX_THREADS];
    long got[MAX_THREADS] = { 0 }, total = 0, least = -1, most = 0;

    current = l;
    count = 0;
    atomic_store(&stop, false);
    atomic_store(&go, false);
    atomic_store(&ready, 0);
    for (int i = 0; i < n; i++)
        PT(pthread_create(&tid[i], NULL, worker, &got[i]));
    while (atomic_load(&ready) < n)
        timing_sleep_unscaled(0.001);
    double start = timing_now();
    atomic_store(&go, true);
    timing_sleep_unscaled(seconds);
    atomic_store(&stop, true);
    for (int i = 0; i < n; i++)
        PT(pthread_join(tid[i], NULL));
    double ms = (timing_now() - start) * 1000;
    for (int i = 0; i < n; i++) {
        total += got[i];
        least = least < 0 || got[i] < least ? got[i] : least;
        most = got[i] > most ? got[i] : most;
    }
    double rate = total / ms;
    printf("%-18s %7d %10.0f %8.2fx %10ld %10ld%s\n", l->name, n, rate,
           mutex_rate > 0 ? rate / mutex_rate : 1.0, least, most,
           count == total ? "" : "  a bug: the count is wrong");
    return rate;
}

int main(int argc, char **argv)
{
    double seconds = SECONDS * timing_scale();
    double ratio[MAX_THREADS + 1][4];

    cli_no_args(argc, argv);
    PT(pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE));
    printf("%-18s %7s %10s %9s %10s %10s\n", "lock", "threads", "locks/ms", "/mutex", "fewest",
           "most");
    for (int n = 2; n <= MAX_THREADS; n += 2) {
        double mutex_rate = row(&locks[0], n, seconds, 0);
        for (int l = 1; l < 4; l++)
            ratio[n][l] = row(&locks[l], n, seconds, mutex_rate) / mutex_rate;
    }
    PT(pthread_spin_destroy(&spin));
    printf("(locks/ms: times the lock was taken a millisecond, all threads; /mutex: that over the\n"
           " mutex's with as many threads; fewest, most: times the thread that got it least, most)\n");
    for (int n = 2; n <= MAX_THREADS; n += 2)
        for (int l = 1; l < 4; l++)
            printf("bench: spin_%s_%dthreads_vs_mutex %.2f x\n",
                   l == 1 ? "tas" : l == 2 ? "ticket" : "pthread_spin", n, ratio[n][l]);
    return 0;
}
