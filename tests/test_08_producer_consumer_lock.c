/* test_08_producer_consumer_lock.c - lesson 8: a one-message pipeline; exercise 8. */
#include "harness.h"
#include "pipeline.h"
#include "pt.h"

#include <stdint.h>
#include <string.h>

#define SCALE 0.1

START_TEST(the_consumer_stores_each_message_once_in_order)
{
    long got[16], stored[16];
    int got_at[16], stored_at[16];
    struct run r = harness_run("prodcom_lock", NULL, SCALE, 5);

    ck_assert_msg(r.exit_code == 0, "prodcom_lock ended with %d:\n%s", r.exit_code, r.out);
    size_t ngot = output_numbers(r.out, "Producer got message: ", got, got_at, 16);
    size_t nstored = output_numbers(r.out, "Consumer storing message: ", stored, stored_at, 16);
    ck_assert_msg(ngot == 10 && nstored == 10, "expected 10 messages got and 10 stored:\n%s", r.out);
    for (size_t i = 0; i < 10; i++) {
        ck_assert_msg(got[i] >= 1 && got[i] <= 101, "message %ld is not from 1 to 101", got[i]);
        ck_assert_msg(stored[i] == got[i] && stored_at[i] > got_at[i],
                      "message %zu: got %ld, stored %ld (each in order, after it was got):\n%s", i,
                      got[i], stored[i], r.out);
    }
    ck_assert_int_eq(output_count(r.out, "Producer:have setlock"), 0); /* debug lines stay off */
    run_free(&r);
}
END_TEST

START_TEST(debug_shows_the_locks_change_hands)
{
    struct run r = harness_run_debug("prodcom_lock", NULL, SCALE, 5);
    static const char *const lines[] = {
        "Producer:about to acquire setlock", "Producer:have setlock", "Producer:about to release getlock",
        "Producer:getlock released", "Consumer:about to acquire getlock", "Consumer:have getlock",
        "Consumer:about to release setlock", "Consumer:setlock released",
    };
    ck_assert_int_eq(r.exit_code, 0);
    /* Ten messages and the sentinel: each line eleven times. */
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        ck_assert_msg(output_count(r.out, lines[i]) == 11, "expected '%s' 11 times, saw %d:\n%s",
                      lines[i], output_count(r.out, lines[i]), r.out);
    run_free(&r);
}
END_TEST

START_TEST(a_thread_may_not_unlock_anothers_mutex)
{
    struct run r = harness_run("foreign_unlock", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_msg(strstr(r.out, ": Consumer: release refused: ") && strstr(r.out, "(EPERM)\n"),
                  "expected the consumer's unlock to fail with EPERM:\n%s", r.out);
    ck_assert_int_lt(output_index(r.out, "Producer: has the lock"), output_index(r.out, "Producer: released the lock"));
    run_free(&r);
}
END_TEST

START_TEST(demos_refuse_an_argument)
{
    static const char *const programs[] = { "prodcom_lock", "foreign_unlock" };
    for (size_t i = 0; i < sizeof programs / sizeof *programs; i++)
        assert_refuses_argument(programs[i], "10");
}
END_TEST

/* ---- exercise 8 ---------------------------------------------------------- */

#define MESSAGES 20000

static struct pipeline pipeline;

static void *get_one(void *unused)
{
    (void)unused;
    return (void *)(intptr_t)pipeline_get_message(&pipeline);
}

static void *set_two(void *unused)
{
    (void)unused;
    pipeline_set_message(&pipeline, 2);
    return NULL;
}

START_TEST(one_message_goes_through)
{
    pipeline_init(&pipeline);
    pipeline_set_message(&pipeline, 7);
    ck_assert_int_eq(pipeline_get_message(&pipeline), 7);
    pipeline_destroy(&pipeline);
}
END_TEST

START_TEST(get_waits_while_the_slot_is_empty)
{
    pipeline_init(&pipeline);
    pending_t *get = pending_start(get_one, NULL);
    bool early = pending_returned(get, 0.2);
    pipeline_set_message(&pipeline, 5);
    intptr_t message = (intptr_t)pending_join(get);
    ck_assert_msg(!early, "pipeline_get_message returned from an empty pipeline: it must wait");
    ck_assert_int_eq(message, 5);
    pipeline_destroy(&pipeline);
}
END_TEST

START_TEST(set_waits_while_the_slot_is_full)
{
    pipeline_init(&pipeline);
    pipeline_set_message(&pipeline, 1);
    pending_t *set = pending_start(set_two, NULL);
    bool early = pending_returned(set, 0.2);
    int first = pipeline_get_message(&pipeline);
    pending_join(set);
    ck_assert_msg(!early, "pipeline_set_message returned while the slot was full: it must wait");
    ck_assert_int_eq(first, 1);
    ck_assert_int_eq(pipeline_get_message(&pipeline), 2);
    pipeline_destroy(&pipeline);
}
END_TEST

static void *send_all(void *unused)
{
    (void)unused;
    for (int i = 1; i <= MESSAGES; i++)
        pipeline_set_message(&pipeline, i);
    return NULL;
}

/* Returns the first message that broke the order 1, 2, 3, ..., or 0. */
static void *receive_all(void *unused)
{
    (void)unused;
    for (int i = 1; i <= MESSAGES; i++) {
        int m = pipeline_get_message(&pipeline);
        if (m != i)
            return (void *)(intptr_t)(i * 100000 + m);
    }
    return NULL;
}

static void *send_or_receive(void *sender)
{
    return sender != NULL ? send_all(NULL) : receive_all(NULL);
}

START_TEST(thousands_of_messages_arrive_once_and_in_order)
{
    void *results[2];

    pipeline_init(&pipeline);
    ck_assert_msg(harness_threads(send_or_receive, (void *const[]){ (void *)1, NULL }, results, 2, 5),
                  "a producer and a consumer passing %d messages did not finish within 5 s", MESSAGES);
    intptr_t bad = (intptr_t)results[1];
    ck_assert_msg(bad == 0, "message %ld arrived as %ld: every message once, in order", (long)(bad / 100000),
                  (long)(bad % 100000));
    pipeline_destroy(&pipeline);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("prodcom_lock", 10);
    tcase_add_test(tc, the_consumer_stores_each_message_once_in_order);
    tcase_add_test(tc, debug_shows_the_locks_change_hands);
    tcase_add_test(tc, a_thread_may_not_unlock_anothers_mutex);
    tcase_add_test(tc, demos_refuse_an_argument);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("pipeline", 10);
    tcase_add_test(tc, one_message_goes_through);
    tcase_add_test(tc, get_waits_while_the_slot_is_empty);
    tcase_add_test(tc, set_waits_while_the_slot_is_full);
    tcase_add_test(tc, thousands_of_messages_arrive_once_and_in_order);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
