/*
 * single_thread.c - the article's first program: start one thread.
 *
 * main logs "all done" before the thread finishes, and the process still
 * waits for it: main ends with pthread_exit(), not return, which is how a
 * C program waits for its threads the way Python waits for a non-daemon one.
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
    /* Python builds the Thread object here; pthread_create builds and starts in one call. */
    log_info("Main    : before running thread");
    PT(pthread_create(&x, NULL, thread_function, (void *)(intptr_t)1));
    log_info("Main    : wait for the thread to finish");
    // PT(pthread_join(x, NULL));
    log_info("Main    : all done");

    /* Returning from main would end the process, thread and all. */
    pthread_exit(NULL);
}
