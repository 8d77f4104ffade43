/*
 * semaphore.c - the article's use of a Semaphore: a pool of 3 database
 * connections shared by 8 threads. A thread takes a permit before it
 * connects and gives it back when done, so at most 3 are ever connected.
 * Each thread logs how many connections are in use once it has one.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "semaphore.h"
#include "timing.h"

#include <stdint.h>

#define CONNECTIONS 3
#define THREADS 8

static semaphore_t *pool;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static int in_use, most_in_use; /* guarded by count_lock */

static void *query(void *arg)
{
    int name = (int)(intptr_t)arg;

    log_info("Thread %d: waiting for a connection", name);
    semaphore_acquire(pool);
    /* Log under count_lock, so the lines come in the order the count changed. */
    PT(pthread_mutex_lock(&count_lock));
    if (++in_use > most_in_use)
        most_in_use = in_use;
    log_info("Thread %d: connected, %d of %d connections in use", name, in_use, CONNECTIONS);
    PT(pthread_mutex_unlock(&count_lock));

    timing_sleep(0.1 * (1 + name % 3)); /* pretend to query the database */

    PT(pthread_mutex_lock(&count_lock));
    in_use--;
    log_info("Thread %d: done, %d of %d connections in use", name, in_use, CONNECTIONS);
    PT(pthread_mutex_unlock(&count_lock));
    semaphore_release(pool);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t[THREADS];

    cli_no_args(argc, argv);
    pool = semaphore_create(CONNECTIONS);
    for (int i = 0; i < THREADS; i++)
        PT(pthread_create(&t[i], NULL, query, (void *)(intptr_t)i));
    for (int i = 0; i < THREADS; i++)
        PT(pthread_join(t[i], NULL));
    log_info("Main: %d threads shared %d connections; at most %d were in use at once", THREADS,
             CONNECTIONS, most_in_use);
    semaphore_destroy(pool);
    return 0;
}
