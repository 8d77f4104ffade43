/*
 * test_event.c - common/event: Python's threading.Event, with the behaviours
 * CPython's lock_tests.py checks for it (is_set, notify, timeout,
 * set_and_clear) and the timeout rule of timing.h.
 *
 * common/event.c is built with the spies here (SPIED_test_event in the
 * Makefile), so a test can see its waiters asleep in their wait.
 */
#define _GNU_SOURCE
#include "barrier.h"
#include "event.h"
#include "harness.h"
#include "pt.h"
#include "timing.h"

#include <float.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

enum { N = 5 };
static event_t *ev;
static void make(void) { ev = event_create(); }
static void destroy(void) { event_destroy(ev); }

/* A thread waiting on ev: event_wait(ev) when untimed, else event_wait_timed(ev, timeout). */
struct waiter {
    bool untimed;
    double timeout;
    _Atomic(spy_thread_t *) spy;
    pending_t *call;
};

static void *wait_once(void *arg)
{
    struct waiter *w = arg;

    atomic_store(&w->spy, spy_self());
    if (w->untimed) {
        event_wait(ev);
        return (void *)1;
    }
    return (void *)(intptr_t)event_wait_timed(ev, w->timeout);
}

/* Start the waiters; none may return while the flag stays down. */
static void start_waiters(struct waiter w[], int n, void *(*fn)(void *))
{
    for (int i = 0; i < n; i++)
        w[i].call = pending_start(fn, &w[i]);
    for (int i = 0; i < n; i++)
        ck_assert_msg(!pending_returned(w[i].call, i == 0 ? 0.2 : 0),
                      "waiter %d returned before the event was set", i);
}

/* Return once every waiter sleeps in its wait: a set from now on must end each wait. */
static void until_all_asleep(struct waiter w[], int n)
{
    double give_up = timing_now() + 5 * harness_slowdown();

    for (int i = 0; i < n; i++) {
        spy_thread_t *spy;
        while ((spy = atomic_load(&w[i].spy)) == NULL || spy_doing(spy) != SPY_WAITING) {
            ck_assert_msg(!pending_returned(w[i].call, 0), "waiter %d returned before the event was set", i);
            ck_assert_msg(timing_now() < give_up,
                          "waiter %d was not asleep in its wait after %g s. Is common/event.c "
                          "built with the spies (SPIED_test_event in the Makefile)?",
                          i, 5 * harness_slowdown());
            timing_sleep_unscaled(0.001);
        }
    }
}

/* Every waiter returns, soon, with true. */
static void assert_all_return_true(struct waiter w[], int n, const char *after)
{
    for (int i = 0; i < n; i++) {
        ck_assert_msg(pending_returned(w[i].call, 5 * harness_slowdown()),
                      "waiter %d still waits 5 s after %s", i, after);
        ck_assert_msg(pending_join(w[i].call) == (void *)1, "waiter %d returned false after %s", i, after);
    }
}

START_TEST(is_set_follows_set_and_clear_each_called_twice)
{
    ck_assert(!event_is_set(ev));
    event_set(ev);
    ck_assert(event_is_set(ev));
    event_set(ev);
    ck_assert(event_is_set(ev));
    event_clear(ev);
    ck_assert(!event_is_set(ev));
    event_clear(ev);
    ck_assert(!event_is_set(ev));
}
END_TEST

static void *wait_twice(void *arg)
{
    struct waiter *w = arg;
    bool first = wait_once(w) != NULL;
    bool second = wait_once(w) != NULL;     /* the flag is still up: at once */
    return (void *)(intptr_t)(first && second);
}

/* lock_tests' test_notify: the waits of every waiter end with true, twice. */
static void check_notify(void)
{
    struct waiter w[N] = { { .untimed = true }, { .untimed = true }, { .untimed = true },
                           { .timeout = 30 }, { .timeout = 30 } };

    start_waiters(w, N, wait_twice);
    event_set(ev);
    assert_all_return_true(w, N, "event_set()");
}

START_TEST(set_wakes_every_waiter_and_later_waits_return_at_once)
{
    check_notify();
    event_set(ev);          /* again, after an explicit clear */
    event_clear(ev);
    check_notify();
}
END_TEST

/*
 * gh-57711: a set that a clear follows at once must still end every wait,
 * with true. Each round, every waiter sleeps in its wait (the spies say
 * so) before the test sets and clears. The waiters run under SCHED_BATCH
 * where there is one (Linux): a woken waiter then does not preempt the
 * test, which clears before any waiter has its lock back, so a wait that
 * looks only at the flag goes wrong in the first round, even on one CPU.
 */
enum { ROUNDS = 100 };
static barrier_t *next_round;
static atomic_int woke, said_false;

/* Where refused or missing, the rounds still run, each less likely to catch a wrong wait. */
static void no_wakeup_preemption(void)
{
#ifdef SCHED_BATCH
    struct sched_param param = { .sched_priority = 0 };
    int refused = pthread_setschedparam(pthread_self(), SCHED_BATCH, &param);
    (void)refused;
#endif
}

static void *wait_every_round(void *arg)
{
    struct waiter *w = arg;

    no_wakeup_preemption();
    for (int round = 0; round < ROUNDS; round++) {
        barrier_wait(next_round);
        if (wait_once(w) == NULL)
            atomic_fetch_add(&said_false, 1);
        atomic_fetch_add(&woke, 1);
    }
    return NULL;
}

