/* watched.c, wrong: watched_join polls is_alive with a short sleep instead of waiting on the condition variable */
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
    PT(pthread_mutex_lock(&t->lock));
    bool alive = !t->finished;
    PT(pthread_mutex_unlock(&t->lock));
    return alive;
}

bool watched_join(watched_t *t, double timeout, void **result)
{
    double give_up = timing_now() + timeout;

    while (watched_is_alive(t) && (timeout < 0 || timing_now() < give_up))
        timing_sleep_unscaled(0.001);
    bool finished = !watched_is_alive(t);
    if (!finished)
        return false;

    PT(pthread_join(t->id, NULL));
    PT(pthread_cond_destroy(&t->finished_cv));
    PT(pthread_mutex_destroy(&t->lock));
    if (result != NULL)
        *result = t->result;
    return true;
}
