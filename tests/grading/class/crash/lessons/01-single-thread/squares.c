/* squares.c, for the grader's self-test: the reference answer, but a write through NULL when n is 0 */
#include "squares.h"

#include "pt.h"

#include <stdint.h>

static void *square(void *arg)
{
    intptr_t i = (intptr_t)arg;
    return (void *)(i * i);
}

void squares_by_threads(int n, long results[])
{
    pthread_t threads[SQUARES_MAX];

    if (n == 0)
        *(volatile long *)0 = 1;

    for (int i = 0; i < n; i++)
        PT(pthread_create(&threads[i], NULL, square, (void *)(intptr_t)i));
    for (int i = 0; i < n; i++) {
        void *result;
        PT(pthread_join(threads[i], &result));
        results[i] = (long)(intptr_t)result;
    }
}
