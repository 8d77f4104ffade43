/* pt.c - the failure path of PT() and the one timed condition wait. */
#include "pt.h"

#include "fail.h"

#include <errno.h>
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

void pt_cond_init_monotonic(pthread_cond_t *cv)
{
    pthread_condattr_t attr;

    PT(pthread_condattr_init(&attr));
    PT(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC));
    PT(pthread_cond_init(cv, &attr));
    PT(pthread_condattr_destroy(&attr));
}

bool pt_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *m,
                        const struct timespec *deadline)
{
    if (deadline == NULL) {
        PT(pthread_cond_wait(cv, m));
        return true;
    }
    int rc = pthread_cond_timedwait(cv, m, deadline);
    if (rc == ETIMEDOUT)
        return false;
    if (rc != 0)
        pt_fail(__FILE__, __LINE__, "pthread_cond_timedwait(cv, m, deadline)", rc);
    return true;
}
