/* parallel_map.c, wrong: keeps one pthread_t for every thread it starts, so it joins only the last one */
#include "parallel_map.h"

#include "pt.h"

struct shared {
    void *(*fn)(void *);
    void *const *args;
    void **results;
    size_t n;
    pthread_mutex_t lock;       /* guards next */
    size_t next;
};

static void *worker(void *arg)
{
    struct shared *sh = arg;

    for (;;) {
        PT(pthread_mutex_lock(&sh->lock));
        size_t i = sh->next;
        if (i < sh->n)
            sh->next++;
        PT(pthread_mutex_unlock(&sh->lock));
        if (i >= sh->n)
            break;
        sh->results[i] = sh->fn(sh->args[i]);
    }
    return NULL;
}

void parallel_map(void *(*fn)(void *), void *const args[], void *results[],
                  size_t n, int max_workers)
{
    struct shared sh = { .fn = fn, .args = args, .results = results, .n = n, .next = 0 };
    size_t count = n < (size_t)max_workers ? n : (size_t)max_workers;
    pthread_t thread;

    PT(pthread_mutex_init(&sh.lock, NULL));
    for (size_t t = 0; t < count; t++)
        PT(pthread_create(&thread, NULL, worker, &sh));
    if (count > 0)
        PT(pthread_join(thread, NULL));
    PT(pthread_mutex_destroy(&sh.lock));
}
