/* watched.c, wrong: watched_is_alive keeps a finished it has seen in a static, shared by every watched_t: once one thread has finished, every other one is reported dead */
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
    static bool seen_finished;          /* once finished, always finished */

    if (seen_finished)
        return false;
    PT(pthread_mutex_lock(&t->lock));
    seen_finished = t->finished;
    PT(pthread_mutex_unlock(&t->lock));
    return !seen_finished;
}

bool watched_join(watched_t *t, double timeout, void **result)
{
    struct timespec deadline = timing_deadline(timeout < 0 ? 0 : timeout);
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
