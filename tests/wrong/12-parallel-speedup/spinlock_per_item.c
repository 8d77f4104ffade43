/* parallel_sum.c, wrong: per-call shared total guarded by a pthread spinlock taken for every item (the lock-per-item anti-pattern with a spinlock) */
#include "parallel_sum.h"

#include <stdlib.h>

#include "pt.h"

struct chunk {
    const long *a;
    size_t begin, end;
    long (*f)(long);
    long long sum;
    long long *total;
    pthread_spinlock_t *lock;
};

static void *add_chunk(void *arg)
{
    struct chunk *c = arg;
    for (size_t i = c->begin; i < c->end; i++) {
        long v = c->f(c->a[i]);
        PT(pthread_spin_lock(c->lock));
        *c->total += v;
        PT(pthread_spin_unlock(c->lock));
    }
    return NULL;
}

long long parallel_sum(const long a[], size_t n, int threads, long (*f)(long))
{
    if (n == 0)
        return 0;
    size_t k = (size_t)threads < n ? (size_t)threads : n;
    struct chunk *ch = malloc(k * sizeof *ch);
    pthread_t *tid = malloc(k * sizeof *tid);
    if (!ch || !tid)
        abort();
    long long shared = 0;
    pthread_spinlock_t lock;
    PT(pthread_spin_init(&lock, PTHREAD_PROCESS_PRIVATE));
    size_t base = n / k, rem = n % k, start = 0;
    for (size_t i = 0; i < k; i++) {
        size_t size = base + (i < rem ? 1 : 0);
        ch[i] = (struct chunk){ .a = a, .begin = start, .end = start + size, .f = f, .sum = 0, .total = &shared, .lock = &lock };
        start += size;
        PT(pthread_create(&tid[i], NULL, add_chunk, &ch[i]));
    }
    long long total = 0;
    for (size_t i = 0; i < k; i++) {
        PT(pthread_join(tid[i], NULL));

    }
    free(ch);
    free(tid);
    PT(pthread_spin_destroy(&lock));
    total = shared;
    return total;
}
