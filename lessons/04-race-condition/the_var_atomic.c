/*
 * the_var_atomic.c - the_var.c fixed with C11 atomics: atomic_fetch_add()
 * reads theVar and adds one as a single indivisible step, and returns the
 * number it read. As with the mutex, the twenty threads say 1 to 20 and
 * theVar ends at 21, with no lock; this works for one counter, and a mutex
 * is still needed when several variables must change together.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"

#include <stdatomic.h>

#define THREADS 20

static atomic_int the_var = 1;

static void *my_thread(void *unused)
{
    (void)unused;
    int mine = atomic_fetch_add(&the_var, 1);
    log_info("This is thread %d speaking.", mine);
    log_info("Hello and good bye.");
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
    log_info("theVar is %d after %d threads", atomic_load(&the_var), THREADS);
    return 0;
}
