/*
 * lock_order.c - two_locks.c fixed: one global order. Every thread that
 * needs both locks takes A before B, so no thread can hold B while waiting
 * for A, and the cycle of waits that is a deadlock cannot form.
 *
 * Each thread holds its first lock for 0.1 s, time enough for the other to
 * come and wait. (A barrier there, as two_locks.c has, would hang: the
 * second thread would wait for A and never reach it. Try it.)
 */
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "timing.h"

struct worker {
    const char *name;
    pthread_mutex_t *first, *second;
    const char *first_name, *second_name;
};

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;

static void *work(void *arg)
{
    const struct worker *w = arg;

    log_info("%s: locking %s", w->name, w->first_name);
    PT(pthread_mutex_lock(w->first));
    timing_sleep(0.1);
    log_info("%s: has %s, locking %s", w->name, w->first_name, w->second_name);
    PT(pthread_mutex_lock(w->second));
    log_info("%s: has %s and %s", w->name, w->first_name, w->second_name);
    PT(pthread_mutex_unlock(w->second));
    PT(pthread_mutex_unlock(w->first));
    return NULL;
}

int main(int argc, char **argv)
{
    const struct worker workers[2] = {
        { "Thread 1", &lock_a, &lock_b, "A", "B" },
        { "Thread 2", &lock_a, &lock_b, "A", "B" },  /* the same order: A, then B */
    };
    pthread_t t[2];

    cli_no_args(argc, argv);
    for (int i = 0; i < 2; i++)
        PT(pthread_create(&t[i], NULL, work, (void *)&workers[i]));
    for (int i = 0; i < 2; i++)
        PT(pthread_join(t[i], NULL));
    log_info("Main: both threads done");
    return 0;
}
