/* parallel_sum.c, wrong: every item is added to a shared total under a mutex, a lock per item */
#include "parallel_sum.h"

#include "pt.h"

#include <stdlib.h>

struct chunk {
    const long *a;
    size_t from, to;
    long (*f)(long);
    long long *total;           /* shared by every chunk, guarded by lock */
    pthread_mutex_t *lock;
    pthread_t thread;
};

static void *add_up(void *arg)
{
    struct chunk *c = arg;

    for (size_t i = c->from; i < c->to; i++) {
        long v = c->f(c->a[i]);
        PT(pthread_mutex_lock(c->lock));
        *c->total += v;
        PT(pthread_mutex_unlock(c->lock));
    }
    return NULL;
}

long long parallel_sum(const long a[], size_t n, int threads, long (*f)(long))
{
    size_t k = n < (size_t)threads ? n : (size_t)threads;
    long long total = 0;
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

    if (k == 0)
        return 0;
    struct chunk *chunks = calloc(k, sizeof *chunks);
    if (chunks == NULL)
        abort();
    size_t base = n / k, extra = n % k, from = 0;
    for (size_t t = 0; t < k; t++) {
        size_t size = base + (t < extra);
        chunks[t] = (struct chunk){ .a = a, .from = from, .to = from + size, .f = f,
                                    .total = &total, .lock = &lock };
        from += size;
        PT(pthread_create(&chunks[t].thread, NULL, add_up, &chunks[t]));
    }
    for (size_t t = 0; t < k; t++)
        PT(pthread_join(chunks[t].thread, NULL));
    free(chunks);
    return total;
}
