/* parallel_sum.c, wrong: the chunks live in a local array of 32, enough for the cores of any machine, not for every thread count a caller may ask for */
#include "parallel_sum.h"

#include "pt.h"

/* More than any machine here has cores: primes.c never runs more than 8. */
#define MAX_THREADS 32

struct chunk {
    const long *a;
    size_t from, to;
    long (*f)(long);
    long long sum;
    pthread_t thread;
};

static void *add_up(void *arg)
{
    struct chunk *c = arg;
    long long sum = 0;

    for (size_t i = c->from; i < c->to; i++)
        sum += c->f(c->a[i]);
    c->sum = sum;
    return NULL;
}

long long parallel_sum(const long a[], size_t n, int threads, long (*f)(long))
{
    struct chunk chunks[MAX_THREADS];
    size_t k = n < (size_t)threads ? n : (size_t)threads;
    size_t from = 0;
    long long total = 0;

    for (size_t t = 0; t < k; t++) {
        size_t size = n / k + (t < n % k);
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
