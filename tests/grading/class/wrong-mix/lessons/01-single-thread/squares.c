/* squares.c, wrong: creates and joins in the same loop, so the threads run one after another */
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
    for (int i = 0; i < n; i++) {
        pthread_t t;
        void *result;
        PT(pthread_create(&t, NULL, square, (void *)(intptr_t)i));
        PT(pthread_join(t, &result));
        results[i] = (long)(intptr_t)result;
    }
}
