/*
 * return_values.c - getting a result back from a thread. Python's Thread
 * drops its target's return value, so the tutorials pass results through a
 * Queue. C has three plainer ways, shown here in turn:
 *   1. the thread returns it, and pthread_join() hands it over;
 *   2. the thread writes it into a struct that outlives the thread;
 *   3. an executor's future (Python's executor.submit(f).result()).
 * (A queue works too: lesson 9 builds one.)
 */
#include "cli.h"
#include "executor.h"
#include "log.h"
#include "pt.h"
#include "timing.h"

#include <stdint.h>

static int func(void)
{
    log_info("thread doing work...");
    timing_sleep(1);
    return 42;
}

/* 1. The return value, when it fits in a pointer. */
static void *returns_it(void *unused)
{
    (void)unused;
    return (void *)(intptr_t)func();
}

/* 2. A slot that main owns and reads only after the join. */
struct job {
    int result;
};

static void *stores_it(void *arg)
{
    struct job *job = arg;
    job->result = func();
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t thread;
    void *value;

    cli_no_args(argc, argv);
    PT(pthread_create(&thread, NULL, returns_it, NULL));
    PT(pthread_join(thread, &value));
    log_info("%d from pthread_join", (int)(intptr_t)value);

    struct job job = { 0 };
    PT(pthread_create(&thread, NULL, stores_it, &job));
    PT(pthread_join(thread, NULL));     /* the join is what makes job.result safe to read */
    log_info("%d from a struct", job.result);

    executor_t *executor = executor_create(1);
    future_t *future = executor_submit_future(executor, returns_it, NULL);
    log_info("%d from a future", (int)(intptr_t)future_result(future));
    executor_destroy(executor);
    return 0;
}
