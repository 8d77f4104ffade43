/* parallel_sum.c, wrong: gives every chunk ceil(n / k) items and the last one what is left, so the last chunk can be several items short (10 on 3: 4, 4, 2) */
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
        size_t size = base + (extra ? 1 : 0);
        if (start + size > n || i + 1 == k)
            size = n - start;
        chunks[i] = (struct chunk){ .a = a, .start = start, .end = start + size, .f = f };
        start += size;
        PT(pthread_create(&tids[i], NULL, add_chunk, &chunks[i]));
    }
    long long total = 0;
    for (size_t i = 0; i < k; i++) {
        PT(pthread_join(tids[i], NULL));
        total += chunks[i].sum;
    }
    free(chunks);
    free(tids);
    return total;
}
