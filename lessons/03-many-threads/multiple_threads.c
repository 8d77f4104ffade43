/*
 * multiple_threads.c - the article's "harder way": start three threads,
 * keep their ids in an array, join them in order. They finish in whatever
 * order the OS lets them; "thread i done" still comes in order 0, 1, 2.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "thread_function.h"

#include <stdint.h>

#define MAX_THREADS 64

int main(int argc, char **argv)
{
    pthread_t threads[MAX_THREADS];
    int count = (int)cli_number(argc, argv, "THREADS", 3, 1, MAX_THREADS);

    for (int index = 0; index < count; index++) {
        log_info("Main    : create and start thread %d.", index);
        PT(pthread_create(&threads[index], NULL, thread_function, (void *)(intptr_t)index));
    }
    for (int index = 0; index < count; index++) {
        log_info("Main    : before joining thread %d.", index);
        PT(pthread_join(threads[index], NULL));
        log_info("Main    : thread %d done", index);
    }
    return 0;
}
