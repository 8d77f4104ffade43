/*
 * foreign_unlock.c - why prodcom_lock.c cannot use mutexes: a thread tries
 * to unlock a mutex that another thread locked, as the article's consumer
 * releases the producer's Lock.
 *
 * For an ERRORCHECK mutex POSIX says the unlock fails with EPERM; for the
 * default type it is undefined behaviour (glibc's default mutex lets it
 * through, silently: the bug stays hidden until it bites).
 */
#include "cli.h"
#include "log.h"
#include "pt.h"

#include <errno.h>
#include <string.h>

static pthread_mutex_t lock;

static void *unlock_it(void *unused)
{
    (void)unused;
    log_info("Consumer: about to release the producer's lock");
    int rc = pthread_mutex_unlock(&lock);
    if (rc == 0)
        log_info("Consumer: released it");
    else
        log_info("Consumer: release refused: %s (%s)", strerror(rc), rc == EPERM ? "EPERM" : "?");
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t consumer;

    cli_no_args(argc, argv);
    pt_mutex_init_type(&lock, PTHREAD_MUTEX_ERRORCHECK);
    PT(pthread_mutex_lock(&lock));
    log_info("Producer: has the lock");
    PT(pthread_create(&consumer, NULL, unlock_it, NULL));
    PT(pthread_join(consumer, NULL));
    PT(pthread_mutex_unlock(&lock)); /* the owner may */
    log_info("Producer: released the lock");
    PT(pthread_mutex_destroy(&lock));
    return 0;
}
