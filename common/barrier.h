/*
 * barrier.h - Python's threading.Barrier: parties threads wait for each
 * other. No thread leaves a round before all `parties` have arrived; then
 * all leave together, and the barrier is ready for the next round.
 * Built on a mutex and a condition variable (macOS has no pthread_barrier_t).
 *
 * Smaller than Python's on purpose: no timeout, no action, no abort(),
 * reset() or broken state (so no BrokenBarrierError), no n_waiting. A round
 * waits for all its parties without limit: a party that never comes keeps
 * the others waiting, where Python's timeout would break the barrier.
 */
#ifndef WORKBOOK_BARRIER_H
#define WORKBOOK_BARRIER_H

typedef struct barrier barrier_t;

barrier_t *barrier_create(unsigned parties);   /* parties >= 1; 0 aborts */
void barrier_destroy(barrier_t *b);            /* no thread may be waiting */

/*
 * Wait for the round to fill. Returns the caller's arrival index in this
 * round, 0 to parties - 1, as Python's wait() does: exactly one thread per
 * round gets 0, so `if (barrier_wait(b) == 0)` picks one thread to do a
 * round's single chore (pthread_barrier_wait's PTHREAD_BARRIER_SERIAL_THREAD).
 */
unsigned barrier_wait(barrier_t *b);

#endif
