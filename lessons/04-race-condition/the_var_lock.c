/*
 * the_var_lock.c - the_var.c fixed with a mutex: a thread takes its number
 * and adds one to theVar in one locked step, then speaks with the lock
 * released. No two threads get the same number, none is lost: the twenty
 * threads say 1 to 20, in whatever order they run, and theVar ends at 21.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"

#define THREADS 20

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int the_var = 1;         /* guarded by lock */

static void *my_thread(void *unused)
{
    (void)unused;
    PT(pthread_mutex_lock(&lock));
    int mine = the_var;
    the_var = the_var + 1;
    PT(pthread_mutex_unlock(&lock));
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
    log_info("theVar is %d after %d threads", the_var, THREADS);  /* joined: no lock needed */
    return 0;
}
