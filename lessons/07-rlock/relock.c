/*
 * relock.c - rlock.c with a plain mutex. report() takes the lock, and is
 * called both by main, holding nothing, and by increment(), which already
 * holds the lock.
 *
 * From main it works. From increment() the thread waits for a lock it
 * holds itself: deadlock.c's hang, hidden one call deep. The other thread
 * then waits for that one. A watchdog ends the program after 2 s.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "watchdog.h"

#include <stdint.h>
#include <stdio.h>

static pthread_mutex_t lock; /* NORMAL; guards value */
static int value;

/* A utility: log the value, under the lock. */
static void report(const char *who)
{
    PT(pthread_mutex_lock(&lock));
    log_info("%s: value is %d", who, value);
    PT(pthread_mutex_unlock(&lock));
}

static void *increment(void *arg)
{
    char who[16];

    snprintf(who, sizeof who, "Thread %d", (int)(intptr_t)arg);
    PT(pthread_mutex_lock(&lock));
    log_info("%s: has lock, adding one", who);
    value += 1;
    report(who); /* a second lock by the owner */
    log_info("%s: about to release lock", who);
    PT(pthread_mutex_unlock(&lock));
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t[2];

    cli_no_args(argc, argv);
    pt_mutex_init_type(&lock, PTHREAD_MUTEX_NORMAL);
    watchdog_start(2, "no progress for 2 s: a thread called report() while holding the lock "
                      "report() takes, and a plain mutex waits for its own owner. A deadlock; stopped.");
    report("Main");
    for (int i = 0; i < 2; i++)
        PT(pthread_create(&t[i], NULL, increment, (void *)(intptr_t)i));
    for (int i = 0; i < 2; i++)
        PT(pthread_join(t[i], NULL));
    report("Main");
    PT(pthread_mutex_destroy(&lock));
    return 0;
}
