/*
 * thread_ids.c - the article's aside on threading.get_ident(): every thread
 * has an id of its own, "usually neither short nor easily readable". C has
 * two:
 *   pthread_self()  the pthread_t that pthread_create() filled in: get_ident().
 *                   Opaque (an unsigned long with glibc, a pointer with musl
 *                   and on macOS): pthread_equal() compares two, and it
 *                   prints only as a cast.
 *   gettid()        Linux's kernel id of the thread, the LWP that ps -L and
 *                   top -H show: get_native_id(). The main thread's is the
 *                   process id. Where the C library lacks it (and with make
 *                   PORTABLE=1), pthread_self() is shown alone.
 * An id is unique only among threads alive together, so each thread waits
 * at a barrier until all three have shown theirs.
 */
#define _GNU_SOURCE             /* gettid(), where portable.h finds it */
#include "barrier.h"
#include "cli.h"
#include "log.h"
#include "portable.h"
#include "pt.h"

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#define THREADS 3

static barrier_t *all_shown;

static void show_ids(const char *who)
{
    uintmax_t self = (uintptr_t)pthread_self();    /* a cast: pthread_t has no format */
#ifdef HAVE_GETTID
    log_info("%s: pthread_self() is %#jx, gettid() is %ld", who, self, (long)gettid());
#else
    log_info("%s: pthread_self() is %#jx (no gettid() here)", who, self);
#endif
}

static void *thread_ids(void *arg)
{
    char who[16];

    snprintf(who, sizeof who, "Thread %d", (int)(intptr_t)arg);
    show_ids(who);
    barrier_wait(all_shown);    /* stay alive until every thread has shown its ids */
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t threads[THREADS];

    cli_no_args(argc, argv);
    all_shown = barrier_create(THREADS);
    log_info("Main    : getpid() is %ld", (long)getpid());
    show_ids("Main    ");
    for (int index = 0; index < THREADS; index++)
        PT(pthread_create(&threads[index], NULL, thread_ids, (void *)(intptr_t)index));
    for (int index = 0; index < THREADS; index++)
        PT(pthread_join(threads[index], NULL));
    barrier_destroy(all_shown);
    return 0;
}
