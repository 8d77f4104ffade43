/* watched.c, wrong: finished_cv from pthread_cond_init (CLOCK_REALTIME) and a deadline read from CLOCK_REALTIME to match: a wall clock set back an hour makes the join wait an hour more */
#include "watched.h"

#include "pt.h"
#include "timing.h"

static void *run(void *arg)
{
    watched_t *t = arg;
    void *result = t->fn(t->arg);

    PT(pthread_mutex_lock(&t->lock));
    t->result = result;
    t->finished = true;
    PT(pthread_cond_broadcast(&t->finished_cv));
    PT(pthread_mutex_unlock(&t->lock));
    return NULL;
}

void watched_start(watched_t *t, void *(*fn)(void *), void *arg)
{
    t->fn = fn;
    t->arg = arg;
    t->finished = false;
    t->result = NULL;
    PT(pthread_mutex_init(&t->lock, NULL));
    PT(pthread_cond_init(&t->finished_cv, NULL));
    PT(pthread_create(&t->id, NULL, run, t));
}

bool watched_is_alive(watched_t *t)
{
    bool finished;

    PT(pthread_mutex_lock(&t->lock));
    finished = t->finished;
    PT(pthread_mutex_unlock(&t->lock));
    return !finished;
}

bool watched_join(watched_t *t, double timeout, void **result)
{
    struct timespec deadline;
    bool finished;
    int rc = 0;

    clock_gettime(CLOCK_REALTIME, &deadline);
    if (timeout > 0) {
        deadline.tv_sec += (time_t)timeout;
        deadline.tv_nsec += (long)((timeout - (double)(time_t)timeout) * 1e9);
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec += 1;
            deadline.tv_nsec -= 1000000000L;
        }
    }
    PT(pthread_mutex_lock(&t->lock));
    while (!t->finished && rc == 0)
        rc = timeout < 0 ? pthread_cond_wait(&t->finished_cv, &t->lock)
                         : pthread_cond_timedwait(&t->finished_cv, &t->lock, &deadline);
    finished = t->finished;
    PT(pthread_mutex_unlock(&t->lock));
    if (!finished)
        return false;
    PT(pthread_join(t->id, NULL));
    if (result)
        *result = t->result;
    PT(pthread_cond_destroy(&t->finished_cv));
    PT(pthread_mutex_destroy(&t->lock));
    return true;
}
