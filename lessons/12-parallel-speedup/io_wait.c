/*
 * io_wait.c - lesson 12: I/O-bound work on 1, 2, ... N threads.
 *
 * TASKS tasks (default 4) each wait half a second, as a download waits
 * for the network: the thread sleeps and uses no CPU. On t threads each
 * thread takes the next task until none is left, so t waits are under way
 * at once and the row takes about ceil(TASKS / t) waits. The waits overlap
 * on any number of cores, one included, and in Python too: the GIL is let
 * go during a sleep or a blocking read. That is why the article says
 * threads help I/O-bound programs.
 *
 * The waits go through timing_sleep, so WORKBOOK_TIME_SCALE shortens them.
 */
#include "cli.h"
#include "pt.h"
#include "timing.h"

#include <stdatomic.h>
#include <stdio.h>

#define WAIT 0.5                /* seconds per task, before scaling */
#define MAX_TASKS 64

struct work {
    int tasks;
    atomic_int next;            /* the next task to take */
};

static void *worker(void *arg)
{
    struct work *w = arg;

    while (atomic_fetch_add(&w->next, 1) < w->tasks)
        timing_sleep(WAIT);     /* the "I/O": a wait that needs no CPU */
    return NULL;
}

static double run(int tasks, int threads)
{
    struct work w = { .tasks = tasks };
    pthread_t tid[MAX_TASKS];

    atomic_init(&w.next, 0);
    double start = timing_now();
    for (int i = 0; i < threads; i++)
        PT(pthread_create(&tid[i], NULL, worker, &w));
    for (int i = 0; i < threads; i++)
        PT(pthread_join(tid[i], NULL));
    return timing_now() - start;
}

int main(int argc, char **argv)
{
    int tasks = (int)cli_number(argc, argv, "TASKS", 4, 1, MAX_TASKS);
    double one = 0;

    printf("%d tasks, each waiting %.3f s\n", tasks, WAIT * timing_scale());
    printf("threads   seconds  speedup\n");
    for (int t = 1; t <= tasks; t++) {
        double s = run(tasks, t);
        if (t == 1)
            one = s;
        printf("%7d  %8.3f  %6.2fx  ", t, s, one / s);
        int len = (int)(one / s * 12 + 0.5);
        for (int i = 0; i < len && i < 72; i++)
            putchar('#');
        putchar('\n');
    }
    return 0;
}
