/* parallel_map.c - a student's answer for tests/student/run.sh: right, but with a count of the
 * items done that every worker bumps with no lock (a data race no test sees: only
 * ThreadSanitizer does, every run). */
#include "parallel_map.h"

#include "pt.h"

#include <stdlib.h>

/* One worker's share: every item from `first` on, `step` apart. */
struct share {
    void *(*fn)(void *);
    void *const *args;
    void **results;
    size_t n;
    size_t first;
    size_t step;
};

static size_t items_done;      /* how far the map got, for a debugger */

static void *worker(void *arg)
{
    const struct share *s = arg;

    for (size_t i = s->first; i < s->n; i += s->step) {
        s->results[i] = s->fn(s->args[i]);
        items_done++;
    }
    return NULL;
}

void parallel_map(void *(*fn)(void *), void *const args[], void *results[],
                  size_t n, int max_workers)
{
    size_t k = n < (size_t)max_workers ? n : (size_t)max_workers;

    if (k == 0)
        return;
    /* Both arrays outlive the threads: they are freed after the joins. */
    pthread_t *threads = malloc(k * sizeof *threads);
    struct share *shares = malloc(k * sizeof *shares);
    if (threads == NULL || shares == NULL)
        abort();
    for (size_t j = 0; j < k; j++) {
        shares[j] = (struct share){ fn, args, results, n, j, k };
        PT(pthread_create(&threads[j], NULL, worker, &shares[j]));
    }
    for (size_t j = 0; j < k; j++)
        PT(pthread_join(threads[j], NULL));
    free(shares);
    free(threads);
}
