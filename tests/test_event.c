/* test_event.c - common/event: Python's threading.Event. */
#include "event.h"
#include "harness.h"
#include "pt.h"
#include "timing.h"

#include <stdint.h>

static event_t *ev;
static void make(void) { ev = event_create(); }
static void destroy(void) { event_destroy(ev); }

static void *waiter(void *unused)
{
    (void)unused;
    return (void *)(intptr_t)event_wait(ev, 5);
}

START_TEST(set_wakes_every_waiter)
{
    enum { N = 6 };
    pthread_t t[N];

    for (int i = 0; i < N; i++)
        PT(pthread_create(&t[i], NULL, waiter, NULL));
    timing_sleep_unscaled(0.02);    /* not needed for correctness: lets some block first */
    event_set(ev);
    for (int i = 0; i < N; i++) {
        void *woke;
        PT(pthread_join(t[i], &woke));
        ck_assert_msg(woke == (void *)1, "waiter %d returned without the flag", i);
    }
}
END_TEST

START_TEST(a_timed_wait_on_an_unset_event_says_not_set_after_its_timeout)
{
    double start = timing_now();
    ck_assert(!event_wait(ev, 0.1));
    double waited = timing_now() - start;
    ck_assert_msg(waited >= 0.1, "returned after %.3f s, before its 0.1 s timeout", waited);
}
END_TEST

START_TEST(a_set_event_returns_at_once_until_cleared)
{
    ck_assert(!event_is_set(ev));
    event_set(ev);
    ck_assert(event_is_set(ev));
    ck_assert(event_wait(ev, 0));
    ck_assert(event_wait(ev, -1));
    event_clear(ev);
    ck_assert(!event_is_set(ev));
    ck_assert(!event_wait(ev, 0));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("event");
    TCase *tc = harness_tcase("event", 0);
    tcase_add_checked_fixture(tc, make, destroy);
    tcase_add_test(tc, set_wakes_every_waiter);
    tcase_add_test(tc, a_timed_wait_on_an_unset_event_says_not_set_after_its_timeout);
    tcase_add_test(tc, a_set_event_returns_at_once_until_cleared);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
