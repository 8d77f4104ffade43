/*
 * test_queue.c - common/queue: Python's queue.Queue with close(), with the
 * behaviours CPython's test_queue.py checks that map onto this API (no
 * task_done/join, no shutdown(immediate=True), no maxsize change) and the
 * timeout rule of timing.h. tests/test_fastqueue.c runs them against the
 * fast queue of lesson 13 too.
 */
#include "harness.h"
#include "pt.h"
#include "queue.h"
#include "timing.h"

#include <float.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static queue_t *q;

START_TEST(items_come_out_in_the_order_they_went_in)
{
    void *item;

    q = queue_create(0);
    for (intptr_t i = 0; i < 1000; i++)
        ck_assert_int_eq(queue_put(q, (void *)i), QUEUE_OK);
    ck_assert_uint_eq(queue_size(q), 1000);
    for (intptr_t i = 0; i < 1000; i++) {
        ck_assert_int_eq(queue_get(q, &item), QUEUE_OK);
        ck_assert_int_eq((intptr_t)item, i);
    }
    ck_assert(queue_empty(q));
    queue_destroy(q);
}
END_TEST

START_TEST(try_and_timed_calls_report_full_empty_and_timeout)
{
    void *item = NULL;

    q = queue_create(2);
    ck_assert_int_eq(queue_try_get(q, &item), QUEUE_EMPTY);
    double start = timing_now();
    ck_assert_int_eq(queue_get_timed(q, &item, 0.05), QUEUE_TIMEOUT);
    ck_assert(timing_now() - start >= 0.05);
    ck_assert_int_eq(queue_try_put(q, (void *)1), QUEUE_OK);
    ck_assert_int_eq(queue_put_timed(q, (void *)2, 0.05), QUEUE_OK);
    ck_assert(queue_full(q));
    ck_assert_int_eq(queue_try_put(q, (void *)3), QUEUE_FULL);
    start = timing_now();
    ck_assert_int_eq(queue_put_timed(q, (void *)3, 0.05), QUEUE_TIMEOUT);
    ck_assert(timing_now() - start >= 0.05);
    ck_assert_uint_eq(queue_size(q), 2);
    ck_assert_int_eq(queue_try_get(q, &item), QUEUE_OK);
    ck_assert_ptr_eq(item, (void *)1);
    queue_destroy(q);
}
END_TEST

static atomic_int put_returned;

static void *put_seven(void *unused)
{
    (void)unused;
    enum queue_status s = queue_put(q, (void *)7);
    atomic_store(&put_returned, 1);
    return (void *)(intptr_t)s;
}

START_TEST(a_put_blocked_on_a_full_queue_wakes_when_an_item_is_taken)
{
    pthread_t t;
    void *item, *status;

    q = queue_create(2);
    queue_put(q, (void *)5);
    queue_put(q, (void *)6);
    PT(pthread_create(&t, NULL, put_seven, NULL));
    timing_sleep_unscaled(0.05);
    ck_assert_msg(!atomic_load(&put_returned), "a put into a full queue returned");
    ck_assert_int_eq(queue_get(q, &item), QUEUE_OK);
    ck_assert_ptr_eq(item, (void *)5);
    PT(pthread_join(t, &status));
    ck_assert_int_eq((intptr_t)status, QUEUE_OK);
    ck_assert_uint_eq(queue_size(q), 2);
    queue_get(q, &item);
    ck_assert_ptr_eq(item, (void *)6);
    queue_get(q, &item);
    ck_assert_ptr_eq(item, (void *)7);
    queue_destroy(q);
}
END_TEST

static void *getter(void *unused)
{
    void *item;
    (void)unused;
    return (void *)(intptr_t)queue_get(q, &item);
}

static void *putter(void *unused)
{
    (void)unused;
    return (void *)(intptr_t)queue_put(q, (void *)1);
}

