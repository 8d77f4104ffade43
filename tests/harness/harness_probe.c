/*
 * harness_probe.c - tests that must FAIL, run by test_harness.c as a child
 * process: they prove the harness reports an early exit (exit, _exit,
 * quick_exit), a pthread_exit(), a crash and a hang as failures, one line
 * each, and keeps going; a hang after many spied steps too (its report,
 * with the steps drawn, must stay short enough for Check to pass on), and
 * one whose drawing shows the state spy_watch() describes.
 */
#include "harness.h"
#include "spy.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

START_TEST(calls_exit_0) { exit(0); } END_TEST
START_TEST(calls__exit_0) { _exit(0); } END_TEST
START_TEST(calls_quick_exit_0) { quick_exit(0); } END_TEST
START_TEST(calls_pthread_exit) { pthread_exit(NULL); } END_TEST
START_TEST(crashes) { raise(SIGSEGV); } END_TEST
START_TEST(hangs) { pause(); } END_TEST
START_TEST(hangs_after_many_steps)
{
    static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    spy_name(&m, "a mutex with a long name, to fill the report");
    for (int i = 0; i < 100; i++) {
        SPY_LOCK(&m);
        SPY_UNLOCK(&m);
    }
    pause();
}
END_TEST
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static int counter;
static void describe(const pthread_mutex_t *m, char *buf, size_t size)
{
    if (m == &counter_lock)
        snprintf(buf, size, "counter %d", counter);
}
START_TEST(hangs_showing_the_state)
{
    spy_name(&counter_lock, "the counter's lock");
    spy_watch(describe);
    for (int i = 0; i < 3; i++) {
        SPY_LOCK(&counter_lock);
        if (i != 1)
            counter++;
        SPY_UNLOCK(&counter_lock);
    }
    pause();
}
END_TEST
START_TEST(passes) { ck_assert_int_eq(2 + 2, 4); } END_TEST

int main(void)
{
    Suite *s = suite_create("probe");
    TCase *tc = harness_tcase("probe", 0.2);
    tcase_add_test(tc, calls_exit_0);
    tcase_add_test(tc, calls__exit_0);
    tcase_add_test(tc, calls_quick_exit_0);
    tcase_add_test(tc, calls_pthread_exit);
    tcase_add_test(tc, crashes);
    tcase_add_test(tc, hangs);
    tcase_add_test(tc, hangs_after_many_steps);
    tcase_add_test(tc, hangs_showing_the_state);
    tcase_add_test(tc, passes);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
