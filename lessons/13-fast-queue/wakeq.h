/*
 * wakeq.h - exercise 13: lesson 9's bounded queue, made to wake a thread
 * only when one sleeps (idea 3 of lib/fastqueue.c, with one mutex).
 *
 * The textbook queue signals after every put and every get, though most
 * of the time nobody waits. This one counts its sleepers, under `lock`:
 * `waiting_getters` is how many wakeq_get() calls are inside their wait
 * loop now, `waiting_putters` how many wakeq_put() calls. A put signals
 * not_empty only when waiting_getters > 0, a get signals not_full only
 * when waiting_putters > 0; with nobody asleep, no signal at all.
 *
 * The contract, which the tests check:
 * - FIFO: items come out in the order they went in; none lost, none twice.
 * - A put into a full queue sleeps in pthread_cond_wait on not_full until
 *   a get makes room (no polling, no spinning); a get from an empty queue
 *   sleeps on not_empty until a put stores an item.
 * - A sleeper counts itself, with the lock held, right before each wait
 *   (waiting_getters++), and takes itself off right after each wait
 *   returns (waiting_getters--): a wait may return with no signal sent
 *   (POSIX allows spurious wake-ups), so only the sleeper knows when it
 *   has stopped sleeping. While one get sleeps, waiting_getters is 1; when
 *   nobody sleeps, both counts are 0.
 * - A put or a get looks at the other side's count with the lock held,
 *   after its change to the ring, and signals (never broadcasts) the other
 *   side's condition only if that count is not 0. A count read before the
 *   lock is taken misses a thread that went to sleep in between.
 * - Wait in `while`, never `if`; a put waits on not_full, a get on
 *   not_empty (one condition variable for both sides would wake a thread
 *   of the wrong kind).
 */
#ifndef WAKEQ_H
#define WAKEQ_H

#include <pthread.h>
#include <stddef.h>

struct wakeq {
    pthread_mutex_t lock;       /* guards everything below */
    pthread_cond_t not_empty;   /* getters sleep on it */
    pthread_cond_t not_full;    /* putters sleep on it */
    int *items;                 /* capacity slots, a ring: the oldest at head */
    size_t capacity, head, count;
    int waiting_getters;        /* wakeq_get calls inside their wait loop */
    int waiting_putters;        /* wakeq_put calls inside their wait loop */
};

void wakeq_init(struct wakeq *q, size_t capacity);     /* capacity >= 1 */
void wakeq_destroy(struct wakeq *q);                   /* no thread may be using q */

/* Wait while the queue is full, then add item at the back. */
void wakeq_put(struct wakeq *q, int item);

/* Wait while the queue is empty, then take the item at the front. */
int wakeq_get(struct wakeq *q);

#endif
