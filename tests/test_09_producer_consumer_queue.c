/* test_09_producer_consumer_queue.c - lesson 9: a queue and an Event; exercise 9. */
#include "alloc.h"
#include "bqueue.h"
#include "harness.h"
#include "pt.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* main sleeps 0.1 s * 0.1 before it sets the event. */
#define SCALE 0.1

START_TEST(every_message_is_stored_once_in_order_and_both_threads_exit)
{
    struct run r = harness_run("prodcom_queue", NULL, SCALE, 10);
    ck_assert_msg(!r.timed_out && r.exit_code == 0, "prodcom_queue did not end cleanly (%d%s)",
                  r.exit_code, r.timed_out ? ", hung" : "");

    size_t lines = 1;
    for (const char *p = r.out; *p != '\0'; p++)
        lines += *p == '\n';
    long *got = alloc_zeroed(lines, sizeof *got), *stored = alloc_zeroed(lines, sizeof *stored);
    size_t ngot = output_numbers(r.out, "Producer got message: ", got, NULL, lines);
    size_t nstored = output_numbers(r.out, "Consumer storing message: ", stored, NULL, lines);
    ck_assert_msg(ngot > 0 && nstored == ngot, "%zu messages got, %zu stored: every message must be stored",
                  ngot, nstored);
    for (size_t i = 0; i < ngot; i++)
        ck_assert_msg(stored[i] == got[i], "message %zu was got as %ld but stored as %ld: out of order",
                      i, got[i], stored[i]);

    /* The queue never held more than its 10. */
    for (const char *p = strstr(r.out, "(size="); p != NULL; p = strstr(p + 1, "(size="))
        ck_assert_msg(atoi(p + 6) <= 10, "the consumer saw a queue of %d", atoi(p + 6));

    int set = output_index(r.out, "Main: about to set event");
    int producer_exit = output_index(r.out, "Producer received event. Exiting");
    int consumer_exit = output_index(r.out, "Consumer received event. Exiting");
    ck_assert_msg(set >= 0 && producer_exit > set, "the producer must exit after main sets the event");
    ck_assert_msg(consumer_exit == (int)lines - 2, "the consumer's exit must be the last line");
    free(got);
    free(stored);
    run_free(&r);
}
END_TEST

START_TEST(prodcom_queue_refuses_an_argument)
{
    assert_refuses_argument("prodcom_queue", "abc");
}
END_TEST

/* ---- exercise 9 ---------------------------------------------------------- */

static struct bqueue q;

START_TEST(items_come_out_in_the_order_they_went_in)
{
    bqueue_init(&q, 8);
    for (int i = 1; i <= 5; i++)
        bqueue_put(&q, i * 10);
    ck_assert_msg(bqueue_size(&q) == 5, "after 5 puts bqueue_size is %zu", bqueue_size(&q));
    for (int i = 1; i <= 5; i++) {
        int item = bqueue_get(&q);
        ck_assert_msg(item == i * 10, "get number %d returned %d, expected %d (first in, first out)",
                      i, item, i * 10);
    }
    ck_assert_int_eq(bqueue_size(&q), 0);
    /* Round the ring more than once. */
    for (int i = 0; i < 20; i++) {
        bqueue_put(&q, i);
        bqueue_put(&q, i + 100);
        ck_assert_int_eq(bqueue_get(&q), i);
        ck_assert_int_eq(bqueue_get(&q), i + 100);
    }
    bqueue_destroy(&q);
}
END_TEST

static void *put_three(void *unused)
{
    (void)unused;
    bqueue_put(&q, 3);
    return NULL;
}

static void *get_one(void *unused)
{
    (void)unused;
    return (void *)(intptr_t)bqueue_get(&q);
}

START_TEST(put_waits_while_full_and_a_get_wakes_it)
{
    bqueue_init(&q, 2);
    bqueue_put(&q, 1);
    bqueue_put(&q, 2);
    pending_t *put = pending_start(put_three, NULL);
    bool early = pending_returned(put, 0.2);
    int first = bqueue_get(&q);
    bool woke = pending_returned(put, 5);
    pending_join(put);
    ck_assert_msg(!early, "bqueue_put returned while the queue was full: it must wait");
    ck_assert_msg(woke, "bqueue_put stayed blocked after a get made room");
    ck_assert_int_eq(first, 1);
    ck_assert_int_eq(bqueue_get(&q), 2);
    ck_assert_int_eq(bqueue_get(&q), 3);
    bqueue_destroy(&q);
}
END_TEST

