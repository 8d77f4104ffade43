/*
 * rlock.c - the design problem RLock solves: report() takes the lock, and
 * is called both by main, holding nothing, and by increment(), which
 * already holds the lock.
 *
 * The mutex is RECURSIVE, Python's RLock: its owner may lock it again,
 * and it is free only when the owner has unlocked it as many times as it
 * locked it. Inside report() called from increment(), the lock is held
 * twice; it is released twice. relock.c is this program with a plain
 * mutex; split_lock.c is the fix many C programmers prefer.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"

#include <stdint.h>
#include <stdio.h>

static pthread_mutex_t lock; /* RECURSIVE; guards value */
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
    pt_mutex_init_type(&lock, PTHREAD_MUTEX_RECURSIVE);
    report("Main");
    for (int i = 0; i < 2; i++)
        PT(pthread_create(&t[i], NULL, increment, (void *)(intptr_t)i));
    for (int i = 0; i < 2; i++)
        PT(pthread_join(t[i], NULL));
    report("Main");
    PT(pthread_mutex_destroy(&lock));
    return 0;
}
