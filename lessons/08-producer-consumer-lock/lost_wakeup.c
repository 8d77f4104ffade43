/*
 * lost_wakeup.c - a condition variable keeps nothing: a signal sent while
 * nobody waits wakes nobody, then and later.
 *
 * Twice the signaller runs first and the waiter (main) comes later, an
 * order no program controls. With a state variable, `ready`, the signaller
 * sets it under the mutex before signalling, and the waiter, which checks
 * it before waiting, does not wait at all. Without one, the waiter waits
 * for a signal that has come and gone, and sleeps for ever: a watchdog
 * (lesson 6) ends the program after 2 s.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "watchdog.h"

#include <stdbool.h>
#include <stdint.h>

static pthread_mutex_t lock;            /* guards ready */
static pthread_cond_t cv;
static bool ready;

static void *signaller(void *arg)
{
    bool with_state = (intptr_t)arg;

    PT(pthread_mutex_lock(&lock));
    if (with_state)
        ready = true;
    PT(pthread_cond_signal(&cv));
    log_info("Signaller: %s; nobody waits yet", with_state ? "set ready and signalled" : "signalled");
    PT(pthread_mutex_unlock(&lock));
    return NULL;
}

static void signal_first(bool with_state)
{
    pthread_t t;

    PT(pthread_create(&t, NULL, signaller, (void *)(intptr_t)with_state));
    PT(pthread_join(t, NULL));          /* the signal is over before anyone waits */
}

int main(int argc, char **argv)
{
    cli_no_args(argc, argv);
    PT(pthread_mutex_init(&lock, NULL));
    PT(pthread_cond_init(&cv, NULL));

    log_info("Main: with a state variable");
    signal_first(true);
    PT(pthread_mutex_lock(&lock));
    while (!ready)
        PT(pthread_cond_wait(&cv, &lock));
    log_info("Waiter: ready is true: goes on without waiting");
    PT(pthread_mutex_unlock(&lock));

    log_info("Main: without one");
    signal_first(false);
    watchdog_start(2, "the waiter still sleeps 2 s later: the one signal came before it waited, "
                      "and a condition variable keeps nothing. A lost wake-up; stopped.");
    PT(pthread_mutex_lock(&lock));
    log_info("Waiter: waits for the signal");
    PT(pthread_cond_wait(&cv, &lock));
    log_info("Waiter: woke up");        /* never: nothing will signal again */
    PT(pthread_mutex_unlock(&lock));

    PT(pthread_cond_destroy(&cv));
    PT(pthread_mutex_destroy(&lock));
    return 0;
}
