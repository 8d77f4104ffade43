/* rwlock.c, wrong: a writer takes itself off waiting_writers, lets the mutex go, then takes it again to set writing: in between a reader or a writer goes in beside it */
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
    PT(pthread_mutex_lock(&l->lock));
    while (l->writing || l->waiting_writers > 0)
        PT(pthread_cond_wait(&l->readers_ok, &l->lock));
    l->readers++;
    PT(pthread_mutex_unlock(&l->lock));
}

void rwlock_read_unlock(struct rwlock *l)
{
    PT(pthread_mutex_lock(&l->lock));
    l->readers--;
    if (l->readers == 0 && l->waiting_writers > 0)
        PT(pthread_cond_signal(&l->writer_ok));
    PT(pthread_mutex_unlock(&l->lock));
}

void rwlock_write_lock(struct rwlock *l)
{
    PT(pthread_mutex_lock(&l->lock));
    l->waiting_writers++;
    while (l->writing || l->readers > 0)
        PT(pthread_cond_wait(&l->writer_ok, &l->lock));
    l->waiting_writers--;
    PT(pthread_mutex_unlock(&l->lock));
    /* Its turn has come: now mark the lock as written. */
    PT(pthread_mutex_lock(&l->lock));
    l->writing = true;
    PT(pthread_mutex_unlock(&l->lock));
}

void rwlock_write_unlock(struct rwlock *l)
{
    PT(pthread_mutex_lock(&l->lock));
    l->writing = false;
    if (l->waiting_writers > 0)
        PT(pthread_cond_signal(&l->writer_ok));
    else
        PT(pthread_cond_broadcast(&l->readers_ok));
    PT(pthread_mutex_unlock(&l->lock));
}
