/*
 * barrier.c - the article's Barrier: threads that initialise at different
 * speeds wait for each other, so none starts its real work before every
 * one of them is ready.
 */
#include "barrier.h"
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "timing.h"

#include <stdint.h>

#define THREADS 4

static barrier_t *all_ready;

static void *worker(void *arg)
{
    int name = (int)(intptr_t)arg;
    double init = 0.2 * (THREADS - name); /* thread 0 is the slowest */

    log_info("Thread %d: initialising (%.1f s)", name, init);
    timing_sleep(init);
    log_info("Thread %d: ready, waiting at the barrier", name);
    barrier_wait(all_ready);
    log_info("Thread %d: starting", name);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t[THREADS];

    cli_no_args(argc, argv);
    all_ready = barrier_create(THREADS);
    for (int i = 0; i < THREADS; i++)
        PT(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i));
    for (int i = 0; i < THREADS; i++)
        PT(pthread_join(t[i], NULL));
    barrier_destroy(all_ready);
    return 0;
}
