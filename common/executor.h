/*
 * executor.h - a pool of reused worker threads: Python's ThreadPoolExecutor.
 *
 *   with ThreadPoolExecutor(max_workers=3) as executor:    executor_t *ex = executor_create(3);
 *       executor.map(thread_function, range(3))            executor_map(ex, thread_function, args, NULL, 3);
 *                                                          executor_destroy(ex);
 *
 * executor_destroy() is the end of the `with` block: it waits for every
 * submitted task and joins every worker. Tasks start in submission order;
 * they may finish in any order.
 */
#ifndef WORKBOOK_EXECUTOR_H
#define WORKBOOK_EXECUTOR_H

#include <stddef.h>

typedef struct executor executor_t;
typedef struct future future_t;
typedef void *(*executor_fn)(void *arg);

/* Start max_workers (>= 1) worker threads that wait for tasks. */
executor_t *executor_create(int max_workers);

/* Queue fn(arg) and return at once; its result is dropped. */
void executor_submit(executor_t *ex, executor_fn fn, void *arg);

/* Queue fn(arg) and return a future for its result. */
future_t *executor_submit_future(executor_t *ex, executor_fn fn, void *arg);

/*
 * Block until the task behind f has run; return what fn returned and free
 * f. Call it exactly once per future, and before executor_destroy().
 */
void *future_result(future_t *f);

/*
 * Run fn(args[i]) for i < n on the pool and wait for all of them. When
 * results is not NULL, results[i] receives fn(args[i]): input order, even
 * though the tasks finish in any order.
 */
void executor_map(executor_t *ex, executor_fn fn, void *const args[],
                  void *results[], size_t n);

/* Wait for every submitted task, join every worker, free the executor. */
void executor_destroy(executor_t *ex);

#endif
