/*
 * fork_vs_thread.c - what a thread shares with main, and what a child
 * process made by fork() shares with its parent.
 *
 * Each of the two adds 1 to a global, to an int on the heap and to an int
 * in memory mapped MAP_SHARED, and writes one byte to a file opened
 * before; main looks at all four after each. The thread is in main's
 * process: it changed main's memory. The child got a copy of the
 * parent's memory at the fork (copied when written): its changes are its
 * own, but for the shared mapping; it shares the open file (and so its
 * offset), and of the parent's threads it has only the one that forked.
 */
#define _DEFAULT_SOURCE         /* MAP_ANONYMOUS (POSIX only from 2024) */
#include "alloc.h"
#include "cli.h"
#include "fail.h"
#include "log.h"
#include "pt.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int counter;             /* a global */
static int *heap;               /* malloc'd */
static int *shared;             /* mmap'd MAP_SHARED */
static FILE *file;              /* an open file: its offset too */
static int sleepers[2];         /* a pipe a sleeping thread waits on */

/* Threads in this process: the entries of /proc/self/task (Linux), or -1. */
static int threads_here(void)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    if (d == NULL)
        return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void change_everything(const char *who)
{
    counter++;
    (*heap)++;
    (*shared)++;
    fputc('x', file);
    fflush(file);
    log_info("%s: pid %ld, parent %ld, %d thread%s here: counter %d, heap %d, shared %d, file offset %ld", who,
             (long)getpid(), (long)getppid(), threads_here(), threads_here() == 1 ? "" : "s", counter, *heap,
             *shared, ftell(file));
}

static void look(const char *when)
{
    log_info("Main    : %s: counter %d, heap %d, shared %d, file offset %ld", when, counter, *heap, *shared,
             ftell(file));
}

static void *thread_function(void *arg)
{
    change_everything(arg);
    return NULL;
}

static void *sleeper(void *unused)
{
    char b;
    (void)unused;
    while (read(sleepers[0], &b, 1) < 0 && errno == EINTR)
        continue;
    return NULL;
}

int main(int argc, char **argv)
{
    cli_no_args(argc, argv);
    pthread_t t, sleeping;
    heap = alloc_zeroed(1, sizeof *heap);
    shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    file = tmpfile();
    if (shared == MAP_FAILED || file == NULL || pipe(sleepers) != 0)
        fail_misuse("mmap, tmpfile or pipe: %s", strerror(errno));
    PT(pthread_create(&sleeping, NULL, sleeper, NULL));     /* a thread that is there, waiting */

    look("before");
    PT(pthread_create(&t, NULL, thread_function, "Thread  "));
    PT(pthread_join(t, NULL));
    look("after the thread");

    fflush(NULL);
    pid_t child = fork();
    if (child < 0)
        fail_misuse("fork: %s", strerror(errno));
    if (child == 0) {
        change_everything("Child   ");
        exit(0);
    }
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR)
        continue;
    look("after the child");

    if (write(sleepers[1], "", 1) != 1)
        fail_misuse("write: %s", strerror(errno));
    PT(pthread_join(sleeping, NULL));
    fclose(file);
    munmap(shared, sizeof *shared);
    free(heap);
    return 0;
}
