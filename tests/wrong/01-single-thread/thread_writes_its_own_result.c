/* squares.c, wrong: each thread stores i * i in results[i] itself instead of returning it */
#include "squares.h"

#include "pt.h"

#include <stdint.h>

struct job {
    int i;
    long *slot;
};

static void *square(void *arg)
{
    struct job *job = arg;
    *job->slot = (long)job->i * job->i;
    return NULL;
}

void squares_by_threads(int n, long results[])
{
    pthread_t threads[SQUARES_MAX];
    struct job jobs[SQUARES_MAX];

    for (int i = 0; i < n; i++) {
        jobs[i] = (struct job){ i, &results[i] };
        PT(pthread_create(&threads[i], NULL, square, &jobs[i]));
    }
    for (int i = 0; i < n; i++)
        PT(pthread_join(threads[i], NULL));
}