START_TEST(close_wakes_every_blocked_getter_and_putter)
{
    enum { N = 4 };
    pthread_t t[N];
    void *status;

    q = queue_create(1);
    for (int i = 0; i < N; i++)
        PT(pthread_create(&t[i], NULL, getter, NULL));
    timing_sleep_unscaled(0.02);
    queue_close(q);
    for (int i = 0; i < N; i++) {
        PT(pthread_join(t[i], &status));
        ck_assert_int_eq((intptr_t)status, QUEUE_CLOSED);
    }
    queue_destroy(q);

    q = queue_create(1);
    queue_put(q, (void *)1);
    for (int i = 0; i < N; i++)
        PT(pthread_create(&t[i], NULL, putter, NULL));
    timing_sleep_unscaled(0.02);
    queue_close(q);
    for (int i = 0; i < N; i++) {
        PT(pthread_join(t[i], &status));
        ck_assert_int_eq((intptr_t)status, QUEUE_CLOSED);
    }
    queue_destroy(q);
}
END_TEST

START_TEST(after_close_puts_are_refused_and_gets_drain_then_report_closed)
{
    void *item;

    q = queue_create(0);
    queue_put(q, (void *)1);
    queue_put(q, (void *)2);
    queue_close(q);
    queue_close(q);
    ck_assert_int_eq(queue_put(q, (void *)3), QUEUE_CLOSED);
    ck_assert_int_eq(queue_try_put(q, (void *)3), QUEUE_CLOSED);
    ck_assert_int_eq(queue_get(q, &item), QUEUE_OK);
    ck_assert_ptr_eq(item, (void *)1);
    ck_assert_int_eq(queue_get_timed(q, &item, 1), QUEUE_OK);
    ck_assert_ptr_eq(item, (void *)2);
    ck_assert_int_eq(queue_get(q, &item), QUEUE_CLOSED);
    ck_assert_int_eq(queue_try_get(q, &item), QUEUE_CLOSED);
    queue_destroy(q);
}
END_TEST

/* Many producers and consumers: nothing lost, nothing twice, each
 * producer's items in its own order, the bound never exceeded. */
enum { PRODUCERS = 3, CONSUMERS = 3, PER_PRODUCER = 333334, MAXSIZE = 64 };
static atomic_uchar seen[PRODUCERS][PER_PRODUCER];
static atomic_int out_of_order, over_bound;

static void *produce(void *arg)
{
    intptr_t p = (intptr_t)arg;
    for (intptr_t i = 0; i < PER_PRODUCER; i++) {
        queue_put(q, (void *)(p * PER_PRODUCER + i + 1));
        if ((i & 1023) == 0 && queue_size(q) > MAXSIZE)
            atomic_fetch_add(&over_bound, 1);
    }
    return NULL;
}

static void *consume(void *unused)
{
    intptr_t last[PRODUCERS] = { -1, -1, -1 };
    void *item;
    (void)unused;
    while (queue_get(q, &item) == QUEUE_OK) {
        intptr_t v = (intptr_t)item - 1, p = v / PER_PRODUCER, i = v % PER_PRODUCER;
        if (i <= last[p])
            atomic_fetch_add(&out_of_order, 1);
        last[p] = i;
        atomic_fetch_add(&seen[p][i], 1);
    }
    return NULL;
}

START_TEST(a_million_items_through_many_threads_arrive_once_each)
{
    pthread_t prod[PRODUCERS], cons[CONSUMERS];

    q = queue_create(MAXSIZE);
    for (intptr_t i = 0; i < CONSUMERS; i++)
        PT(pthread_create(&cons[i], NULL, consume, NULL));
    for (intptr_t i = 0; i < PRODUCERS; i++)
        PT(pthread_create(&prod[i], NULL, produce, (void *)i));
    for (int i = 0; i < PRODUCERS; i++)
        PT(pthread_join(prod[i], NULL));
    queue_close(q);
    for (int i = 0; i < CONSUMERS; i++)
        PT(pthread_join(cons[i], NULL));
    queue_destroy(q);

    long missing = 0, twice = 0;
    for (int p = 0; p < PRODUCERS; p++)
        for (int i = 0; i < PER_PRODUCER; i++) {
            missing += seen[p][i] == 0;
            twice += seen[p][i] > 1;
        }
    ck_assert_msg(missing == 0 && twice == 0, "%ld items lost, %ld delivered twice", missing, twice);
    ck_assert_int_eq(atomic_load(&out_of_order), 0);
    ck_assert_int_eq(atomic_load(&over_bound), 0);
}
END_TEST

