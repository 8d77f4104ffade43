/* rwlock.c, wrong: a reader waits with a deadline 1 s away, again and again, "in case a wake-up went astray" */
#include "rwlock.h"

#include "pt.h"
#include "timing.h"

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
    /* wake up once a second and look again, in case a wake-up went astray */
    struct timespec deadline = timing_deadline(1);
    while (l->writing || l->waiting_writers > 0)
        if (!pt_cond_wait_until(&l->readers_ok, &l->lock, &deadline))
            deadline = timing_deadline(1);
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
