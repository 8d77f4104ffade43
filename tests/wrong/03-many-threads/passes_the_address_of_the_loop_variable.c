/* parallel_map.c, wrong: gives every thread &j, the loop variable, as its index, so a thread that runs late reads whatever j has become */
#include "parallel_map.h"

#include "pt.h"

#include <stdlib.h>

/* What every thread needs besides its index. */
static void *(*the_fn)(void *);
static void *const *the_args;
static void **the_results;
static size_t the_n, the_k;

static void *worker(void *arg)
{
    size_t j = *(size_t *)arg;

    for (size_t i = j; i < the_n; i += the_k)
        the_results[i] = the_fn(the_args[i]);
    return NULL;
}

void parallel_map(void *(*fn)(void *), void *const args[], void *results[],
                  size_t n, int max_workers)
{
    size_t k = n < (size_t)max_workers ? n : (size_t)max_workers;
    pthread_t *threads = malloc((k ? k : 1) * sizeof *threads);
    size_t j;

    the_fn = fn;
    the_args = args;
    the_results = results;
    the_n = n;
    the_k = k;
    for (j = 0; j < k; j++)
        PT(pthread_create(&threads[j], NULL, worker, &j));
    for (j = 0; j < k; j++)
        PT(pthread_join(threads[j], NULL));
    free(threads);
}
