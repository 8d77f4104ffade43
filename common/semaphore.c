/*
 * semaphore.c - a count, a mutex and a condition variable.
 *
 * DESIGN: `lock` guards `value` and `waiters`. `available` (CLOCK_MONOTONIC)
 * is signalled once per release, and only when a thread is waiting: one
 * permit wakes one waiter, which re-checks `value` in its loop. No
 * fairness is promised, as in Python: a thread arriving just after a
 * release may take the permit before the woken waiter does.
 */
#include "semaphore.h"

#include "alloc.h"
#include "fail.h"
#include "pt.h"
#include "timing.h"

#include <limits.h>
#include <stdlib.h>

struct semaphore {
    pthread_mutex_t lock;
    pthread_cond_t available;
    unsigned value;
    unsigned bound;         /* the most `value` may be: the start value, or UINT_MAX */
    bool bounded;           /* a release at `bound` is refused, not a bug */
    unsigned waiters;
};

static semaphore_t *create(unsigned value, bool bounded)
{
    semaphore_t *s = alloc_zeroed(1, sizeof *s);
    s->value = value;
    s->bound = bounded ? value : UINT_MAX;
    s->bounded = bounded;
    PT(pthread_mutex_init(&s->lock, NULL));
    pt_cond_init_monotonic(&s->available);
    return s;
}

semaphore_t *semaphore_create(unsigned value) { return create(value, false); }
semaphore_t *semaphore_create_bounded(unsigned value) { return create(value, true); }

void semaphore_destroy(semaphore_t *s)
{
    PT(pthread_cond_destroy(&s->available));
    PT(pthread_mutex_destroy(&s->lock));
    free(s);
}

/* The one acquire: block = false never waits; deadline NULL waits without limit. */
static bool acquire(semaphore_t *s, bool block, const struct timespec *deadline)
{
    PT(pthread_mutex_lock(&s->lock));
    bool woken = true;
    while (s->value == 0 && block && woken) {
        s->waiters++;
        woken = pt_cond_wait_until(&s->available, &s->lock, deadline);
        s->waiters--;
    }
    bool got = s->value > 0;
    if (got)
        s->value--;
    PT(pthread_mutex_unlock(&s->lock));
    return got;
}

void semaphore_acquire(semaphore_t *s) { acquire(s, true, NULL); }
bool semaphore_try_acquire(semaphore_t *s) { return acquire(s, false, NULL); }

bool semaphore_acquire_timed(semaphore_t *s, double timeout)
{
    struct timespec deadline = timing_deadline(timeout);
    return acquire(s, true, &deadline);
}

bool semaphore_release(semaphore_t *s)
{
    PT(pthread_mutex_lock(&s->lock));
    bool ok = s->value < s->bound;
    if (!ok && !s->bounded) {
        fail_misuse("semaphore_release: the count would pass UINT_MAX (%u)", UINT_MAX);
    }
    if (ok) {
        s->value++;
        if (s->waiters > 0)
            PT(pthread_cond_signal(&s->available));
    }
    PT(pthread_mutex_unlock(&s->lock));
    return ok;
}
