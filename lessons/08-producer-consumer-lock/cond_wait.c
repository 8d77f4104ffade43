/*
 * cond_wait.c - what pthread_cond_wait(&cv, &m) does: it unlocks m and goes
 * to sleep, as one step, and it locks m again before it returns.
 *
 * The waiter locks, finds `ready` false and waits. Main gets the mutex only
 * once the waiter is asleep in its wait: the wait let go of it. Main sets
 * `ready`, signals, and keeps the mutex for a while: the woken waiter
 * cannot return until main unlocks, and it returns holding the mutex again.
 * The mutex is ERRORCHECK, so that a second lock by its owner says so
 * (EDEADLK, as in lesson 6) instead of hanging.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "timing.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

static pthread_mutex_t lock;            /* guards ready and waiting */
static pthread_cond_t changed;          /* ready or waiting became true */
static bool ready, waiting;

static void *waiter(void *unused)
{
    (void)unused;
    PT(pthread_mutex_lock(&lock));
    log_info("Waiter: has the mutex; ready is false, so it waits (the wait unlocks the mutex)");
    waiting = true;
    PT(pthread_cond_signal(&changed));  /* main sees it once this wait lets go of the mutex */
    while (!ready)
        PT(pthread_cond_wait(&changed, &lock));
    int rc = pthread_mutex_lock(&lock); /* the owner's second lock fails: EDEADLK */
    log_info("Waiter: woke with ready %s; locking the mutex again fails with %s: it holds it already",
             ready ? "true" : "false", rc == EDEADLK ? "EDEADLK" : strerror(rc));
    PT(pthread_mutex_unlock(&lock));
    log_info("Waiter: unlocked the mutex");
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t;

    cli_no_args(argc, argv);
    pt_mutex_init_type(&lock, PTHREAD_MUTEX_ERRORCHECK);
    PT(pthread_cond_init(&changed, NULL));
    PT(pthread_create(&t, NULL, waiter, NULL));

    PT(pthread_mutex_lock(&lock));
    while (!waiting)
        PT(pthread_cond_wait(&changed, &lock));
    log_info("Main: has the mutex while the waiter waits: the waiter's wait let go of it");
    ready = true;
    PT(pthread_cond_signal(&changed));
    log_info("Main: set ready and signalled; keeps the mutex 1 s more");
    timing_sleep(1);
    log_info("Main: unlocks the mutex");
    PT(pthread_mutex_unlock(&lock));

    PT(pthread_join(t, NULL));
    PT(pthread_cond_destroy(&changed));
    PT(pthread_mutex_destroy(&lock));
    return 0;
}
