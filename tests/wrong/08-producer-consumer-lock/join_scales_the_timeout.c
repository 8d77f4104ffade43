/* watched.c, wrong: watched_join multiplies the timeout by timing_scale(): under WORKBOOK_TIME_SCALE=0.05 a 0.4 s join gives up after 0.02 s */
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
    pt_cond_init_monotonic(&t->finished_cv);
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
    struct timespec deadline = timing_deadline(timeout < 0 ? 0 : timeout * timing_scale());
    const struct timespec *d = timeout < 0 ? NULL : &deadline;
    bool finished;

    PT(pthread_mutex_lock(&t->lock));
    while (!t->finished)
        if (!pt_cond_wait_until(&t->finished_cv, &t->lock, d))
            break;
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
