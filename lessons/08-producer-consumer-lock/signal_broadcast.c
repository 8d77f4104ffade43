/*
 * signal_broadcast.c - pthread_cond_signal wakes one waiter;
 * pthread_cond_broadcast wakes them all, and each looks again.
 *
 * Three waiters want 10, 20 and 30 bytes of a shared pool, and all wait on
 * one condition variable, `freed`, each for a different amount: a
 * "covering condition". Main frees 60 bytes, enough for all three, and
 * signals: one waiter wakes and takes its share, and two sleep on though
 * their bytes are there. Main broadcasts: the two wake, and each takes its
 * own share. (Which waiter the signal wakes is the system's choice.)
 */
#include "cli.h"
#include "log.h"
#include "pt.h"

#include <stdint.h>

#define WAITERS 3

static pthread_mutex_t lock;            /* guards free_bytes, asleep and served */
static pthread_cond_t freed;            /* free_bytes grew: every waiter's condition */
static pthread_cond_t progress;         /* asleep or served grew: main's condition */
static int free_bytes, asleep, served;

static void *waiter(void *arg)
{
    int want = (int)(intptr_t)arg;

    PT(pthread_mutex_lock(&lock));
    log_info("Waiter %d: wants %d bytes, %d are free: waits", want, want, free_bytes);
    asleep++;
    PT(pthread_cond_signal(&progress));
    while (free_bytes < want) {
        PT(pthread_cond_wait(&freed, &lock));
        log_info("Waiter %d: woke, %d bytes are free", want, free_bytes);
    }
    free_bytes -= want;
    asleep--;
    served++;
    log_info("Waiter %d: took %d bytes, %d are left", want, want, free_bytes);
    PT(pthread_cond_signal(&progress));
    PT(pthread_mutex_unlock(&lock));
    return NULL;
}

/* With lock held: sleep until this many waiters have been served. */
static void wait_served(int n)
{
    while (served < n)
        PT(pthread_cond_wait(&progress, &lock));
}

int main(int argc, char **argv)
{
    pthread_t t[WAITERS];

    cli_no_args(argc, argv);
    PT(pthread_mutex_init(&lock, NULL));
    PT(pthread_cond_init(&freed, NULL));
    PT(pthread_cond_init(&progress, NULL));
    for (int i = 0; i < WAITERS; i++)
        PT(pthread_create(&t[i], NULL, waiter, (void *)(intptr_t)(10 * (i + 1))));

    PT(pthread_mutex_lock(&lock));
    while (asleep < WAITERS)
        PT(pthread_cond_wait(&progress, &lock));
    free_bytes = 60;
    log_info("Main: freed 60 bytes, enough for all %d waiters; signals", WAITERS);
    PT(pthread_cond_signal(&freed));
    wait_served(1);
    log_info("Main: the signal woke 1 waiter; %d still sleep, with %d bytes free", asleep, free_bytes);
    log_info("Main: broadcasts");
    PT(pthread_cond_broadcast(&freed));
    wait_served(WAITERS);
    log_info("Main: %d of %d waiters served, %d bytes left", served, WAITERS, free_bytes);
    PT(pthread_mutex_unlock(&lock));

    for (int i = 0; i < WAITERS; i++)
        PT(pthread_join(t[i], NULL));
    PT(pthread_cond_destroy(&progress));
    PT(pthread_cond_destroy(&freed));
    PT(pthread_mutex_destroy(&lock));
    return 0;
}
