/*
 * return_values.c - getting a result back from a thread. Python's Thread
 * drops its target's return value, so the tutorials pass results through a
 * Queue. That works in C too (4, below), and C has three plainer ways,
 * shown first:
 *   1. the thread returns it, and pthread_join() hands it over;
 *   2. the thread writes it into a struct that outlives the thread;
 *   3. an executor's future (Python's executor.submit(f).result());
 *   4. the tutorial's way: the thread puts it on a queue, main gets it.
 */
#include "cli.h"
#include "executor.h"
#include "log.h"
#include "pt.h"
#include "queue.h"
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

/* 4. A queue the thread puts its result on (Python: q_out.put(func_result)). */
static void *puts_it(void *q_out)
{
    queue_put(q_out, (void *)(intptr_t)func());
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

    queue_t *func_result_queue = queue_create(0);      /* Queue(maxsize=0): no bound */
    PT(pthread_create(&thread, NULL, puts_it, func_result_queue));
    queue_get(func_result_queue, &value);              /* waits until the thread has put it */
    log_info("%d from queue", (int)(intptr_t)value);
    PT(pthread_join(thread, NULL));
    queue_destroy(func_result_queue);
    return 0;
}
