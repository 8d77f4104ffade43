/* test_03_many_threads.c - lesson 3: many threads, the executor, exercise 3. */
#define _XOPEN_SOURCE 700   /* sigaltstack(), SA_ONSTACK */
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

START_TEST(each_thread_sees_its_own_data_and_each_destructor_runs_once)
{
    struct run r = harness_run("local_data", NULL, SCALE, 5);
    char line[96];

    ck_assert_msg(r.exit_code == 0, "local_data ended with status %d:\n%s", r.exit_code, r.out);
    int main_line = output_index(r.out, "Main    : calls is 0, my buffer is NULL");
    ck_assert_msg(main_line >= 0, "main's calls must stay 0 and its buffer unset:\n%s", r.out);
    for (int i = 0; i < 3; i++) {
        snprintf(line, sizeof line, "Thread %d: calls is %d, my buffer is Thread %d's buffer", i, i + 1, i);
        int own = output_index(r.out, line);
        ck_assert_msg(own >= 0 && output_count(r.out, line) == 1,
                      "thread %d must count its own %d calls and read its own buffer:\n%s", i, i + 1, r.out);
        snprintf(line, sizeof line, "destructor: frees Thread %d's buffer", i);
        int freed = output_index(r.out, line);
        ck_assert_msg(output_count(r.out, line) == 1 && own < freed && freed < main_line,
                      "thread %d's destructor must run once, after its line and before the join "
                      "returns:\n%s", i, r.out);
    }
    ck_assert_msg(output_index(r.out, "Thread 3: close(-1) returned -1: errno is EBADF") > main_line &&
                  output_index(r.out, "Main    : open() returned -1, then Thread 3's close() failed: "
                               "errno is still ENOENT") > main_line,
                  "each thread must read its own errno:\n%s", r.out);
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
#define MAX_ITEMS 5000
#define ARG(i) ((void *)(intptr_t)(1000 + (i)))
#define RESULT(i) ((void *)(intptr_t)(50000 + (i)))
#define NOT_STORED ((void *)(intptr_t)-1)
#define PAST_THE_END ((void *)(intptr_t)-2)

static void *args[MAX_ITEMS + 1], *results[MAX_ITEMS + 1];
static atomic_int calls[MAX_ITEMS];
static atomic_int past_end, strays;
static atomic_int on_caller;    /* calls of fn on the thread that called parallel_map */
static size_t items;
static spy_thread_t *tester;    /* the test's own thread, as the spies see it */
static pthread_t tester_id;

/* Count a call of fn; its item's index, or -1 for an argument that is no item's. */
static long took(void *arg)
{
    long i = (long)((intptr_t)arg - 1000);

    if (pthread_equal(pthread_self(), tester_id))
        atomic_fetch_add(&on_caller, 1);
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

/*
 * Each call waits in fn until no other call could begin: every thread
 * parallel_map started and has not seen return is inside fn, and the
 * thread that called it is inside fn too or waits in pthread_join (at
 * most 1 s, after which no call waits). So as many calls as the answer
 * lets run together are inside fn at once, on every run, and
 * concurrency_high_water() counts them.
 */
static atomic_int inside, caller_inside;
static atomic_bool crowd_gave_up;

static bool no_call_could_begin(void)
{
    size_t created = spy_created(), finished = 0;

    for (size_t t = 0; t < created; t++)
        finished += spy_returned(t, NULL);
    return (size_t)atomic_load(&inside) == created - finished + (size_t)atomic_load(&caller_inside) &&
           (atomic_load(&caller_inside) > 0 || spy_doing(tester) == SPY_JOINING);
}

static void *crowd_task(void *arg)
{
    long i = took(arg);
    bool on_the_caller = pthread_equal(pthread_self(), tester_id);
    double give_up = timing_now() + 1 * harness_slowdown();

    atomic_fetch_add(&caller_inside, on_the_caller);
    atomic_fetch_add(&inside, 1);
    concurrency_enter();
    while (!atomic_load(&crowd_gave_up) && !no_call_could_begin()) {
        if (timing_now() > give_up)
            atomic_store(&crowd_gave_up, true);
        timing_sleep_unscaled(0.0002);
    }
    concurrency_leave();
    atomic_fetch_sub(&inside, 1);
    atomic_fetch_sub(&caller_inside, on_the_caller);
    return result_of(i);
}

/* Where the test's thread is in map(). */
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
    if (stuck == ONE_THREAD_AT_A_TIME && spy_created() > 1 && spy_live_max() == 1)
        ck_abort_msg("%s: only one thread was alive at a time: parallel_map joined each thread before "
                     "it started the next, so the calls of fn never overlapped. Start all the "
                     "workers first, then join them all. What the threads were doing:\n%s",
                     what, stuck_threads);
}

/*
 * A rendezvous for rv_want calls, on the test's own mutex: each call waits
 * until rv_want calls are inside fn together, or until a second has passed
 * with no call arriving (then it gives up, and the calls after it do not
 * wait). A second from the last arrival, not from a call's own: starting a
 * hundred threads on a busy machine, under ThreadSanitizer, is slow but
 * never still. rv_met counts the calls that saw them all.
 */
static pthread_mutex_t rv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t rv_changed;
static int rv_want, rv_arrived, rv_met, rv_together;    /* together: when a call gave up */
static bool rv_gave_up;
static double rv_last_arrival;

static void rendezvous_reset(int want)
{
    pt_cond_init_monotonic(&rv_changed);
    rv_want = want;
    rv_arrived = rv_met = rv_together = 0;
    rv_gave_up = false;
}

static void *rendezvous_task(void *arg)
{
    long i = took(arg);

    PT(pthread_mutex_lock(&rv_lock));
    rv_last_arrival = timing_now();
    if (++rv_arrived == rv_want)
        PT(pthread_cond_broadcast(&rv_changed));
    while (rv_arrived < rv_want && !rv_gave_up) {
        double left = rv_last_arrival + 1 * harness_slowdown() - timing_now();
        struct timespec deadline = timing_deadline(left);
        if (left > 0 && pt_cond_wait_until(&rv_changed, &rv_lock, &deadline))
            continue;
        if (rv_last_arrival + 1 * harness_slowdown() <= timing_now() && rv_arrived < rv_want &&
            !rv_gave_up) {
            rv_gave_up = true;
            rv_together = rv_arrived;
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
 * The call for item 0 returns only once every other thread parallel_map
 * started has finished (at most 1 s), so it is not the first to end: the
 * other thread's items (1, or 2 in chunks) end before it, whichever way the
 * items are split, or handed out.
 */
static void *out_of_order_task(void *arg)
{
    long i = took(arg);

    if (i == 0) {
        double give_up = timing_now() + 1 * harness_slowdown();
        for (;;) {
            size_t created = spy_created(), finished = 0;
            for (size_t t = 0; t < created; t++)
                finished += spy_returned(t, NULL);
            if (created >= 2 && finished == created - 1)
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
 * A thread that parallel_map started, or the one that called it, crashed.
 * The likely causes: an answer that returns before joining its threads (they
 * go on using its variables, which ended with it), or, with many threads, an
 * array of fixed size written past its end (undefined behaviour both). Say
 * so, rather than leave Check to report a bare signal. The first crash
 * reports; others wait for the end.
 */
static atomic_int crashes;
static size_t map_n;            /* the sizes of the call of parallel_map under way */
static int map_max_workers;
/* Or early: each new thread runs to its end before pthread_create returns (spy_start_returns_first). */
static bool early;
#define READ_BEFORE_FILLED "the test let each new thread run to its end before its pthread_create " \
    "returned, as a scheduler may: did the thread read its struct before parallel_map filled it in? " \
    "Fill each thread's struct before its pthread_create"

#define PAST_A_FIXED_ARRAY "was an array of fixed size (of pthread_t, or of the threads' arguments) " \
    "written past its end? There may be as many threads as min(n, max_workers): size the arrays " \
    "from it (malloc, and free after the joins)"

extern char **environ;

static void worker_crashed(int sig)
{
    const char *what = sig == SIGSEGV ? "a segmentation fault" : sig == SIGABRT ? "an abort" : "a signal";

    /* A wrecked stack of the test's thread may have taken the environment
     * with it (it lives there), and Check reads it on its way to the report. */
    environ = NULL;

    /* glibc aborts when it finds its heap corrupted, from inside malloc or
     * free with its lock held: Check's report would wait for that lock for
     * ever. Say it here with write(), and let the abort end the test. */
    if (sig == SIGABRT) {
        char line[768];
        int len = snprintf(line, sizeof line, "parallel_map (n = %zu items, max_workers = %d) aborted: "
                           "if a line above says malloc(): or free(): ..., the heap was corrupted, a block "
                           "from malloc written past its end: malloc(k * sizeof(struct share *)) has room "
                           "for k pointers, not k structs; size each array as k * sizeof *array\n",
                           map_n, map_max_workers);
        if (atomic_fetch_add(&crashes, 1) == 0 && len > 0)
            (void)!write(STDERR_FILENO, line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }

    if (pthread_equal(pthread_self(), tester_id)) {
        /* In parallel_map itself, on the thread that called it. */
        bool first = atomic_load(&phase) == IN_PARALLEL_MAP && atomic_fetch_add(&crashes, 1) == 0;
        if (first && (size_t)map_max_workers > map_n)
            ck_abort_msg("parallel_map crashed (%s) in the thread that called it, with n = %zu items "
                         "and max_workers = %d: were its arrays sized by max_workers (a variable-length "
                         "array of max_workers entries overflows the stack)? It starts only min(n, "
                         "max_workers) threads: size the arrays from that (malloc, and free after the "
                         "joins)", what, map_n, map_max_workers);
        if (first)
            ck_abort_msg("parallel_map crashed (%s) in the thread that called it, with n = %zu items "
                         "and max_workers = %d: " PAST_A_FIXED_ARRAY, what, map_n, map_max_workers);
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    if (atomic_fetch_add(&crashes, 1) > 0)
        for (;;)
            pause();
    size_t created = spy_created(), joined = spy_joined();
    if (early)
        ck_abort_msg("a thread that parallel_map started crashed (%s), with n = %zu items and max_workers "
                     "= %d: " READ_BEFORE_FILLED, what, map_n, map_max_workers);
    if (joined < created && atomic_load(&phase) == RETURNED)
        ck_abort_msg("a thread that parallel_map started crashed (%s) after parallel_map had returned "
                     "with %zu of its %zu threads not joined: they still used parallel_map's "
                     "variables, which ended when it returned. Join every thread it starts before "
                     "returning", what, created - joined, created);
    if ((map_n < (size_t)map_max_workers ? map_n : (size_t)map_max_workers) > 16)
        ck_abort_msg("a thread that parallel_map started crashed (%s), in a call with n = %zu items and "
                     "max_workers = %d: with that many threads, " PAST_A_FIXED_ARRAY ". Or did a "
                     "thread read its struct before parallel_map filled it in? A new thread may run "
                     "before pthread_create returns: fill each struct before its pthread_create",
                     what, map_n, map_max_workers);
    if (joined < created && spy_doing(tester) != SPY_JOINING)
        ck_abort_msg("a thread that parallel_map started crashed (%s) while parallel_map, not waiting in "
                     "pthread_join, had joined %zu of its %zu threads: did it return (or destroy or "
                     "free what its threads use) before joining them? Join every thread first. Or did a thread read "
                     "its struct before parallel_map filled it in? Fill each one before its pthread_create",
                     what, joined, created);
    ck_abort_msg("a thread that parallel_map started crashed (%s), in a call with n = %zu items and "
                 "max_workers = %d", what, map_n, map_max_workers);
}

/* The test's thread takes its crash on a stack of its own: an array written
 * past its end in parallel_map may have wrecked the stack pointer it returns to. */
static void catch_crashes(void)
{
    static const int signals[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
    static char crash_stack[64 * 1024];
    struct sigaction sa = { .sa_handler = worker_crashed, .sa_flags = SA_ONSTACK };
    stack_t ss = { .ss_sp = crash_stack, .ss_size = sizeof crash_stack };

    sigaltstack(&ss, NULL);
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
                     "max_workers is %d. Start at most max_workers threads and give each of them "
                     "several items", created, n, alive, max_workers);
    ck_assert_msg(alive <= (size_t)max_workers, "%zu threads were alive (started and not yet joined) at "
                  "once; max_workers is %d", alive, max_workers);
    ck_assert_msg(created <= n, "parallel_map started %zu threads for %zu item(s): start no more threads "
                  "than there are items (min(n, max_workers), none for 0 items)", created, n);
    ck_assert_msg(n == 0 || created >= 1, "parallel_map started no thread for %zu item(s): it must "
                  "call fn on threads it starts", n);
    if (spy_blocks_held() > 0) {
        char blocks[256];
        spy_describe_blocks(blocks, sizeof blocks);
        ck_abort_msg("parallel_map returned still holding %s that it took with malloc (n = %zu, "
                     "max_workers = %d): free the arrays after the joins", blocks, n, max_workers);
    }
}

/* Every thread parallel_map started (two or more) was given the same argument. */
static bool one_argument_for_all(void)
{
    size_t created = spy_created();

    for (size_t t = 1; t < created; t++)
        if (spy_create_arg(t) != spy_create_arg(0))
            return false;
    return created >= 2;
}

/* The threads read their arguments late (see held_map): say what went wrong then. */
static bool held;

/* For a message about items taken twice or never: a note when every thread got one argument. */
static const char *one_argument_note(void)
{
    return one_argument_for_all()
               ? " (every thread was given the same argument: if that is &j of the loop variable, or "
                 "one struct filled anew for each thread, a thread reads it whenever it runs, after "
                 "the loop may have moved on; give each thread its own struct, from an array that "
                 "outlives the threads)"
               : "";
}

static void assert_not_stale(size_t item, int count)
{
    if (held && one_argument_for_all())
        ck_abort_msg("all %zu threads were given the same argument, %p, and fn was called %d time(s) for "
                     "item %zu: the test let the threads run only once parallel_map waited in "
                     "pthread_join, as a scheduler may, and by then the loop that started them had "
                     "moved on, so every thread read the same share. Give each thread its own struct, "
                     "from an array that outlives the threads: never &j of the loop variable "
                     "(lesson 1), never one struct filled anew for each thread",
                     spy_created(), spy_create_arg(0), count, item);
}

/* The items: each called once, nothing past the end, each result at its own index. */
static void check_items(size_t n)
{
    char what[64];
    size_t missing = 0, first_missing = 0, last_missing = 0, k = spy_created();

    for (size_t i = 0; early && i < n; i++)
        ck_assert_msg(atomic_load(&calls[i]) == 1 && atomic_load(&past_end) == 0 &&
                      atomic_load(&strays) == 0, "fn was called %d time(s) for item %zu (n = %zu items, "
                      "max_workers = %d, %zu threads): " READ_BEFORE_FILLED, atomic_load(&calls[i]), i,
                      n, map_max_workers, k);

    ck_assert_msg(atomic_load(&past_end) == 0, "fn was called with args[%zu], one past the last item "
                  "(n is %zu): stop when the index reaches n (i < n, not i <= n)", n, n);
    ck_assert_msg(atomic_load(&strays) == 0, "fn was called %d time(s) with an argument that is none "
                  "of args[0..%zu]", atomic_load(&strays), n - 1);
    for (size_t i = 0; i < n; i++) {
        int c = atomic_load(&calls[i]);
        if (c > 1) {
            assert_not_stale(i, c);
            ck_abort_msg("fn was called %d times for item %zu (%zu items, %zu threads): two threads took "
                         "the same item%s. The threads' shares must not overlap: thread j of k takes "
                         "items j, j + k, j + 2k, ... (or its own chunk); with a shared next index "
                         "instead, read and advance it in one hold of a mutex", c, i, n, k,
                         one_argument_note());
        }
        if (c == 0) {
            if (missing++ == 0)
                first_missing = i;
            last_missing = i;
        }
    }
    if (missing > 0)
        assert_not_stale(first_missing, 0);
    if (missing > 0 && n - missing == k)
        ck_abort_msg("fn was called for %zu of the %zu items, as many as parallel_map started threads "
                     "(item %zu was never taken): each thread did one item and stopped. A thread "
                     "must go on through all of its share (items j, j + k, j + 2k, ... up to n), or "
                     "take the next item until none is left", n - missing, n, first_missing);
    if (missing > 0 && k > 0 && missing == n % k && first_missing == n - n % k && last_missing == n - 1)
        ck_abort_msg("fn was never called for the last %zu item(s), %zu to %zu: %zu items on %zu threads "
                     "do not divide evenly, and chunks of n / k = %zu items each leave the remainder "
                     "out. Give the first n %% k threads one item more, or let thread j take items "
                     "j, j + k, j + 2k, ...", missing, first_missing, n - 1, n, k, n / k);
    ck_assert_msg(missing == 0, "fn was never called for item %zu (%zu of the %zu items were never "
                  "taken, on %zu threads)%s: between them the threads must call fn for every item once "
                  "(thread j of k: items j, j + k, j + 2k, ... while below n)", first_missing, missing,
                  n, k, one_argument_note());
    ck_assert_msg(results[n] == PAST_THE_END, "results[%zu], one past the last item, was written: "
                  "n is %zu", n, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(results[i] == RESULT(i), "results[%zu] holds %s, expected fn(args[%zu]): each "
                      "result belongs at the index of the item it came from, whatever order the "
                      "calls finish in (store results[i] with the i the worker took)", i,
                      describe_result(results[i], what, sizeof what), i);
}

/*
 * For held_map: the new threads do not run at all (spy_park_starts) until
 * the test's thread waits in pthread_join (at most 1 s), whatever else it
 * waits in before: a sleep after each pthread_create "so the thread can
 * copy its struct" is no help then.
 */
static void *release_at_join(void *unused)
{
    double give_up = timing_now() + 1 * harness_slowdown();

    (void)unused;
    while (spy_doing(tester) != SPY_JOINING && atomic_load(&phase) != RETURNED && timing_now() < give_up)
        timing_sleep_unscaled(0.0002);
    spy_park_starts(false);
    return NULL;
}

/* parallel_map(fn, args, results, n, max_workers) on fresh items, with no check. */
static void map_unchecked(void *(*fn)(void *), size_t n, int max_workers)
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
    atomic_store(&on_caller, 0);
    atomic_store(&crowd_gave_up, false);
    stuck = NOT_STUCK;
    concurrency_reset();
    spy_start();
    spy_hold_starts(held);
    spy_start_returns_first(early);
    tester = spy_self();
    tester_id = pthread_self();
    map_n = n;
    map_max_workers = max_workers;
    catch_crashes();
    atomic_store(&phase, IN_PARALLEL_MAP);
    pthread_t releaser;
    spy_park_starts(held);
    if (held)
        PT(pthread_create(&releaser, NULL, release_at_join, NULL));
    map_from_deep(fn, n, max_workers);
    atomic_store(&phase, RETURNED);
    if (held)
        PT(pthread_join(releaser, NULL));
    spy_hold_starts(false);
}

/* The same, then every check. */
static void map(void *(*fn)(void *), size_t n, int max_workers)
{
    map_unchecked(fn, n, max_workers);
    ck_assert_msg(atomic_load(&on_caller) == 0, "fn was called %d time(s) on the thread that called "
                  "parallel_map (n = %zu, max_workers = %d): call fn only on threads parallel_map starts, "
                  "and let the calling thread start them and wait in pthread_join. A share the caller "
                  "does itself runs alongside the threads' shares, one call more than the threads "
                  "(more than max_workers at once when it starts max_workers threads)",
                  atomic_load(&on_caller), n, max_workers);
    check_threads(n, max_workers);
    check_items(n);
}

/* The same, with each thread held back before it runs (spy_hold_starts). */
static void held_map(void *(*fn)(void *), size_t n, int max_workers)
{
    held = true;
    map(fn, n, max_workers);
    held = false;
}

START_TEST(results_come_back_in_input_order)
{
    map(item_task, 200, 4);
    map(item_task, 50, 1);
    map(item_task, 7, 3);
    /* Chunks of n / k rounded up run past n here (5 on 4: 2, 2, 2 and none). */
    map(item_task, 5, 4);
    map(item_task, 10, 8);
    map(item_task, 1, 4);
}
END_TEST

START_TEST(results_keep_input_order_when_calls_finish_out_of_order)
{
    /* Item 0's call ends after the other thread's items are done and stored. */
    map(out_of_order_task, 3, 2);
    assert_not_stuck("item 0's call waited 1 s for the other thread to finish");
}
END_TEST

/*
 * Each call waits until no other could begin (crowd_task): the most calls
 * of fn the answer lets run together are in fn at once, every run. 61
 * items on 3 threads leave one over, as 5 on 4 do.
 */
START_TEST(never_more_than_max_workers_at_once)
{
    static const struct { size_t n; int max_workers; } sizes[] = { { 61, 3 }, { 5, 4 } };

    for (size_t c = 0; c < sizeof sizes / sizeof *sizes; c++) {
        map(crowd_task, sizes[c].n, sizes[c].max_workers);
        ck_assert_msg(concurrency_high_water() <= sizes[c].max_workers, "%d calls of fn ran at once "
                      "with n = %zu items; max_workers is %d", concurrency_high_water(), sizes[c].n,
                      sizes[c].max_workers);
    }
}
END_TEST

/*
 * min(n, max_workers) calls of fn run together: 5 or 9 items in chunks of
 * n / max_workers rounded up (2 or 3) are only 3 chunks for 4 workers, and
 * 3 items for 8 workers in chunks of n / max_workers (0) are one thread's.
 */
START_TEST(runs_max_workers_calls_at_the_same_time)
{
    static const struct { size_t n; int max_workers; } sizes[] = { { 4, 4 }, { 5, 4 }, { 9, 4 }, { 3, 8 } };

    for (size_t c = 0; c < sizeof sizes / sizeof *sizes; c++) {
        size_t n = sizes[c].n, want = n < (size_t)sizes[c].max_workers ? n : (size_t)sizes[c].max_workers;

        rendezvous_reset((int)want);
        map(rendezvous_task, n, sizes[c].max_workers);
        assert_not_stuck("a call of fn waited 1 s for the other calls to run alongside it");
        ck_assert_msg(!rv_gave_up, "with n = %zu items and max_workers = %d, only %d calls of fn were "
                      "running at the same time, not min(n, max_workers) = %zu (parallel_map started "
                      "%zu threads, %zu alive when a call gave up waiting for the others): start k = "
                      "min(n, max_workers) threads, all before joining any, and give thread j items j, "
                      "j + k, ... (chunks of n / max_workers items, rounded up or down, can make fewer "
                      "than k shares). What the threads were doing:\n%s",
                      n, sizes[c].max_workers, rv_together, want, spy_created(), stuck_alive,
                      stuck_threads);
    }
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

/*
 * Each thread waits to run until parallel_map waits in pthread_join
 * (release_at_join), and the thread it joins first runs last
 * (spy_hold_starts): every thread reads its argument after the starting
 * loop is over, whatever it slept in between. A correct answer cannot
 * tell; &j, or one struct filled anew for each thread, goes wrong every run.
 */
START_TEST(each_thread_reads_its_own_share_however_late_it_runs)
{
    held_map(item_task, 10, 3);
    held_map(item_task, 4, 4);
    /* And the other way round: each thread done before pthread_create returns. */
    early = true;
    map(item_task, 10, 3);
    early = false;
}
END_TEST

/*
 * No size is too large: five thousand items, and a hundred threads, all of
 * which must be in fn together. An answer with an array of fixed size (32
 * pthread_t, 64 structs) clamps the threads and fails the rendezvous, or
 * writes past its end and crashes: worker_crashed then names the sizes.
 * (Each thread takes one item of the hundred, and the five thousand go to
 * one thread: an unlocked next++ races here no more than elsewhere, so
 * ThreadSanitizer, not luck, is what catches it.)
 */
START_TEST(sizes_past_any_fixed_bound)
{
    enum { N = 100, MAX = 100 };

    map(item_task, MAX_ITEMS, 1);
    map(item_task, 3, 2000000);     /* 3 threads: nothing sized by max_workers */
    rendezvous_reset(MAX);
    map(rendezvous_task, N, MAX);
    assert_not_stuck("a call of fn waited 1 s for the other calls to run alongside it");
    ck_assert_msg(rv_met == N, "with %d items and max_workers %d, only %d calls of fn were running "
                  "together at most (%zu threads alive when a call gave up waiting for the others), not %d: "
                  "start min(n, max_workers) threads, however many that is (size the arrays from it, "
                  "no fixed bound). What the threads were doing:\n%s",
                  N, MAX, rv_together, stuck_alive, MAX, stuck_threads);
}
END_TEST

/*
 * Two calls at once. The first call of fn in the first call of parallel_map
 * makes a second call (its own fn, args and results, on two threads), from
 * inside fn, so the two overlap by construction; the first call's other
 * calls of fn wait in fn until the second call has returned (at most 1 s).
 * Every thread of both is held back until its starter waits (held_map), so
 * the first call's thread joined first starts only after the second call
 * has filled in whatever it keeps. Threads, or their arguments, kept in
 * static storage are the second call's by the time the first reads them.
 */
#define INNER_ITEMS 4
#define INNER_ARG(i) ((void *)(intptr_t)(60000 + (i)))
#define INNER_RESULT(i) ((void *)(intptr_t)(70000 + (i)))
static void *inner_args[INNER_ITEMS + 1], *inner_results[INNER_ITEMS + 1];
static atomic_int inner_calls[INNER_ITEMS], inner_strays;
static atomic_bool inner_made, inner_returned;

static void *inner_task(void *arg)
{
    long i = (long)((intptr_t)arg - 60000);

    if (i < 0 || i >= INNER_ITEMS) {
        atomic_fetch_add(&inner_strays, 1);
        return NULL;
    }
    atomic_fetch_add(&inner_calls[i], 1);
    return INNER_RESULT(i);
}

static void *two_calls_task(void *arg)
{
    long i = took(arg);

    if (!atomic_exchange(&inner_made, true)) {
        parallel_map(inner_task, inner_args, inner_results, INNER_ITEMS, 2);
        atomic_store(&inner_returned, true);
    } else {
        double give_up = timing_now() + 1 * harness_slowdown();
        while (!atomic_load(&inner_returned) && timing_now() < give_up)
            timing_sleep_unscaled(0.0002);
    }
    return result_of(i);
}

/* What went wrong in the two calls, in a sentence; false: nothing. */
static bool two_calls_went_wrong(size_t n, char *buf, size_t size)
{
    char what[64];

    if (atomic_load(&inner_strays) > 0 || atomic_load(&strays) > 0 || atomic_load(&past_end) > 0) {
        snprintf(buf, size, "a fn was called with an argument of the other call, or none");
        return true;
    }
    for (size_t i = 0; i < INNER_ITEMS; i++)
        if (atomic_load(&inner_calls[i]) != 1 || inner_results[i] != INNER_RESULT(i)) {
            snprintf(buf, size, "the second call's fn ran %d time(s) for its item %zu, whose result "
                     "slot holds %s", atomic_load(&inner_calls[i]), i,
                     inner_results[i] == INNER_RESULT(i) ? "its result" : "something else");
            return true;
        }
    for (size_t i = 0; i < n; i++)
        if (atomic_load(&calls[i]) != 1 || results[i] != RESULT(i)) {
            snprintf(buf, size, "the first call's fn ran %d time(s) for its item %zu, and results[%zu] "
                     "holds %s", atomic_load(&calls[i]), i, i,
                     describe_result(results[i], what, sizeof what));
            return true;
        }
    if (results[n] != PAST_THE_END || inner_results[INNER_ITEMS] != PAST_THE_END) {
        snprintf(buf, size, "a result was stored one past the last item");
        return true;
    }
    return false;
}

START_TEST(two_calls_at_once_keep_apart)
{
    enum { N = 6, MAX = 3 };
    char what[256];

    for (size_t i = 0; i < INNER_ITEMS; i++) {
        inner_args[i] = INNER_ARG(i);
        inner_results[i] = NOT_STORED;
        atomic_store(&inner_calls[i], 0);
    }
    inner_args[INNER_ITEMS] = INNER_ARG(INNER_ITEMS);
    inner_results[INNER_ITEMS] = PAST_THE_END;
    atomic_store(&inner_made, false);
    atomic_store(&inner_returned, false);
    spy_hint("two calls of parallel_map were running at once (the second from inside fn of the "
             "first): keep the threads and their arguments of a call in memory of its own (a local "
             "array, or one it allocates), never in static or global variables");
    held = true;
    map_unchecked(two_calls_task, N, MAX);
    held = false;
    ck_assert_msg(atomic_load(&inner_made), "parallel_map never called fn for any of %d items: it must "
                  "call fn for every item, on threads it starts", N);
    ck_assert_msg(spy_joined() == spy_created(), "two calls of parallel_map at once started %zu threads "
                  "between them and joined %zu: each call must join every thread it started",
                  spy_created(), spy_joined());
    if (two_calls_went_wrong(N, what, sizeof what))
        ck_abort_msg("two calls of parallel_map at once went wrong: %s. The second call, made from "
                     "inside fn while the first was running, overwrote what the first kept in static "
                     "or global variables (the threads, or their arguments): keep them in memory of "
                     "the call's own, a local array or one it allocates", what);
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
    tcase_add_test(tc, each_thread_sees_its_own_data_and_each_destructor_runs_once);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("parallel_map", 0);
    tcase_add_test(tc, every_thread_is_joined);
    tcase_add_test(tc, results_come_back_in_input_order);
    tcase_add_test(tc, results_keep_input_order_when_calls_finish_out_of_order);
    tcase_add_test(tc, never_more_than_max_workers_at_once);
    tcase_add_test(tc, runs_max_workers_calls_at_the_same_time);
    tcase_add_test(tc, starts_no_more_threads_than_items);
    tcase_add_test(tc, each_thread_reads_its_own_share_however_late_it_runs);
    tcase_add_test(tc, sizes_past_any_fixed_bound);
    tcase_add_test(tc, two_calls_at_once_keep_apart);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
