/*
 * rwlock.h - exercise 15: a writer-preferring reader-writer lock, built
 * from one mutex and two condition variables (lesson 8's tools).
 *
 * Readers share the lock; a writer holds it alone. A writer that waits
 * keeps new readers out, so a stream of readers can never starve it (the
 * default pthread_rwlock_t of glibc lets them: starvation.c).
 *
 * The contract, which the tests check:
 * - Any number of readers hold the lock at once: rwlock_read_lock returns
 *   while other readers hold it, unless a writer holds it or waits for it.
 * - A writer holds it alone: rwlock_write_lock returns only when no reader
 *   and no writer holds it, and then nobody else gets in until
 *   rwlock_write_unlock.
 * - A waiting writer stops new readers: a rwlock_read_lock that comes while
 *   a writer waits waits too, and the writer goes in before it, as soon as
 *   the readers already inside have left.
 * - Each field below is changed and read only with `lock` held: `readers`
 *   is how many readers hold the lock now, `writing` whether a writer
 *   does, `waiting_writers` how many rwlock_write_lock calls are waiting
 *   now (counted from the moment the call has the mutex until it goes in).
 * - A blocked call sleeps in pthread_cond_wait, readers on `readers_ok`,
 *   writers on `writer_ok` (no polling, no spinning, no time limit), in a
 *   `while` loop: a wait may return with nothing changed.
 * - Nobody's wake-up is lost: the last reader out wakes a waiting writer;
 *   a writer that leaves wakes the next waiting writer if there is one,
 *   else every waiting reader (all of them may go in together).
 * - Everything a lock keeps is in its struct rwlock: two locks in use at
 *   once do not meet.
 */
#ifndef RWLOCK_H
#define RWLOCK_H

#include <pthread.h>
#include <stdbool.h>

struct rwlock {
    pthread_mutex_t lock;       /* guards everything below */
    pthread_cond_t readers_ok;  /* readers sleep on it */
    pthread_cond_t writer_ok;   /* writers sleep on it */
    int readers;                /* readers inside now */
    bool writing;               /* a writer inside now */
    int waiting_writers;        /* rwlock_write_lock calls waiting to go in */
};

void rwlock_init(struct rwlock *l);
void rwlock_destroy(struct rwlock *l);         /* nobody may hold or wait for l */

/* Wait while a writer holds l or waits for it, then go in as a reader. */
void rwlock_read_lock(struct rwlock *l);
/* Leave as a reader; the last one out wakes a waiting writer. */
void rwlock_read_unlock(struct rwlock *l);

/* Wait until nobody holds l, then go in alone. */
void rwlock_write_lock(struct rwlock *l);
/* Leave as the writer; wake the next writer, or else every waiting reader. */
void rwlock_write_unlock(struct rwlock *l);

#endif
