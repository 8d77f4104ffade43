/*
 * the_var.c - the older tutorial's twenty "Thread subclass" threads: each
 * says the shared theVar's number, says good bye, and adds one to theVar.
 *
 * No lock: each thread reads the_var to print it, and later reads it again
 * and writes it plus one. Twenty threads do that to one plain int, a data
 * race (ThreadSanitizer reports it; lesson 4's README says what C makes of
 * it). Two threads may speak the same number, and an update may be lost;
 * whether either happens on a given run is luck. the_var_lock.c and
 * the_var_atomic.c are the fixes. Python waits for its threads at exit;
 * here main joins them, then says where theVar ended.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"

#define THREADS 20

static int the_var = 1;         /* shared by every thread, unguarded: the bug */

static void *my_thread(void *unused)
{
    (void)unused;
    log_info("This is thread %d speaking.", the_var);
    log_info("Hello and good bye.");
    the_var = the_var + 1;
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t threads[THREADS];

    cli_no_args(argc, argv);
    for (int x = 0; x < THREADS; x++)
        PT(pthread_create(&threads[x], NULL, my_thread, NULL));
    for (int x = 0; x < THREADS; x++)
        PT(pthread_join(threads[x], NULL));
    log_info("theVar is %d after %d threads", the_var, THREADS);
    return 0;
}
