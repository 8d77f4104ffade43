/*
 * cancel_thread.c - what Python cannot do: stop one thread from another.
 *
 * The thread is Python's `while True: time.sleep(10)`: it never ends by
 * itself. main cancels it with pthread_cancel(). Cancellation is deferred
 * (the default): it acts only at a cancellation point, a call such as
 * sleep(), read() or pthread_join() where the thread may wait. The thread
 * dies there, its cleanup handler runs (it frees the thread's buffer), and
 * pthread_join() hands main PTHREAD_CANCELED. The process goes on.
 *
 * main cancels only once the thread's flag says it is on its way into the
 * sleep (is_alive.c's kind of flag): a cancel that comes sooner may act at
 * the thread's first cancellation point, the write() inside log_info(),
 * where log.c holds its lock (README, Try this 5).
 */
#include "alloc.h"
#include "cli.h"
#include "log.h"
#include "pt.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

static atomic_bool asleep;      /* set by the thread: no cancellation point from here to sleep() */

static void free_buffer(void *buffer)
{
    free(buffer);
    log_info("Thread 1: cleanup handler: buffer freed");
}

static void *thread_function(void *arg)
{
    char *buffer = alloc_zeroed(4096, 1);

    (void)arg;
    pthread_cleanup_push(free_buffer, buffer);
    log_info("Thread 1: starting");
    atomic_store(&asleep, true);
    for (;;)
        sleep(10);              /* a cancellation point; real seconds: it never wakes for good */
    log_info("Thread 1: finishing");            /* never */
    pthread_cleanup_pop(1);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t x;
    void *result;

    cli_no_args(argc, argv);
    log_info("Main    : before creating thread");
    PT(pthread_create(&x, NULL, thread_function, NULL));
    while (!atomic_load(&asleep))
        sched_yield();          /* let the thread run until its flag is up */
    log_info("Main    : cancel the thread");
    PT(pthread_cancel(x));
    PT(pthread_join(x, &result));
    log_info("Main    : the thread %s", result == PTHREAD_CANCELED ? "was cancelled" : "returned");
    log_info("Main    : all done");
    return 0;
}
