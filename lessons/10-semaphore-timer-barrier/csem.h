/*
 * csem.h - exercise 10, part 1: a counting semaphore from one mutex and one
 * condition variable, as common/semaphore.c is (try before you read it).
 *
 * The semaphore holds `value` permits. csem_acquire() waits while there
 * are none, then takes one; csem_release() gives one back and wakes one
 * waiter. Python's Semaphore(3) is csem_init(&s, 3). Wait in a `while`
 * loop on the condition variable: a wake-up means "look again", and
 * another thread may have taken the permit first. Look at value and change
 * it only under the lock, in one hold of it, and signal once value has gone
 * up: the tests wake waiters spuriously, as POSIX allows, and run other
 * calls at the moments between your locks. Any number of semaphores may be
 * in use at once, by different threads: each is on its own, all its state in
 * its struct.
 */
#ifndef CSEM_H
#define CSEM_H

#include <pthread.h>
#include <stdbool.h>

struct csem {
    pthread_mutex_t lock;       /* guards value */
    pthread_cond_t available;   /* signalled when value goes up */
    unsigned value;             /* permits left */
};

void csem_init(struct csem *s, unsigned value);
void csem_destroy(struct csem *s);          /* no thread may be waiting */

/* Wait until a permit is free, then take it. The wait has no timeout: it
 * lasts as long as the permits are out. */
void csem_acquire(struct csem *s);

/* Take a permit if one is free now: true; else change nothing: false. */
bool csem_try_acquire(struct csem *s);

/* Give a permit back and wake one waiter. */
void csem_release(struct csem *s);

#endif
