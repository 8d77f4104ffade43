/* runner.c, wrong: runner_shutdown detaches every daemon, though each was created detached */
#include "runner.h"

#include "pt.h"

static void *run(void *arg)
{
    struct runner_thread *t = arg;

    t->fn(t->arg);
    atomic_store(&t->alive, false);
    return NULL;
}

void runner_init(runner_t *r)
{
    r->started = 0;
}

int runner_start(runner_t *r, void *(*fn)(void *), void *arg, bool daemon)
{
    int i = r->started;
    struct runner_thread *t = &r->threads[i];
    pthread_attr_t attr;

    t->fn = fn;
    t->arg = arg;
    t->daemon = daemon;
    atomic_store(&t->alive, true);
    r->started = i + 1;
    PT(pthread_attr_init(&attr));
    PT(pthread_attr_setdetachstate(&attr, daemon ? PTHREAD_CREATE_DETACHED
                                                 : PTHREAD_CREATE_JOINABLE));
    PT(pthread_create(&t->id, &attr, run, t));
    PT(pthread_attr_destroy(&attr));
    return i;
}

bool runner_is_alive(runner_t *r, int i)
{
    return atomic_load(&r->threads[i].alive);
}

void runner_shutdown(runner_t *r)
{
    for (int i = 0; i < r->started; i++)
        if (!r->threads[i].daemon)
            PT(pthread_join(r->threads[i].id, NULL));
        else
            pthread_detach(r->threads[i].id);   /* nobody waits for a daemon */
}
