/* parallel_map.c - exercise 3, the reference answer (see parallel_map.h). */
#include "parallel_map.h"

#include "pt.h"

#include <stdlib.h>

struct work {
    void *(*fn)(void *);
    void *const *args;
    void **results;
    size_t n;
    pthread_mutex_t lock;       /* guards next */
    size_t next;
};

static void *worker(void *arg)
{
    struct work *w = arg;

    for (;;) {
        PT(pthread_mutex_lock(&w->lock));
        size_t i = w->next;
        if (i < w->n)
            w->next++;
        PT(pthread_mutex_unlock(&w->lock));
        if (i >= w->n)
            return NULL;
        w->results[i] = w->fn(w->args[i]);
    }
}

void parallel_map(void *(*fn)(void *), void *const args[], void *results[],
                  size_t n, int max_workers)
{
    struct work w = { .fn = fn, .args = args, .results = results, .n = n };
    size_t nthreads = n < (size_t)max_workers ? n : (size_t)max_workers;
    pthread_t *threads = malloc((nthreads ? nthreads : 1) * sizeof *threads);

    if (threads == NULL)
        abort();
    PT(pthread_mutex_init(&w.lock, NULL));
    for (size_t t = 0; t < nthreads; t++)
        PT(pthread_create(&threads[t], NULL, worker, &w));
    for (size_t t = 0; t < nthreads; t++)
        PT(pthread_join(threads[t], NULL));
    PT(pthread_mutex_destroy(&w.lock));
    free(threads);
}
