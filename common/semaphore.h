/*
 * semaphore.h - Python's threading.Semaphore and BoundedSemaphore.
 *
 * A counter of permits: acquire takes one, waiting while there is none;
 * release gives one back and wakes one waiter. Built on a mutex and a
 * condition variable, so it works where unnamed POSIX semaphores do not
 * (sem_init fails on macOS). Timeouts are real seconds.
 */
#ifndef WORKBOOK_SEMAPHORE_H
#define WORKBOOK_SEMAPHORE_H

#include <stdbool.h>

typedef struct semaphore semaphore_t;

semaphore_t *semaphore_create(unsigned value);
/* A bounded semaphore refuses to rise above its initial value. */
semaphore_t *semaphore_create_bounded(unsigned value);
void semaphore_destroy(semaphore_t *s);     /* no thread may be waiting */

void semaphore_acquire(semaphore_t *s);
bool semaphore_try_acquire(semaphore_t *s);                 /* false: no permit now */
bool semaphore_acquire_timed(semaphore_t *s, double timeout); /* false: timed out */

/*
 * Give a permit back. Returns false, and changes nothing, when a bounded
 * semaphore is already at its initial value: a release without an
 * acquire, which Python reports as ValueError.
 */
bool semaphore_release(semaphore_t *s);

#endif
