/*
 * daemon_thread.c - the article's daemon thread: the process ends while the
 * thread sleeps, so "Thread 1: finishing" never appears.
 *
 * C has no daemon flag. Every thread is a daemon in Python's sense: when
 * main returns, the process calls exit() and all its threads stop where
 * they are.
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
    // PT(pthread_join(x, NULL));
    log_info("Main    : all done");
    return 0;                   /* exit(): the sleeping thread dies with the process */
}
