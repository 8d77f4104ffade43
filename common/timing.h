/*
 * timing.h - the one sleep every demo uses, and monotonic time.
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

/* The CLOCK_MONOTONIC instant `seconds` from now, for pt_cond_wait_until(). */
struct timespec timing_deadline(double seconds);

#endif
