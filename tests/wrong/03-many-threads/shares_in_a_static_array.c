/* parallel_map.c, wrong: keeps the threads' shares in a static array (so that it outlives them), which a second call running at the same time overwrites */
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

static struct share shares[1024];  /* outlives every thread */

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
    if (k == 0)
        return;
    pthread_t *threads = malloc(k * sizeof *threads);

    for (size_t j = 0; j < k; j++) {
        shares[j] = (struct share){ fn, args, results, n, j, k };
        PT(pthread_create(&threads[j], NULL, worker, &shares[j]));
    }
    for (size_t j = 0; j < k; j++)
        PT(pthread_join(threads[j], NULL));
    free(threads);
}
