/*
 * local_data.c - data each thread has a copy of its own: Python's
 * threading.local(), in C two ways, and errno, which every C program uses.
 *
 *   mydata = threading.local()
 *   def worker(i):
 *       mydata.calls = 0                # this thread's calls, nobody else's
 *       for _ in range(i + 1): count_a_call()
 *
 * `_Thread_local` (C11) gives each thread its own copy of a variable,
 * starting at its initializer. pthread_key_create() gives each thread its
 * own pointer, and calls a destructor on it when the thread ends, once per
 * thread that set one (Python drops a thread's local data then too).
 * errno is thread-local as well: a failed call in one thread never changes
 * another's. Here main's open() fails, then a thread's close() fails, in
 * that order for sure (two flags, as in lesson 2), and main still reads
 * its own error.
 */
#include "alloc.h"
#include "cli.h"
#include "log.h"
#include "pt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define THREADS 3

static _Thread_local int calls;         /* each thread's own, 0 when it starts */
static pthread_key_t buffer_key;        /* each thread's own buffer, freed by the destructor */
static atomic_bool main_failed, thread_failed;

static void count_a_call(void)
{
    calls++;                            /* no lock: nobody else sees this thread's copy */
}

static void free_buffer(void *buffer)
{
    log_info("destructor: frees %s", (char *)buffer);
    free(buffer);
}

static const char *errno_name(int e)
{
    return e == ENOENT ? "ENOENT" : e == EBADF ? "EBADF" : "another error";
}

static void *worker(void *arg)
{
    int i = (int)(intptr_t)arg;
    char *buffer = alloc_zeroed(32, 1);

    for (int k = 0; k <= i; k++)
        count_a_call();
    snprintf(buffer, 32, "Thread %d's buffer", i);
    PT(pthread_setspecific(buffer_key, buffer));
    log_info("Thread %d: calls is %d, my buffer is %s", i, calls,
             (char *)pthread_getspecific(buffer_key));
    return NULL;
}

static void *fail_too(void *arg)
{
    (void)arg;
    while (!atomic_load(&main_failed))
        ;                               /* main's call fails first */
    int rc = close(-1);
    int mine = errno;
    atomic_store(&thread_failed, true);
    log_info("Thread %d: close(-1) returned %d: errno is %s", THREADS, rc, errno_name(mine));
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t threads[THREADS], failing;

    cli_no_args(argc, argv);
    PT(pthread_key_create(&buffer_key, free_buffer));
    for (int i = 0; i < THREADS; i++)
        PT(pthread_create(&threads[i], NULL, worker, (void *)(intptr_t)i));
    for (int i = 0; i < THREADS; i++)
        PT(pthread_join(threads[i], NULL));
    log_info("Main    : calls is %d, my buffer is %s", calls,
             pthread_getspecific(buffer_key) == NULL ? "NULL" : "set");
    PT(pthread_key_delete(buffer_key));

    PT(pthread_create(&failing, NULL, fail_too, NULL));
    int rc = open("/no/such/file", O_RDONLY);
    atomic_store(&main_failed, true);
    while (!atomic_load(&thread_failed))
        ;                               /* no call here: nothing else may set main's errno */
    int mine = errno;
    PT(pthread_join(failing, NULL));
    log_info("Main    : open() returned %d, then Thread %d's close() failed: errno is still %s",
             rc, THREADS, errno_name(mine));
    return 0;
}
