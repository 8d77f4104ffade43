/*
 * thread_names.c - the older tutorial's Cazaril and Ista: a thread with a
 * name. Python names every thread ("Thread-3" when you do not). POSIX has
 * no names; Linux and the BSDs add pthread_setname_np() (15 characters at
 * most here), and that name is what ps -L, top -H and gdb show. A thread
 * nobody names carries the program's name.
 */
#define _GNU_SOURCE             /* pthread_setname_np, pthread_getname_np */
#include "cli.h"
#include "log.h"
#include "pt.h"

#include <stddef.h>

static void *test_thread(void *name)
{
    char mine[16];

    if (name != NULL)           /* named from inside: no race with the first log line */
        PT(pthread_setname_np(pthread_self(), name));
    PT(pthread_getname_np(pthread_self(), mine, sizeof mine));
    log_info("Hello, my name is %s", mine);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *names[] = { "Cazaril", "Ista", NULL };
    pthread_t t;

    cli_no_args(argc, argv);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        PT(pthread_create(&t, NULL, test_thread, (void *)names[i]));
        PT(pthread_join(t, NULL));
    }
    return 0;
}
