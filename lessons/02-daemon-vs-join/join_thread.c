/*
 * join_thread.c - the article's line twenty uncommented: main joins the
 * thread, so "Thread 1: finishing" comes before "Main    : all done".
 */
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "thread_function.h"

#include <stdint.h>

int main(int argc, char **argv)
{
    pthread_t x;

    cli_no_args(argc, argv);
    log_info("Main    : before creating thread");
    log_info("Main    : before running thread");
    PT(pthread_create(&x, NULL, thread_function, (void *)(intptr_t)1));
    log_info("Main    : wait for the thread to finish");
    PT(pthread_join(x, NULL));
    log_info("Main    : all done");
    return 0;
}
