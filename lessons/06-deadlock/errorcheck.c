/*
 * errorcheck.c - deadlock.c with an ERRORCHECK mutex: the second lock does
 * not hang, it fails with EDEADLK, so the mistake shows up as an error.
 *
 * PT() would report it and abort, as it does for any misuse; here the
 * return code is read by hand to show it.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"

#include <errno.h>
#include <string.h>

int main(int argc, char **argv)
{
    pthread_mutex_t l;

    cli_no_args(argc, argv);
    pt_mutex_init_type(&l, PTHREAD_MUTEX_ERRORCHECK);

    log_info("before first acquire");
    PT(pthread_mutex_lock(&l));
    log_info("before second acquire");
    int rc = pthread_mutex_lock(&l);
    if (rc == EDEADLK)
        log_info("second acquire refused: %s (EDEADLK)", strerror(rc));
    else if (rc == 0)
        log_info("acquired lock twice");
    PT(pthread_mutex_unlock(&l));
    PT(pthread_mutex_destroy(&l));
    return 0;
}
