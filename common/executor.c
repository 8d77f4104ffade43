/*
 * executor.c - a fixed pool of workers fed by one FIFO of tasks.
 *
 * DESIGN: one mutex, ex->lock, guards the task list, the counters and each
 * future's `done` and `result`. Two condition variables, one per condition:
 *   work_ready: the list is non-empty or shutdown began (workers wait on it;
 *               submit signals it only when a worker is idle, as libuv does);
 *   task_done:  some future completed (future_result() waits on it; a worker
 *               broadcasts only when someone is waiting).
 * Tasks run with the lock released. A task without a future is freed by the
 * worker that ran it; one with a future is freed by future_result().
 * Shutdown sets a flag; workers drain the list before they exit, so every
 * task submitted before executor_destroy() runs.
 */
#include "executor.h"

#include "alloc.h"
#include "fail.h"
#include "pt.h"

#include <stdbool.h>
#include <stdlib.h>

struct future {
    executor_fn fn;
    void *arg;
    void *result;
    bool has_future;
    bool done;
    executor_t *ex;
    struct future *next;
};

struct executor {
    pthread_mutex_t lock;
    pthread_cond_t work_ready;
    pthread_cond_t task_done;
    struct future *head, *tail;     /* tasks not yet started, FIFO */
    int idle;                       /* workers waiting on work_ready */
    int waiting;                    /* callers waiting on task_done */
    bool shutdown;
    int nworkers;
    pthread_t *workers;
};

static void *worker(void *arg)
{
    executor_t *ex = arg;

    PT(pthread_mutex_lock(&ex->lock));
    for (;;) {
        while (ex->head == NULL && !ex->shutdown) {
            ex->idle++;
            PT(pthread_cond_wait(&ex->work_ready, &ex->lock));
            ex->idle--;
        }
        struct future *task = ex->head;
        if (task == NULL)
            break;                  /* shut down and drained */
        ex->head = task->next;
        if (ex->head == NULL)
            ex->tail = NULL;
        PT(pthread_mutex_unlock(&ex->lock));

        bool keep = task->has_future;   /* task is freed below when !keep */
        void *result = task->fn(task->arg);

        if (!keep)
            free(task);
        PT(pthread_mutex_lock(&ex->lock));
        if (keep) {
            task->result = result;
            task->done = true;
            if (ex->waiting > 0)
                PT(pthread_cond_broadcast(&ex->task_done));
        }
    }
    PT(pthread_mutex_unlock(&ex->lock));
    return NULL;
}

executor_t *executor_create(int max_workers)
{
    if (max_workers < 1) {
        fail_misuse("executor_create: max_workers must be >= 1, got %d", max_workers);
    }
    executor_t *ex = alloc_zeroed(1, sizeof *ex);
    ex->workers = alloc_zeroed((size_t)max_workers, sizeof *ex->workers);
    PT(pthread_mutex_init(&ex->lock, NULL));
    PT(pthread_cond_init(&ex->work_ready, NULL));
    PT(pthread_cond_init(&ex->task_done, NULL));
    for (ex->nworkers = 0; ex->nworkers < max_workers; ex->nworkers++)
        PT(pthread_create(&ex->workers[ex->nworkers], NULL, worker, ex));
    return ex;
}

static struct future *enqueue(executor_t *ex, executor_fn fn, void *arg, bool has_future)
{
    struct future *task = alloc_zeroed(1, sizeof *task);
    task->fn = fn;
    task->arg = arg;
    task->has_future = has_future;
    task->ex = ex;

    PT(pthread_mutex_lock(&ex->lock));
    if (ex->shutdown) {
        fail_misuse("executor: task submitted after executor_destroy()");
    }
    if (ex->tail)
        ex->tail->next = task;
    else
        ex->head = task;
    ex->tail = task;
    if (ex->idle > 0)
        PT(pthread_cond_signal(&ex->work_ready));
    PT(pthread_mutex_unlock(&ex->lock));
    return task;
}

void executor_submit(executor_t *ex, executor_fn fn, void *arg)
{
    enqueue(ex, fn, arg, false);
}

future_t *executor_submit_future(executor_t *ex, executor_fn fn, void *arg)
{
    return enqueue(ex, fn, arg, true);
}

void *future_result(future_t *f)
{
    executor_t *ex = f->ex;

    PT(pthread_mutex_lock(&ex->lock));
    while (!f->done) {
        ex->waiting++;
        PT(pthread_cond_wait(&ex->task_done, &ex->lock));
        ex->waiting--;
    }
    PT(pthread_mutex_unlock(&ex->lock));
    void *result = f->result;
    free(f);
    return result;
}

void executor_map(executor_t *ex, executor_fn fn, void *const args[],
                  void *results[], size_t n)
{
    future_t **futures = alloc_zeroed(n ? n : 1, sizeof *futures);

    for (size_t i = 0; i < n; i++)
        futures[i] = executor_submit_future(ex, fn, args[i]);
    for (size_t i = 0; i < n; i++) {
        void *r = future_result(futures[i]);
        if (results)
            results[i] = r;
    }
    free(futures);
}

void executor_destroy(executor_t *ex)
{
    PT(pthread_mutex_lock(&ex->lock));
    ex->shutdown = true;
    PT(pthread_cond_broadcast(&ex->work_ready));
    PT(pthread_mutex_unlock(&ex->lock));
    for (int i = 0; i < ex->nworkers; i++)
        PT(pthread_join(ex->workers[i], NULL));
    PT(pthread_cond_destroy(&ex->task_done));
    PT(pthread_cond_destroy(&ex->work_ready));
    PT(pthread_mutex_destroy(&ex->lock));
    free(ex->workers);
    free(ex);
}