/*
 * A queue of one between two producers and two consumers: every put fills
 * it and every get empties it, so nearly every call waits for another.
 * Half the threads use timed calls that time out again and again (POSIX
 * lets a waiter that times out swallow a signal meant for another). Every
 * item must arrive once, and no thread may be left waiting. (A lost wake-up
 * here is repaired by the next put; ping-pong below is the test for that.)
 */
enum { HANDOFFS = 20000 };
static atomic_uchar handed[2][HANDOFFS];

static void *hand_over(void *arg)
{
    intptr_t role = (intptr_t)arg;      /* 0, 1: producers; 2, 3: consumers */
    bool timed = role % 2 == 1;
    void *item;

    for (intptr_t i = 0; i < HANDOFFS; i++) {
        if (role < 2) {
            item = (void *)(role * HANDOFFS + i + 1);
            while ((timed ? queue_put_timed(q, item, 0.0005) : queue_put(q, item)) != QUEUE_OK)
                ;
        } else {
            while ((timed ? queue_get_timed(q, &item, 0.0005) : queue_get(q, &item)) != QUEUE_OK)
                ;
            intptr_t v = (intptr_t)item - 1;
            atomic_fetch_add(&handed[v / HANDOFFS][v % HANDOFFS], 1);
        }
    }
    return NULL;
}

START_TEST(a_queue_of_one_between_two_producers_and_two_consumers_loses_nothing)
{
    void *roles[] = { (void *)0, (void *)1, (void *)2, (void *)3 };

    q = queue_create(1);
    ck_assert_msg(harness_threads(hand_over, roles, NULL, 4, 10),
                  "a thread was still waiting after 10 s: was a wake-up lost?");
    ck_assert_uint_eq(queue_size(q), 0);
    queue_destroy(q);
    long wrong = 0;
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < HANDOFFS; i++)
            wrong += handed[p][i] != 1;
    ck_assert_msg(wrong == 0, "%ld items lost or delivered twice", wrong);
}
END_TEST

/*
 * Ping-pong through two queues of one: each ball is the only one in flight,
 * so if a wake-up were lost, no later put would come to repair it and the
 * game would stop. Every 8th turn the returner dawdles 50 us, longer than a
 * getter's watch usually lasts (watch() in fastqueue.c: as long as a sleep
 * has been costing, a few microseconds to a few tens), so the getter
 * really goes to sleep.
 */
enum { RALLIES = 4000 };
static queue_t *ping, *pong;

static void *return_balls(void *unused)
{
    void *ball;
    (void)unused;
    for (int i = 0; i < RALLIES; i++) {
        queue_get(ping, &ball);
        if (i % 8 == 0)
            timing_sleep_unscaled(0.00005);
        queue_put(pong, ball);
    }
    return NULL;
}

static void *serve_balls(void *unused)
{
    void *ball;
    (void)unused;
    for (intptr_t i = 0; i < RALLIES; i++) {
        queue_put(ping, (void *)i);
        queue_get(pong, &ball);
        if ((intptr_t)ball != i)
            return (void *)1;
    }
    return NULL;
}

static void *(*const players[])(void *) = { serve_balls, return_balls };

static void *play(void *which)
{
    return players[(intptr_t)which](NULL);
}

START_TEST(ping_pong_through_queues_of_one_loses_no_wakeup)
{
    void *sides[] = { (void *)0, (void *)1 }, *results[2];

    ping = queue_create(1);
    pong = queue_create(1);
    ck_assert_msg(harness_threads(play, sides, results, 2, 10),
                  "a player was still waiting after 10 s: was a wake-up lost?");
    ck_assert_msg(results[0] == NULL, "a ball came back out of turn");
    queue_destroy(pong);
    queue_destroy(ping);
}
END_TEST

/* The ring grows (holding both locks) while a consumer takes from it. */
enum { BURST = 1000, GROWN = 200000 };

