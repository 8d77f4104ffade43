/* parallel_map.c, wrong: k threads take chunks of n / k and the calling thread does the n % k left over while they run: k + 1 calls of fn at once, one on a thread parallel_map did not start */
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
    size_t k = n < (size_t)max_workers ? n : (size_t)max_workers;
    if (k == 0)
        return;
    size_t chunk = n / k;
    pthread_t *threads = malloc(k * sizeof *threads);
    struct share *shares = malloc(k * sizeof *shares);

    for (size_t j = 0; j < k; j++) {
        shares[j] = (struct share){ fn, args, results, j * chunk, (j + 1) * chunk };
        PT(pthread_create(&threads[j], NULL, worker, &shares[j]));
    }
    for (size_t i = k * chunk; i < n; i++)     /* the few left over: do them here */
        results[i] = fn(args[i]);
    for (size_t j = 0; j < k; j++)
        PT(pthread_join(threads[j], NULL));
    free(shares);
    free(threads);
}
