/*
 * event.h - Python's threading.Event: a flag threads can wait for.
 *
 * event_set() raises the flag and wakes every waiter; event_clear() lowers
 * it; event_wait() returns as soon as the flag is up.
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

/*
 * Block until the flag is up or timeout seconds passed (a negative timeout
 * waits without limit). Returns whether the flag is up: false means the
 * time ran out. Timeouts are real seconds, not scaled.
 */
bool event_wait(event_t *e, double timeout);

#endif
