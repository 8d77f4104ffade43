/* parallel_map.c, wrong: each thread's struct is a local of the starting loop's body, which ends (and is reused) with each turn of the loop */
#include "parallel_map.h"

#include "pt.h"

#include <stdlib.h>

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

    for (size_t j = 0; j < k; j++) {
        struct share s = { fn, args, results, n, j, k };    /* a new one each time? */
        PT(pthread_create(&threads[j], NULL, worker, &s));
    }
    for (size_t j = 0; j < k; j++)
        PT(pthread_join(threads[j], NULL));
    free(threads);
}
