/* parallel_map.c, wrong: with a single item it calls fn on the calling thread and starts no thread */
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
    const struct share *s = arg;

    for (size_t i = s->first; i < s->n; i += s->step)
        s->results[i] = s->fn(s->args[i]);
    return NULL;
}

void parallel_map(void *(*fn)(void *), void *const args[], void *results[],
                  size_t n, int max_workers)
{
    if (n == 0)
        return;
    if (n == 1) {                       /* a thread for one item is a waste */
        results[0] = fn(args[0]);
        return;
    }
    size_t k = n < (size_t)max_workers ? n : (size_t)max_workers;
    pthread_t *threads = malloc(k * sizeof *threads);
    struct share *shares = malloc(k * sizeof *shares);

    for (size_t j = 0; j < k; j++) {
        shares[j] = (struct share){ fn, args, results, n, j, k };
        PT(pthread_create(&threads[j], NULL, worker, &shares[j]));
    }
    for (size_t j = 0; j < k; j++)
        PT(pthread_join(threads[j], NULL));
    free(shares);
    free(threads);
}
