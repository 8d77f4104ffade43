/*
 * executor.c - the same three tasks on a pool of three reused workers:
 *
 *   with concurrent.futures.ThreadPoolExecutor(max_workers=3) as executor:
 *       executor.map(thread_function, range(3))
 *
 * executor_destroy() is the end of the `with` block: it waits for the
 * tasks and joins the workers, so no thread is ever forgotten.
 */
#include "cli.h"
#include "executor.h"
#include "thread_function.h"

#include <stdint.h>

#define MAX_TASKS 64

int main(int argc, char **argv)
{
    void *range[MAX_TASKS];
    int count = (int)cli_number(argc, argv, "TASKS", 3, 1, MAX_TASKS);

    for (int i = 0; i < count; i++)
        range[i] = (void *)(intptr_t)i;
    executor_t *executor = executor_create(3);
    executor_map(executor, thread_function, range, NULL, (size_t)count);
    executor_destroy(executor);
    return 0;
}
