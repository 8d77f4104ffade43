/* test_queue.c - common/queue: Python's queue.Queue with close(). */
#include "harness.h"
#include "pt.h"
#include "queue.h"
#include "timing.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

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
 * getter's watch (spin() in queue.c), so the getter really goes to sleep.
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
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
