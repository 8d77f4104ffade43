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
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
