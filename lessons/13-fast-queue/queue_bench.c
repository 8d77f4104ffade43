/*
 * queue_bench.c - lesson 13: the readable queue (common/queue.c, one lock,
 * a signal on every put and get) against the fast one (lib/fastqueue.c)
 * with the same contract. Producers and consumers move integers through
 * queues of maxsize 1, 10, 100 and 1024; each row shows items per second,
 * the context switches per thousand items (a thread that blocks and is
 * woken again switches twice), and a bar per queue.
 *
 * When GLib is installed, its GAsyncQueue runs too, as a yardstick from
 * outside the workbook: loaded with dlopen (no GLib headers needed to
 * build), and unbounded, since GAsyncQueue has no maxsize. Without GLib
 * one line says it was skipped.
 *
 * The numbers of items are scaled by WORKBOOK_TIME_SCALE (the tests run a
 * short version); ARGS sets the runs per figure (the median is shown).
 * Then come "bench: <name> <value> <unit>" lines, for make bench, and
 * last one verdict a row, from this run's figures alone: how many times
 * as fast as the textbook queue the fast one was, and how often it made
 * the kernel switch threads.
 */
#include "cli.h"
#include "fastqueue.h"
#include "pt.h"
#include "queue.h"
#include "timing.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

/* GLib's GAsyncQueue, found at run time: the four calls the bench makes. */
static struct {
    void *(*create)(void);              /* g_async_queue_new */
    void (*push)(void *q, void *item);  /* g_async_queue_push (item not NULL) */
    void *(*pop)(void *q);              /* g_async_queue_pop */
    void (*unref)(void *q);             /* g_async_queue_unref */
} glib;

static bool glib_load(void)
{
    static const char *const names[] = { "libglib-2.0.so.0", "libglib-2.0.0.dylib", "libglib-2.0.so" };
    void *lib = NULL;
    for (size_t i = 0; lib == NULL && i < sizeof names / sizeof *names; i++)
        lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL)
        return false;
    /* POSIX lets a data pointer from dlsym become a function pointer this way. */
    *(void **)&glib.create = dlsym(lib, "g_async_queue_new");
    *(void **)&glib.push = dlsym(lib, "g_async_queue_push");
    *(void **)&glib.pop = dlsym(lib, "g_async_queue_pop");
    *(void **)&glib.unref = dlsym(lib, "g_async_queue_unref");
    return glib.create != NULL && glib.push != NULL && glib.pop != NULL && glib.unref != NULL;
}

enum kind { SLOW, FAST, GLIB };

struct run {
    enum kind kind;
    queue_t *slow;          /* one of these three */
    fastqueue_t *fast;
    void *glib;
    long items;             /* per producer, and per consumer */
};

static void *produce(void *arg)
{
    struct run *r = arg;
    for (long i = 1; i <= r->items; i++) {
        if (r->kind == FAST)
            fastqueue_put(r->fast, (void *)(intptr_t)i);
        else if (r->kind == GLIB)
            glib.push(r->glib, (void *)(intptr_t)i);
        else
            queue_put(r->slow, (void *)(intptr_t)i);
    }
    return NULL;
}

static void *consume(void *arg)
{
    struct run *r = arg;
    void *item;
    for (long i = 0; i < r->items; i++) {
        if (r->kind == FAST)
            fastqueue_get(r->fast, &item);
        else if (r->kind == GLIB)
            item = glib.pop(r->glib);
        else
            queue_get(r->slow, &item);
    }
    (void)item;
    return NULL;
}

/* Voluntary and involuntary context switches of this process so far. */
static long switches(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_nvcsw + u.ru_nivcsw;
}

struct result {
    double per_second;      /* items */
    double switches;        /* per 1000 items */
};

/* Move pairs * items through one queue with `pairs` producers and `pairs` consumers. */
static struct result measure(enum kind kind, size_t maxsize, int pairs, long items)
{
    struct run r = { .kind = kind, .items = items };
    pthread_t prod[2], cons[2];

    if (kind == FAST)
        r.fast = fastqueue_create(maxsize);
    else if (kind == GLIB)
        r.glib = glib.create();
    else
        r.slow = queue_create(maxsize);
    long before = switches();
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
    long after = switches();
    if (kind == FAST)
        fastqueue_destroy(r.fast);
    else if (kind == GLIB)
        glib.unref(r.glib);
    else
        queue_destroy(r.slow);
    double moved = (double)pairs * (double)items;
    return (struct result){ moved / seconds, 1000.0 * (double)(after - before) / moved };
}

static int by_speed(const void *a, const void *b)
{
    double x = ((const struct result *)a)->per_second, y = ((const struct result *)b)->per_second;
    return (x > y) - (x < y);
}

/* Of `runs` results, the one with the median speed. */
static struct result median(struct result *r, int runs)
{
    qsort(r, (size_t)runs, sizeof *r, by_speed);
    return r[runs / 2];
}

