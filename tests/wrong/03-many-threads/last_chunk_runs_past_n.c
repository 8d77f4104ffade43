/* parallel_map.c, wrong: chunks of n / k rounded up, but the last chunk's end is not cut back to n, so it calls fn past the last item */
#include "parallel_map.h"

#include "pt.h"

#include <stdlib.h>

struct chunk {
    void *(*fn)(void *);
    void *const *args;
    void **results;
    size_t from, to;    /* items from <= i < to */
};

static void *worker(void *arg)
{
    struct chunk *c = arg;

    for (size_t i = c->from; i < c->to; i++)
        c->results[i] = c->fn(c->args[i]);
    return NULL;
}

void parallel_map(void *(*fn)(void *), void *const args[], void *results[],
                  size_t n, int max_workers)
{
    size_t k = n < (size_t)max_workers ? n : (size_t)max_workers;
    if (k == 0)
        return;
    pthread_t *threads = malloc(k * sizeof *threads);
    struct chunk *chunks = malloc(k * sizeof *chunks);
    size_t size = (n + k - 1) / k;      /* rounded up, so no item is left over */

    for (size_t j = 0; j < k; j++) {
        chunks[j] = (struct chunk){ fn, args, results, j * size, (j + 1) * size };
        PT(pthread_create(&threads[j], NULL, worker, &chunks[j]));
    }
    for (size_t j = 0; j < k; j++)
        PT(pthread_join(threads[j], NULL));
    free(chunks);
    free(threads);
}
