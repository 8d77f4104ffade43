/* test_02_daemon_vs_join.c - lesson 2: daemon vs join, and exercise 2. */
#include "event.h"
#include "harness.h"
#include "timing.h"
#include "watched.h"

#include <stdint.h>
#include <stdio.h>

#define SCALE 0.1

START_TEST(daemon_thread_never_prints_its_last_line)
{
    struct run r = harness_run("daemon_thread", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_int_eq(output_count(r.out, "Main    : all done"), 1);
    /* pthread_create() does not wait for the thread to run, as Python's start()
     * does: main often returns before the thread logs even its first line. */
    ck_assert_int_le(output_count(r.out, "Thread 1: starting"), 1);
    ck_assert_msg(output_count(r.out, "Thread 1: finishing") == 0,
                  "the daemon's last line appeared:\n%s", r.out);
    ck_assert_msg(r.seconds < 2 * SCALE, "the process waited %.3f s for the thread", r.seconds);
    run_free(&r);
}
END_TEST

START_TEST(join_thread_finishes_before_main_is_all_done)
{
    struct run r = harness_run("join_thread", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    int wait = output_index(r.out, "Main    : wait for the thread to finish");
    int finishing = output_index(r.out, "Thread 1: finishing");
    int done = output_index(r.out, "Main    : all done");
    ck_assert_msg(wait >= 0 && wait < finishing && finishing < done,
                  "expected wait, then Thread 1: finishing, then all done:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(thread_two_ends_after_the_thread_it_joins)
{
    struct run r = harness_run("join_another", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    int one_started = output_index(r.out, "Thread Thread-1 started.");
    int one_ended = output_index(r.out, "Thread Thread-1 ended.");
    int two_started = output_index(r.out, "Thread Thread-2 started.");
    int two_ended = output_index(r.out, "Thread Thread-2 ended.");
    ck_assert_msg(one_started >= 0 && two_started >= 0 && one_started < one_ended &&
                  one_ended < two_ended, "unexpected order:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(the_doctor_says_next_then_no)
{
    struct run r = harness_run("is_alive", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_int_eq(output_count(r.out, "Patient: Doctor, am I going to die?"), 2);
    int next = output_index(r.out, "Doctor: Next!");
    int no = output_index(r.out, "Doctor: No.");
    ck_assert_msg(next >= 0 && no > next, "expected Doctor: Next!, then Doctor: No.:\n%s", r.out);
    run_free(&r);
}
END_TEST

/* ---- exercise 2 ---------------------------------------------------------- */

/* Set by the test: fn may return. Set by held: fn has started (worker is its thread). */
static event_t *release, *entered;
static spy_thread_t *worker;

/* Runs until the test sets `release` (at most 5 s), then returns 42. */
static void *held(void *unused)
{
    (void)unused;
    worker = spy_self();
    event_set(entered);
    event_wait_timed(release, 5);
    return (void *)(intptr_t)42;
}

static void *quick(void *arg)
{
    return arg;
}

static event_t *worker_unlocked, *worker_checked;

static void make_events(void)
{
    release = event_create();
    entered = event_create();
    worker_unlocked = event_create();
    worker_checked = event_create();
}

static void free_events(void)
{
    event_destroy(release);
    event_destroy(entered);
    event_destroy(worker_unlocked);
    event_destroy(worker_checked);
}

/* watched_start(t, held, NULL), and wait until fn runs. */
static void start_held(watched_t *t)
{
    spy_start();
    watched_start(t, held, NULL);
    ck_assert_msg(spy_created() == 1, "watched_start() started %zu threads: start one that runs "
                  "fn(arg)", spy_created());
    ck_assert_msg(event_wait_timed(entered, 2 * harness_slowdown()),
                  "fn did not run within 2 s of watched_start(): start a thread that calls fn(arg)");
}

/* A volatile read: code that writes `finished` without the lock may do so at any time. */
static bool finished_now(watched_t *t)
{
    return *(volatile bool *)&t->finished;
}

/* watched_join(c->t, c->timeout, &c->result) on a thread of its own (pending_start). */
struct join_call {
    watched_t *t;
    double timeout;
    const char *what;       /* "watched_join(t, 5)" */
    spy_thread_t *joiner;
    event_t *calling;
    void *result;
    double seconds;         /* how long the call took */
};

static void *call_join(void *arg)
{
    struct join_call *c = arg;

    c->joiner = spy_self();
    event_set(c->calling);
    double start = timing_now();
    bool joined = watched_join(c->t, c->timeout, &c->result);
    c->seconds = timing_now() - start;
    return (void *)(intptr_t)joined;
}

static pending_t *start_join(struct join_call *c, watched_t *t, double timeout, const char *what)
{
    *c = (struct join_call){ .t = t, .timeout = timeout, .what = what, .calling = event_create() };
    pending_t *p = pending_start(call_join, c);
    event_wait(c->calling);
    event_destroy(c->calling);
    return p;
}

/* The call gave up (returned false) before the thread had finished: say why. */
static void explain_early_return(struct join_call *c)
{
    const pthread_cond_t *cv = &c->t->finished_cv;

    if (spy_wait_sites(cv) > 0 && spy_waits(cv) == 0)
        ck_abort_msg("%s gave up after %.3f s, before the thread had finished, after a condition "
                     "wait that no broadcast had ended. A wait may return without a broadcast (a "
                     "spurious wake-up): wait in a loop, while (!t->finished), not in an if, and "
                     "give up only when pt_cond_wait_until() says the deadline passed",
                     c->what, c->seconds);
    if (spy_wait_sites(cv) == 0)
        ck_abort_msg("%s gave up after %.3f s, before the thread had finished, without waiting on "
                     "finished_cv: wait on it until finished or the deadline", c->what, c->seconds);
    if (c->timeout < 0)
        ck_abort_msg("%s gave up after %.3f s, before the thread had finished: a negative timeout "
                     "means no limit, so pass NULL as the deadline of pt_cond_wait_until(), not a "
                     "deadline made from the negative number", c->what, c->seconds);
    if (c->seconds < c->timeout)
        ck_abort_msg("%s gave up after %.3f s, before the thread had finished and before its "
                     "timeout: make the deadline with timing_deadline(timeout) and the condition "
                     "variable with pt_cond_init_monotonic(), so that both measure CLOCK_MONOTONIC "
                     "(a condition variable from pthread_cond_init() reads another clock, on which "
                     "that deadline passed long ago)", c->what, c->seconds);
    ck_abort_msg("%s waited its whole timeout although fn had returned: after it sets finished, "
                 "the thread must broadcast finished_cv (under t->lock) to wake the join", c->what);
}

/* watched_join(t, timeout, result) once fn may return: it must return true. */
static void assert_joins_now(watched_t *t, double timeout, void **result)
{
    char what[64];
    struct join_call c = { .t = t, .timeout = timeout, .what = what };

    snprintf(what, sizeof what, "watched_join(t, %g)", timeout);
    double start = timing_now();
    bool joined = watched_join(t, timeout, result);
    c.seconds = timing_now() - start;
    if (!joined)
        explain_early_return(&c);
}

/*
 * The same, once the thread has finished (or 2 s have passed): the join then
 * never needs the broadcast. join_sleeps_until_the_thread_broadcasts tests
 * that, so an answer without one fails there, every run, and not in whichever
 * test happened to join before the thread was done.
 */
static void assert_joins(watched_t *t, double timeout, void **result)
{
    size_t started = spy_created();
    double give_up = timing_now() + 2 * harness_slowdown();

    while (started > 0 && !spy_returned(started - 1, NULL) && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    assert_joins_now(t, timeout, result);
}

/* The call sleeps in pthread_join while fn still runs: say why that is wrong. */
static void explain_joining(struct join_call *c)
{
    char now[512];

    spy_describe(c->joiner, now, sizeof now);
    if (spy_wait_sites(&c->t->finished_cv) > 0)
        ck_abort_msg("%s called pthread_join while fn still ran (%s), after a condition wait that "
                     "no broadcast had ended. A wait may return without a broadcast (a spurious "
                     "wake-up): wait in a loop, while (!t->finished), not in an if, and join only "
                     "once finished is true", c->what, now);
    ck_abort_msg("%s called pthread_join while fn still ran (%s): pthread_join cannot give up at "
                 "a deadline. Wait on finished_cv until finished or the deadline, and join only "
                 "once finished is true", c->what, now);
}

/*
 * The join call c, made while fn runs, must go to sleep in a condition wait
 * on finished_cv and stay there: not return, not poll, not sleep in
 * pthread_join (it could not give up at its deadline there).
 */
static void assert_join_sleeps(pending_t *p, struct join_call *c)
{
    double give_up = timing_now() + 2 * harness_slowdown();
    enum spy_doing doing;

    for (;;) {
        if (pending_returned(p, 0))
            explain_early_return(c);
        doing = spy_doing(c->joiner);
        if (doing == SPY_WAITING || doing == SPY_JOINING || doing == SPY_SLEEPING ||
            doing == SPY_YIELDING || spy_calls(c->joiner) > 50 || timing_now() > give_up)
            break;
        timing_sleep_unscaled(0.001);
    }
    if (doing == SPY_JOINING)
        explain_joining(c);
    if (doing == SPY_WAITING && pending_returned(p, 0.1))
        explain_early_return(c);
    pending_assert_waits(p, c->what);
}

START_TEST(is_alive_while_the_function_runs)
{
    watched_t t;

    start_held(&t);
    ck_assert_msg(watched_is_alive(&t), "watched_is_alive() is false while fn still runs");
    event_set(release);
    assert_joins(&t, 5, NULL);
}
END_TEST

START_TEST(is_alive_turns_false_when_the_function_returns)
{
    watched_t t;

    watched_start(&t, quick, NULL);
    double give_up = timing_now() + 2;
    while (watched_is_alive(&t) && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    ck_assert_msg(!watched_is_alive(&t), "watched_is_alive() still true 2 s after fn returned");
    ck_assert_msg(watched_join(&t, 0, NULL),
                  "watched_join(t, 0) returned false for a thread whose fn had returned");
}
END_TEST

/* The test holds t->lock while fn returns: `finished` must wait for it. */
START_TEST(the_thread_sets_finished_holding_the_lock)
{
    watched_t t;
    char now[512];

    start_held(&t);
    SPY_LOCK(&t.lock);
    event_set(release);
    double give_up = timing_now() + 2 * harness_slowdown();
    while (!finished_now(&t) && spy_doing(worker) != SPY_LOCKING && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    bool finished = finished_now(&t);
    enum spy_doing doing = spy_doing(worker);
    spy_describe(worker, now, sizeof now);
    SPY_UNLOCK(&t.lock);
    ck_assert_msg(!finished,
                  "finished turned true while the test held t->lock: the thread sets it without "
                  "the lock, so watched_is_alive() and watched_join() can miss it. After fn "
                  "returns, lock t->lock, store the result, set finished, broadcast finished_cv, "
                  "unlock");
    ck_assert_msg(doing == SPY_LOCKING,
                  "after fn returned, its thread never asked for t->lock (%s): lock it to set "
                  "finished", now);
    assert_joins(&t, -1, NULL);
}
END_TEST

struct is_alive_call {
    watched_t *t;
    spy_thread_t *asker;
    event_t *calling;
};

static void *call_is_alive(void *arg)
{
    struct is_alive_call *c = arg;

    c->asker = spy_self();
    event_set(c->calling);
    return (void *)(intptr_t)watched_is_alive(c->t);
}

/* The test holds t->lock: watched_is_alive() must wait for it. */
START_TEST(is_alive_reads_finished_under_the_lock)
{
    watched_t t;
    struct is_alive_call c = { .t = &t, .calling = event_create() };
    char now[512];

    start_held(&t);
    SPY_LOCK(&t.lock);
    pending_t *p = pending_start(call_is_alive, &c);
    event_wait(c.calling);
    double give_up = timing_now() + 2 * harness_slowdown();
    while (!pending_returned(p, 0) && spy_doing(c.asker) != SPY_LOCKING && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    bool returned = pending_returned(p, 0);
    enum spy_doing doing = spy_doing(c.asker);
    spy_describe(c.asker, now, sizeof now);
    ck_assert_msg(!returned,
                  "watched_is_alive() returned while the test held t->lock: it reads finished "
                  "without the lock. The thread writes finished under t->lock; read it under "
                  "t->lock too");
    ck_assert_msg(doing == SPY_LOCKING, "watched_is_alive() did not ask for t->lock (%s)", now);
    SPY_UNLOCK(&t.lock);
    ck_assert_msg(pending_join(p) != NULL, "watched_is_alive() is false while fn still runs");
    event_destroy(c.calling);
    event_set(release);
    assert_joins(&t, -1, NULL);
}
END_TEST

START_TEST(join_times_out_while_the_thread_runs)
{
    watched_t t;
    struct join_call c;
    char now[512];

    start_held(&t);
    pending_t *p = start_join(&c, &t, 0.2, "watched_join(t, 0.2)");
    if (!pending_returned(p, 2)) {
        if (spy_doing(c.joiner) == SPY_JOINING)
            explain_joining(&c);
        spy_describe(c.joiner, now, sizeof now);
        ck_abort_msg("watched_join(t, 0.2) still waits after 2 s while fn runs (%s): it ignores "
                     "its timeout. Wait with pt_cond_wait_until() and a deadline from "
                     "timing_deadline(timeout), and return false when the deadline passes", now);
    }
    bool joined = pending_join(p) != NULL;
    ck_assert_msg(!joined, "watched_join(t, 0.2) returned true while fn was still running");
    if (c.seconds < 0.2)
        explain_early_return(&c);
    ck_assert_msg(watched_is_alive(&t), "the thread should still be alive after a timed-out join");
    event_set(release);
    assert_joins(&t, -1, NULL);
}
END_TEST

/* watched_join(t, 5) while fn runs: asleep on finished_cv, woken by the broadcast. */
START_TEST(join_sleeps_until_the_thread_broadcasts)
{
    watched_t t;
    struct join_call c;

    start_held(&t);
    pending_t *p = start_join(&c, &t, 5, "watched_join(t, 5)");
    assert_join_sleeps(p, &c);
    event_set(release);
    ck_assert_msg(pending_returned(p, 2),
                  "watched_join(t, 5) still waits 2 s after fn returned: after it sets finished, "
                  "the thread must broadcast finished_cv (under t->lock) to wake the join");
    ck_assert_msg(pending_join(p) != NULL, "watched_join(t, 5) returned false after fn returned");
}
END_TEST

START_TEST(join_without_a_limit_waits_as_long_as_it_takes)
{
    watched_t t;
    struct join_call c;

    start_held(&t);
    pending_t *p = start_join(&c, &t, -1, "watched_join(t, -1)");
    assert_join_sleeps(p, &c);
    timing_sleep_unscaled(0.2);
    if (pending_returned(p, 0))
        explain_early_return(&c);
    event_set(release);
    ck_assert_msg(pending_returned(p, 2),
                  "watched_join(t, -1) still waits 2 s after fn returned: after it sets finished, "
                  "the thread must broadcast finished_cv (under t->lock) to wake the join");
    ck_assert_msg(pending_join(p) != NULL, "watched_join(t, -1) returned false after fn returned");
    ck_assert_msg((intptr_t)c.result == 42, "result is %ld, expected 42", (long)(intptr_t)c.result);
}
END_TEST

START_TEST(join_hands_back_the_result)
{
    watched_t t;
    void *result = NULL;

    watched_start(&t, held, NULL);
    event_set(release);
    assert_joins(&t, -1, &result);
    ck_assert_msg((intptr_t)result == 42, "result is %ld, expected 42", (long)(intptr_t)result);

    watched_start(&t, quick, (void *)(intptr_t)7);
    assert_joins(&t, 5, &result);
    ck_assert_int_eq((intptr_t)result, 7);
}
END_TEST

START_TEST(join_waits_for_the_thread_to_finish)
{
    watched_t t;

    spy_start();
    watched_start(&t, held, NULL);
    event_set(release);
    assert_joins(&t, 5, NULL);
    ck_assert_msg(spy_created() == 1 && spy_joined() == 1,
                  "watched_join must pthread_join the thread it started (started %zu, joined %zu)",
                  spy_created(), spy_joined());
}
END_TEST

/*
 * The worker, just after its unlock of t->lock, waits until the join call
 * sleeps in pthread_join and notes whether t's mutex or condition variable
 * is gone by then: until the thread has ended, it may still use them.
 */
static struct {
    watched_t *t;
    spy_thread_t *joiner;
    bool saw_join;          /* the joiner slept in pthread_join */
    bool destroyed_early;
} order;

static void hold_worker_after_its_unlock(void *unused)
{
    (void)unused;
    event_set(worker_unlocked);
    double give_up = timing_now() + 2 * harness_slowdown();
    while (!(order.saw_join = spy_doing(order.joiner) == SPY_JOINING) && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    order.destroyed_early = spy_mutex_destroyed(&order.t->lock) ||
                            spy_cond_destroyed(&order.t->finished_cv);
    event_set(worker_checked);
}

START_TEST(join_destroys_the_mutex_and_cv_only_after_pthread_join)
{
    watched_t t;

    start_held(&t);
    order.t = &t;
    order.joiner = spy_self();
    spy_interfere(&t.lock, SPY_AFTER_UNLOCK, 1, hold_worker_after_its_unlock, NULL);
    event_set(release);
    ck_assert_msg(event_wait_timed(worker_unlocked, 2),
                  "after fn returned, its thread did not unlock t->lock within 2 s: it must lock "
                  "t->lock, store the result, set finished, broadcast finished_cv, then unlock");
    assert_joins_now(&t, 5, NULL);      /* while the spies hold the thread after its unlock */
    ck_assert_msg(event_wait_timed(worker_checked, 5), "the thread did not end after watched_join()");
    ck_assert_msg(order.saw_join || !order.destroyed_early,
                  "watched_join destroyed t->lock or finished_cv and returned without waiting in "
                  "pthread_join for the thread, which had just unlocked t->lock and had not ended: "
                  "it may still be using them. Call pthread_join first, then destroy the "
                  "condition variable and the mutex");
    ck_assert_msg(!order.destroyed_early,
                  "watched_join destroyed t->lock or finished_cv before pthread_join: the thread "
                  "had just unlocked t->lock and had not ended, so it may still be using them. "
                  "Call pthread_join first, then destroy the condition variable and the mutex");
    ck_assert_msg(spy_mutex_destroyed(&t.lock) && spy_cond_destroyed(&t.finished_cv),
                  "watched_join returned true without destroying t->lock and finished_cv: destroy "
                  "both once the thread is joined");
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("daemon_vs_join", 0);
    tcase_add_test(tc, daemon_thread_never_prints_its_last_line);
    tcase_add_test(tc, join_thread_finishes_before_main_is_all_done);
    tcase_add_test(tc, thread_two_ends_after_the_thread_it_joins);
    tcase_add_test(tc, the_doctor_says_next_then_no);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("watched", 0);
    tcase_add_checked_fixture(tc, make_events, free_events);
    tcase_add_test(tc, is_alive_while_the_function_runs);
    tcase_add_test(tc, is_alive_turns_false_when_the_function_returns);
    tcase_add_test(tc, the_thread_sets_finished_holding_the_lock);
    tcase_add_test(tc, is_alive_reads_finished_under_the_lock);
    tcase_add_test(tc, join_times_out_while_the_thread_runs);
    tcase_add_test(tc, join_sleeps_until_the_thread_broadcasts);
    tcase_add_test(tc, join_without_a_limit_waits_as_long_as_it_takes);
    tcase_add_test(tc, join_hands_back_the_result);
    tcase_add_test(tc, join_waits_for_the_thread_to_finish);
    tcase_add_test(tc, join_destroys_the_mutex_and_cv_only_after_pthread_join);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
