/* squares.c, wrong: the threads hand back nothing; the caller computes i * i itself after joining */
#include "squares.h"

#include "pt.h"

#include <stdint.h>

static void *square(void *arg)
{
    return arg;
}

void squares_by_threads(int n, long results[])
{
    pthread_t threads[SQUARES_MAX];

    for (int i = 0; i < n; i++)
        PT(pthread_create(&threads[i], NULL, square, (void *)(intptr_t)i));
    for (int i = 0; i < n; i++) {
        PT(pthread_join(threads[i], NULL));
        results[i] = (long)i * i;
    }
}
