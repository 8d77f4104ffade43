/*
 * split_lock.c - the fix many C programmers prefer to a recursive mutex:
 * split the utility in two. report_locked() does the work and states that
 * its caller holds the lock; report() is the public one that takes it.
 * increment() holds the lock, so it calls report_locked(). A plain mutex
 * suffices, every lock has exactly one unlock, and each function says
 * which side of the lock it lives on.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"

#include <stdint.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* guards value */
static int value;

/* The caller holds lock. */
static void report_locked(const char *who)
{
    log_info("%s: value is %d", who, value);
}

static void report(const char *who)
{
    PT(pthread_mutex_lock(&lock));
    report_locked(who);
    PT(pthread_mutex_unlock(&lock));
}

static void *increment(void *arg)
{
    char who[16];

    snprintf(who, sizeof who, "Thread %d", (int)(intptr_t)arg);
    PT(pthread_mutex_lock(&lock));
    log_info("%s: has lock, adding one", who);
    value += 1;
    report_locked(who);
    log_info("%s: about to release lock", who);
    PT(pthread_mutex_unlock(&lock));
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t[2];

    cli_no_args(argc, argv);
    report("Main");
    for (int i = 0; i < 2; i++)
        PT(pthread_create(&t[i], NULL, increment, (void *)(intptr_t)i));
    for (int i = 0; i < 2; i++)
        PT(pthread_join(t[i], NULL));
    report("Main");
    return 0;
}
