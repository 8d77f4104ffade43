/*
 * bench.c - `make bench`: throughput of common/queue and common/executor,
 * beside a textbook bounded queue (one mutex, two condition variables, a
 * signal on every put and get) so the difference is measured in one run.
 * Prints one line per figure: "bench: <name> <value> <unit>", the median of
 * REPS runs, ours and the textbook's interleaved so both see the same machine.
 */
#include "executor.h"
#include "pt.h"
#include "queue.h"
#include "timing.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- the textbook queue -------------------------------------------------- */

struct textbook {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    void **ring;
    size_t size, head, count;
};

static struct textbook *textbook_create(size_t size)
{
    struct textbook *t = calloc(1, sizeof *t);
    if (t == NULL || (t->ring = calloc(size, sizeof *t->ring)) == NULL)
        abort();
    t->size = size;
    PT(pthread_mutex_init(&t->lock, NULL));
    PT(pthread_cond_init(&t->not_empty, NULL));
    PT(pthread_cond_init(&t->not_full, NULL));
    return t;
}

static void textbook_put(struct textbook *t, void *item)
{
    PT(pthread_mutex_lock(&t->lock));
    while (t->count == t->size)
        PT(pthread_cond_wait(&t->not_full, &t->lock));
    t->ring[(t->head + t->count++) % t->size] = item;
    PT(pthread_cond_signal(&t->not_empty));
    PT(pthread_mutex_unlock(&t->lock));
}

static void *textbook_get(struct textbook *t)
{
    PT(pthread_mutex_lock(&t->lock));
    while (t->count == 0)
        PT(pthread_cond_wait(&t->not_empty, &t->lock));
    void *item = t->ring[t->head];
    t->head = (t->head + 1) % t->size;
    t->count--;
    PT(pthread_cond_signal(&t->not_full));
    PT(pthread_mutex_unlock(&t->lock));
    return item;
}

static void textbook_destroy(struct textbook *t)
{
    PT(pthread_cond_destroy(&t->not_full));
    PT(pthread_cond_destroy(&t->not_empty));
    PT(pthread_mutex_destroy(&t->lock));
    free(t->ring);
    free(t);
}

/* ---- producer / consumer runs -------------------------------------------- */

struct run {
    queue_t *q;
    struct textbook *t;
    long items;             /* per producer, or per consumer */
};

static void *produce(void *arg)
{
    struct run *r = arg;
    for (long i = 1; i <= r->items; i++) {
        if (r->q)
            queue_put(r->q, (void *)(intptr_t)i);
        else
            textbook_put(r->t, (void *)(intptr_t)i);
    }
    return NULL;
}

static void *consume(void *arg)
{
    struct run *r = arg;
    void *item;
    for (long i = 0; i < r->items; i++) {
        if (r->q)
            queue_get(r->q, &item);
        else
            item = textbook_get(r->t);
    }
    return NULL;
}

/* Move pairs * items through one queue with `pairs` producers and consumers. */
static double items_per_second(bool textbook, size_t maxsize, int pairs, long items)
{
    struct run r = { .items = items };
    pthread_t prod[2], cons[2];

    if (textbook)
        r.t = textbook_create(maxsize);
    else
        r.q = queue_create(maxsize);
    double start = timing_now();
    for (int i = 0; i < pairs; i++) {
        PT(pthread_create(&cons[i], NULL, consume, &r));
        PT(pthread_create(&prod[i], NULL, produce, &r));
    }
    for (int i = 0; i < pairs; i++) {
        PT(pthread_join(prod[i], NULL));
        PT(pthread_join(cons[i], NULL));
    }
    double seconds = timing_now() - start;
    if (textbook)
        textbook_destroy(r.t);
    else
        queue_destroy(r.q);
    return (double)pairs * (double)items / seconds;
}

static void *trivial(void *arg)
{
    return arg;
}

static double tasks_per_second(int workers, long tasks)
{
    double start = timing_now();
    executor_t *ex = executor_create(workers);
    for (long i = 0; i < tasks; i++)
        executor_submit(ex, trivial, NULL);
    executor_destroy(ex);
    return (double)tasks / (timing_now() - start);
}

#define REPS 5

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double v[REPS])
{
    qsort(v, REPS, sizeof *v, by_value);
    return v[REPS / 2];
}

/* One figure: a queue run (textbook or ours), or the executor when maxsize is 0. */
struct figure {
    const char *name;
    bool textbook;
    size_t maxsize;
    int pairs;
    long items;             /* per producer */
};

int main(void)
{
    /* Ours and the textbook's side by side, with fewer items where the
     * textbook is slow: the whole run took 14-25 s on the bench machine. */
    static const struct figure figures[] = {
        { "queue_1p1c_maxsize1", false, 1, 1, 30000 },
        { "textbook_queue_1p1c_maxsize1", true, 1, 1, 30000 },
        { "queue_1p1c_maxsize10", false, 10, 1, 300000 },
        { "textbook_queue_1p1c_maxsize10", true, 10, 1, 300000 },
        { "queue_1p1c_maxsize100", false, 100, 1, 1000000 },
        { "textbook_queue_1p1c_maxsize100", true, 100, 1, 1000000 },
        { "queue_1p1c_maxsize1024", false, 1024, 1, 3000000 },
        { "textbook_queue_1p1c_maxsize1024", true, 1024, 1, 3000000 },
        { "queue_2p2c_maxsize1024", false, 1024, 2, 1500000 },
        { "textbook_queue_2p2c_maxsize1024", true, 1024, 2, 1500000 },
        { "executor_2workers", false, 0, 0, 1000000 },
    };
    enum { FIGURES = sizeof figures / sizeof *figures };
    double runs[FIGURES][REPS];

    for (int r = 0; r < REPS; r++)
        for (int f = 0; f < FIGURES; f++) {
            const struct figure *g = &figures[f];
            runs[f][r] = g->maxsize == 0 ? tasks_per_second(2, g->items)
                                         : items_per_second(g->textbook, g->maxsize, g->pairs, g->items);
        }
    for (int f = 0; f < FIGURES; f++)
        printf("bench: %s %.0f %s/s\n", figures[f].name, median(runs[f]),
               figures[f].maxsize == 0 ? "tasks" : "items");
    return 0;
}
