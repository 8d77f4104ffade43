/*
 * event.h - Python's threading.Event: a flag threads can wait for.
 *
 * event_set() raises the flag and wakes every waiter; event_clear() lowers
 * it; event_wait() returns once the flag is up. A waiter that a set woke
 * returns even when a clear comes before it runs again, as in Python,
 * where every waiter that set() notified returns True.
 */
#ifndef WORKBOOK_EVENT_H
#define WORKBOOK_EVENT_H

#include <stdbool.h>

typedef struct event event_t;

event_t *event_create(void);            /* the flag starts down */
void event_destroy(event_t *e);         /* no thread may be waiting */

void event_set(event_t *e);
void event_clear(event_t *e);
bool event_is_set(event_t *e);

/* Block until the flag is up, or until a set while we waited. */
void event_wait(event_t *e);

/*
 * The same for at most `seconds`, by the timeout rule of timing.h (0 or
 * less: do not wait; INFINITY: no limit; NaN aborts). Returns true when
 * the flag was up or a set came: false means the time ran out.
 */
bool event_wait_timed(event_t *e, double seconds);

#endif
