/* test_timer.c - common/timer: Python's threading.Timer. */
#include "harness.h"
#include "timer.h"
#include "timing.h"

#include <stdatomic.h>

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

int main(void)
{
    Suite *s = suite_create("timer");
    TCase *tc = harness_tcase("timer", 20);
    tcase_add_test(tc, fires_once_and_no_earlier_than_its_delay);
    tcase_add_test(tc, cancel_before_it_fires_means_it_never_runs);
    tcase_add_test(tc, cancel_after_it_fired_does_nothing_and_is_no_error);
    tcase_add_test(tc, a_thousand_cancels_around_the_firing_instant_keep_their_word);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
