/* rwlock.c - exercise 15 (see rwlock.h). Replace the TODOs. */
#include "rwlock.h"

#include "pt.h"

void rwlock_init(struct rwlock *l)
{
    PT(pthread_mutex_init(&l->lock, NULL));
    PT(pthread_cond_init(&l->readers_ok, NULL));
    PT(pthread_cond_init(&l->writer_ok, NULL));
    l->readers = 0;
    l->writing = false;
    l->waiting_writers = 0;
}

void rwlock_destroy(struct rwlock *l)
{
    PT(pthread_cond_destroy(&l->writer_ok));
    PT(pthread_cond_destroy(&l->readers_ok));
    PT(pthread_mutex_destroy(&l->lock));
}

void rwlock_read_lock(struct rwlock *l)
{
    /* TODO: lock; while a writer is inside or waits, wait on readers_ok;
     * count yourself in readers; unlock. */
    (void)l;
}

void rwlock_read_unlock(struct rwlock *l)
{
    /* TODO: lock; count yourself out; if you were the last reader and a
     * writer waits, wake it (writer_ok); unlock. */
    (void)l;
}

void rwlock_write_lock(struct rwlock *l)
{
    /* TODO: lock; count yourself in waiting_writers; while anyone is
     * inside, wait on writer_ok; count yourself out of waiting_writers and
     * mark the lock as written; unlock. */
    (void)l;
}

void rwlock_write_unlock(struct rwlock *l)
{
    /* TODO: lock; mark the lock as free; wake the next waiting writer if
     * there is one, else every waiting reader; unlock. */
    (void)l;
}
