/*
 * bench.c - make bench's figure for common/executor: trivial tasks through
 * two workers, the median of five runs, as "bench: <name> <value> <unit>".
 * (The queues' figures come from lesson 13's queue_bench.)
 */
#include "executor.h"
#include "timing.h"

#include <stdio.h>
#include <stdlib.h>

#define REPS 5

static void *trivial(void *arg)
{
    return arg;
}

static double tasks_per_second(int workers, long tasks)
{
    double start = timing_now();
    executor_t *ex = executor_create(workers);
    for (long i = 0; i < tasks; i++)
        executor_submit(ex, trivial, NULL);
    executor_destroy(ex);
    return (double)tasks / (timing_now() - start);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    double runs[REPS];

    for (int r = 0; r < REPS; r++)
        runs[r] = tasks_per_second(2, 1000000);
    qsort(runs, REPS, sizeof *runs, by_value);
    printf("bench: executor_2workers %.0f tasks/s\n", runs[REPS / 2]);
    return 0;
}