START_TEST(a_set_followed_at_once_by_a_clear_still_wakes_every_waiter_with_true)
{
    struct waiter w[N] = { { .untimed = true }, { .untimed = true }, { .untimed = true },
                           { .timeout = 30 }, { .timeout = INFINITY } };

    next_round = barrier_create(N + 1);
    for (int i = 0; i < N; i++)
        w[i].call = pending_start(wait_every_round, &w[i]);
    for (int round = 0; round < ROUNDS; round++) {
        barrier_wait(next_round);
        until_all_asleep(w, N);
        event_set(ev);
        event_clear(ev);
        double give_up = timing_now() + 5 * harness_slowdown();
        while (atomic_load(&woke) < N * (round + 1)) {
            ck_assert_msg(timing_now() < give_up,
                          "round %d: %d of %d waiters still wait 5 s after event_set() and "
                          "event_clear(): a set must end every wait under way, even when a clear "
                          "comes before the woken waiter runs again", round,
                          N * (round + 1) - atomic_load(&woke), N);
            timing_sleep_unscaled(0.0005);
        }
        ck_assert_msg(atomic_load(&said_false) == 0,
                      "round %d: a waiter woken by event_set() returned false (the event was "
                      "cleared since): Python's wait() returns True to every waiter set() woke", round);
    }
    for (int i = 0; i < N; i++)
        pending_join(w[i].call);
    barrier_destroy(next_round);
}
END_TEST

enum { POLLED = 1, WAITED = 2, EARLY = 4 };

/* event_wait_timed(ev, 0), then (ev, 0.1): what each said, and EARLY if the second gave up early. */
static void *poll_then_wait_briefly(void *unused)
{
    (void)unused;
    bool polled = event_wait_timed(ev, 0);
    double start = timing_now();
    bool waited = event_wait_timed(ev, 0.1);
    bool early = !waited && timing_now() - start < 0.1;
    return (void *)(intptr_t)((polled ? POLLED : 0) | (waited ? WAITED : 0) | (early ? EARLY : 0));
}

/* lock_tests' test_timeout: on an unset event both waits say false, the
 * timed one after its whole timeout; on a set one both say true. */
START_TEST(timed_waits_report_the_flag_and_time_out_on_an_unset_event)
{
    void *got[N];

    ck_assert(harness_threads(poll_then_wait_briefly, NULL, got, N, 5));
    for (int i = 0; i < N; i++)
        ck_assert_msg((intptr_t)got[i] == 0, "thread %d, unset event: %s", i,
                      (intptr_t)got[i] & EARLY ? "the 0.1 s wait gave up early" : "a wait said true");
    event_set(ev);
    ck_assert(harness_threads(poll_then_wait_briefly, NULL, got, N, 5));
    for (int i = 0; i < N; i++)
        ck_assert_msg((intptr_t)got[i] == (POLLED | WAITED), "thread %d: a wait on a set event said false", i);
}
END_TEST

/* timing.h: a timeout too large to represent waits without limit. */
START_TEST(a_huge_or_infinite_timeout_waits_until_the_set)
{
    struct waiter w[] = { { .timeout = 1e100 }, { .timeout = INFINITY }, { .timeout = DBL_MAX },
                          { .timeout = 1e12 } };
    int n = (int)(sizeof w / sizeof w[0]);

    start_waiters(w, n, wait_once);
    event_set(ev);
    assert_all_return_true(w, n, "event_set()");
}
END_TEST

/* timing.h: a timeout of 0 or less does not wait (Python's Event.wait(-1) too). */
START_TEST(a_negative_timeout_only_looks_at_the_flag)
{
    ck_assert(!event_wait_timed(ev, -1));
    ck_assert(!event_wait_timed(ev, -INFINITY));
    ck_assert(!event_wait_timed(ev, -1e100));
    event_set(ev);
    ck_assert(event_wait_timed(ev, -1));
    ck_assert(event_wait_timed(ev, 0));
    event_wait(ev);
}
END_TEST

static void wait_nan(void)
{
    event_wait_timed(event_create(), NAN);
}

START_TEST(a_nan_timeout_aborts_with_a_message)
{
    struct run r = harness_fork(wait_nan, 5);
    ck_assert_msg(r.signal == SIGABRT && strstr(r.out, "NaN") != NULL,
                  "event_wait_timed(e, NAN): expected an abort naming NaN, got status %d, signal %d:\n%s",
                  r.exit_code, r.signal, r.out);
    run_free(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("event");
    TCase *tc = harness_tcase("event", 20);
    tcase_add_checked_fixture(tc, make, destroy);
    tcase_add_test(tc, is_set_follows_set_and_clear_each_called_twice);
    tcase_add_test(tc, set_wakes_every_waiter_and_later_waits_return_at_once);
    tcase_add_test(tc, a_set_followed_at_once_by_a_clear_still_wakes_every_waiter_with_true);
    tcase_add_test(tc, timed_waits_report_the_flag_and_time_out_on_an_unset_event);
    tcase_add_test(tc, a_huge_or_infinite_timeout_waits_until_the_set);
    tcase_add_test(tc, a_negative_timeout_only_looks_at_the_flag);
    tcase_add_test(tc, a_nan_timeout_aborts_with_a_message);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
