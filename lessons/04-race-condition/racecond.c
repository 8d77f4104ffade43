/*
 * racecond.c - the article's racecond.py: two threads each add one to a
 * shared value, and the value ends at 1.
 *
 * update() reads the shared value into a local copy, adds one, sleeps, and
 * writes the copy back: read, modify, write, with a 0.1 s gap that makes
 * the other thread's read land inside it every time. Both threads read 0,
 * both write 1. The value is a plain int shared without a lock: a data race,
 * which C leaves undefined and ThreadSanitizer reports (see the README).
 * Lesson 5 puts the lock in. LOG_LEVEL=debug logs each step with the value
 * it saw (the article's table of the race), TIMELINE=1 makes that a
 * picture (scripts/timeline.sh).
 */
#include "cli.h"
#include "executor.h"
#include "log.h"
#include "timing.h"

struct fake_database {
    int value;
};

/* One call of database.update(name): the executor passes one pointer. */
struct update_call {
    struct fake_database *database;
    int name;
};

static void *update(void *arg)
{
    struct update_call *call = arg;

    log_info("Thread %d: starting update", call->name);
    int local_copy = call->database->value;
    log_debug("Thread %d: read value %d", call->name, local_copy);
    local_copy += 1;
    log_debug("Thread %d: local_copy is %d", call->name, local_copy);
    timing_sleep(0.1);
    call->database->value = local_copy;
    log_debug("Thread %d: wrote value %d", call->name, local_copy);
    log_info("Thread %d: finishing update", call->name);
    return NULL;
}

int main(int argc, char **argv)
{
    struct fake_database database = { .value = 0 };
    struct update_call calls[2];

    cli_no_args(argc, argv);
    log_info("Testing unlocked update. Starting value is %d.", database.value);
    executor_t *executor = executor_create(2);
    for (int index = 0; index < 2; index++) {
        calls[index] = (struct update_call){ &database, index };
        executor_submit(executor, update, &calls[index]);
    }
    executor_destroy(executor);
    log_info("Testing unlocked update. Ending value is %d.", database.value);
    return 0;
}
