/* parallel_map.c, wrong: one struct for every thread, its first item set anew before each pthread_create, so the threads can all read the last one */
#include "parallel_map.h"

#include "pt.h"

#include <stdlib.h>

struct share {
    void *(*fn)(void *);
    void *const *args;
    void **results;
    size_t n;
    size_t first;       /* this thread's items: first, first + step, ... */
    size_t step;
};

static void *worker(void *arg)
{
    struct share *s = arg;

    for (size_t i = s->first; i < s->n; i += s->step)
        s->results[i] = s->fn(s->args[i]);
    return NULL;
}

void parallel_map(void *(*fn)(void *), void *const args[], void *results[],
                  size_t n, int max_workers)
{
    size_t k = n < (size_t)max_workers ? n : (size_t)max_workers;
    pthread_t *threads = malloc((k ? k : 1) * sizeof *threads);
    struct share share = { fn, args, results, n, 0, k };

    for (size_t j = 0; j < k; j++) {
        share.first = j;
        PT(pthread_create(&threads[j], NULL, worker, &share));
    }
    for (size_t j = 0; j < k; j++)
        PT(pthread_join(threads[j], NULL));
    free(threads);
}
