/* parallel_map.c, wrong: keeps the threads and their shares in local arrays of 32, and writes past their end when max_workers and n are both above 32 */
#include "parallel_map.h"

#include "pt.h"

#define MAX_THREADS 32  /* plenty */

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
    pthread_t threads[MAX_THREADS];
    struct share shares[MAX_THREADS];

    for (size_t j = 0; j < k; j++) {
        shares[j] = (struct share){ fn, args, results, n, j, k };
        PT(pthread_create(&threads[j], NULL, worker, &shares[j]));
    }
    for (size_t j = 0; j < k; j++)
        PT(pthread_join(threads[j], NULL));
}
