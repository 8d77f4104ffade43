/*
 * fixrace.c - the article's fixrace.py: racecond.c with a lock held across
 * the whole read, modify, sleep and write, so the value ends at 2.
 *
 * Python's `with self._lock:` becomes a lock and an unlock around the
 * block. C has no `with`: every path out of the block must unlock, so
 * keep the block free of early returns. LOG_LEVEL=debug shows the lock
 * changing hands.
 */
#include "cli.h"
#include "executor.h"
#include "log.h"
#include "pt.h"
#include "timing.h"

struct fake_database {
    int value;
    pthread_mutex_t lock; /* guards value */
};

struct update_call {
    struct fake_database *database;
    int name;
};

static void *locked_update(void *arg)
{
    struct update_call *call = arg;
    struct fake_database *database = call->database;

    log_info("Thread %d: starting update", call->name);
    log_debug("Thread %d about to lock", call->name);
    PT(pthread_mutex_lock(&database->lock));
    log_debug("Thread %d has lock", call->name);
    int local_copy = database->value;
    local_copy += 1;
    timing_sleep(0.1);
    database->value = local_copy;
    log_debug("Thread %d about to release lock", call->name);
    PT(pthread_mutex_unlock(&database->lock));
    log_debug("Thread %d after release", call->name);
    log_info("Thread %d: finishing update", call->name);
    return NULL;
}

int main(int argc, char **argv)
{
    struct fake_database database = { .value = 0 };
    struct update_call calls[2];

    cli_no_args(argc, argv);
    PT(pthread_mutex_init(&database.lock, NULL));
    log_info("Testing locked update. Starting value is %d.", database.value);
    executor_t *executor = executor_create(2);
    for (int index = 0; index < 2; index++) {
        calls[index] = (struct update_call){ &database, index };
        executor_submit(executor, locked_update, &calls[index]);
    }
    executor_destroy(executor);
    log_info("Testing locked update. Ending value is %d.", database.value);
    PT(pthread_mutex_destroy(&database.lock));
    return 0;
}
