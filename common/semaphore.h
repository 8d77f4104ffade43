/*
 * semaphore.h - Python's threading.Semaphore and BoundedSemaphore.
 *
 * A counter of permits: acquire takes one, waiting while there is none;
 * release gives one back and wakes one waiter. Built on a mutex and a
 * condition variable, so it works where unnamed POSIX semaphores do not
 * (sem_init fails on macOS). Timeouts follow the rule of timing.h.
 * Python's release(n) is n calls of semaphore_release().
 */
#ifndef WORKBOOK_SEMAPHORE_H
#define WORKBOOK_SEMAPHORE_H

#include <stdbool.h>

typedef struct semaphore semaphore_t;

semaphore_t *semaphore_create(unsigned value);
/* A bounded semaphore refuses to rise above its initial value (a bounded
 * semaphore of 0 refuses every release, as Python's does). */
semaphore_t *semaphore_create_bounded(unsigned value);
void semaphore_destroy(semaphore_t *s);     /* no thread may be waiting */

void semaphore_acquire(semaphore_t *s);
bool semaphore_try_acquire(semaphore_t *s);                 /* false: no permit now */
bool semaphore_acquire_timed(semaphore_t *s, double timeout); /* false: timed out */

/*
 * Give a permit back. Returns false, and changes nothing, when a bounded
 * semaphore is already at its initial value: a release without an
 * acquire, which Python reports as ValueError. An unbounded semaphore may
 * rise above its initial value, up to UINT_MAX; a release past that aborts.
 */
bool semaphore_release(semaphore_t *s);

#endif