static void *take_in_order(void *unused)
{
    void *item;
    (void)unused;
    for (intptr_t i = 0; i < GROWN; i++)
        if (queue_get(q, &item) != QUEUE_OK || (intptr_t)item != i)
            return (void *)(i + 1);     /* where the order broke */
    return NULL;
}

START_TEST(an_unbounded_queue_grows_while_a_consumer_takes)
{
    pthread_t consumer;
    void *broke;

    q = queue_create(0);
    for (intptr_t i = 0; i < BURST; i++)    /* grows from 64 slots, alone */
        queue_put(q, (void *)i);
    PT(pthread_create(&consumer, NULL, take_in_order, NULL));
    for (intptr_t i = BURST; i < GROWN; i++)
        queue_put(q, (void *)i);
    PT(pthread_join(consumer, &broke));
    ck_assert_msg(broke == NULL, "item %ld came out of order or not at all", (long)(intptr_t)broke - 1);
    ck_assert(queue_empty(q));
    queue_destroy(q);
}
END_TEST

/* ---- the behaviours of CPython's test_queue.py that map onto this API ---- */

/* What a call on its own thread returned: queue_put/get, plain or timed. */
struct call {
    bool get, timed;
    double timeout;
    void *item;
};

static void *make_call(void *arg)
{
    struct call *c = arg;
    enum queue_status s;

    if (c->get)
        s = c->timed ? queue_get_timed(q, &c->item, c->timeout) : queue_get(q, &c->item);
    else
        s = c->timed ? queue_put_timed(q, c->item, c->timeout) : queue_put(q, c->item);
    return (void *)(intptr_t)s;
}

/* Start c; it must still wait after a moment. */
static pending_t *start_blocked(struct call *c, const char *what)
{
    pending_t *p = pending_start(make_call, c);
    ck_assert_msg(!pending_returned(p, 0.05), "%s returned at once; it must wait", what);
    return p;
}

static void *item_of(intptr_t i) { return (void *)i; }

/* test_queue's basic_queue_test, on a queue of 5. */
static void basic_queue_test(void)
{
    enum { SIZE = 5 };
    void *item;

    ck_assert(queue_empty(q) && !queue_full(q));
    queue_put(q, item_of(111));
    queue_put(q, item_of(333));
    queue_put(q, item_of(222));
    intptr_t want[] = { 111, 333, 222 };
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(queue_get(q, &item), QUEUE_OK);
        ck_assert_int_eq((intptr_t)item, want[i]);
    }
    for (intptr_t i = 0; i < SIZE - 1; i++) {
        queue_put(q, item_of(i));
        ck_assert(!queue_empty(q));
    }
    ck_assert(!queue_full(q));
    queue_put(q, item_of(10));
    ck_assert(queue_full(q) && !queue_empty(q));
    ck_assert_int_eq(queue_try_put(q, item_of(30)), QUEUE_FULL);
    ck_assert_int_eq(queue_put_timed(q, item_of(30), 0.01), QUEUE_TIMEOUT);

    /* A put into a full queue waits for a get; so does a put with a timeout. */
    struct call puts[] = { { .item = item_of(30) }, { .timed = true, .timeout = 10, .item = item_of(30) } };
    for (int i = 0; i < 2; i++) {
        pending_t *p = start_blocked(&puts[i], i == 0 ? "queue_put(full)" : "queue_put_timed(full, 10)");
        ck_assert_int_eq(queue_get(q, &item), QUEUE_OK);
        ck_assert_int_eq((intptr_t)pending_join(p), QUEUE_OK);
    }
    for (int i = 0; i < SIZE; i++)
        ck_assert_int_eq(queue_get(q, &item), QUEUE_OK);
    ck_assert_uint_eq(queue_size(q), 0);
    ck_assert_int_eq(queue_try_get(q, &item), QUEUE_EMPTY);
    ck_assert_int_eq(queue_get_timed(q, &item, 0.01), QUEUE_TIMEOUT);

    /* A get from an empty queue waits for a put; so does a get with a timeout. */
    struct call gets[] = { { .get = true }, { .get = true, .timed = true, .timeout = 10 } };
    for (int i = 0; i < 2; i++) {
        pending_t *p = start_blocked(&gets[i], i == 0 ? "queue_get(empty)" : "queue_get_timed(empty, 10)");
        queue_put(q, item_of(40 + i));
        ck_assert_int_eq((intptr_t)pending_join(p), QUEUE_OK);
        ck_assert_int_eq((intptr_t)gets[i].item, 40 + i);
    }
}

