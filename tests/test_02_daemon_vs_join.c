/* test_02_daemon_vs_join.c - lesson 2: daemon vs join, and exercise 2. */
#include "event.h"
#include "harness.h"
#include "timing.h"
#include "watched.h"

#include <stdint.h>

#define SCALE 0.1

START_TEST(daemon_thread_never_prints_its_last_line)
{
    struct run r = harness_run("daemon_thread", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_int_eq(output_count(r.out, "Main    : all done"), 1);
    /* pthread_create() does not wait for the thread to run, as Python's start()
     * does: main often returns before the thread logs even its first line. */
    ck_assert_int_le(output_count(r.out, "Thread 1: starting"), 1);
    ck_assert_msg(output_count(r.out, "Thread 1: finishing") == 0,
                  "the daemon's last line appeared:\n%s", r.out);
    ck_assert_msg(r.seconds < 2 * SCALE, "the process waited %.3f s for the thread", r.seconds);
    run_free(&r);
}
END_TEST

START_TEST(join_thread_finishes_before_main_is_all_done)
{
    struct run r = harness_run("join_thread", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    int wait = output_index(r.out, "Main    : wait for the thread to finish");
    int finishing = output_index(r.out, "Thread 1: finishing");
    int done = output_index(r.out, "Main    : all done");
    ck_assert_msg(wait >= 0 && wait < finishing && finishing < done,
                  "expected wait, then Thread 1: finishing, then all done:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(thread_two_ends_after_the_thread_it_joins)
{
    struct run r = harness_run("join_another", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    int one_started = output_index(r.out, "Thread Thread-1 started.");
    int one_ended = output_index(r.out, "Thread Thread-1 ended.");
    int two_started = output_index(r.out, "Thread Thread-2 started.");
    int two_ended = output_index(r.out, "Thread Thread-2 ended.");
    ck_assert_msg(one_started >= 0 && two_started >= 0 && one_started < one_ended &&
                  one_ended < two_ended, "unexpected order:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(the_doctor_says_next_then_no)
{
    struct run r = harness_run("is_alive", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_int_eq(output_count(r.out, "Patient: Doctor, am I going to die?"), 2);
    int next = output_index(r.out, "Doctor: Next!");
    int no = output_index(r.out, "Doctor: No.");
    ck_assert_msg(next >= 0 && no > next, "expected Doctor: Next!, then Doctor: No.:\n%s", r.out);
    run_free(&r);
}
END_TEST

/* ---- exercise 2 ---------------------------------------------------------- */

static event_t *release;

/* Runs until the test sets `release` (at most 5 s), then returns 42. */
static void *held(void *unused)
{
    (void)unused;
    event_wait(release, 5);
    return (void *)(intptr_t)42;
}

static void *quick(void *arg)
{
    return arg;
}

static void make_release(void) { release = event_create(); }
static void free_release(void) { event_destroy(release); }

START_TEST(is_alive_while_the_function_runs)
{
    watched_t t;

    watched_start(&t, held, NULL);
    ck_assert_msg(watched_is_alive(&t), "watched_is_alive() is false while fn still runs");
    event_set(release);
    ck_assert_msg(watched_join(&t, 5, NULL), "watched_join() did not return true after fn returned");
}
END_TEST

START_TEST(is_alive_turns_false_when_the_function_returns)
{
    watched_t t;

    watched_start(&t, quick, NULL);
    double give_up = timing_now() + 2;
    while (watched_is_alive(&t) && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    ck_assert_msg(!watched_is_alive(&t), "watched_is_alive() still true 2 s after fn returned");
    ck_assert_msg(watched_join(&t, 0, NULL),
                  "watched_join(t, 0) returned false for a thread whose fn had returned");
}
END_TEST

START_TEST(join_times_out_while_the_thread_runs)
{
    watched_t t;

    watched_start(&t, held, NULL);
    double start = timing_now();
    bool joined = watched_join(&t, 0.2, NULL);
    double waited = timing_now() - start;
    ck_assert_msg(!joined, "watched_join(t, 0.2) returned true while fn was still running");
    ck_assert_msg(waited >= 0.2, "watched_join(t, 0.2) gave up after %.3f s", waited);
    ck_assert_msg(waited < 2, "watched_join(t, 0.2) took %.3f s", waited);
    ck_assert_msg(watched_is_alive(&t), "the thread should still be alive after a timed-out join");
    event_set(release);
    ck_assert_msg(watched_join(&t, -1, NULL), "watched_join(t, -1) returned false after fn returned");
}
END_TEST

START_TEST(join_hands_back_the_result)
{
    watched_t t;
    void *result = NULL;

    watched_start(&t, held, NULL);
    event_set(release);
    ck_assert_msg(watched_join(&t, -1, &result),
                  "watched_join(t, -1) returned false: with no time limit it must wait for fn");
    ck_assert_msg((intptr_t)result == 42, "result is %ld, expected 42", (long)(intptr_t)result);

    watched_start(&t, quick, (void *)(intptr_t)7);
    ck_assert_msg(watched_join(&t, 5, &result), "watched_join(t, 5) returned false for a quick fn");
    ck_assert_int_eq((intptr_t)result, 7);
}
END_TEST

START_TEST(join_waits_for_the_thread_to_finish)
{
    watched_t t;

    spy_start();
    watched_start(&t, held, NULL);
    event_set(release);
    ck_assert_msg(watched_join(&t, 5, NULL), "watched_join(t, 5) returned false after fn returned");
    ck_assert_msg(spy_created() == 1 && spy_joined() == 1,
                  "watched_join must pthread_join the thread it started (started %zu, joined %zu)",
                  spy_created(), spy_joined());
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("daemon_vs_join", 0);
    tcase_add_test(tc, daemon_thread_never_prints_its_last_line);
    tcase_add_test(tc, join_thread_finishes_before_main_is_all_done);
    tcase_add_test(tc, thread_two_ends_after_the_thread_it_joins);
    tcase_add_test(tc, the_doctor_says_next_then_no);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("watched", 0);
    tcase_add_checked_fixture(tc, make_release, free_release);
    tcase_add_test(tc, is_alive_while_the_function_runs);
    tcase_add_test(tc, is_alive_turns_false_when_the_function_returns);
    tcase_add_test(tc, join_times_out_while_the_thread_runs);
    tcase_add_test(tc, join_hands_back_the_result);
    tcase_add_test(tc, join_waits_for_the_thread_to_finish);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
