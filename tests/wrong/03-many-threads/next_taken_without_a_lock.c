/* parallel_map.c, wrong: the workers read and advance the shared next index without a lock (a data race: ThreadSanitizer finds it) */
#include "parallel_map.h"

#include "pt.h"

#include <stdlib.h>

struct shared {
    void *(*fn)(void *);
    void *const *args;
    void **results;
    size_t n;
    size_t next;
};

static void *worker(void *arg)
{
    struct shared *sh = arg;

    for (;;) {
        size_t i = sh->next++;
        if (i >= sh->n)
            break;
        sh->results[i] = sh->fn(sh->args[i]);
    }
    return NULL;
}

void parallel_map(void *(*fn)(void *), void *const args[], void *results[],
                  size_t n, int max_workers)
{
    struct shared sh = { .fn = fn, .args = args, .results = results, .n = n, .next = 0 };
    size_t count = n < (size_t)max_workers ? n : (size_t)max_workers;
    pthread_t *threads = malloc(count * sizeof *threads);

    for (size_t t = 0; t < count; t++)
        PT(pthread_create(&threads[t], NULL, worker, &sh));
    for (size_t t = 0; t < count; t++)
        PT(pthread_join(threads[t], NULL));
    free(threads);
}
