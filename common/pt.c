/* pt.c - the failure path of PT() and the one timed condition wait. */
#include "pt.h"

#include "fail.h"
#include "portable.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pt_fail(const char *file, int line, const char *call, int rc)
{
    fail_misuse("%s:%d: %s failed: %s", file, line, call, strerror(rc));
}

void pt_mutex_init_type(pthread_mutex_t *m, int type)
{
    pthread_mutexattr_t attr;

    PT(pthread_mutexattr_init(&attr));
    PT(pthread_mutexattr_settype(&attr, type));
    PT(pthread_mutex_init(m, &attr));
    PT(pthread_mutexattr_destroy(&attr));
}

#ifdef HAVE_CLOCK_SELECTION
void pt_cond_init_monotonic(pthread_cond_t *cv)
{
    pthread_condattr_t attr;

    PT(pthread_condattr_init(&attr));
    PT(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC));
    PT(pthread_cond_init(cv, &attr));
    PT(pthread_condattr_destroy(&attr));
}

static int timed_wait(pthread_cond_t *cv, pthread_mutex_t *m, const struct timespec *deadline)
{
    return pthread_cond_timedwait(cv, m, deadline);
}
#else
/*
 * Without Clock Selection a condition variable waits on CLOCK_REALTIME, the
 * clock an administrator or NTP may set. Each wait converts the monotonic
 * deadline: now on CLOCK_REALTIME plus what is left on CLOCK_MONOTONIC.
 * A clock set forward during the wait ends it early, and pt_cond_wait_until
 * then reports a wake-up (its callers look again, and wait again); a clock
 * set back lengthens that one wait by as much. Neither can lose a signal.
 */
void pt_cond_init_monotonic(pthread_cond_t *cv)
{
    PT(pthread_cond_init(cv, NULL));
}

/* Seconds from now until a CLOCK_MONOTONIC deadline (negative: past). */
static double until(const struct timespec *deadline)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
        fail_misuse("clock_gettime(CLOCK_MONOTONIC) failed: %s", strerror(errno));
    return (double)(deadline->tv_sec - now.tv_sec) + (double)(deadline->tv_nsec - now.tv_nsec) / 1e9;
}

static int timed_wait(pthread_cond_t *cv, pthread_mutex_t *m, const struct timespec *deadline)
{
    double left = until(deadline);
    struct timespec at;

    if (left <= 0)
        return ETIMEDOUT;
    if (clock_gettime(CLOCK_REALTIME, &at) != 0)
        fail_misuse("clock_gettime(CLOCK_REALTIME) failed: %s", strerror(errno));
    if (left > 1e9)
        left = 1e9;             /* "no limit": about 31 years, then the caller waits again */
    double whole = floor(left);
    at.tv_sec += (time_t)whole;
    at.tv_nsec += (long)((left - whole) * 1e9);
    if (at.tv_nsec >= 1000000000L) {
        at.tv_sec += 1;
        at.tv_nsec -= 1000000000L;
    }
    int rc = pthread_cond_timedwait(cv, m, &at);
    return rc == ETIMEDOUT && until(deadline) > 0 ? 0 : rc;
}
#endif

bool pt_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *m,
                        const struct timespec *deadline)
{
    if (deadline == NULL) {
        PT(pthread_cond_wait(cv, m));
        return true;
    }
    int rc = timed_wait(cv, m, deadline);
    if (rc == ETIMEDOUT)
        return false;
    if (rc != 0)
        pt_fail(__FILE__, __LINE__, "pthread_cond_timedwait(cv, m, deadline)", rc);
    return true;
}
