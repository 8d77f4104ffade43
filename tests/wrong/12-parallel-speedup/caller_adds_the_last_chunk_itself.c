/* parallel_sum.c, wrong: starts only k - 1 threads and adds up the last chunk in the calling thread, so it starts one thread too few (and none for threads == 1) */
#include "parallel_sum.h"

#include "pt.h"

#include <stdlib.h>

struct chunk {
    const long *a;
    size_t start, end;
    long (*f)(long);
    long long sum;
};

static void *add_chunk(void *arg)
{
    struct chunk *c = arg;
    long long sum = 0;
    for (size_t i = c->start; i < c->end; i++)
        sum += c->f(c->a[i]);
    c->sum = sum;
    return NULL;
}

long long parallel_sum(const long a[], size_t n, int threads, long (*f)(long))
{
    if (n == 0)
        return 0;
    size_t k = (size_t)threads < n ? (size_t)threads : n;
    struct chunk *chunks = calloc(k, sizeof *chunks);
    pthread_t *tids = calloc(k, sizeof *tids);
    if (!chunks || !tids)
        abort();
    size_t base = n / k, extra = n % k, start = 0;
    for (size_t i = 0; i < k; i++) {
        size_t size = base + (i < extra ? 1 : 0);
        chunks[i] = (struct chunk){ .a = a, .start = start, .end = start + size, .f = f };
        start += size;
        if (i + 1 < k)
            PT(pthread_create(&tids[i], NULL, add_chunk, &chunks[i]));
    }
    add_chunk(&chunks[k - 1]);
    long long total = 0;
    for (size_t i = 0; i < k; i++) {
        if (i + 1 < k)
            PT(pthread_join(tids[i], NULL));
        total += chunks[i].sum;
    }
    free(chunks);
    free(tids);
    return total;
}
