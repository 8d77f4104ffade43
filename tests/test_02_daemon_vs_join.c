/* test_02_daemon_vs_join.c - lesson 2: daemon vs join, and exercise 2. */
#include "harness.h"

#include <stdint.h>
#include <stdio.h>

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

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("daemon_vs_join", 0);
    tcase_add_test(tc, daemon_thread_never_prints_its_last_line);
    tcase_add_test(tc, join_thread_finishes_before_main_is_all_done);
    tcase_add_test(tc, thread_two_ends_after_the_thread_it_joins);
    tcase_add_test(tc, the_doctor_says_next_then_no);
    suite_add_tcase(demo, tc);

    return harness_main((Suite *[]){ demo, NULL });
}