START_TEST(get_waits_while_empty_and_a_put_wakes_it)
{
    bqueue_init(&q, 2);
    pending_t *get = pending_start(get_one, NULL);
    bool early = pending_returned(get, 0.2);
    bqueue_put(&q, 9);
    intptr_t item = (intptr_t)pending_join(get);
    ck_assert_msg(!early, "bqueue_get returned from an empty queue: it must wait");
    ck_assert_int_eq(item, 9);
    bqueue_destroy(&q);
}
END_TEST

#define PRODUCERS 4
#define PER_PRODUCER 10000
#define CAPACITY 4

static atomic_uchar seen[PRODUCERS * PER_PRODUCER];
static atomic_int too_big, duplicates, out_of_order;

static void *produce(void *which)
{
    int p = (int)(intptr_t)which;
    for (int i = 0; i < PER_PRODUCER; i++)
        bqueue_put(&q, p * PER_PRODUCER + i);
    return NULL;
}

/* Takes PER_PRODUCER items; items of one producer must arrive in its order. */
static void *consume(void *unused)
{
    int last[PRODUCERS];
    (void)unused;
    for (int p = 0; p < PRODUCERS; p++)
        last[p] = -1;
    for (int i = 0; i < PER_PRODUCER; i++) {
        int item = bqueue_get(&q);
        if (bqueue_size(&q) > CAPACITY)
            atomic_fetch_add(&too_big, 1);
        if (item < 0 || item >= PRODUCERS * PER_PRODUCER) {
            atomic_fetch_add(&duplicates, 1);
            continue;
        }
        if (atomic_exchange(&seen[item], 1))
            atomic_fetch_add(&duplicates, 1);
        int p = item / PER_PRODUCER;
        if (item <= last[p])
            atomic_fetch_add(&out_of_order, 1);
        last[p] = item;
    }
    return NULL;
}

static void *produce_or_consume(void *role)
{
    intptr_t r = (intptr_t)role;
    return r < PRODUCERS ? produce((void *)r) : consume(NULL);
}

START_TEST(many_producers_and_consumers_lose_nothing)
{
    void *roles[2 * PRODUCERS];
    for (intptr_t i = 0; i < 2 * PRODUCERS; i++)
        roles[i] = (void *)i;

    bqueue_init(&q, CAPACITY);
    ck_assert_msg(harness_threads(produce_or_consume, roles, NULL, 2 * PRODUCERS, 10),
                  "%d producers and %d consumers moving %d items did not finish within 10 s: "
                  "a lost wake-up, or items lost", PRODUCERS, PRODUCERS, PRODUCERS * PER_PRODUCER);
    ck_assert_msg(atomic_load(&duplicates) == 0, "%d items came out twice or were never put in",
                  atomic_load(&duplicates));
    for (int i = 0; i < PRODUCERS * PER_PRODUCER; i++)
        ck_assert_msg(atomic_load(&seen[i]), "item %d never came out", i);
    ck_assert_msg(atomic_load(&out_of_order) == 0, "%d items overtook an earlier item of the same producer",
                  atomic_load(&out_of_order));
    ck_assert_msg(atomic_load(&too_big) == 0, "the queue held more than its %d items %d times",
                  CAPACITY, atomic_load(&too_big));
    ck_assert_int_eq(bqueue_size(&q), 0);
    bqueue_destroy(&q);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("prodcom_queue", 15);
    tcase_add_test(tc, every_message_is_stored_once_in_order_and_both_threads_exit);
    tcase_add_test(tc, prodcom_queue_refuses_an_argument);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("bqueue", 15);
    tcase_add_test(tc, items_come_out_in_the_order_they_went_in);
    tcase_add_test(tc, put_waits_while_full_and_a_get_wakes_it);
    tcase_add_test(tc, get_waits_while_empty_and_a_put_wakes_it);
    tcase_add_test(tc, many_producers_and_consumers_lose_nothing);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