START_TEST(a_queue_of_five_fills_blocks_and_drains_the_same_way_twice)
{
    q = queue_create(5);
    basic_queue_test();
    basic_queue_test();
    queue_destroy(q);
}
END_TEST

/* test_queue's test_nowait. */
START_TEST(non_blocking_calls_fill_and_drain_to_the_bound)
{
    void *item;

    q = queue_create(5);
    for (intptr_t i = 0; i < 5; i++)
        ck_assert_int_eq(queue_try_put(q, item_of(i)), QUEUE_OK);
    ck_assert_int_eq(queue_try_put(q, item_of(5)), QUEUE_FULL);
    for (intptr_t i = 0; i < 5; i++) {
        ck_assert_int_eq(queue_try_get(q, &item), QUEUE_OK);
        ck_assert_int_eq((intptr_t)item, i);
    }
    ck_assert_int_eq(queue_try_get(q, &item), QUEUE_EMPTY);
    queue_destroy(q);
}
END_TEST

/* test_negative_timeout_raises_exception: Python raises ValueError; by
 * timing.h's rule a timeout of 0 or less does not wait. */
START_TEST(a_negative_timeout_does_not_wait_where_python_raises)
{
    void *item;

    q = queue_create(1);
    ck_assert_int_eq(queue_get_timed(q, &item, -1), QUEUE_TIMEOUT);
    ck_assert_int_eq(queue_put_timed(q, item_of(1), -1), QUEUE_OK);
    ck_assert_int_eq(queue_put_timed(q, item_of(2), -INFINITY), QUEUE_TIMEOUT);
    ck_assert_int_eq(queue_get_timed(q, &item, -1), QUEUE_OK);
    ck_assert_int_eq((intptr_t)item, 1);
    queue_destroy(q);
}
END_TEST

/* timing.h: a timeout too large to represent waits without limit. */
START_TEST(a_huge_or_infinite_timeout_waits_until_it_can_go_on)
{
    static const double huge[] = { 1e100, INFINITY, DBL_MAX };
    struct call c;
    void *item;

    q = queue_create(1);
    for (int i = 0; i < 3; i++) {
        c = (struct call){ .get = true, .timed = true, .timeout = huge[i] };
        pending_t *p = start_blocked(&c, "queue_get_timed(empty, huge)");
        queue_put(q, item_of(7));
        ck_assert_int_eq((intptr_t)pending_join(p), QUEUE_OK);
        ck_assert_int_eq((intptr_t)c.item, 7);
    }
    queue_put(q, item_of(8));
    for (int i = 0; i < 3; i++) {
        c = (struct call){ .timed = true, .timeout = huge[i], .item = item_of(9) };
        pending_t *p = start_blocked(&c, "queue_put_timed(full, huge)");
        ck_assert_int_eq(queue_get(q, &item), QUEUE_OK);
        ck_assert_int_eq((intptr_t)pending_join(p), QUEUE_OK);
    }
    queue_destroy(q);
}
END_TEST

static void get_nan(void)
{
    void *item;
    queue_get_timed(queue_create(1), &item, NAN);
}

static void put_nan(void)
{
    queue_t *full = queue_create(1);
    queue_put(full, NULL);
    queue_put_timed(full, NULL, NAN);
}

START_TEST(a_nan_timeout_aborts_with_a_message)
{
    void (*calls[])(void) = { get_nan, put_nan };
    const char *names[] = { "queue_get_timed(q, &item, NAN)", "queue_put_timed(q, item, NAN)" };

    for (int i = 0; i < 2; i++) {
        struct run r = harness_fork(calls[i], 5);
        ck_assert_msg(r.signal == SIGABRT && strstr(r.out, "NaN") != NULL,
                      "%s: expected an abort naming NaN, got status %d, signal %d:\n%s", names[i],
                      r.exit_code, r.signal, r.out);
        run_free(&r);
    }
}
END_TEST

