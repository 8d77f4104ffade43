/*
 * deadlock.c - the article's deadlock example: a thread asks for a lock it
 * already holds, and waits for itself forever.
 *
 * The mutex is PTHREAD_MUTEX_NORMAL, the type that promises exactly this
 * hang (the default type leaves it undefined). "acquired lock twice" never
 * appears; a watchdog ends the program after 2 s so you are not stuck too.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "watchdog.h"

int main(int argc, char **argv)
{
    pthread_mutex_t l;

    cli_no_args(argc, argv);
    pt_mutex_init_type(&l, PTHREAD_MUTEX_NORMAL);
    watchdog_start(2, "no progress for 2 s after 'before second acquire': main waits for "
                      "a lock that main itself holds. A deadlock; stopped.");

    log_info("before first acquire");
    PT(pthread_mutex_lock(&l));
    log_info("before second acquire");
    PT(pthread_mutex_lock(&l));
    log_info("acquired lock twice");
    return 0;
}
