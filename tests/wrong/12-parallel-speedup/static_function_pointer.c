/* parallel_sum.c, wrong: keeps f in a static variable "so the chunk struct is smaller" (static state: the contract forbids it) */
#include "parallel_sum.h"

#include <stdlib.h>

#include "pt.h"

static long (*the_f)(long);

struct chunk {
    const long *a;
    size_t begin, end;
    long (*f)(long);
    long long sum;
};

static void *add_chunk(void *arg)
{
    struct chunk *c = arg;
    long long s = 0;
    for (size_t i = c->begin; i < c->end; i++)
        s += the_f(c->a[i]);
    c->sum = s;
    return NULL;
}

long long parallel_sum(const long a[], size_t n, int threads, long (*f)(long))
{
    if (n == 0)
        return 0;
    the_f = f;
    size_t k = (size_t)threads < n ? (size_t)threads : n;
    struct chunk *ch = malloc(k * sizeof *ch);
    pthread_t *tid = malloc(k * sizeof *tid);
    if (!ch || !tid)
        abort();
    size_t base = n / k, rem = n % k, start = 0;
    for (size_t i = 0; i < k; i++) {
        size_t size = base + (i < rem ? 1 : 0);
        ch[i] = (struct chunk){ .a = a, .begin = start, .end = start + size, .f = f, .sum = 0 };
        start += size;
        PT(pthread_create(&tid[i], NULL, add_chunk, &ch[i]));
    }
    long long total = 0;
    for (size_t i = 0; i < k; i++) {
        PT(pthread_join(tid[i], NULL));
        total += ch[i].sum;
    }
    free(ch);
    free(tid);
    return total;
}
