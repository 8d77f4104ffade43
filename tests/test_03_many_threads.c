/* test_03_many_threads.c - lesson 3: many threads, the executor, exercise 3. */
#include "harness.h"
#include "parallel_map.h"
#include "pt.h"
#include "timing.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SCALE 0.1

START_TEST(multiple_threads_join_in_order)
{
    struct run r = harness_run("multiple_threads", NULL, SCALE, 5);
    char line[64];

    ck_assert_int_eq(r.exit_code, 0);
    for (int i = 0; i < 3; i++) {
        snprintf(line, sizeof line, "Main    : create and start thread %d.", i);
        int created = output_index(r.out, line);
        snprintf(line, sizeof line, "Thread %d: starting", i);
        int starting = output_index(r.out, line);
        snprintf(line, sizeof line, "Thread %d: finishing", i);
        int finishing = output_index(r.out, line);
        snprintf(line, sizeof line, "Main    : before joining thread %d.", i);
        int joining = output_index(r.out, line);
        snprintf(line, sizeof line, "Main    : thread %d done", i);
        int done = output_index(r.out, line);
        ck_assert_msg(created >= 0 && created < starting && starting < finishing &&
                      finishing < done && joining < done,
                      "thread %d's lines are out of order:\n%s", i, r.out);
        if (i > 0) {
            snprintf(line, sizeof line, "Main    : thread %d done", i - 1);
            ck_assert_int_lt(output_index(r.out, line), done);
        }
    }
    run_free(&r);
}
END_TEST

START_TEST(multiple_threads_takes_a_count_and_refuses_bad_ones)
{
    struct run r = harness_run("multiple_threads", (const char *[]){ "5", NULL }, 0, 5);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_int_eq(output_count(r.out, "Main    : thread 4 done"), 1);
    run_free(&r);

    static const char *const bad[] = { "abc", "-1", "0", "65", "3x", "" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        r = harness_run("multiple_threads", (const char *[]){ bad[i], NULL }, 0, 5);
        ck_assert_msg(r.exit_code == 2 && strncmp(r.out, "error: ", 7) == 0 &&
                      strchr(r.out, '\n') == r.out + strlen(r.out) - 1,
                      "argument '%s': expected one error line and status 2, got %d:\n%s",
                      bad[i], r.exit_code, r.out);
        run_free(&r);
    }
}
END_TEST

START_TEST(executor_runs_each_task_once)
{
    struct run r = harness_run("executor", NULL, SCALE, 5);
    char line[64];

    ck_assert_int_eq(r.exit_code, 0);
    for (int i = 0; i < 3; i++) {
        snprintf(line, sizeof line, "Thread %d: starting", i);
        int starting = output_index(r.out, line);
        ck_assert_int_eq(output_count(r.out, line), 1);
        snprintf(line, sizeof line, "Thread %d: finishing", i);
        ck_assert_int_eq(output_count(r.out, line), 1);
        ck_assert_int_lt(starting, output_index(r.out, line));
    }
    /* Three workers: all three start before any finishes its 2 s sleep. */
    for (int i = 0; i < 3; i++) {
        snprintf(line, sizeof line, "Thread %d: starting", i);
        ck_assert_int_lt(output_index(r.out, line), 3);
    }
    run_free(&r);
}
END_TEST

