/* parallel_sum.c, wrong: each thread adds its partial sum to a global total under a lock, and each call sets that total back to 0 */
#include "parallel_sum.h"

#include "pt.h"

#include <stdlib.h>

struct chunk {
    const long *a;
    size_t from, to;
    long (*f)(long);
    pthread_t thread;
};

static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
static long long total;         /* shared by every call */

static void *add_up(void *arg)
{
    struct chunk *c = arg;
    long long sum = 0;

    for (size_t i = c->from; i < c->to; i++)
        sum += c->f(c->a[i]);
    PT(pthread_mutex_lock(&total_lock));
    total += sum;
    PT(pthread_mutex_unlock(&total_lock));
    return NULL;
}

long long parallel_sum(const long a[], size_t n, int threads, long (*f)(long))
{
    size_t k = n < (size_t)threads ? n : (size_t)threads;

    if (k == 0)
        return 0;
    struct chunk *chunks = calloc(k, sizeof *chunks);
    if (chunks == NULL)
        abort();
    PT(pthread_mutex_lock(&total_lock));
    total = 0;
    PT(pthread_mutex_unlock(&total_lock));
    size_t base = n / k, extra = n % k, from = 0;
    for (size_t t = 0; t < k; t++) {
        size_t size = base + (t < extra);
        chunks[t] = (struct chunk){ .a = a, .from = from, .to = from + size, .f = f };
        from += size;
        PT(pthread_create(&chunks[t].thread, NULL, add_up, &chunks[t]));
    }
    for (size_t t = 0; t < k; t++)
        PT(pthread_join(chunks[t].thread, NULL));
    free(chunks);
    PT(pthread_mutex_lock(&total_lock));
    long long result = total;
    PT(pthread_mutex_unlock(&total_lock));
    return result;
}
