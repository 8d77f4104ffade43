/* parallel_sum.c, wrong: passes every thread the address of one chunk variable that the loop overwrites for the next thread, so a thread that starts late adds up another thread's chunk */
#include "parallel_sum.h"

#include "pt.h"

#include <stdlib.h>

struct chunk {
    const long *a;
    size_t start, end;
    long (*f)(long);
};

static void *add_chunk(void *arg)
{
    struct chunk c = *(struct chunk *)arg;
    long long *sum = malloc(sizeof *sum);
    if (!sum)
        abort();
    *sum = 0;
    for (size_t i = c.start; i < c.end; i++)
        *sum += c.f(c.a[i]);
    return sum;
}

long long parallel_sum(const long a[], size_t n, int threads, long (*f)(long))
{
    if (n == 0)
        return 0;
    size_t k = (size_t)threads < n ? (size_t)threads : n;
    pthread_t *tids = calloc(k, sizeof *tids);
    if (!tids)
        abort();
    struct chunk arg;
    size_t base = n / k, extra = n % k, start = 0;
    for (size_t i = 0; i < k; i++) {
        size_t size = base + (i < extra ? 1 : 0);
        arg = (struct chunk){ .a = a, .start = start, .end = start + size, .f = f };
        start += size;
        PT(pthread_create(&tids[i], NULL, add_chunk, &arg));
    }
    long long total = 0;
    for (size_t i = 0; i < k; i++) {
        void *ret;
        PT(pthread_join(tids[i], &ret));
        total += *(long long *)ret;
        free(ret);
    }
    free(tids);
    return total;
}
