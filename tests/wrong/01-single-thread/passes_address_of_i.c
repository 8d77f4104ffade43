/* squares.c, wrong: passes &i, the address of the loop variable, to every thread */
#include "squares.h"

#include "pt.h"

#include <stdint.h>

static void *square(void *arg)
{
    long i = *(int *)arg;
    return (void *)(intptr_t)(i * i);
}

void squares_by_threads(int n, long results[])
{
    pthread_t threads[SQUARES_MAX];

    for (int i = 0; i < n; i++)
        PT(pthread_create(&threads[i], NULL, square, &i));
    for (int i = 0; i < n; i++) {
        void *result;
        PT(pthread_join(threads[i], &result));
        results[i] = (long)(intptr_t)result;
    }
}
