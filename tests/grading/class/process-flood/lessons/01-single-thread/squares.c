/* squares.c, for the grader's self-test: the reference answer, but when n is 0 it forks 300 children that wait forever (and aborts when a fork fails) */
#include "squares.h"

#include "pt.h"

#include <stdint.h>
#include <poll.h>
#include <sys/types.h>

static void *square(void *arg)
{
    intptr_t i = (intptr_t)arg;
    return (void *)(i * i);
}

void squares_by_threads(int n, long results[])
{
    pthread_t threads[SQUARES_MAX];

    if (n == 0)
        for (int child = 0; child < 300; child++) {
            pid_t pid = fork();
            if (pid < 0)
                abort();
            if (pid == 0)
                for (;;)
                    poll(NULL, 0, 1000);
        }

    for (int i = 0; i < n; i++)
        PT(pthread_create(&threads[i], NULL, square, (void *)(intptr_t)i));
    for (int i = 0; i < n; i++) {
        void *result;
        PT(pthread_join(threads[i], &result));
        results[i] = (long)(intptr_t)result;
    }
}
