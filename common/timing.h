/*
 * timing.h - the one sleep every demo uses, monotonic time, and the one
 * rule every timeout in common/ follows.
 *
 * The article sleeps for seconds at a time so a reader can watch threads
 * take turns. Tests want the same programs in milliseconds. One knob,
 * the environment variable WORKBOOK_TIME_SCALE (default 1), multiplies
 * every timing_sleep(): WORKBOOK_TIME_SCALE=0.05 turns 2 s into 100 ms.
 */
#ifndef WORKBOOK_TIMING_H
#define WORKBOOK_TIMING_H

#include <time.h>

/* WORKBOOK_TIME_SCALE, read once; a bad value exits 2 with a message. */
double timing_scale(void);

/* The article's time.sleep(seconds), times timing_scale(). */
void timing_sleep(double seconds);

/* Sleep exactly this long, whatever the scale (for windows a test relies on). */
void timing_sleep_unscaled(double seconds);

/* Seconds on CLOCK_MONOTONIC, from an arbitrary origin: subtract two. */
double timing_now(void);

/*
 * Timeouts: one rule for every call in common/ that may wait. The plain
 * call waits without limit (queue_get, semaphore_acquire, event_wait); its
 * _timed twin takes a timeout in real seconds (timing_scale() does not
 * apply) and says when it ran out. timer_start's delay reads the same way.
 *
 *   0 or less     the deadline has passed: the call does not wait, and
 *                 succeeds only if it can at once (as Python's Event.wait
 *                 and Semaphore.acquire do; its Queue raises ValueError)
 *   too large     beyond what a struct timespec holds (1e100, INFINITY):
 *                 no deadline, the call waits without limit (Python raises
 *                 OverflowError)
 *   NaN           a bug in the caller: abort with a message
 *
 * timing_deadline() applies the rule, and every timed wait gets its
 * deadline from it: the CLOCK_MONOTONIC instant `seconds` from now, for
 * pt_cond_wait_until(). "No deadline" is the last instant a timespec
 * holds, one that never comes.
 */
struct timespec timing_deadline(double seconds);

#endif
