/* parallel_map.c, wrong: the threads and their structs are variable-length arrays of max_workers entries on the stack, so a large max_workers overflows the stack even for a few items */
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
    pthread_t threads[max_workers];
    struct share shares[max_workers];
    size_t k = n < (size_t)max_workers ? n : (size_t)max_workers;

    for (size_t j = 0; j < k; j++) {
        shares[j] = (struct share){ fn, args, results, n, j, k };
        PT(pthread_create(&threads[j], NULL, worker, &shares[j]));
    }
    for (size_t j = 0; j < k; j++)
        PT(pthread_join(threads[j], NULL));
}
