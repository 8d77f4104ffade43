/*
 * timer.c - a thread that waits for a deadline or a cancel, whichever first.
 *
 * DESIGN: `lock` guards `state`. The timer's thread waits on `cancelled`
 * (CLOCK_MONOTONIC) until the deadline passes or state leaves PENDING.
 * The decision to fire is taken under the lock: PENDING -> FIRED, then fn
 * runs with the lock released. timer_cancel() moves PENDING -> CANCELLED
 * under the same lock, so exactly one of the two transitions happens:
 * a successful cancel guarantees fn never runs.
 */
#include "timer.h"

#include "alloc.h"
#include "pt.h"
#include "timing.h"

#include <stdlib.h>

enum state { PENDING, FIRED, CANCELLED };

struct timer_thread {
    pthread_t id;
    pthread_mutex_t lock;
    pthread_cond_t cancelled;
    enum state state;
    struct timespec deadline;
    void (*fn)(void *);
    void *arg;
};

static void *run(void *arg)
{
    timer_thread_t *t = arg;

    PT(pthread_mutex_lock(&t->lock));
    while (t->state == PENDING)
        if (!pt_cond_wait_until(&t->cancelled, &t->lock, &t->deadline) && t->state == PENDING)
            t->state = FIRED;
    bool fire = t->state == FIRED;
    PT(pthread_mutex_unlock(&t->lock));
    if (fire)
        t->fn(t->arg);
    return NULL;
}

timer_thread_t *timer_start(double seconds, void (*fn)(void *), void *arg)
{
    timer_thread_t *t = alloc_zeroed(1, sizeof *t);
    t->state = PENDING;
    t->fn = fn;
    t->arg = arg;
    t->deadline = timing_deadline(seconds);
    PT(pthread_mutex_init(&t->lock, NULL));
    pt_cond_init_monotonic(&t->cancelled);
    PT(pthread_create(&t->id, NULL, run, t));
    return t;
}

bool timer_cancel(timer_thread_t *t)
{
    PT(pthread_mutex_lock(&t->lock));
    bool stopped = t->state == PENDING;
    if (stopped) {
        t->state = CANCELLED;
        PT(pthread_cond_signal(&t->cancelled));
    }
    PT(pthread_mutex_unlock(&t->lock));
    return stopped;
}

void timer_join(timer_thread_t *t)
{
    PT(pthread_join(t->id, NULL));
    PT(pthread_cond_destroy(&t->cancelled));
    PT(pthread_mutex_destroy(&t->lock));
    free(t);
}
