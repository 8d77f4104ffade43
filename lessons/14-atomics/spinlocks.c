/*
 * spinlocks.c - lesson 14: a test-and-set spin lock, and the serving half of
 * a ticket lock, timed beside pthread_spin_lock and pthread_mutex.
 *
 * test-and-set  an atomic_flag: lock sets it, spinning while it was set
 *               already; unlock clears it. Whoever's exchange lands first wins.
 * ticket        tickets dealt in advance, in turn (thread i of n holds i,
 *               i + n, ...): lock spins until `serving` shows its ticket,
 *               unlock adds 1 to `serving`. The lock goes to the next in line.
 * Each thread takes the lock, adds 1 to a plain count and lets go, for
 * SECONDS (0.2, scaled by WORKBOOK_TIME_SCALE), with 2 threads, then 4.
 */
#include "cli.h"
#include "pt.h"
#include "timing.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SECONDS 0.2
#define MAX_THREADS 4

static atomic_flag flag = ATOMIC_FLAG_INIT;
static atomic_uint serving;
static _Thread_local unsigned my_ticket;    /* this thread's next turn */
static int threads;
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
    while (atomic_load_explicit(&serving, memory_order_acquire) != my_ticket)
        ;
}
static void ticket_unlock(void)
{
    my_ticket += threads;
    atomic_fetch_add_explicit(&serving, 1, memory_order_release);
}

static void spin_lock(void) { PT(pthread_spin_lock(&spin)); }
static void spin_unlock(void) { PT(pthread_spin_unlock(&spin)); }
static void mutex_lock(void) { PT(pthread_mutex_lock(&mutex)); }
static void mutex_unlock(void) { PT(pthread_mutex_unlock(&mutex)); }

static const struct lock {
    const char *name, *bench;
    void (*lock)(void), (*unlock)(void);
} locks[] = {
    { "pthread_mutex", "mutex", mutex_lock, mutex_unlock },
    { "test-and-set", "tas", tas_lock, tas_unlock },
    { "ticket", "ticket", ticket_lock, ticket_unlock },
    { "pthread_spin_lock", "pthread_spin", spin_lock, spin_unlock },
};

static const struct lock *current;
static atomic_int ready;
static atomic_bool go, stop;
static long count;                  /* guarded by the lock under test */
static long got[MAX_THREADS];       /* times each thread took it */

static void *worker(void *arg)
{
    int i = (int)(intptr_t)arg;
    my_ticket = (unsigned)i;
    atomic_fetch_add(&ready, 1);
    while (!atomic_load(&go))       /* all start together */
        ;
    for (bool done = false; !done; got[i]++) {
        current->lock();
        count++;
        done = atomic_load_explicit(&stop, memory_order_relaxed);
        current->unlock();
    }
    return NULL;
}

/* Prints the row for n threads; returns the times it was taken a millisecond. */
static double row(const struct lock *l, int n, double mutex_rate)
{
    pthread_t tid[MAX_THREADS];
    long total = 0, least = -1, most = 0;

    current = l, threads = n, count = 0;
    atomic_store(&serving, 0), atomic_store(&ready, 0);
    atomic_store(&go, false), atomic_store(&stop, false);
    for (int i = 0; i < n; i++) {
        got[i] = 0;
        PT(pthread_create(&tid[i], NULL, worker, (void *)(intptr_t)i));
    }
    while (atomic_load(&ready) < n)
        timing_sleep_unscaled(0.001);
    double start = timing_now();
    atomic_store(&go, true);
    timing_sleep(SECONDS);
    atomic_store(&stop, true);
    for (int i = 0; i < n; i++) {
        PT(pthread_join(tid[i], NULL));
        total += got[i];
        least = least < 0 || got[i] < least ? got[i] : least;
        most = got[i] > most ? got[i] : most;
    }
    double rate = total / ((timing_now() - start) * 1000);
    printf("%-18s %7d %10.0f %8.2fx %10ld %10ld%s\n", l->name, n, rate,
           rate / (mutex_rate > 0 ? mutex_rate : rate), least, most,
           count == total ? "" : "  a bug: the count is wrong");
    return rate;
}

int main(int argc, char **argv)
{
    double ratio[MAX_THREADS + 1][4];

    cli_no_args(argc, argv);
    PT(pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE));
    printf("%-18s %7s %10s %9s %10s %10s\n", "lock", "threads", "locks/ms", "/mutex", "fewest",
           "most");
    for (int n = 2; n <= MAX_THREADS; n += 2) {
        double mutex_rate = row(&locks[0], n, 0);
        for (int l = 1; l < 4; l++)
            ratio[n][l] = row(&locks[l], n, mutex_rate) / mutex_rate;
    }
    PT(pthread_spin_destroy(&spin));
    printf("(locks/ms: times the lock was taken a millisecond, all threads; /mutex: that over the\n"
           " mutex's with as many threads; fewest, most: times the thread that got it least, most)\n");
    for (int n = 2; n <= MAX_THREADS; n += 2)
        for (int l = 1; l < 4; l++)
            printf("bench: spin_%s_%dthreads_vs_mutex %.2f x\n", locks[l].bench, n, ratio[n][l]);
    return 0;
}
