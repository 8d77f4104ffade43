/*
 * cbarrier.h - exercise 10, part 2: a reusable barrier from one mutex and
 * one condition variable, as common/barrier.c is (try before you read it).
 *
 * cbarrier_wait() holds each caller until `parties` threads have called it
 * in this round; then all of them go, and the barrier is ready for the next
 * round at once. Python's Barrier(3) is cbarrier_init(&b, 3). The hard part
 * is round two: a fast thread that leaves a round and calls again belongs to
 * the next round, and must neither let a slow thread of the last round out
 * early nor trap it there. So count rounds in `generation`, remember the one
 * you arrived in, and wait in a `while` loop while it is still the current
 * one. The tests wake waiters spuriously, as POSIX allows. Any number of
 * barriers may be in use at once, by different threads: each is on its own,
 * all its state in its struct.
 */
#ifndef CBARRIER_H
#define CBARRIER_H

#include <pthread.h>
#include <stdbool.h>

struct cbarrier {
    pthread_mutex_t lock;           /* guards the fields below */
    pthread_cond_t all_arrived;     /* broadcast when a round is full */
    unsigned parties;               /* threads per round */
    unsigned waiting;               /* arrived in this round so far */
    unsigned long generation;       /* rounds completed so far */
};

void cbarrier_init(struct cbarrier *b, unsigned parties);  /* parties >= 1 */
void cbarrier_destroy(struct cbarrier *b);                 /* no thread may be waiting */

/*
 * Wait until `parties` threads, this one included, have arrived in this
 * round, then return. The wait has no timeout: a party waits as long as the
 * others take. The last to arrive wakes every waiter of its round itself,
 * with one broadcast. More callers than parties go through `parties` at a
 * time, round after round, each round the next `parties` to arrive; a waiter
 * leaves once the round it arrived in is over, however many rounds have
 * ended since. Exactly one thread of each round gets true, the "serial"
 * thread (Python's wait() gives it index 0; pthread_barrier_wait returns
 * PTHREAD_BARRIER_SERIAL_THREAD): the last to arrive is the easy pick. With
 * parties = 1, each call is a whole round: it returns true at once.
 */
bool cbarrier_wait(struct cbarrier *b);

#endif
