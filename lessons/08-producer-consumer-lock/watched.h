/*
 * watched.h - exercise 8, part 2: a thread you can ask "are you still
 * running?" and wait for with a time limit, like Python's t.is_alive() and
 * t.join(timeout). POSIX has neither: pthread_timedjoin_np is a GNU
 * extension, not in POSIX (glibc, musl and FreeBSD have it; macOS, NetBSD
 * and OpenBSD do not), and no system has an is-alive call to go with it.
 * So the thread reports its own end:
 *
 *   watched_start() starts a thread that runs fn(arg), then, under `lock`,
 *   stores the result, sets `finished` and broadcasts `finished_cv`.
 *   watched_is_alive() is true from watched_start() until `finished`.
 *   watched_join() waits on `finished_cv` until `finished` or the timeout,
 *   and only when finished calls pthread_join() and hands back the result.
 *
 * Hints: the timed wait of this lesson's timed_wait.c, the one through
 * pt_cond_init_monotonic() and pt_cond_wait_until(): initialise
 * `finished_cv` so, take one deadline from timing_deadline(timeout), and
 * wait in a while loop, as that demo does. Set `finished = false` before
 * pthread_create(), or a quick is_alive() could see the old value.
 */
#ifndef WATCHED_H
#define WATCHED_H

#include <pthread.h>
#include <stdbool.h>

typedef struct watched {
    pthread_t id;
    void *(*fn)(void *);
    void *arg;
    pthread_mutex_t lock;       /* guards finished and result */
    pthread_cond_t finished_cv; /* broadcast when finished turns true */
    bool finished;
    void *result;
} watched_t;

/* Start a thread that runs fn(arg). */
void watched_start(watched_t *t, void *(*fn)(void *), void *arg);

/* True while fn is still running. */
bool watched_is_alive(watched_t *t);

/*
 * Wait at most timeout seconds for fn to return (0: do not wait at all; a
 * negative timeout: wait without limit). Returns true and stores fn's
 * result in *result (when result is not NULL) once the thread has finished
 * and been joined; its mutex and condition variable are destroyed then.
 * Returns false when the time ran out, after the whole timeout and not much
 * more: the thread still runs and you may call watched_join again. The
 * timeout is real seconds on CLOCK_MONOTONIC, the clock nobody sets:
 * WORKBOOK_TIME_SCALE does not shorten it, nor a wall clock set back
 * lengthen it. Whether the thread has finished is its `finished`, read
 * under the lock, whatever the wait returned: it may have finished just as
 * the time ran out, or before the call began.
 */
bool watched_join(watched_t *t, double timeout, void **result);

#endif
