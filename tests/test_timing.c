/* test_timing.c - common/timing: the one scaled sleep, monotonic deadlines. */
#include "harness.h"
#include "timing.h"

#include <float.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

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

static double seconds_of(struct timespec t)
{
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* timing.h's rule: 0 or less means a deadline that has already come. */
START_TEST(a_timeout_of_zero_or_less_is_a_deadline_of_now)
{
    const double timeouts[] = { 0, -0.0, -0.5, -1, -1e100, -INFINITY, -DBL_MAX };

    for (size_t i = 0; i < sizeof timeouts / sizeof timeouts[0]; i++) {
        double before = timing_now();
        struct timespec d = timing_deadline(timeouts[i]);
        ck_assert(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L);
        ck_assert_msg(seconds_of(d) >= before && seconds_of(d) <= timing_now(),
                      "timing_deadline(%g) is %.3f s from now, not now", timeouts[i],
                      seconds_of(d) - before);
    }
}
END_TEST

/*
 * timing.h's rule: a timeout too large for a struct timespec has no
 * deadline (the last instant a timespec holds), and no timeout, however
 * large, wraps around to a deadline in the past.
 */
START_TEST(a_timeout_too_large_to_represent_has_no_deadline)
{
    struct timespec never = timing_deadline(INFINITY);
    ck_assert_int_eq(never.tv_nsec, 999999999L);
    ck_assert_msg(seconds_of(never) > timing_now() + 1e9, "timing_deadline(INFINITY) is %g s from now",
                  seconds_of(never) - timing_now());
    for (double huge = 1e100; huge < INFINITY; huge *= 1e100) {
        struct timespec d = timing_deadline(huge);
        ck_assert(d.tv_sec == never.tv_sec && d.tv_nsec == never.tv_nsec);
    }
    ck_assert(timing_deadline(DBL_MAX).tv_sec == never.tv_sec);

    struct timespec last = timing_deadline(0);
    for (double t = 1; t <= 1e30; t *= 10) {
        double now = timing_now();
        struct timespec d = timing_deadline(t);
        bool none = d.tv_sec == never.tv_sec && d.tv_nsec == never.tv_nsec;
        ck_assert(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L);
        ck_assert_msg(none || fabs(seconds_of(d) - (now + t)) <= 1 + (now + t) * 1e-15,
                      "timing_deadline(%g) is %g s from now", t, seconds_of(d) - now);
        ck_assert_msg(d.tv_sec >= last.tv_sec, "timing_deadline(%g) comes before a shorter one's", t);
        last = d;
    }
}
END_TEST

static void deadline_of_nan(void)
{
    timing_deadline(NAN);
}

START_TEST(a_nan_timeout_aborts_with_a_message)
{
    struct run r = harness_fork(deadline_of_nan, 5);
    ck_assert_msg(r.signal == SIGABRT && strstr(r.out, "NaN") != NULL,
                  "timing_deadline(NAN): expected an abort naming NaN, got status %d, signal %d:\n%s",
                  r.exit_code, r.signal, r.out);
    run_free(&r);
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
    tcase_add_test(tc, a_timeout_of_zero_or_less_is_a_deadline_of_now);
    tcase_add_test(tc, a_timeout_too_large_to_represent_has_no_deadline);
    tcase_add_test(tc, a_nan_timeout_aborts_with_a_message);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
