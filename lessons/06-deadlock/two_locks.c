/*
 * two_locks.c - the other classic deadlock: two threads take the same two
 * locks in opposite orders. Thread 1 holds A and waits for B; thread 2
 * holds B and waits for A. Neither can go on, so neither lets go.
 *
 * In real programs this needs unlucky timing: both threads between their
 * first and second lock at once. A barrier makes that moment certain here,
 * and a watchdog ends the program after 2 s. lock_order.c is the fix.
 */
#include "barrier.h"
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "watchdog.h"

struct worker {
    const char *name;
    pthread_mutex_t *first, *second;
    const char *first_name, *second_name;
};

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static barrier_t *both_hold_one;

static void *work(void *arg)
{
    const struct worker *w = arg;

    log_info("%s: locking %s", w->name, w->first_name);
    PT(pthread_mutex_lock(w->first));
    barrier_wait(both_hold_one);  /* the unlucky moment, every time */
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
        { "Thread 2", &lock_b, &lock_a, "B", "A" },  /* the opposite order */
    };
    pthread_t t[2];

    cli_no_args(argc, argv);
    both_hold_one = barrier_create(2);
    watchdog_start(2, "no progress for 2 s: Thread 1 holds A and waits for B, Thread 2 holds B "
                      "and waits for A. A deadlock; stopped.");
    for (int i = 0; i < 2; i++)
        PT(pthread_create(&t[i], NULL, work, (void *)&workers[i]));
    for (int i = 0; i < 2; i++)
        PT(pthread_join(t[i], NULL));
    log_info("Main: both threads done");
    barrier_destroy(both_hold_one);
    return 0;
}
