/*
 * join_another.c - one thread waits for another (the older tutorial's
 * ThreadOne and ThreadTwo): any thread may join any joinable thread, but
 * only one may join it, and only once. Here thread two joins thread one,
 * and main joins thread two.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "timing.h"

static pthread_t thing_one;

static void *thread_one(void *name)
{
    log_info("Thread %s started.", (const char *)name);
    timing_sleep(2);
    log_info("Thread %s ended.", (const char *)name);
    return NULL;
}

static void *thread_two(void *name)
{
    log_info("Thread %s started.", (const char *)name);
    PT(pthread_join(thing_one, NULL));
    log_info("Thread %s ended.", (const char *)name);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t thing_two;

    cli_no_args(argc, argv);
    PT(pthread_create(&thing_one, NULL, thread_one, "Thread-1"));
    PT(pthread_create(&thing_two, NULL, thread_two, "Thread-2"));
    PT(pthread_join(thing_two, NULL));
    return 0;
}
