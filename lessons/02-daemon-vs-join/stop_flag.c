/*
 * stop_flag.c - the way Python stops a thread, and the better design in C
 * too: ask, and let the thread stop itself.
 *
 *   stop = threading.Event()
 *   def worker():
 *       while not stop.is_set():
 *           time.sleep(0.5)             # one step of the work
 *       # clean up, then return
 *
 * The thread reads the flag between steps, so it never stops halfway
 * through one, holding something; its clean-up is ordinary code on its way
 * out. The price: it stops only at the end of the step it is in.
 */
#include "alloc.h"
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "timing.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

static atomic_bool stop;        /* set by main, read by the thread between steps */

static void *worker(void *arg)
{
    char *buffer = alloc_zeroed(4096, 1);
    int steps = 0;

    (void)arg;
    log_info("Thread 1: starting");
    while (!atomic_load(&stop)) {
        timing_sleep(0.5);      /* one step of the work */
        steps++;
    }
    free(buffer);
    log_info("Thread 1: stop seen after %d steps: buffer freed, finishing", steps);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t x;

    cli_no_args(argc, argv);
    log_info("Main    : before creating thread");
    PT(pthread_create(&x, NULL, worker, NULL));
    timing_sleep(1.2);
    log_info("Main    : ask the thread to stop");
    atomic_store(&stop, true);
    PT(pthread_join(x, NULL));
    log_info("Main    : the thread returned");
    log_info("Main    : all done");
    return 0;
}
