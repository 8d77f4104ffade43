/* runner.c, wrong: a daemon thread is created joinable and never detached or joined: "daemon" is only a flag in its record */
#include "runner.h"

#include "pt.h"

static void *run(void *arg)
{
    struct runner_thread *t = arg;

    t->fn(t->arg);
    atomic_store(&t->alive, false);     /* its last act: the record outlives it */
    return NULL;
}

void runner_init(runner_t *r)
{
    r->started = 0;
}

int runner_start(runner_t *r, void *(*fn)(void *), void *arg, bool daemon)
{
    int i = r->started++;
    struct runner_thread *t = &r->threads[i];
    pthread_attr_t attr;

    t->fn = fn;
    t->arg = arg;
    t->daemon = daemon;
    atomic_store(&t->alive, true);      /* before the thread exists: alive from the start */
    PT(pthread_attr_init(&attr));
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
}
