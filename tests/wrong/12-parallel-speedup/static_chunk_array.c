/* parallel_sum.c, wrong: the chunks (threads and partial sums) live in a static array, which a second call at the same time overwrites */
#include "parallel_sum.h"

#include "pt.h"

#include <stdlib.h>

struct chunk {
    const long *a;
    size_t from, to;            /* the items [from, to) */
    long (*f)(long);
    long long sum;              /* written by this chunk's thread alone */
    pthread_t thread;
};

static void *add_up(void *arg)
{
    struct chunk *c = arg;
    long long sum = 0;          /* local: the hot loop shares nothing */

    for (size_t i = c->from; i < c->to; i++)
        sum += c->f(c->a[i]);
    c->sum = sum;               /* once; the join makes it visible */
    return NULL;
}

long long parallel_sum(const long a[], size_t n, int threads, long (*f)(long))
{
    size_t k = n < (size_t)threads ? n : (size_t)threads;
    long long total = 0;

    if (k == 0)
        return 0;
    static struct chunk chunks[64];     /* plenty, and no malloc to forget */
    /* The first n % k chunks get one item more than the others. */
    size_t base = n / k, extra = n % k, from = 0;
    for (size_t t = 0; t < k; t++) {
        size_t size = base + (t < extra);
        chunks[t] = (struct chunk){ .a = a, .from = from, .to = from + size, .f = f };
        from += size;
        PT(pthread_create(&chunks[t].thread, NULL, add_up, &chunks[t]));
    }
    for (size_t t = 0; t < k; t++) {
        PT(pthread_join(chunks[t].thread, NULL));
        total += chunks[t].sum;
    }
    return total;
}