/*
 * _shutdown_all_methods_in_one_thread (immediate=False): after close, on a
 * full queue, every put says CLOSED (not FULL, not TIMEOUT, and none
 * waits); gets hand out what is left, then say CLOSED, timed ones included.
 * Python's shutdown(immediate=True), which drops the items, has no
 * counterpart: queue_close() always lets the gets drain.
 */
START_TEST(a_closed_full_queue_refuses_every_put_and_drains_every_get)
{
    void *item;

    q = queue_create(2);
    queue_put(q, item_of(1));
    ck_assert_int_eq(queue_try_put(q, item_of(2)), QUEUE_OK);
    queue_close(q);
    ck_assert_int_eq(queue_put(q, item_of(3)), QUEUE_CLOSED);
    ck_assert_int_eq(queue_try_put(q, item_of(3)), QUEUE_CLOSED);
    ck_assert_int_eq(queue_put_timed(q, item_of(3), 1), QUEUE_CLOSED);
    ck_assert_int_eq(queue_put_timed(q, item_of(3), INFINITY), QUEUE_CLOSED);
    ck_assert_int_eq(queue_get(q, &item), QUEUE_OK);
    ck_assert_int_eq((intptr_t)item, 1);
    ck_assert_int_eq(queue_get_timed(q, &item, 1), QUEUE_OK);
    ck_assert_int_eq((intptr_t)item, 2);
    ck_assert_int_eq(queue_get(q, &item), QUEUE_CLOSED);
    ck_assert_int_eq(queue_try_get(q, &item), QUEUE_CLOSED);
    ck_assert_int_eq(queue_get_timed(q, &item, 1), QUEUE_CLOSED);
    ck_assert_int_eq(queue_get_timed(q, &item, INFINITY), QUEUE_CLOSED);
    queue_destroy(q);
}
END_TEST

/* _shutdown_get and _shutdown_put: three getters on a closed queue of two
 * items, two putters on a closed full one. Started before or after the
 * close, the getters take both items and one hears CLOSED; both putters do. */
START_TEST(close_lets_getters_take_what_is_left_and_refuses_putters)
{
    struct call gets[3] = { { .get = true }, { .get = true }, { .get = true, .timed = true, .timeout = 10 } };
    struct call puts[2] = { { .item = item_of(3) }, { .timed = true, .timeout = 10, .item = item_of(4) } };
    void *args[3] = { &gets[0], &gets[1], &gets[2] }, *got[3];

    q = queue_create(2);
    queue_put(q, item_of(1));
    queue_put(q, item_of(2));
    queue_close(q);
    ck_assert(harness_threads(make_call, args, got, 3, 5));
    int closed = 0;
    intptr_t sum = 0;
    for (int i = 0; i < 3; i++) {
        if ((intptr_t)got[i] == QUEUE_CLOSED)
            closed++;
        else
            sum += (intptr_t)gets[i].item;
    }
    ck_assert_msg(closed == 1 && sum == 3, "%d of 3 getters heard CLOSED; the items they took add to %ld",
                  closed, (long)sum);
    queue_destroy(q);

    q = queue_create(2);
    queue_put(q, item_of(1));
    queue_put(q, item_of(2));
    pending_t *p[2];
    for (int i = 0; i < 2; i++)
        p[i] = start_blocked(&puts[i], "queue_put(full)");
    queue_close(q);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq((intptr_t)pending_join(p[i]), QUEUE_CLOSED);
    ck_assert_uint_eq(queue_size(q), 2);
    queue_destroy(q);
}
END_TEST

/*
 * _shutdown_all_methods_in_many_threads: writers put until they hear
 * CLOSED, readers (blocking, non-blocking and timed) get until they do; the
 * test closes once the readers have taken some items. Every writer and
 * every reader hears CLOSED, and the gets hand out exactly what was put.
 */
