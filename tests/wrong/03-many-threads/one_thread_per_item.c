/* parallel_map.c, wrong: starts one thread per item and ignores max_workers */
#include "parallel_map.h"

#include "pt.h"

#include <stdlib.h>

struct shared {
    void *(*fn)(void *);
    void *const *args;
    void **results;
    size_t n;
    pthread_mutex_t lock;       /* guards next */
    size_t next;
};

static void *worker(void *arg)
{
    struct shared *sh = arg;

    for (;;) {
        PT(pthread_mutex_lock(&sh->lock));
        size_t i = sh->next;
        if (i < sh->n)
            sh->next++;
        PT(pthread_mutex_unlock(&sh->lock));
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
    size_t count = n;
    (void)max_workers;
    pthread_t *threads = malloc(count * sizeof *threads);

    PT(pthread_mutex_init(&sh.lock, NULL));
    for (size_t t = 0; t < count; t++)
        PT(pthread_create(&threads[t], NULL, worker, &sh));
    for (size_t t = 0; t < count; t++)
        PT(pthread_join(threads[t], NULL));
    PT(pthread_mutex_destroy(&sh.lock));
    free(threads);
}
