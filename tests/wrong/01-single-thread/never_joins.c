/* squares.c, wrong: never joins its threads; each writes its own square and the caller sleeps */
#include "squares.h"

#include "pt.h"
#include "timing.h"

#include <stdint.h>

static long *out;

static void *square(void *arg)
{
    intptr_t i = (intptr_t)arg;
    out[i] = (long)(i * i);
    return NULL;
}

void squares_by_threads(int n, long results[])
{
    out = results;
    for (int i = 0; i < n; i++) {
        pthread_t t;
        PT(pthread_create(&t, NULL, square, (void *)(intptr_t)i));
    }
    timing_sleep_unscaled(0.05);
}
