/* parallel_map.c, wrong: the calling thread runs share 0 itself instead of waiting, so fn is called on a thread parallel_map did not start */
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
    size_t k = n < (size_t)max_workers ? n : (size_t)max_workers;
    if (k == 0)
        return;
    pthread_t *threads = malloc(k * sizeof *threads);
    struct share *shares = malloc(k * sizeof *shares);
    size_t first_thread = k == 1 ? 0 : 1;   /* main takes share 0 when others help */

    for (size_t j = 0; j < k; j++)
        shares[j] = (struct share){ fn, args, results, n, j, k };
    for (size_t j = first_thread; j < k; j++)
        PT(pthread_create(&threads[j], NULL, worker, &shares[j]));
    if (first_thread == 1)
        worker(&shares[0]);             /* no point idling in pthread_join */
    for (size_t j = first_thread; j < k; j++)
        PT(pthread_join(threads[j], NULL));
    free(shares);
    free(threads);
}
