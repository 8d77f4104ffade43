/* test_timing.c - common/timing: the one scaled sleep, monotonic deadlines. */
#include "harness.h"
#include "timing.h"

#include <stdlib.h>

START_TEST(the_scale_defaults_to_one)
{
    unsetenv("WORKBOOK_TIME_SCALE");
    ck_assert(timing_scale() == 1.0);
}
END_TEST

START_TEST(sleep_is_multiplied_by_the_scale)
{
    setenv("WORKBOOK_TIME_SCALE", "0.25", 1);
    double start = timing_now();
    timing_sleep(0.4);
    double slept = timing_now() - start;
    ck_assert_msg(slept >= 0.1, "slept %.3f s, expected at least 0.4 * 0.25", slept);
    ck_assert_msg(slept < 0.4, "slept %.3f s: the scale was not applied", slept);
}
END_TEST

START_TEST(a_zero_scale_does_not_sleep_but_unscaled_does)
{
    setenv("WORKBOOK_TIME_SCALE", "0", 1);
    double start = timing_now();
    timing_sleep(100);
    ck_assert_msg(timing_now() - start < 1, "timing_sleep(100) slept with scale 0");
    start = timing_now();
    timing_sleep_unscaled(0.05);
    ck_assert(timing_now() - start >= 0.05);
}
END_TEST

static void sleep_with_bad_scale(void)
{
    setenv("WORKBOOK_TIME_SCALE", "fast", 1);
    timing_sleep(1);
}

START_TEST(a_bad_scale_is_one_line_and_status_2)
{
    struct run r = harness_fork(sleep_with_bad_scale, 5);
    ck_assert_int_eq(r.exit_code, 2);
    ck_assert_str_eq(r.out, "error: WORKBOOK_TIME_SCALE must be a number >= 0, such as 0.05 (got 'fast')\n");
    run_free(&r);
}
END_TEST

START_TEST(a_deadline_lies_ahead_on_the_monotonic_clock)
{
    double now = timing_now();
    struct timespec d = timing_deadline(1.75);
    double at = (double)d.tv_sec + (double)d.tv_nsec / 1e9;
    ck_assert(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L);
    ck_assert_msg(at - now >= 1.75 && at - now < 2.75, "deadline %.3f s ahead", at - now);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("timing");
    TCase *tc = harness_tcase("timing", 0);
    tcase_add_test(tc, the_scale_defaults_to_one);
    tcase_add_test(tc, sleep_is_multiplied_by_the_scale);
    tcase_add_test(tc, a_zero_scale_does_not_sleep_but_unscaled_does);
    tcase_add_test(tc, a_bad_scale_is_one_line_and_status_2);
    tcase_add_test(tc, a_deadline_lies_ahead_on_the_monotonic_clock);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
