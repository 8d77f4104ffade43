/* timing.c - scaled sleeps and CLOCK_MONOTONIC deadlines. */
#include "timing.h"

#include "fail.h"
#include "portable.h"
#include "pt.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* WORKBOOK_TIME_SCALE, read on first use. A plain mutex guards the cached
 * value (helgrind understands it, unlike pthread_once); the parse runs
 * outside it, because a bad value exits and exit must not hold our lock. */
static pthread_mutex_t scale_lock = PTHREAD_MUTEX_INITIALIZER;
static double scale = -1;

double timing_scale(void)
{
    PT(pthread_mutex_lock(&scale_lock));
    double s = scale;
    PT(pthread_mutex_unlock(&scale_lock));
    if (s >= 0)
        return s;
    s = env_number("WORKBOOK_TIME_SCALE", 1.0);
    PT(pthread_mutex_lock(&scale_lock));
    scale = s;
    PT(pthread_mutex_unlock(&scale_lock));
    return s;
}

/* CLOCK_MONOTONIC now: the clock every deadline of the workbook is on. */
static struct timespec now_monotonic(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
        fail_misuse("clock_gettime(CLOCK_MONOTONIC) failed: %s", strerror(errno));
    return now;
}

#ifndef HAVE_CLOCK_SELECTION
/* Seconds from now until deadline (negative: past). */
static double timing_until(const struct timespec *deadline)
{
    struct timespec now = now_monotonic();
    return (double)(deadline->tv_sec - now.tv_sec) + (double)(deadline->tv_nsec - now.tv_nsec) / 1e9;
}
#endif

void timing_sleep(double seconds)
{
    timing_sleep_unscaled(seconds * timing_scale());
}

void timing_sleep_unscaled(double seconds)
{
    if (!(seconds >= 0)) {
        fail_misuse("timing_sleep: negative or NaN duration %g", seconds);
    }
    struct timespec until = timing_deadline(seconds);
#ifdef HAVE_CLOCK_SELECTION
    int rc;
    /* An absolute deadline makes a signal-interrupted sleep resume, not restart. */
    while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL)) == EINTR)
        ;
    if (rc != 0)
        fail_misuse("timing_sleep: clock_nanosleep(CLOCK_MONOTONIC) failed: %s", strerror(rc));
#else
    /* nanosleep() measures a duration: sleep what is left until the deadline, again after a signal. */
    for (double left = seconds; left > 0; left = timing_until(&until)) {
        double whole = floor(left);
        struct timespec d = { .tv_sec = (time_t)whole, .tv_nsec = (long)((left - whole) * 1e9) };
        if (nanosleep(&d, NULL) != 0 && errno != EINTR)
            fail_misuse("timing_sleep: nanosleep failed: %s", strerror(errno));
    }
#endif
}


double timing_now(void)
{
    struct timespec now = now_monotonic();
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* The largest time_t (POSIX makes time_t a signed integer type). */
#define TIME_T_MAX ((time_t)(((uintmax_t)1 << (sizeof(time_t) * CHAR_BIT - 1)) - 1))

struct timespec timing_deadline(double seconds)
{
    struct timespec t;

    if (isnan(seconds)) {
        fail_misuse("timing_deadline: a timeout of NaN seconds; a timeout must be a number "
                    "(0 or less: do not wait, INFINITY: no limit)");
    }
    t = now_monotonic();
    if (seconds <= 0)
        return t;
    /* Below room, the whole seconds fit in tv_sec, and so does a carry from tv_nsec. */
    double room = (double)(TIME_T_MAX - t.tv_sec);
    if (seconds >= room)
        return (struct timespec){ .tv_sec = TIME_T_MAX, .tv_nsec = 999999999L };
    double whole = floor(seconds);
    t.tv_sec += (time_t)whole;
    t.tv_nsec += (long)((seconds - whole) * 1e9);
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec += 1;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}
