/*
 * runner.h - exercise 2: Python's exit rule, in C. When a Python program
 * ends, the interpreter joins every thread that is not a daemon, then ends
 * the process, and the daemon threads die wherever they are. A runner_t
 * keeps that rule for the threads started through it:
 *
 *   runner_start()    starts fn(arg) on a new thread and returns its index:
 *                     0, 1, 2, ... in the order of the calls, on each runner.
 *                     A daemon thread is created detached (an attribute, as
 *                     lesson 1's thread_kinds.c does): nobody ever joins it.
 *                     A non-daemon thread is created joinable.
 *   runner_is_alive() true from the moment runner_start() is called until
 *                     fn has returned, even before the new thread has run
 *                     a single line (Python's t.is_alive()).
 *   runner_shutdown() joins every non-daemon thread, each exactly once, in
 *                     any order, and returns while daemon threads may still
 *                     run: the end of the process ends them.
 *
 * One thread, the runner's owner, makes every call on a runner; the threads
 * it starts make none. So the table needs no lock: the one thing another
 * thread writes is its own alive flag, and that is an atomic_bool. The
 * runner must outlive its daemon threads (they still use their record):
 * keep it until the process ends.
 *
 * Hints: is_alive.c in this lesson (a flag set before pthread_create and
 * cleared by the thread as its last act, so a start routine of your own
 * calls fn), and thread_kinds.c in lesson 1 (a detached thread; a struct
 * that outlives the thread as its argument, never a local variable).
 */
#ifndef RUNNER_H
#define RUNNER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#define RUNNER_CAPACITY 64      /* threads one runner can start */

struct runner_thread {
    pthread_t id;
    void *(*fn)(void *);
    void *arg;
    bool daemon;
    atomic_bool alive;          /* written by the thread itself too */
};

typedef struct runner {
    struct runner_thread threads[RUNNER_CAPACITY];
    int started;                /* threads[0 .. started - 1] are in use */
} runner_t;

/* An empty runner, whatever its memory held before (on the stack, from malloc). */
void runner_init(runner_t *r);

/* Start fn(arg) on a new thread; its index. At most RUNNER_CAPACITY a runner. */
int runner_start(runner_t *r, void *(*fn)(void *), void *arg, bool daemon);

/* Whether thread i's fn has not returned yet. */
bool runner_is_alive(runner_t *r, int i);

/* Join every non-daemon thread; leave the daemons running. Call it once, last. */
void runner_shutdown(runner_t *r);

#endif
