/*
 * event.c - a flag, a mutex and a condition variable.
 *
 * DESIGN: `lock` guards `flag`. `changed` (CLOCK_MONOTONIC) is broadcast
 * when the flag goes up, so every waiter wakes; waiters re-check the flag
 * in a loop, so spurious wake-ups and a set-then-clear are both handled:
 * a waiter woken after a clear that follows the set sees the flag down and
 * waits on (as Python's Event does since 3.x: wait() reports the flag).
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

bool event_wait(event_t *e, double timeout)
{
    struct timespec deadline = timing_deadline(timeout < 0 ? 0 : timeout);

    PT(pthread_mutex_lock(&e->lock));
    while (!e->flag)
        if (!pt_cond_wait_until(&e->changed, &e->lock, timeout < 0 ? NULL : &deadline))
            break;
    bool flag = e->flag;
    PT(pthread_mutex_unlock(&e->lock));
    return flag;
}