/*
 * `runs` runs of each of n kinds of queue, taking turns (a b a b ...): a
 * machine that gets busier or quieter meanwhile slows them all alike, so
 * their medians stay comparable. GAsyncQueue ignores maxsize.
 */
static void in_turn(const enum kind *kinds, int n, size_t maxsize, int pairs, long items, int runs,
                    struct result *medians)
{
    struct result r[3][9];
    for (int i = 0; i < runs; i++)
        for (int k = 0; k < n; k++)
            r[k][i] = measure(kinds[k], maxsize, pairs, items);
    for (int k = 0; k < n; k++)
        medians[k] = median(r[k], runs);
}

static void bar(double value, double top)
{
    int width = top > 0 ? (int)(30 * value / top + 0.5) : 0;
    for (int i = 0; i < width; i++)
        putchar('#');
    printf("%*s", 31 - width, "");
}

struct row {
    size_t maxsize;
    int pairs;
    long items;             /* per producer, before scaling */
};

int main(int argc, char **argv)
{
    int runs = (int)cli_number(argc, argv, "RUNS", 3, 1, 9);
    static const struct row rows[] = {
        { 1, 1, 30000 }, { 10, 1, 300000 }, { 100, 1, 1000000 }, { 1024, 1, 2000000 },
        { 1024, 2, 1000000 },
    };
    enum { ROWS = sizeof rows / sizeof *rows };
    struct result slow[ROWS], fast[ROWS], yard[2];
    double scale = timing_scale() < 1 ? timing_scale() : 1, top = 0;
    bool have_glib = glib_load();

    for (int i = 0; i < ROWS; i++) {
        long items = (long)((double)rows[i].items * scale);
        if (items < 100)
            items = 100;
        /* GAsyncQueue runs in turn with the two rows of maxsize 1024, as many items. */
        static const enum kind kinds[] = { SLOW, FAST, GLIB };
        int n = have_glib && rows[i].maxsize == 1024 ? 3 : 2;
        struct result r[3];
        in_turn(kinds, n, rows[i].maxsize, rows[i].pairs, items, runs, r);
        slow[i] = r[0];
        fast[i] = r[1];
        if (n == 3)
            yard[rows[i].pairs - 1] = r[2];
        for (int k = 0; k < n; k++)
            if (r[k].per_second > top)
                top = r[k].per_second;
    }

    printf("%-7s %7s  %-11s %10s %9s\n", "threads", "maxsize", "", "items/s", "switches");
    for (int i = 0; i < ROWS; i++) {
        char who[16];
        snprintf(who, sizeof who, "%dP%dC", rows[i].pairs, rows[i].pairs);
        printf("%-7s %7zu  %-11s %10.0f %9.1f  ", who, rows[i].maxsize, "queue", slow[i].per_second,
               slow[i].switches);
        bar(slow[i].per_second, top);
        printf("\n%-7s %7s  %-11s %10.0f %9.1f  ", "", "", "fastqueue", fast[i].per_second,
               fast[i].switches);
        bar(fast[i].per_second, top);
        printf("%.1fx\n", fast[i].per_second / slow[i].per_second);
    }
    for (int p = 0; have_glib && p < 2; p++) {
        printf("%-7s %7s  %-11s %10.0f %9.1f  ", p == 0 ? "1P1C" : "2P2C", "-", "GAsyncQueue", yard[p].per_second,
               yard[p].switches);
        bar(yard[p].per_second, top);
        printf("\n");
    }
    printf("(switches: context switches per 1000 items; bars: items/s; last column: fastqueue/queue)\n");
    if (have_glib)
        printf("(GAsyncQueue: GLib's, unbounded: it has no maxsize, so a producer never waits)\n");
    else
        printf("(GAsyncQueue: skipped, GLib is not installed: apt-get install libglib2.0-0 adds it)\n");
    for (int i = 0; i < ROWS; i++) {
        printf("bench: fastqueue_%dp%dc_maxsize%zu %.0f items/s\n", rows[i].pairs, rows[i].pairs,
               rows[i].maxsize, fast[i].per_second);
        printf("bench: queue_%dp%dc_maxsize%zu %.0f items/s\n", rows[i].pairs, rows[i].pairs,
               rows[i].maxsize, slow[i].per_second);
    }
    for (int p = 0; have_glib && p < 2; p++)
        printf("bench: gasyncqueue_%dp%dc_unbounded %.0f items/s\n", p + 1, p + 1, yard[p].per_second);
    printf("In this run:\n");
    for (int i = 0; i < ROWS; i++) {
        printf("  %dP%dC, maxsize %4zu: fastqueue %.1fx the textbook queue", rows[i].pairs, rows[i].pairs,
               rows[i].maxsize, fast[i].per_second / slow[i].per_second);
        if (have_glib && rows[i].maxsize == 1024)
            printf(", %.1fx GAsyncQueue", fast[i].per_second / yard[rows[i].pairs - 1].per_second);
        printf(", %.1f switches per 1000 items (textbook: %.1f)\n", fast[i].switches, slow[i].switches);
    }
    return 0;
}
