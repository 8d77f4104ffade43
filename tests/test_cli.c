/* test_cli.c - common/cli: a number or a one-line error with status 2. */
#include "cli.h"
#include "fail.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

static long parse(const char *arg)
{
    char *argv[] = { "/x/demo", (char *)arg, NULL };
    return cli_number(arg ? 2 : 1, argv, "THREADS", 3, 1, 64);
}

START_TEST(a_number_in_range_is_returned_and_absent_means_the_default)
{
    ck_assert_int_eq(parse("1"), 1);
    ck_assert_int_eq(parse("64"), 64);
    ck_assert_int_eq(parse(NULL), 3);
}
END_TEST

static const char *bad_arg;
static void parse_bad(void) { parse(bad_arg); }

START_TEST(anything_else_is_one_line_and_status_2)
{
    static const char *const bad[] = { "abc", "-1", "0", "65", "3x", "", "99999999999999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        bad_arg = bad[i];
        struct run r = harness_fork(parse_bad, 5);
        char want[160];
        snprintf(want, sizeof want, "error: demo: THREADS must be a whole number from 1 to 64 "
                 "(got '%s'): try ARGS=3\n", bad[i]);
        ck_assert_int_eq(r.exit_code, 2);
        ck_assert_str_eq(r.out, want);
        run_free(&r);
    }
}
END_TEST

static void two_args(void)
{
    char *argv[] = { "demo", "1", "2", NULL };
    cli_number(3, argv, "THREADS", 3, 1, 64);
}

static void any_arg(void)
{
    char *argv[] = { "demo", "x", NULL };
    cli_no_args(2, argv);
}

START_TEST(extra_arguments_are_refused)
{
    struct run r = harness_fork(two_args, 5);
    ck_assert_int_eq(r.exit_code, 2);
    ck_assert_str_eq(r.out, "error: demo takes one number, THREADS (got 2 arguments): try ARGS=3\n");
    run_free(&r);
    r = harness_fork(any_arg, 5);
    ck_assert_int_eq(r.exit_code, 2);
    ck_assert_str_eq(r.out, "error: demo takes no arguments (got 'x'): run it without ARGS\n");
    run_free(&r);
}
END_TEST

static void no_args_with_bad_scale(void)
{
    char *argv[] = { "demo", NULL };
    setenv("WORKBOOK_TIME_SCALE", "abc", 1);
    cli_no_args(1, argv);
}

START_TEST(a_bad_knob_in_the_environment_fails_before_the_program_starts)
{
    struct run r = harness_fork(no_args_with_bad_scale, 5);
    ck_assert_int_eq(r.exit_code, 2);
    ck_assert_str_eq(r.out, "error: WORKBOOK_TIME_SCALE must be a number >= 0, such as 0.05 (got 'abc')\n");
    run_free(&r);
}
END_TEST

START_TEST(environment_numbers)
{
    unsetenv("CLI_TEST");
    ck_assert(env_number("CLI_TEST", 1.5) == 1.5);
    setenv("CLI_TEST", "0.05", 1);
    ck_assert(env_number("CLI_TEST", 1) == 0.05);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = harness_tcase("cli", 0);
    tcase_add_test(tc, a_number_in_range_is_returned_and_absent_means_the_default);
    tcase_add_test(tc, anything_else_is_one_line_and_status_2);
    tcase_add_test(tc, extra_arguments_are_refused);
    tcase_add_test(tc, a_bad_knob_in_the_environment_fails_before_the_program_starts);
    tcase_add_test(tc, environment_numbers);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
