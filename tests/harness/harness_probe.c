/*
 * harness_probe.c - tests that must FAIL, run by test_harness.c as a child
 * process: they prove the harness reports an early exit (exit, _exit,
 * quick_exit), a pthread_exit(), a crash and a hang as failures, one line
 * each, and keeps going; a hang after many spied steps too (its report,
 * with the steps drawn, must stay short enough for Check to pass on).
 */
#include "harness.h"
#include "spy.h"

#include <pthread.h>
#include <signal.h>
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
    tcase_add_test(tc, passes);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
