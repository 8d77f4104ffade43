/* test_timer.c - common/timer: Python's threading.Timer, the behaviour
 * test_threading.py checks for it, and the timeout rule of timing.h. */
#include "harness.h"
#include "timer.h"
#include "timing.h"

#include <float.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

static atomic_int fired;
static double fired_at;

static void fire(void *unused)
{
    (void)unused;
    fired_at = timing_now();
    atomic_fetch_add(&fired, 1);
}

START_TEST(fires_once_and_no_earlier_than_its_delay)
{
    double start = timing_now();
    timer_thread_t *t = timer_start(0.05, fire, NULL);
    timer_join(t);
    ck_assert_int_eq(atomic_load(&fired), 1);
    ck_assert_msg(fired_at - start >= 0.05, "fired after %.4f s, before its 0.05 s delay",
                  fired_at - start);
}
END_TEST

START_TEST(cancel_before_it_fires_means_it_never_runs)
{
    timer_thread_t *t = timer_start(10, fire, NULL);
    ck_assert(timer_cancel(t));
    ck_assert(!timer_cancel(t));        /* a second cancel has nothing to do */
    double start = timing_now();
    timer_join(t);
    ck_assert_msg(timing_now() - start < 5, "a cancelled timer kept its thread waiting");
    ck_assert_int_eq(atomic_load(&fired), 0);
}
END_TEST

START_TEST(cancel_after_it_fired_does_nothing_and_is_no_error)
{
    timer_thread_t *t = timer_start(0, fire, NULL);
    while (atomic_load(&fired) == 0)
        timing_sleep_unscaled(0.001);
    ck_assert(!timer_cancel(t));
    timer_join(t);
    ck_assert_int_eq(atomic_load(&fired), 1);
}
END_TEST

/* Cancel at many moments around the firing instant: a cancel that reports
 * success must mean fn never ran, and a failed one that fn ran once. */
START_TEST(a_thousand_cancels_around_the_firing_instant_keep_their_word)
{
    for (int i = 0; i < 1000; i++) {
        atomic_store(&fired, 0);
        timer_thread_t *t = timer_start(0.0002, fire, NULL);
        timing_sleep_unscaled((i % 10) * 0.00004);
        bool cancelled = timer_cancel(t);
        timer_join(t);
        ck_assert_msg(atomic_load(&fired) == (cancelled ? 0 : 1),
                      "try %d: cancel said %d but fn ran %d times", i, cancelled, atomic_load(&fired));
    }
}
END_TEST

/* test_threading's TimerTests: each timer calls fn with its own arg, once. */
static atomic_int calls_with[3];

static void note_arg(void *arg)
{
    atomic_fetch_add(&calls_with[(intptr_t)arg], 1);
}

START_TEST(each_timer_calls_fn_once_with_its_own_arg)
{
    timer_thread_t *t1 = timer_start(0.01, note_arg, (void *)1);
    timer_thread_t *t2 = timer_start(0.01, note_arg, (void *)2);
    timer_join(t1);
    timer_join(t2);
    ck_assert_int_eq(atomic_load(&calls_with[0]), 0);
    ck_assert_int_eq(atomic_load(&calls_with[1]), 1);
    ck_assert_int_eq(atomic_load(&calls_with[2]), 1);
}
END_TEST

/* timing.h: a delay of 0 or less fires at once (Python's Timer(-1, f) too). */
START_TEST(a_delay_of_zero_or_less_fires_at_once)
{
    const double delays[] = { 0, -1, -1e100, -INFINITY };

    for (int i = 0; i < 4; i++) {
        atomic_store(&fired, 0);
        timer_join(timer_start(delays[i], fire, NULL));
        ck_assert_msg(atomic_load(&fired) == 1, "timer_start(%g, ...) did not fire", delays[i]);
    }
}
END_TEST

/* timing.h: a delay too large to represent never ends: only the cancel ends the timer. */
START_TEST(a_huge_or_infinite_delay_waits_for_its_cancel)
{
    const double delays[] = { 1e100, INFINITY, DBL_MAX };
    timer_thread_t *t[3];

    for (int i = 0; i < 3; i++)
        t[i] = timer_start(delays[i], fire, NULL);
    timing_sleep_unscaled(0.2);
    ck_assert_msg(atomic_load(&fired) == 0, "a timer with a huge delay fired");
    for (int i = 0; i < 3; i++) {
        ck_assert_msg(timer_cancel(t[i]), "cancel of timer_start(%g, ...) was too late", delays[i]);
        timer_join(t[i]);
    }
    ck_assert_int_eq(atomic_load(&fired), 0);
}
END_TEST

static void start_nan(void)
{
    timer_start(NAN, fire, NULL);
}

START_TEST(a_nan_delay_aborts_with_a_message)
{
    struct run r = harness_fork(start_nan, 5);
    ck_assert_msg(r.signal == SIGABRT && strstr(r.out, "NaN") != NULL,
                  "timer_start(NAN, ...): expected an abort naming NaN, got status %d, signal %d:\n%s",
                  r.exit_code, r.signal, r.out);
    run_free(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("timer");
    TCase *tc = harness_tcase("timer", 20);
    tcase_add_test(tc, fires_once_and_no_earlier_than_its_delay);
    tcase_add_test(tc, cancel_before_it_fires_means_it_never_runs);
    tcase_add_test(tc, cancel_after_it_fired_does_nothing_and_is_no_error);
    tcase_add_test(tc, a_thousand_cancels_around_the_firing_instant_keep_their_word);
    tcase_add_test(tc, each_timer_calls_fn_once_with_its_own_arg);
    tcase_add_test(tc, a_delay_of_zero_or_less_fires_at_once);
    tcase_add_test(tc, a_huge_or_infinite_delay_waits_for_its_cancel);
    tcase_add_test(tc, a_nan_delay_aborts_with_a_message);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