enum { WRITERS = 4, READERS = 6, BEFORE_CLOSE = 20000 };
static atomic_long put_ok, got_ok, put_sum, got_sum;

static void *write_until_closed(void *arg)
{
    for (long i = 1;; i++) {
        long item = i * WRITERS + (intptr_t)arg;
        if (queue_put(q, (void *)item) != QUEUE_OK)
            return NULL;
        atomic_fetch_add(&put_ok, 1);
        atomic_fetch_add(&put_sum, item);
    }
}

static void *read_until_closed(void *arg)
{
    int kind = (int)(intptr_t)arg % 3;     /* 0: blocking, 1: non-blocking, 2: timed */
    void *item;

    for (;;) {
        enum queue_status s = kind == 0 ? queue_get(q, &item)
                            : kind == 1 ? queue_try_get(q, &item)
                                        : queue_get_timed(q, &item, 0.00001);
        if (s == QUEUE_CLOSED)
            return NULL;
        if (s == QUEUE_OK) {
            atomic_fetch_add(&got_ok, 1);
            atomic_fetch_add(&got_sum, (long)(intptr_t)item);
        } else {
            sched_yield();
        }
    }
}

static void *closer(void *unused)
{
    (void)unused;
    while (atomic_load(&got_ok) < BEFORE_CLOSE)
        timing_sleep_unscaled(0.0005);
    queue_close(q);
    return NULL;
}

static void *many_threads_role(void *arg)
{
    intptr_t i = (intptr_t)arg;
    if (i < WRITERS)
        return write_until_closed((void *)i);
    if (i < WRITERS + READERS)
        return read_until_closed((void *)(i - WRITERS));
    return closer(NULL);
}

START_TEST(close_ends_every_writer_and_reader_and_loses_nothing)
{
    void *roles[WRITERS + READERS + 1];

    for (intptr_t i = 0; i < WRITERS + READERS + 1; i++)
        roles[i] = (void *)i;
    q = queue_create(64);
    ck_assert_msg(harness_threads(many_threads_role, roles, NULL, WRITERS + READERS + 1, 10),
                  "a writer or reader was still running 10 s after the close");
    ck_assert_uint_eq(queue_size(q), 0);
    ck_assert_int_eq(atomic_load(&got_ok), atomic_load(&put_ok));
    ck_assert(atomic_load(&got_sum) == atomic_load(&put_sum));
    queue_destroy(q);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("queue");
    TCase *tc = harness_tcase("queue", 20);
    tcase_add_test(tc, items_come_out_in_the_order_they_went_in);
    tcase_add_test(tc, try_and_timed_calls_report_full_empty_and_timeout);
    tcase_add_test(tc, a_put_blocked_on_a_full_queue_wakes_when_an_item_is_taken);
    tcase_add_test(tc, close_wakes_every_blocked_getter_and_putter);
    tcase_add_test(tc, after_close_puts_are_refused_and_gets_drain_then_report_closed);
    tcase_add_test(tc, a_million_items_through_many_threads_arrive_once_each);
    tcase_add_test(tc, a_queue_of_one_between_two_producers_and_two_consumers_loses_nothing);
    tcase_add_test(tc, ping_pong_through_queues_of_one_loses_no_wakeup);
    tcase_add_test(tc, an_unbounded_queue_grows_while_a_consumer_takes);
    tcase_add_test(tc, a_queue_of_five_fills_blocks_and_drains_the_same_way_twice);
    tcase_add_test(tc, non_blocking_calls_fill_and_drain_to_the_bound);
    tcase_add_test(tc, a_negative_timeout_does_not_wait_where_python_raises);
    tcase_add_test(tc, a_huge_or_infinite_timeout_waits_until_it_can_go_on);
    tcase_add_test(tc, a_nan_timeout_aborts_with_a_message);
    tcase_add_test(tc, a_closed_full_queue_refuses_every_put_and_drains_every_get);
    tcase_add_test(tc, close_lets_getters_take_what_is_left_and_refuses_putters);
    tcase_add_test(tc, close_ends_every_writer_and_reader_and_loses_nothing);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
