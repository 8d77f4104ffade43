/* test_harness.c - the harness fails what Check alone would pass or lose. */
#include "harness.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBE "../tests/harness_probe"

static struct run probe;

static void run_probe(void)
{
    setenv("CK_VERBOSITY", "verbose", 1);   /* whatever the caller asked for */
    unsetenv("CK_RUN_SUITE");
    probe = harness_run(PROBE, NULL, 1, 10);
}

static int line_has(const char *test, const char *verdict)
{
    char want[128];
    snprintf(want, sizeof want, ":%s:probe:%s:", verdict, test);
    return strstr(probe.out, want) != NULL;
}

START_TEST(an_early_exit_0_is_a_failure)
{
    run_probe();
    ck_assert_msg(line_has("calls_exit_0", "F"), "exit(0) was not reported as a failure:\n%s", probe.out);
    ck_assert_ptr_nonnull(strstr(probe.out, "the process ended before the test did"));
}
END_TEST

START_TEST(an_early__exit_or_quick_exit_fails_too)
{
    run_probe();
    ck_assert_msg(line_has("calls__exit_0", "E"), "_exit(0) was not reported as an error:\n%s", probe.out);
    ck_assert_ptr_nonnull(strstr(probe.out, "Early exit with return value 0"));
    ck_assert_msg(line_has("calls_quick_exit_0", "F"), "quick_exit(0) was not a failure:\n%s", probe.out);
}
END_TEST

START_TEST(pthread_exit_in_the_test_is_a_failure)
{
    run_probe();
    ck_assert_msg(line_has("calls_pthread_exit", "F"), "pthread_exit was not a failure:\n%s", probe.out);
    ck_assert_ptr_nonnull(strstr(probe.out, "called pthread_exit() in it"));
}
END_TEST

START_TEST(a_crash_and_a_hang_are_errors_and_the_run_goes_on)
{
    run_probe();
    ck_assert_msg(line_has("crashes", "E"), "a crash was not an error:\n%s", probe.out);
    ck_assert_msg(line_has("hangs", "F"), "a hang was not a failure:\n%s", probe.out);
    ck_assert_ptr_nonnull(strstr(probe.out, "the test did not finish within 0.2 s"));
    ck_assert_msg(line_has("hangs_after_many_steps", "F"),
                  "a hang after 200 spied steps was not reported as one (a report longer than "
                  "Check passes on ends the process):\n%s", probe.out);
    ck_assert_ptr_nonnull(strstr(probe.out, "The last steps, a column per thread"));
    ck_assert_msg(strstr(probe.out, "Checks: 9, Failures: 6, Errors: 2") != NULL,
                  "the probe's summary is wrong:\n%s", probe.out);
    ck_assert_int_eq(probe.exit_code, 1);
}
END_TEST

START_TEST(a_timeline_shows_the_watched_state_where_it_changed)
{
    run_probe();
    ck_assert_msg(line_has("hangs_showing_the_state", "F"), "the hang was not a failure:\n%s", probe.out);
    const char *at = strstr(probe.out, "hangs_showing_the_state");
    const char *want[] = { "locks the counter's lock: counter 0", "unlocks the counter's lock: counter 1",
                           "unlocks the counter's lock: counter 2" };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const char *found = strstr(at, want[i]);
        ck_assert_msg(found != NULL, "no step '%s' in the hang's timeline:\n%s", want[i], at);
        at = found;
    }
    ck_assert_msg(strstr(probe.out, "counter 3") == NULL,
                  "the timeline shows a state the counter never had:\n%s", probe.out);
    /* Steps 3 to 5 (lock, unlock, lock) changed nothing: they show no state. */
    ck_assert_msg(strstr(probe.out, "locks the counter's lock (harness_probe.c") != NULL,
                  "a step that changed nothing repeats the state:\n%s", probe.out);
}
END_TEST

/* spy_hook_calls.c, built with the hook forced in as exercise files are. */
int spy_hook_calls(bool ending_too);

START_TEST(the_hook_takes_every_argument_the_real_call_takes)
{
    /* That it compiled is most of the test: a compound literal such as
     * &(struct timespec){ 0, 100000000 } is one argument to C, two to a
     * macro of fixed arity. Run, the calls behave as the real ones. */
    ck_assert_int_eq(spy_hook_calls(false), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("harness");
    TCase *tc = harness_tcase("guard", 10);
    tcase_add_test(tc, an_early_exit_0_is_a_failure);
    tcase_add_test(tc, an_early__exit_or_quick_exit_fails_too);
    tcase_add_test(tc, pthread_exit_in_the_test_is_a_failure);
    tcase_add_test(tc, a_crash_and_a_hang_are_errors_and_the_run_goes_on);
    tcase_add_test(tc, a_timeline_shows_the_watched_state_where_it_changed);
    tcase_add_test(tc, the_hook_takes_every_argument_the_real_call_takes);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
