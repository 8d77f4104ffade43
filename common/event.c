/*
 * event.c - a flag, a count of sets, a mutex and a condition variable.
 *
 * DESIGN: `lock` guards `flag` and `sets`. event_set() raises the flag,
 * counts the set and broadcasts `changed` (CLOCK_MONOTONIC), so every
 * waiter wakes. A waiter notes `sets` when it starts and waits while the
 * flag is down and no set has come since. So a set ends the wait of
 * everyone waiting when it happened, even if a clear follows before a
 * woken waiter gets the lock back (it then sees the flag down but the
 * count moved); a spurious wake-up changes neither, and the waiter sleeps
 * again. Python's Event behaves the same: wait() returns True for every
 * waiter that set() notified.
 */
#include "event.h"

#include "alloc.h"
#include "pt.h"
#include "timing.h"

#include <stdlib.h>

struct event {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool flag;
    unsigned long sets;         /* how many event_set() calls so far */
};

event_t *event_create(void)
{
    event_t *e = alloc_zeroed(1, sizeof *e);
    PT(pthread_mutex_init(&e->lock, NULL));
    pt_cond_init_monotonic(&e->changed);
    return e;
}

void event_destroy(event_t *e)
{
    PT(pthread_cond_destroy(&e->changed));
    PT(pthread_mutex_destroy(&e->lock));
    free(e);
}

void event_set(event_t *e)
{
    PT(pthread_mutex_lock(&e->lock));
    e->flag = true;
    e->sets++;
    PT(pthread_cond_broadcast(&e->changed));
    PT(pthread_mutex_unlock(&e->lock));
}

void event_clear(event_t *e)
{
    PT(pthread_mutex_lock(&e->lock));
    e->flag = false;
    PT(pthread_mutex_unlock(&e->lock));
}

bool event_is_set(event_t *e)
{
    PT(pthread_mutex_lock(&e->lock));
    bool flag = e->flag;
    PT(pthread_mutex_unlock(&e->lock));
    return flag;
}

/* The one wait: deadline NULL waits without limit. True: the flag was up or a set came. */
static bool wait_until(event_t *e, const struct timespec *deadline)
{
    PT(pthread_mutex_lock(&e->lock));
    unsigned long sets = e->sets;
    bool in_time = true;
    while (!e->flag && e->sets == sets && in_time)
        in_time = pt_cond_wait_until(&e->changed, &e->lock, deadline);
    bool set = e->flag || e->sets != sets;
    PT(pthread_mutex_unlock(&e->lock));
    return set;
}

void event_wait(event_t *e)
{
    wait_until(e, NULL);
}

bool event_wait_timed(event_t *e, double seconds)
{
    struct timespec deadline = timing_deadline(seconds);
    return wait_until(e, &deadline);
}
