/*
 * timed_wait.c - a condition wait with a deadline, Python's
 * cond.wait(timeout), on CLOCK_MONOTONIC, the clock nobody can set.
 *
 * First bare: a condition variable whose attribute names CLOCK_MONOTONIC,
 * a deadline from clock_gettime(CLOCK_MONOTONIC) plus 300 ms, and
 * pthread_cond_timedwait in a loop until `ready` or ETIMEDOUT. Then the
 * same through common/pt.h, as the rest of the workbook writes it:
 * timing_deadline(), pt_cond_init_monotonic(), pt_cond_wait_until(). Last,
 * a wait that a signal ends long before its deadline. Nothing sets `ready`
 * in the first two, so each ends at its deadline, never before.
 */
#include "cli.h"
#include "log.h"
#include "portable.h"
#include "pt.h"
#include "timing.h"

#include <errno.h>
#include <stdbool.h>

#ifdef HAVE_CLOCK_SELECTION
#define CV_CLOCK CLOCK_MONOTONIC
#else
#define CV_CLOCK CLOCK_REALTIME         /* no pthread_condattr_setclock (macOS): the default */
#endif

static pthread_mutex_t lock;            /* guards ready */
static bool ready;

static void bare(void)
{
    pthread_condattr_t attr;
    pthread_cond_t cv;
    struct timespec start, deadline, now;
    int rc = 0;

    PT(pthread_condattr_init(&attr));
#ifdef HAVE_CLOCK_SELECTION
    PT(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC));
#endif
    PT(pthread_cond_init(&cv, &attr));
    PT(pthread_condattr_destroy(&attr));

    clock_gettime(CV_CLOCK, &start);
    deadline = start;                   /* an absolute time: 300 ms from now */
    deadline.tv_nsec += 300 * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000L;
    }
    PT(pthread_mutex_lock(&lock));
    log_info("Waiter: pthread_cond_timedwait for ready, deadline in 300 ms");
    while (!ready && rc == 0)           /* an early wake-up waits again, to the same deadline */
        rc = pthread_cond_timedwait(&cv, &lock, &deadline);
    if (rc != 0 && rc != ETIMEDOUT)
        pt_fail(__FILE__, __LINE__, "pthread_cond_timedwait(&cv, &lock, &deadline)", rc);
    clock_gettime(CV_CLOCK, &now);
    log_info("Waiter: %s after %.1f ms", rc == ETIMEDOUT ? "ETIMEDOUT" : "ready",
             (double)(now.tv_sec - start.tv_sec) * 1e3 + (double)(now.tv_nsec - start.tv_nsec) / 1e6);
    PT(pthread_mutex_unlock(&lock));
    PT(pthread_cond_destroy(&cv));
}

static pthread_cond_t changed;          /* ready became true */

static void *signaller(void *unused)
{
    (void)unused;
    PT(pthread_mutex_lock(&lock));
    ready = true;
    log_info("Signaller: set ready and signals");
    PT(pthread_cond_signal(&changed));
    PT(pthread_mutex_unlock(&lock));
    return NULL;
}

/* Wait for ready at most `seconds` through common/; start a signaller first if asked. */
static void wait_for_ready(double seconds, bool signal)
{
    pthread_t t;
    double start = timing_now();
    struct timespec deadline = timing_deadline(seconds);
    bool in_time = true;

    PT(pthread_mutex_lock(&lock));
    if (signal)                         /* it gets the mutex once our wait lets go of it */
        PT(pthread_create(&t, NULL, signaller, NULL));
    log_info("Waiter: pt_cond_wait_until for ready, deadline in %g ms", seconds * 1e3);
    while (!ready && in_time)
        in_time = pt_cond_wait_until(&changed, &lock, &deadline);
    log_info("Waiter: %s after %.1f ms", in_time ? "ready" : "timed out", (timing_now() - start) * 1e3);
    PT(pthread_mutex_unlock(&lock));
    if (signal)
        PT(pthread_join(t, NULL));
}

int main(int argc, char **argv)
{
    cli_no_args(argc, argv);
    PT(pthread_mutex_init(&lock, NULL));
    bare();
    pt_cond_init_monotonic(&changed);
    wait_for_ready(0.3, false);
    wait_for_ready(10, true);
    PT(pthread_cond_destroy(&changed));
    PT(pthread_mutex_destroy(&lock));
    return 0;
}
