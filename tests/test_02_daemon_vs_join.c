/* test_02_daemon_vs_join.c - lesson 2: daemon vs join, and exercise 2. */
#include "event.h"
#include "harness.h"
#include "runner.h"
#include "timing.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCALE 0.1

START_TEST(daemon_thread_never_prints_its_last_line)
{
    /* At full scale: the thread's 2 s sleep is the bound, far above a start-up under load
     * (at 0.1 the 0.2 s bound failed with a load average of 43), and a passing run waits for nothing. */
    struct run r = harness_run("daemon_thread", NULL, 1, 5);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_int_eq(output_count(r.out, "Main    : all done"), 1);
    /* pthread_create() does not wait for the thread to run, as Python's start()
     * does: main often returns before the thread logs even its first line. */
    ck_assert_int_le(output_count(r.out, "Thread 1: starting"), 1);
    ck_assert_msg(output_count(r.out, "Thread 1: finishing") == 0,
                  "the daemon's last line appeared:\n%s", r.out);
    ck_assert_msg(r.seconds < 2, "the process waited %.3f s for the thread's 2 s sleep", r.seconds);
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

START_TEST(a_cancelled_thread_dies_in_its_sleep_and_its_cleanup_runs)
{
    struct run r = harness_run("cancel_thread", NULL, SCALE, 5);

    ck_assert_msg(!r.timed_out, "cancel_thread still ran after 5 s: the cancel must end the thread "
                  "inside its 10 s sleep, and main's pthread_join then returns:\n%s", r.out);
    ck_assert_msg(r.exit_code == 0, "cancel_thread ended with status %d:\n%s", r.exit_code, r.out);
    int starting = output_index(r.out, "Thread 1: starting");
    int cancel = output_index(r.out, "Main    : cancel the thread");
    int cleanup = output_index(r.out, "Thread 1: cleanup handler: buffer freed");
    int cancelled = output_index(r.out, "Main    : the thread was cancelled");
    ck_assert_msg(starting >= 0 && starting < cancel && cancel < cleanup && cleanup < cancelled &&
                  cancelled < output_index(r.out, "Main    : all done"),
                  "expected starting, cancel, the cleanup handler, then PTHREAD_CANCELED from the join:\n%s",
                  r.out);
    ck_assert_msg(output_count(r.out, "Thread 1: cleanup handler: buffer freed") == 1 &&
                  output_count(r.out, "Thread 1: finishing") == 0,
                  "the cleanup handler must run once, and the thread never finish:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(a_thread_asked_to_stop_finishes_its_step_and_returns)
{
    struct run r = harness_run("stop_flag", NULL, SCALE, 5);
    long steps;

    ck_assert_msg(r.exit_code == 0, "stop_flag ended with status %d:\n%s", r.exit_code, r.out);
    int ask = output_index(r.out, "Main    : ask the thread to stop");
    int lines[1];
    size_t found = output_numbers(r.out, "Thread 1: stop seen after ", &steps, lines, 1);
    ck_assert_msg(found == 1 && steps >= 0 && output_index(r.out, "Thread 1: starting") < lines[0] &&
                  ask >= 0 && ask < lines[0] &&
                  lines[0] < output_index(r.out, "Main    : the thread returned"),
                  "expected the thread to see the stop after main asked, and return before the join "
                  "does:\n%s", r.out);
    run_free(&r);
}
END_TEST

/* ---- exercise 2 ---------------------------------------------------------- */

/* fn's argument: the test holds fn (when `held`) until it sets `go`. */
struct job {
    bool held;
    event_t *running;           /* set by fn when it starts */
    event_t *go;                /* set by the test: fn may return */
    atomic_int runs;            /* times fn ran with this job as its argument */
};

static struct job jobs[RUNNER_CAPACITY];

static void make_jobs(void)
{
    for (int i = 0; i < RUNNER_CAPACITY; i++) {
        jobs[i].held = false;
        jobs[i].running = event_create();
        jobs[i].go = event_create();
        atomic_store(&jobs[i].runs, 0);
    }
    spy_start();
    spy_hint("runner_shutdown() joins only the non-daemon threads, which runner_start() creates "
             "joinable; a daemon is created detached, and nobody joins it");
}

static void *job_fn(void *arg)
{
    struct job *j = arg;

    atomic_fetch_add(&j->runs, 1);
    event_set(j->running);
    if (j->held)
        event_wait_timed(j->go, 5);
    return NULL;
}

/* An empty runner on the heap: a daemon may outlive the test's frame. Its memory
 * holds garbage first, as a runner_t on the stack or one used before does, but for
 * the alive flags: one that read true before runner_start() set it would hide a
 * runner_start() that never does. */
static runner_t *new_runner(void)
{
    runner_t *r = malloc(sizeof *r);

    ck_assert_msg(r != NULL, "out of memory");
    memset(r, 0xA5, sizeof *r);
    for (int i = 0; i < RUNNER_CAPACITY; i++)
        atomic_init(&r->threads[i].alive, false);
    runner_init(r);
    ck_assert_msg(r->started == 0, "runner_init() left r->started at %d: the memory of a new runner_t "
                  "(on the stack, from malloc, or used before) holds whatever was there, not zeros. "
                  "runner_init must make the runner empty: set started to 0", r->started);
    return r;
}

/*
 * While the i-th thread started waits before it runs (spy_park_starts): the
 * argument runner_start() gave pthread_create must outlive runner_start().
 */
static void assert_lasting_argument(size_t i)
{
    char here;
    uintptr_t arg = (uintptr_t)spy_create_arg(i), top = (uintptr_t)&here;

    ck_assert_msg(!(arg < top && top - arg < (1u << 20)),
                  "runner_start() gave pthread_create a pointer into its own stack frame (%p: a local "
                  "struct, or &i), which is gone once runner_start() returns: the new thread would "
                  "read whatever the next call left there. Pass &r->threads[i], which lives as long "
                  "as the runner", (void *)arg);
}

/* runner_start(r, job_fn, &jobs[k], daemon), which must return `index`. */
static int start(runner_t *r, int k, bool daemon, int index)
{
    size_t before = spy_created();

    spy_park_starts(true);
    int i = runner_start(r, job_fn, &jobs[k], daemon);
    ck_assert_msg(spy_created() == before + 1, "runner_start() started %zu threads: start one that "
                  "runs fn(arg)", spy_created() - before);
    assert_lasting_argument(before);
    spy_park_starts(false);
    ck_assert_msg(i == index, "runner_start() returned index %d for the runner's thread %d: number "
                  "each runner's threads 0, 1, 2, ... in the order they start", i, index);
    return i;
}

/* Wait (at most 2 s) until the i-th thread started has returned from its start routine. */
static bool thread_returns(size_t i)
{
    double give_up = timing_now() + 2 * harness_slowdown();

    while (!spy_returned(i, NULL) && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    return spy_returned(i, NULL);
}

/* Let every held fn go, and wait for every thread started to end. */
static void finish(void)
{
    for (int k = 0; k < RUNNER_CAPACITY; k++)
        event_set(jobs[k].go);
    for (size_t i = 0; i < spy_created(); i++)
        ck_assert_msg(thread_returns(i), "thread %zu did not end within 2 s of its fn returning", i);
}

static void *call_shutdown(void *r)
{
    runner_shutdown(r);
    return NULL;
}

/*
 * The pending runner_shutdown p must return within 2 s, and never wait to
 * join the i-th thread started where why_not[i] says why not (n of them).
 */
static void assert_returns(pending_t *p, const char *what, const char *const why_not[], size_t n)
{
    char now[512];
    double give_up = timing_now() + 2 * harness_slowdown();
    spy_thread_t *caller = pending_thread(p);

    while (!pending_returned(p, 0.001)) {
        spy_thread_t *target = spy_joining(caller);
        for (size_t i = 0; i < n && target != NULL; i++)
            if (why_not[i] != NULL && target == spy_started(i))
                ck_abort_msg("%s waits in pthread_join for thread %zu, %s, whose fn still runs", what,
                             i, why_not[i]);
        if (timing_now() > give_up) {
            spy_describe(caller, now, sizeof now);
            ck_abort_msg("%s has not returned after 2 s (%s), and every non-daemon fn had returned",
                         what, now);
        }
    }
    pending_join(p);
}

#define A_DAEMON "a daemon: Python's exit never waits for a daemon thread (the end of the " \
                 "process ends it), so runner_shutdown() joins only the non-daemon threads"

START_TEST(is_alive_before_the_thread_has_run)
{
    runner_t *r = new_runner();

    spy_park_starts(true);
    int i = runner_start(r, job_fn, &jobs[0], false);
    bool alive = runner_is_alive(r, i);     /* the new thread waits before its start routine */
    ck_assert_msg(spy_created() == 1, "runner_start() started %zu threads: start one that runs "
                  "fn(arg)", spy_created());
    assert_lasting_argument(0);
    spy_park_starts(false);
    ck_assert_msg(alive, "runner_is_alive() is false right after runner_start(), while the new thread "
                  "has not run a line yet: Python's is_alive() is true from start(). Set the flag "
                  "before pthread_create, as is_alive.c does, not in the thread");
    runner_shutdown(r);
    finish();
}
END_TEST

START_TEST(is_alive_while_fn_runs)
{
    runner_t *r = new_runner();

    jobs[0].held = true;
    int i = start(r, 0, false, 0);
    ck_assert_msg(event_wait_timed(jobs[0].running, 2 * harness_slowdown()),
                  "fn did not run within 2 s of runner_start(): start a thread that calls fn(arg)");
    ck_assert_msg(runner_is_alive(r, i), "runner_is_alive() is false while fn still runs: the "
                  "thread clears the flag as its last act, after fn has returned");
    event_set(jobs[0].go);
    runner_shutdown(r);
    finish();
}
END_TEST

START_TEST(is_alive_turns_false_when_fn_returns)
{
    runner_t *r = new_runner();

    /* The daemon last: no thread started after it can be given its pthread_t once it ends. */
    int other = start(r, 0, false, 0), daemon = start(r, 1, true, 1);
    ck_assert_msg(thread_returns(0) && thread_returns(1), "a thread did not end within 2 s of its fn "
                  "returning");
    ck_assert_msg(!runner_is_alive(r, daemon), "runner_is_alive() is still true after a daemon's fn "
                  "returned and its thread ended: the thread clears the flag as its last act");
    ck_assert_msg(!runner_is_alive(r, other), "runner_is_alive() is still true after fn returned and "
                  "its thread ended, before runner_shutdown(): the thread clears the flag as its "
                  "last act (nobody else knows when fn returns)");
    runner_shutdown(r);
}
END_TEST

/* The new thread runs to its end before pthread_create returns, as a quick one may. */
START_TEST(is_alive_false_when_the_thread_ended_before_pthread_create_returned)
{
    runner_t *r = new_runner();

    spy_start_returns_first(true);
    int i = runner_start(r, job_fn, &jobs[0], false);
    spy_start_returns_first(false);
    ck_assert_msg(spy_created() == 1 && thread_returns(0), "runner_start() did not start a thread "
                  "that ran fn(arg) and ended");
    ck_assert_msg(!runner_is_alive(r, i), "runner_is_alive() is true after fn returned: here the new "
                  "thread ran to its end before pthread_create returned, and the flag was set after "
                  "that. Set it before pthread_create, as is_alive.c does");
    runner_shutdown(r);
}
END_TEST

/* Three threads held before they run, then let go: each runs its own fn(arg), once. */
START_TEST(each_thread_runs_its_own_fn_and_arg)
{
    runner_t *r = new_runner();

    spy_park_starts(true);
    for (int k = 0; k < 3; k++)
        ck_assert_msg(runner_start(r, job_fn, &jobs[k], k == 1) == k, "runner_start() returned the "
                      "wrong index: number each runner's threads 0, 1, 2, ... in the order they start");
    spy_park_starts(false);
    runner_shutdown(r);
    finish();
    for (int k = 0; k < 3; k++)
        ck_assert_msg(atomic_load(&jobs[k].runs) == 1, "fn ran %d times with the argument of thread "
                      "%d, expected once: each thread must get its own fn and arg, from a record "
                      "that outlives runner_start() (&r->threads[i])", atomic_load(&jobs[k].runs), k);
}
END_TEST

START_TEST(a_daemon_is_created_detached_and_a_non_daemon_joinable)
{
    runner_t *r = new_runner();

    start(r, 0, true, 0);
    start(r, 1, false, 1);
    ck_assert_msg(thread_returns(0) && thread_returns(1), "a thread did not end within 2 s");
    ck_assert_msg(!spy_detached(1) && !spy_created_detached(1), "a non-daemon thread was detached: "
                  "runner_shutdown() must join it, and nobody may join a detached thread");
    ck_assert_msg(spy_created_detached(0), spy_detached(0)
                  ? "a daemon thread was created joinable and detached afterwards: create it "
                    "detached, with pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED), as "
                    "thread_kinds.c does, so it is never joinable, not even for a moment"
                  : "a daemon thread was created joinable and never detached: nobody joins it, so "
                    "it would hold on to its resources. Create it detached, with "
                    "pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED), as thread_kinds.c "
                    "does");
    runner_shutdown(r);
}
END_TEST

/* Two non-daemon threads that end at once, two daemons held: shutdown joins the two only. */
START_TEST(shutdown_joins_every_non_daemon_and_no_daemon)
{
    runner_t *r = new_runner();
    const char *why_not[4] = { NULL, A_DAEMON, NULL, A_DAEMON };

    jobs[1].held = jobs[3].held = true;
    for (int k = 0; k < 4; k++)
        start(r, k, k % 2 == 1, k);
    assert_returns(pending_start(call_shutdown, r), "runner_shutdown()", why_not, 4);
    ck_assert_msg(spy_joined() == 2, "runner_shutdown() joined %zu threads: it must join each of the "
                  "2 non-daemon threads once (pthread_join), and no daemon", spy_joined());
    ck_assert_msg(runner_is_alive(r, 1) && runner_is_alive(r, 3), "a daemon whose fn still runs is "
                  "not alive after runner_shutdown()");
    finish();
}
END_TEST

/* A non-daemon fn still runs: runner_shutdown() sleeps in pthread_join until it returns. */
START_TEST(shutdown_waits_for_a_running_non_daemon)
{
    runner_t *r = new_runner();
    char now[512];

    jobs[0].held = true;
    start(r, 0, false, 0);
    ck_assert_msg(event_wait_timed(jobs[0].running, 2 * harness_slowdown()),
                  "fn did not run within 2 s of runner_start()");
    pending_t *p = pending_start(call_shutdown, r);
    spy_thread_t *caller = pending_thread(p);
    double give_up = timing_now() + 2 * harness_slowdown();
    enum spy_doing doing;
    for (;;) {
        ck_assert_msg(!pending_returned(p, 0), "runner_shutdown() returned while a non-daemon "
                      "thread's fn still ran: join it (pthread_join waits until it ends), as "
                      "Python waits for a non-daemon thread at exit");
        doing = spy_doing(caller);
        if (doing == SPY_JOINING || doing == SPY_SLEEPING || doing == SPY_YIELDING ||
            spy_calls(caller) > 50 || timing_now() > give_up)
            break;
        timing_sleep_unscaled(0.001);
    }
    spy_describe(caller, now, sizeof now);
    ck_assert_msg(doing == SPY_JOINING, "runner_shutdown() does not wait for the running non-daemon "
                  "thread in pthread_join (%s): it polls. pthread_join sleeps until the thread ends, "
                  "and frees it", now);
    event_set(jobs[0].go);
    ck_assert_msg(pending_returned(p, 2 * harness_slowdown()), "runner_shutdown() has not returned 2 s "
                  "after the last non-daemon fn returned");
    pending_join(p);
    ck_assert_msg(spy_joined() == 1, "runner_shutdown() joined %zu threads, expected 1", spy_joined());
}
END_TEST

/* Two runners at once: each has its own threads, numbered from 0. */
START_TEST(two_runners_keep_their_threads_apart)
{
    runner_t *a = new_runner(), *b = new_runner();
    const char *why_not[2] = { NULL, "started by another runner: each runner keeps its own threads, "
                               "in r->threads and r->started; a static table or count is shared by "
                               "every runner" };

    jobs[1].held = true;
    start(a, 0, false, 0);
    ck_assert_msg(thread_returns(0), "runner a's thread did not end within 2 s of its fn returning");
    start(b, 1, false, 0);
    ck_assert_msg(!runner_is_alive(a, 0), "runner_is_alive(a, 0) is true after a's fn returned, while "
                  "thread 0 of another runner b runs: two runners share their records. Keep them in "
                  "r->threads, no static");
    ck_assert_msg(runner_is_alive(b, 0), "runner_is_alive(b, 0) is false while b's fn still runs, after "
                  "runner a's thread 0 ended: two runners share their records. Keep them in "
                  "r->threads, no static");
    assert_returns(pending_start(call_shutdown, a), "runner_shutdown(a)", why_not, 2);
    event_set(jobs[1].go);
    runner_shutdown(b);
    ck_assert_msg(spy_joined() == 2, "the two runners' shutdowns joined %zu threads, expected one "
                  "each", spy_joined());
    free(a);
    free(b);
}
END_TEST

/* RUNNER_CAPACITY threads, every other one a daemon, all of them running at once. */
START_TEST(a_full_runner)
{
    runner_t *r = new_runner();
    const char *why_not[RUNNER_CAPACITY] = { NULL };

    for (int k = 0; k < RUNNER_CAPACITY; k++) {
        jobs[k].held = true;
        start(r, k, k % 2 == 1, k);
        why_not[k] = k % 2 == 1 ? A_DAEMON : NULL;
    }
    for (int k = 0; k < RUNNER_CAPACITY; k++) {
        ck_assert_msg(event_wait_timed(jobs[k].running, 2 * harness_slowdown()), "thread %d did not "
                      "run fn within 2 s", k);
        ck_assert_msg(runner_is_alive(r, k), "runner_is_alive(r, %d) is false while its fn runs", k);
        if (k % 2 == 0)
            event_set(jobs[k].go);
    }
    assert_returns(pending_start(call_shutdown, r), "runner_shutdown()", why_not, RUNNER_CAPACITY);
    ck_assert_msg(spy_joined() == RUNNER_CAPACITY / 2, "runner_shutdown() joined %zu threads, expected "
                  "the %d non-daemon ones", spy_joined(), RUNNER_CAPACITY / 2);
    for (int k = 0; k < RUNNER_CAPACITY; k++) {
        ck_assert_msg(!runner_is_alive(r, k) == (k % 2 == 0), "after runner_shutdown(), "
                      "runner_is_alive(r, %d) is %s", k, runner_is_alive(r, k) ? "true" : "false");
    }
    finish();
    for (int k = 0; k < RUNNER_CAPACITY; k++)
        ck_assert_msg(atomic_load(&jobs[k].runs) == 1, "fn ran %d times with the argument of thread "
                      "%d, expected once", atomic_load(&jobs[k].runs), k);
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
    tcase_add_test(tc, a_cancelled_thread_dies_in_its_sleep_and_its_cleanup_runs);
    tcase_add_test(tc, a_thread_asked_to_stop_finishes_its_step_and_returns);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("runner", 0);
    tcase_add_checked_fixture(tc, make_jobs, NULL);
    tcase_add_test(tc, is_alive_before_the_thread_has_run);
    tcase_add_test(tc, is_alive_while_fn_runs);
    tcase_add_test(tc, is_alive_turns_false_when_fn_returns);
    tcase_add_test(tc, is_alive_false_when_the_thread_ended_before_pthread_create_returned);
    tcase_add_test(tc, each_thread_runs_its_own_fn_and_arg);
    tcase_add_test(tc, shutdown_joins_every_non_daemon_and_no_daemon);
    tcase_add_test(tc, shutdown_waits_for_a_running_non_daemon);
    tcase_add_test(tc, a_daemon_is_created_detached_and_a_non_daemon_joinable);
    tcase_add_test(tc, two_runners_keep_their_threads_apart);
    tcase_add_test(tc, a_full_runner);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
