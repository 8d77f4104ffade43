/* parallel_map.c, wrong: chunks of n / max_workers items rounded up, one thread each: 5 items for 4 workers make chunks of 2, so only 3 threads start and only 3 calls of fn run together */
#include "parallel_map.h"

#include "pt.h"

#include <stdlib.h>

struct share {
    void *(*fn)(void *);
    void *const *args;
    void **results;
    size_t start, end;
};

static void *worker(void *arg)
{
    const struct share *s = arg;

    for (size_t i = s->start; i < s->end; i++)
        s->results[i] = s->fn(s->args[i]);
    return NULL;
}

void parallel_map(void *(*fn)(void *), void *const args[], void *results[],
                  size_t n, int max_workers)
{
    if (n == 0)
        return;
    size_t chunk = (n + (size_t)max_workers - 1) / (size_t)max_workers;
    size_t k = (n + chunk - 1) / chunk;         /* number of chunks */
    pthread_t *threads = malloc(k * sizeof *threads);
    struct share *shares = malloc(k * sizeof *shares);

    for (size_t j = 0; j < k; j++) {
        size_t start = j * chunk;
        size_t end = start + chunk < n ? start + chunk : n;
        shares[j] = (struct share){ fn, args, results, start, end };
        PT(pthread_create(&threads[j], NULL, worker, &shares[j]));
    }
    for (size_t j = 0; j < k; j++)
        PT(pthread_join(threads[j], NULL));
    free(shares);
    free(threads);
}
