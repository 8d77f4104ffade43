/*
 * thread_names.c - the older tutorial's Cazaril and Ista: a thread with a
 * name. Python names every thread ("Thread-3" when you do not). POSIX has
 * no names; Linux and the BSDs add pthread_setname_np() (15 characters at
 * most here), and that name is what ps -L, top -H and gdb show. A thread
 * nobody names carries the program's name. Elsewhere (macOS's call takes
 * no thread, others have none) and with make PORTABLE=1, the name lives
 * with the thread, as in Python: the same output, but ps does not see it.
 */
#if defined(__linux__) && !defined(WORKBOOK_PORTABLE)
#define _GNU_SOURCE             /* pthread_setname_np, pthread_getname_np */
#define LINUX_NAMES 1
#endif
#include "cli.h"
#include "log.h"
#include "pt.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const char *program;     /* what an unnamed thread is called: set before any thread starts */

#ifdef LINUX_NAMES
static void name_me(const char *name)
{
    PT(pthread_setname_np(pthread_self(), name));
}

static void my_name(char *buf, size_t size)
{
    PT(pthread_getname_np(pthread_self(), buf, size));
}
#else
static _Thread_local char own[16];

static void name_me(const char *name)
{
    snprintf(own, sizeof own, "%s", name);
}

static void my_name(char *buf, size_t size)
{
    snprintf(buf, size, "%s", own[0] != '\0' ? own : program);
}
#endif

static void *test_thread(void *name)
{
    char mine[16];

    if (name != NULL)           /* named from inside: no race with the first log line */
        name_me(name);
    my_name(mine, sizeof mine);
    log_info("Hello, my name is %s", mine);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *names[] = { "Cazaril", "Ista", NULL };
    pthread_t t;

    cli_no_args(argc, argv);
    program = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 : argv[0];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        PT(pthread_create(&t, NULL, test_thread, (void *)names[i]));
        PT(pthread_join(t, NULL));
    }
    return 0;
}
