/*
 * cancel_cleanup.c - a thread cancelled while it holds a mutex (lesson 2's
 * pthread_cancel, with this lesson's locks).
 *
 * Twice a thread locks the mutex and then waits, in a cancellation point,
 * for input that never comes (read() on a pipe nobody writes to, as a
 * thread reading a silent socket would), and main cancels it there. The first time a cleanup handler, pushed right
 * after the lock, unlocks the mutex as the thread dies: Python's `with
 * lock:` releasing on an exception. The second time there is no handler:
 * the thread is gone, the mutex stays locked for good (POSIX calls this
 * robustness PTHREAD_MUTEX_STALLED, the default), and main's lock waits
 * for ever: a watchdog ends the program after 2 s.
 */
#include "cli.h"
#include "fail.h"
#include "log.h"
#include "pt.h"
#include "watchdog.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int pipe_ends[2];        /* nothing is ever written to pipe_ends[1] */
static char byte;               /* read() never fills it */
static atomic_bool asleep;      /* set by the thread: no cancellation point from here to read() */

static void unlock(void *mutex)
{
    PT(pthread_mutex_unlock(mutex));
    log_info("Thread: cleanup handler: unlocked the mutex");
}

static void hold_the_lock_for_ever(void)
{
    log_info("Thread: locked the mutex, waits for input");
    atomic_store(&asleep, true);
    for (;;) {
        ssize_t got = read(pipe_ends[0], &byte, 1);     /* a cancellation point: blocks */
        (void)got;
    }
}

static void *thread_function(void *arg)
{
    bool with_handler = (intptr_t)arg;

    PT(pthread_mutex_lock(&lock));
    if (with_handler) {
        pthread_cleanup_push(unlock, &lock);
        hold_the_lock_for_ever();
        pthread_cleanup_pop(1);
    } else {
        hold_the_lock_for_ever();
        PT(pthread_mutex_unlock(&lock));        /* never reached */
    }
    return NULL;
}

static void cancel_the_holder(bool with_handler)
{
    pthread_t t;
    void *result;

    atomic_store(&asleep, false);
    PT(pthread_create(&t, NULL, thread_function, (void *)(intptr_t)with_handler));
    while (!atomic_load(&asleep))
        sched_yield();
    PT(pthread_cancel(t));
    PT(pthread_join(t, &result));
    log_info("Main: the thread %s", result == PTHREAD_CANCELED ? "was cancelled" : "returned");
}

int main(int argc, char **argv)
{
    cli_no_args(argc, argv);
    if (pipe(pipe_ends) != 0)
        fail_misuse("pipe() failed: %s", strerror(errno));

    log_info("Main: with a cleanup handler");
    cancel_the_holder(true);
    PT(pthread_mutex_lock(&lock));
    log_info("Main: locked the mutex");
    PT(pthread_mutex_unlock(&lock));

    log_info("Main: without one");
    cancel_the_holder(false);
    log_info("Main: locks the mutex");
    watchdog_start(2, "main still waits for the mutex 2 s later: the cancelled thread held it, "
                      "and nothing unlocked it as it died. Stopped.");
    PT(pthread_mutex_lock(&lock));
    log_info("Main: locked the mutex");         /* never */
    return 0;
}
