/* parallel_map.c, wrong: one struct for every thread, filled anew before each pthread_create, with a short sleep after it so that the thread can copy it first: a thread that has not run yet by then reads a later share */
#include "parallel_map.h"

#include "pt.h"

#include <stdlib.h>

#include <unistd.h>

struct share {
    void *(*fn)(void *);
    void *const *args;
    void **results;
    size_t n;
    size_t first;
    size_t step;
};

static void *worker(void *arg)
{
    const struct share *s = arg;

    for (size_t i = s->first; i < s->n; i += s->step)
        s->results[i] = s->fn(s->args[i]);
    return NULL;
}

void parallel_map(void *(*fn)(void *), void *const args[], void *results[],
                  size_t n, int max_workers)
{
    size_t k = n < (size_t)max_workers ? n : (size_t)max_workers;
    if (k == 0)
        return;
    pthread_t *threads = malloc(k * sizeof *threads);
    struct share share = { fn, args, results, n, 0, k };

    for (size_t j = 0; j < k; j++) {
        share.first = j;
        PT(pthread_create(&threads[j], NULL, worker, &share));
        usleep(10000);                  /* give the thread time to start */
    }
    for (size_t j = 0; j < k; j++)
        PT(pthread_join(threads[j], NULL));
    free(threads);
}