START_TEST(threads_say_their_names)
{
    struct run r = harness_run("thread_names", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_int_eq(output_count(r.out, "Hello, my name is Cazaril"), 1);
    ck_assert_int_eq(output_count(r.out, "Hello, my name is Ista"), 1);
    ck_assert_int_eq(output_count(r.out, "Hello, my name is thread_names"), 1);
    run_free(&r);
}
END_TEST

START_TEST(each_way_returns_the_value)
{
    struct run r = harness_run("return_values", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_int_eq(output_count(r.out, "thread doing work..."), 4);
    ck_assert_int_eq(output_count(r.out, "42 from pthread_join"), 1);
    ck_assert_int_eq(output_count(r.out, "42 from a struct"), 1);
    ck_assert_int_eq(output_count(r.out, "42 from a future"), 1);
    ck_assert_int_eq(output_count(r.out, "42 from queue"), 1);
    run_free(&r);
}
END_TEST

START_TEST(download_pages_compiles_all_twenty_after_the_joins)
{
    struct run r = harness_run("download_pages", NULL, SCALE, 5);
    const char *prefix = "Pages in the order they arrived:";
    bool seen[20] = { false };

    ck_assert_msg(r.exit_code == 0, "download_pages ended with status %d:\n%s", r.exit_code, r.out);
    const char *at = strstr(r.out, prefix);
    ck_assert_msg(at != NULL, "expected '%s ...':\n%s", prefix, r.out);
    at += strlen(prefix);
    for (int i = 0; i < 20; i++) {
        char *end;
        long page = strtol(at, &end, 10);
        ck_assert_msg(end != at && page >= 0 && page < 20 && !seen[page],
                      "page %d of 20 is missing or not one of 0 to 19 seen once:\n%s", i, r.out);
        seen[page] = true;
        at = end;
    }
    ck_assert_msg(*at == '\n', "more than 20 pages:\n%s", r.out);
    ck_assert_msg(output_count(r.out, "Done compiling!") == 1 &&
                      output_index(r.out, "Done compiling!") == 1,
                  "expected 'Done compiling!' once, last:\n%s", r.out);
    run_free(&r);
}
END_TEST

/* Speed belongs to make bench: only that both figures are there and are times. */
START_TEST(pool_cost_prints_both_figures)
{
    static const char *const figures[] = { "bench: thread_create_join ", "bench: pool_handoff " };
    struct run r = harness_run("pool_cost", (const char *[]){ "200", NULL }, SCALE, 10);

    ck_assert_msg(r.exit_code == 0, "pool_cost ended with status %d:\n%s", r.exit_code, r.out);
    ck_assert_msg(strstr(r.out, "200 round trips each") != NULL, "ROUNDS=200 should be said:\n%s", r.out);
    for (size_t i = 0; i < sizeof figures / sizeof *figures; i++) {
        const char *at = strstr(r.out, figures[i]);
        char *end = NULL;
        double us = at != NULL ? strtod(at + strlen(figures[i]), &end) : 0;
        ck_assert_msg(at != NULL && us > 0 && strncmp(end, " us\n", 4) == 0,
                      "expected a line '%s<microseconds> us':\n%s", figures[i], r.out);
    }
    run_free(&r);
}
END_TEST

/* ---- exercise 3 ---------------------------------------------------------- */

/*
 * Every fn the tests pass records its call. args[i] is ARG(i) and
 * fn(args[i]) returns RESULT(i), so a result stored at the wrong index shows
 * whose it is; calls[i] counts the calls for item i. One past the end,
 * args[n] is ARG(n), which fn must never be given, and results[n] holds
 * PAST_THE_END, which must stay there.
 */
#define MAX_ITEMS 256
#define ARG(i) ((void *)(intptr_t)(1000 + (i)))
#define RESULT(i) ((void *)(intptr_t)(50000 + (i)))
#define NOT_STORED ((void *)(intptr_t)-1)
#define PAST_THE_END ((void *)(intptr_t)-2)

static void *args[MAX_ITEMS + 1], *results[MAX_ITEMS + 1];
static atomic_int calls[MAX_ITEMS];
static atomic_int past_end, strays;
static size_t items;

/* Count a call of fn; its item's index, or -1 for an argument that is no item's. */
static long took(void *arg)
{
    long i = (long)((intptr_t)arg - 1000);

    if (arg == ARG(items)) {
        atomic_fetch_add(&past_end, 1);
        return -1;
    }
    if (i < 0 || i >= (long)items) {
        atomic_fetch_add(&strays, 1);
        return -1;
    }
    atomic_fetch_add(&calls[i], 1);
    return i;
}

static void *result_of(long i)
{
    return i < 0 ? NULL : RESULT(i);
}

static void *item_task(void *arg)
{
    return result_of(took(arg));
}

static void *measured_task(void *arg)
{
    long i = took(arg);
    concurrency_measured(NULL);
    return result_of(i);
}

/* The test's own thread, as the spies see it, and where it is in map(). */
static spy_thread_t *tester;
static pthread_t tester_id;
enum phase { BEFORE, IN_PARALLEL_MAP, RETURNED };
static _Atomic int phase;

/* The spies number threads in the order they were started: "thread 3 (...)". */
static int thread_number(spy_thread_t *t)
{
    char line[512];
    int number = -1;

    spy_describe(t, line, sizeof line);
    if (sscanf(line, "thread %d", &number) != 1)
        number = -1;
    return number;
}

/*
 * When a call of fn waits for other calls that never come, what the
 * threads were doing then (spy.h): the kind of mistake, and the details.
 */
enum stuck { NOT_STUCK, HOLDS_THE_LOCK, ONE_THREAD_AT_A_TIME, OTHERS_NEVER_CAME };
static enum stuck stuck;
static char stuck_threads[4096];
static size_t stuck_alive;

/* Called from the call of fn that gave up waiting, on its worker's thread. */
static void note_stuck(void)
{
    char held[64];

    spy_describe_all(stuck_threads, sizeof stuck_threads);
    stuck_alive = spy_created() - spy_joined();
    snprintf(held, sizeof held, "for a mutex that thread %d (", thread_number(spy_self()));
    if (strstr(stuck_threads, held) != NULL)
        stuck = HOLDS_THE_LOCK;
    else if (stuck_alive <= 1 && spy_doing(tester) == SPY_JOINING)
        stuck = ONE_THREAD_AT_A_TIME;
    else
        stuck = OTHERS_NEVER_CAME;
}

/* Fail with what note_stuck() saw, when it saw one of the two mistakes it names. */
static void assert_not_stuck(const char *what)
{
    if (stuck == HOLDS_THE_LOCK)
        ck_abort_msg("%s: fn was called while its thread held the mutex, so the other workers waited "
                     "for that mutex and no two calls of fn ever ran at the same time. Take the next "
                     "index under the mutex, then unlock it BEFORE calling fn. What the threads were "
                     "doing:\n%s", what, stuck_threads);
    if (stuck == ONE_THREAD_AT_A_TIME)
        ck_abort_msg("%s: only one thread was alive at a time: parallel_map joined each thread before "
                     "it started the next, so the calls of fn never overlapped. Start all the "
                     "workers first, then join them all. What the threads were doing:\n%s",
                     what, stuck_threads);
}

/*
 * A rendezvous for rv_want calls, on the test's own mutex: each call waits
 * (at most 1 s, and not at all once a call has given up) until rv_want calls
 * are inside fn together. rv_met counts the calls that saw them all.
 */
static pthread_mutex_t rv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t rv_changed;
static int rv_want, rv_arrived, rv_met;
static bool rv_gave_up;

static void rendezvous_reset(int want)
{
    pt_cond_init_monotonic(&rv_changed);
    rv_want = want;
    rv_arrived = rv_met = 0;
    rv_gave_up = false;
}

static void *rendezvous_task(void *arg)
{
    long i = took(arg);
    struct timespec deadline = timing_deadline(1 * harness_slowdown());

    PT(pthread_mutex_lock(&rv_lock));
    if (++rv_arrived == rv_want)
        PT(pthread_cond_broadcast(&rv_changed));
    while (rv_arrived < rv_want && !rv_gave_up) {
        if (!pt_cond_wait_until(&rv_changed, &rv_lock, &deadline) && rv_arrived < rv_want) {
            rv_gave_up = true;
            note_stuck();
            PT(pthread_cond_broadcast(&rv_changed));
        }
    }
    if (rv_arrived >= rv_want)
        rv_met++;
    PT(pthread_mutex_unlock(&rv_lock));
    return result_of(i);
}

/*
 * The call for item 0 returns only after the thread that ran item 1 has
 * finished (at most 1 s), so item 0's call ends last: results[0] is stored
 * after every other result.
 */
static _Atomic(spy_thread_t *) item1_thread;

static void *out_of_order_task(void *arg)
{
    long i = took(arg);

    if (i == 1)
        atomic_store(&item1_thread, spy_self());
    if (i == 0) {
        double give_up = timing_now() + 1 * harness_slowdown();
        for (;;) {
            spy_thread_t *t = atomic_load(&item1_thread);
            if (t != NULL && spy_doing(t) == SPY_DONE)
                break;
            if (timing_now() > give_up) {
                note_stuck();
                break;
            }
            timing_sleep_unscaled(0.0002);
        }
    }
    return result_of(i);
}

/*
 * For the join test. Each call of fn waits until rv_want calls are inside
 * fn at once (each thread holds one item) and the test's thread waits in
 * pthread_join; then the calls return one at a time, in the order their
 * threads were started, each once the threads started before it have
 * finished. When parallel_map has joined the thread it started last, every
 * other thread has finished too: an answer that joins only that one returns
 * with nothing left running, and fails its check the same way on every run.
 * A call still waiting when parallel_map returns never returns: its thread
 * must not go on with parallel_map's variables, which ended with it. After
 * 1 s the calls stop waiting (an answer that never runs them together).
 */
struct caller {
    int number;
    spy_thread_t *thread;
};
static struct caller callers[MAX_ITEMS];

static bool earlier_callers_done(int number)
{
    for (int k = 0; k < rv_want && k < rv_arrived; k++)
        if (callers[k].number < number && spy_doing(callers[k].thread) != SPY_DONE)
            return false;
    return true;
}

static void *in_order_task(void *arg)
{
    long i = took(arg);
    spy_thread_t *me = spy_self();
    int number = thread_number(me);
    double give_up = timing_now() + 1 * harness_slowdown();

    if (me == tester)
        return result_of(i);
    PT(pthread_mutex_lock(&rv_lock));
    if (rv_arrived < MAX_ITEMS)
        callers[rv_arrived] = (struct caller){ number, me };
    rv_arrived++;
    for (;;) {
        if (atomic_load(&phase) == RETURNED) {
            PT(pthread_mutex_unlock(&rv_lock));
            for (;;)
                timing_sleep_unscaled(1);
        }
        if (rv_arrived >= rv_want && spy_doing(tester) == SPY_JOINING && earlier_callers_done(number))
            break;
        if (rv_gave_up)
            break;
        if (timing_now() > give_up) {
            rv_gave_up = true;
            if (rv_arrived < rv_want)
                note_stuck();
            break;
        }
        PT(pthread_mutex_unlock(&rv_lock));
        timing_sleep_unscaled(0.0002);
        PT(pthread_mutex_lock(&rv_lock));
    }
    PT(pthread_mutex_unlock(&rv_lock));
    return result_of(i);
}

/*
 * A thread that parallel_map started crashed. The likely cause is an answer
 * that returns before joining its threads: they go on using its variables,
 * which ended with it (undefined behaviour). Say so, rather than leave Check
 * to report a bare signal. The first crash reports; others wait for the end.
 */
static atomic_int crashes;

static void worker_crashed(int sig)
{
    if (pthread_equal(pthread_self(), tester_id)) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    if (atomic_fetch_add(&crashes, 1) > 0)
        for (;;)
            pause();
    size_t created = spy_created(), joined = spy_joined();
    const char *what = sig == SIGSEGV ? "a segmentation fault" : sig == SIGABRT ? "an abort" : "a signal";
    if (joined < created && atomic_load(&phase) == RETURNED)
        ck_abort_msg("a thread that parallel_map started crashed (%s) after parallel_map had returned "
                     "with %zu of its %zu threads not joined: they still used parallel_map's "
                     "variables, which ended when it returned. Join every thread it starts before "
                     "returning", what, created - joined, created);
    if (joined < created && spy_doing(tester) != SPY_JOINING)
        ck_abort_msg("a thread that parallel_map started crashed (%s) while parallel_map, not waiting in "
                     "pthread_join, had joined %zu of its %zu threads: did it return (or destroy or "
                     "free what its threads use) before joining them? Join every thread first",
                     what, joined, created);
    ck_abort_msg("a thread that parallel_map started crashed (%s)", what);
}

static void catch_crashes(void)
{
    static const int signals[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
    struct sigaction sa = { .sa_handler = worker_crashed };

    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof signals / sizeof *signals; i++)
        sigaction(signals[i], &sa, NULL);
}

/*
 * Call parallel_map from below a large unused stretch of this thread's
 * stack. An answer that returns before its workers are done leaves them
 * using its stack frame: the test's own checks must not overwrite it too.
 * (The answer's own last calls may already have: see worker_crashed.)
 */
static __attribute__((noinline)) void map_from_deep(void *(*fn)(void *), size_t n, int max_workers)
{
    volatile char unused[256 * 1024];

    unused[0] = 0;
    parallel_map(fn, args, results, n, max_workers);
    unused[sizeof unused - 1] = unused[0];
}

/* What a result value is, for messages. */
static const char *describe_result(void *r, char *buf, size_t size)
{
    intptr_t v = (intptr_t)r;

    if (r == NOT_STORED)
        snprintf(buf, size, "nothing (never stored)");
    else if (v >= 50000 && v < 50000 + MAX_ITEMS)
        snprintf(buf, size, "fn(args[%ld])", (long)(v - 50000));
    else if (v >= 1000 && v < 1000 + MAX_ITEMS)
        snprintf(buf, size, "args[%ld] itself, not fn's result", (long)(v - 1000));
    else
        snprintf(buf, size, "%p", r);
    return buf;
}

/* The threads: all joined, never more than max_workers alive, no more than there are items. */
static void check_threads(size_t n, int max_workers)
{
    size_t created = spy_created(), joined = spy_joined(), alive = spy_live_max();

    ck_assert_msg(joined == created, "parallel_map started %zu threads and joined %zu: it returned while "
                  "some of its threads may still be running fn. Join every thread it starts before "
                  "returning (keep each pthread_t: one variable reused for every thread can only "
                  "join the last)", created, joined);
    if (alive > (size_t)max_workers && created == n)
        ck_abort_msg("parallel_map started one thread per item (%zu for %zu items), %zu alive at once; "
                     "max_workers is %d. Start at most max_workers threads and let each take items "
                     "until none is left", created, n, alive, max_workers);
    ck_assert_msg(alive <= (size_t)max_workers, "%zu threads were alive (started and not yet joined) at "
                  "once; max_workers is %d", alive, max_workers);
    ck_assert_msg(created <= n, "parallel_map started %zu threads for %zu item(s): start no more threads "
                  "than there are items (min(n, max_workers), none for 0 items)", created, n);
    ck_assert_msg(n == 0 || created >= 1, "parallel_map started no thread for %zu item(s): it must "
                  "call fn on threads it starts", n);
}

/* The items: each called once, nothing past the end, each result at its own index. */
static void check_items(size_t n)
{
    char what[64];
    size_t missing = 0, first_missing = 0;

    ck_assert_msg(atomic_load(&past_end) == 0, "fn was called with args[%zu], one past the last item "
                  "(n is %zu): stop when the index taken reaches n (i < n, not i <= n)", n, n);
    ck_assert_msg(atomic_load(&strays) == 0, "fn was called %d time(s) with an argument that is none "
                  "of args[0..%zu]", atomic_load(&strays), n - 1);
    for (size_t i = 0; i < n; i++) {
        int c = atomic_load(&calls[i]);
        ck_assert_msg(c <= 1, "fn was called %d times for item %zu: two workers took the same index. "
                      "Read next and advance it in one hold of the mutex", c, i);
        if (c == 0 && missing++ == 0)
            first_missing = i;
    }
    if (missing > 0 && n - missing == spy_created())
        ck_abort_msg("fn was called for %zu of the %zu items, as many as parallel_map started threads "
                     "(item %zu was never taken): each worker took one item and stopped. Loop: take "
                     "the next item, call fn, store the result, until none is left",
                     n - missing, n, first_missing);
    ck_assert_msg(missing == 0, "fn was never called for item %zu (%zu of the %zu items were never "
                  "taken): the workers must take items until none is left", first_missing, missing, n);
    ck_assert_msg(results[n] == PAST_THE_END, "results[%zu], one past the last item, was written: "
                  "n is %zu", n, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(results[i] == RESULT(i), "results[%zu] holds %s, expected fn(args[%zu]): each "
                      "result belongs at the index of the item it came from, whatever order the "
                      "calls finish in (store results[i] with the i the worker took)", i,
                      describe_result(results[i], what, sizeof what), i);
}

/* parallel_map(fn, args, results, n, max_workers) on fresh items, then every check. */
static void map(void *(*fn)(void *), size_t n, int max_workers)
{
    ck_assert(n <= MAX_ITEMS);
    items = n;
    for (size_t i = 0; i <= n; i++) {
        args[i] = ARG(i);
        results[i] = NOT_STORED;
    }
    results[n] = PAST_THE_END;
    for (size_t i = 0; i < MAX_ITEMS; i++)
        atomic_store(&calls[i], 0);
    atomic_store(&past_end, 0);
    atomic_store(&strays, 0);
    stuck = NOT_STUCK;
    concurrency_reset();
    spy_start();
    tester = spy_self();
    tester_id = pthread_self();
    catch_crashes();
    atomic_store(&phase, IN_PARALLEL_MAP);
    map_from_deep(fn, n, max_workers);
    atomic_store(&phase, RETURNED);
    check_threads(n, max_workers);
    check_items(n);
}

START_TEST(results_come_back_in_input_order)
{
    map(item_task, 200, 4);
    map(item_task, 50, 1);
    map(item_task, 7, 3);
}
END_TEST

START_TEST(results_keep_input_order_when_calls_finish_out_of_order)
{
    /* Item 0's call ends after items 1 and 2 are done and stored. */
    atomic_store(&item1_thread, NULL);
    map(out_of_order_task, 3, 2);
    assert_not_stuck("item 0's call waited 1 s for item 1's thread to finish");
}
END_TEST

START_TEST(never_more_than_max_workers_at_once)
{
    enum { N = 60, MAX = 3 };

    map(measured_task, N, MAX);
    ck_assert_msg(concurrency_high_water() <= MAX, "%d calls of fn ran at once; max_workers is %d",
                  concurrency_high_water(), MAX);
}
END_TEST

START_TEST(runs_max_workers_calls_at_the_same_time)
{
    enum { MAX = 4 };

    rendezvous_reset(MAX);
    map(rendezvous_task, MAX, MAX);
    assert_not_stuck("a call of fn waited 1 s for the other calls to run alongside it");
    ck_assert_msg(rv_met == MAX, "only %d of the %d calls of fn were running at the same time (%zu "
                  "threads alive when a call gave up waiting for the others); max_workers is %d: start "
                  "max_workers threads (or one per item when there are fewer items), all before "
                  "joining any. What the threads were doing:\n%s",
                  rv_arrived, MAX, stuck_alive, MAX, stuck_threads);
}
END_TEST

START_TEST(every_thread_is_joined)
{
    enum { MAX = 4 };

    rendezvous_reset(MAX);
    map(in_order_task, MAX, MAX);
    assert_not_stuck("a call of fn waited 1 s for the other calls to run alongside it");
    map(item_task, 20, 4);
}
END_TEST

START_TEST(starts_no_more_threads_than_items)
{
    /* map() checks the threads: none for no item, at most 2 for 2 items. */
    map(item_task, 0, 4);
    map(item_task, 2, 8);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("many_threads", 0);
    tcase_add_test(tc, multiple_threads_join_in_order);
    tcase_add_test(tc, multiple_threads_takes_a_count_and_refuses_bad_ones);
    tcase_add_test(tc, download_pages_compiles_all_twenty_after_the_joins);
    tcase_add_test(tc, executor_runs_each_task_once);
    tcase_add_test(tc, pool_cost_prints_both_figures);
    tcase_add_test(tc, threads_say_their_names);
    tcase_add_test(tc, each_way_returns_the_value);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("parallel_map", 0);
    tcase_add_test(tc, every_thread_is_joined);
    tcase_add_test(tc, results_come_back_in_input_order);
    tcase_add_test(tc, results_keep_input_order_when_calls_finish_out_of_order);
    tcase_add_test(tc, never_more_than_max_workers_at_once);
    tcase_add_test(tc, runs_max_workers_calls_at_the_same_time);
    tcase_add_test(tc, starts_no_more_threads_than_items);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
