/* parallel_map.c, wrong: chunks of n / k rounded up, and only the last chunk's end cut back to n: 5 items on 4 threads give the third thread items 4 and 5, and args[5] is past the end */
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
    size_t chunk = (n + k - 1) / k;
    pthread_t *threads = malloc(k * sizeof *threads);
    struct share *shares = malloc(k * sizeof *shares);

    for (size_t j = 0; j < k; j++) {
        size_t start = j * chunk;
        size_t end = (j == k - 1) ? n : start + chunk;
        shares[j] = (struct share){ fn, args, results, start, end };
        PT(pthread_create(&threads[j], NULL, worker, &shares[j]));
    }
    for (size_t j = 0; j < k; j++)
        PT(pthread_join(threads[j], NULL));
    free(shares);
    free(threads);
}
