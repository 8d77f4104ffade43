/*
 * timer.h - Python's threading.Timer: run fn(arg) on its own thread after
 * a delay, unless cancelled first.
 *
 *   t = Timer(30.0, f); t.start()      timer_thread_t *t = timer_start(30.0, f, NULL);
 *   t.cancel()                         timer_cancel(t);
 *   t.join()                           timer_join(t);
 *
 * (timer_create and timer_delete are POSIX's own, unrelated, calls.)
 * The delay is real seconds: multiply by timing_scale() for a demo's sleeps.
 * It follows the timeout rule of timing.h: 0 or less fires at once; a
 * delay too large to represent (1e100, INFINITY) never ends, so the timer
 * only waits for its cancel; NaN aborts.
 */
#ifndef WORKBOOK_TIMER_H
#define WORKBOOK_TIMER_H

#include <stdbool.h>

typedef struct timer_thread timer_thread_t;

/* Start the timer's thread; fn(arg) runs on it after `seconds`. */
timer_thread_t *timer_start(double seconds, void (*fn)(void *), void *arg);

/*
 * Cancel. Returns true when fn was stopped before it started: then it
 * never runs. Returns false when fn already started (it may still be
 * running) or the timer was already cancelled: nothing to do, and not an
 * error, as in Python.
 */
bool timer_cancel(timer_thread_t *t);

/* Wait for the timer's thread to end (fired and returned, or cancelled)
 * and free the timer. Call it exactly once per timer_start(). */
void timer_join(timer_thread_t *t);

#endif
