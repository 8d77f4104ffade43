/* squares.c, wrong: a thread returns the address of its local variable, which dies with it */
#include "squares.h"

#include "pt.h"

#include <stdint.h>

static void *square(void *arg)
{
    intptr_t i = (intptr_t)arg;
    long sq = (long)(i * i);
    long *volatile p = &sq;     /* volatile: the compiler would warn about `return &sq` */
    return p;
}

void squares_by_threads(int n, long results[])
{
    pthread_t threads[SQUARES_MAX];

    for (int i = 0; i < n; i++)
        PT(pthread_create(&threads[i], NULL, square, (void *)(intptr_t)i));
    for (int i = 0; i < n; i++) {
        void *result;
        PT(pthread_join(threads[i], &result));
        results[i] = *(volatile long *)result;
    }
}
