/* test_01_single_thread.c - lesson 1: the demo's outcome and exercise 1. */
#include "harness.h"
#include "portable.h"
#include "squares.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* The demo sleeps 2 s * 0.1: a 200 ms gap between "all done" and "finishing". */
#define SCALE 0.1

static const char *const article_lines[] = {
    "Main    : before creating thread",
    "Main    : before running thread",
    "Thread 1: starting",
    "Main    : wait for the thread to finish",
    "Main    : all done",
    "Thread 1: finishing",
};

START_TEST(single_thread_prints_each_article_line_once)
{
    struct run r = harness_run("single_thread", NULL, SCALE, 5);
    ck_assert_msg(!r.timed_out, "single_thread did not end:\n%s", r.out);
    ck_assert_int_eq(r.exit_code, 0);
    for (size_t i = 0; i < sizeof article_lines / sizeof *article_lines; i++)
        ck_assert_msg(output_count(r.out, article_lines[i]) == 1,
                      "expected '%s' once in:\n%s", article_lines[i], r.out);
    run_free(&r);
}
END_TEST

START_TEST(main_logs_in_program_order)
{
    struct run r = harness_run("single_thread", NULL, SCALE, 5);
    ck_assert_int_lt(output_index(r.out, "Main    : before creating thread"),
                     output_index(r.out, "Main    : before running thread"));
    ck_assert_int_lt(output_index(r.out, "Main    : before running thread"),
                     output_index(r.out, "Main    : wait for the thread to finish"));
    ck_assert_int_lt(output_index(r.out, "Main    : wait for the thread to finish"),
                     output_index(r.out, "Main    : all done"));
    ck_assert_int_lt(output_index(r.out, "Main    : before running thread"),
                     output_index(r.out, "Thread 1: starting"));
    run_free(&r);
}
END_TEST

START_TEST(thread_finishes_after_main_is_all_done)
{
    struct run r = harness_run("single_thread", NULL, SCALE, 5);
    int done = output_index(r.out, "Main    : all done");
    int finishing = output_index(r.out, "Thread 1: finishing");
    ck_assert_msg(done >= 0 && finishing > done,
                  "expected 'Thread 1: finishing' after 'Main    : all done':\n%s", r.out);
    ck_assert_msg(r.seconds >= 2 * SCALE, "the process ended after %.3f s, before the thread's sleep",
                  r.seconds);
    run_free(&r);
}
END_TEST

START_TEST(thread_kinds_run_each_kind_once)
{
    static const char *const lines[] = {
        "Hello threading!", "func_4_thread counted to 1000000", "MyThread counted to 1000000",
        "Hello from Thread", "The main program continues to run in the foreground.",
        "I'm a real boy!", "Argument",
    };
    struct run r = harness_run("thread_kinds", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        ck_assert_msg(output_count(r.out, lines[i]) == 1, "expected '%s' once in:\n%s", lines[i], r.out);
    ck_assert_int_lt(output_index(r.out, "I'm a real boy!"), output_index(r.out, "Argument"));
    run_free(&r);
}
END_TEST

/*
 * thread_ids: main and three threads, all alive together, each show
 * pthread_self() and (where the build has it) gettid(). Both must differ
 * between them, and main's gettid() is the process id.
 */
START_TEST(thread_ids_differ_between_live_threads)
{
    static const char *const who[] = { "Main    ", "Thread 0", "Thread 1", "Thread 2" };
    enum { N = sizeof who / sizeof *who };
    uintmax_t self[N];
    long tid[N], pid;
    char prefix[64];
    struct run r = harness_run("thread_ids", NULL, SCALE, 5);

    ck_assert_msg(r.exit_code == 0, "thread_ids ended with status %d:\n%s", r.exit_code, r.out);
    ck_assert_msg(output_numbers(r.out, "Main    : getpid() is ", &pid, NULL, 1) == 1,
                  "expected 'Main    : getpid() is N':\n%s", r.out);
    for (int i = 0; i < N; i++) {
        snprintf(prefix, sizeof prefix, "%s: pthread_self() is ", who[i]);
        const char *at = strstr(r.out, prefix);
        ck_assert_msg(at != NULL, "expected a line '%s0x...':\n%s", prefix, r.out);
        char *end;
        self[i] = strtoumax(at + strlen(prefix), &end, 16);
        ck_assert_msg(end != at + strlen(prefix), "%s: pthread_self() is not a number:\n%s", who[i], r.out);
#ifdef HAVE_GETTID
        ck_assert_msg(strncmp(end, ", gettid() is ", 14) == 0, "%s: expected ', gettid() is N':\n%s",
                      who[i], r.out);
        tid[i] = strtol(end + 14, NULL, 10);
#else
        ck_assert_msg(strncmp(end, " (no gettid() here)", 19) == 0,
                      "%s: this build has no gettid(): expected ' (no gettid() here)':\n%s", who[i], r.out);
        tid[i] = -1 - i;
#endif
        for (int j = 0; j < i; j++)
            ck_assert_msg(self[i] != self[j] && tid[i] != tid[j],
                          "%s and %s, alive together, show the same id:\n%s", who[j], who[i], r.out);
    }
#ifdef HAVE_GETTID
    ck_assert_msg(tid[0] == pid, "main's gettid() %ld should be the process id %ld:\n%s", tid[0], pid,
                  r.out);
#endif
    run_free(&r);
}
END_TEST

/* ---- exercise 1 ---------------------------------------------------------- */

/* results[] one longer than any n, every slot -1: a write past results[n - 1] shows. */
#define UNTOUCHED (-1)
#define SLOTS (SQUARES_MAX + 1)

static void run_squares(int n, long results[SLOTS])
{
    for (int i = 0; i < SLOTS; i++)
        results[i] = UNTOUCHED;
    spy_start();
    squares_by_threads(n, results);
}

static void assert_untouched_from(int n, const long results[SLOTS])
{
    for (int i = n; i < SLOTS; i++)
        ck_assert_msg(results[i] == UNTOUCHED,
                      "squares_by_threads(%d, results) wrote results[%d] = %ld: only results[0] to "
                      "results[n - 1] are yours to write", n, i, results[i]);
}

START_TEST(each_thread_returns_its_square)
{
    long results[SLOTS];

    run_squares(8, results);
    for (long i = 0; i < 8; i++)
        ck_assert_msg(results[i] == i * i, "results[%ld] is %ld, expected %ld", i, results[i], i * i);
    assert_untouched_from(8, results);
}
END_TEST

/* The n threads started got n different arguments. */
static void assert_own_arguments(size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            ck_assert_msg(spy_create_arg(i) != spy_create_arg(j),
                          "threads %zu and %zu got the same argument %p: pass each index by value, "
                          "(void *)(intptr_t)i, not &i", i, j, spy_create_arg(i));
}

START_TEST(each_thread_gets_its_own_index_by_value)
{
    long results[SLOTS];

    run_squares(SQUARES_MAX, results);
    ck_assert_msg(spy_created() == SQUARES_MAX, "expected %d threads started, saw %zu",
                  SQUARES_MAX, spy_created());
    assert_own_arguments(SQUARES_MAX);
}
END_TEST

/* "Starts n threads at once": all n are started before the first is joined. */
START_TEST(all_threads_run_at_the_same_time)
{
    long results[SLOTS];

    run_squares(8, results);
    ck_assert_msg(spy_created() == 8, "expected 8 threads started, saw %zu", spy_created());
    ck_assert_msg(spy_live_max() == 8,
                  "only %zu of the 8 threads ran at a time, one after another: a join in the loop "
                  "that starts them waits for each thread before the next one starts. Start all n "
                  "threads in one loop, then join them in a second loop",
                  spy_live_max());
}
END_TEST

/* The squares travel as the threads' return values, collected by pthread_join. */
START_TEST(each_square_is_the_thread_return_value)
{
    enum { N = 8 };
    long results[SLOTS];
    char seen[256];
    size_t len = 0;
    bool returned[N * N] = { false };

    run_squares(N, results);
    ck_assert_msg(spy_created() == N, "expected %d threads started, saw %zu", N, spy_created());
    assert_own_arguments(N);
    for (size_t k = 0; k < N; k++) {
        void *value;
        ck_assert_msg(spy_returned(k, &value),
                      "thread %zu had not returned when squares_by_threads() did: join every "
                      "thread you start", k);
        intptr_t v = (intptr_t)value;
        if (v >= 0 && v < N * N)
            returned[v] = true;
        len += (size_t)snprintf(seen + len, sizeof seen - len, "%s%ld", k > 0 ? ", " : "", (long)v);
    }
    for (long i = 0; i < N; i++)
        ck_assert_msg(returned[i * i],
                      "no thread returned %ld (%ld * %ld); the threads returned %s. Thread i must "
                      "hand back i * i as its return value, return (void *)(intptr_t)(i * i), for "
                      "the joining thread to store in results[i]: not write results[i] itself, not "
                      "return a pointer, not leave the squaring to the caller", i * i, i, i, seen);
    ck_assert_msg(spy_joined_for_result() == N,
                  "%zu of the %d pthread_join calls asked for the thread's return value: pass "
                  "&result to pthread_join and store what it hands back in results[i]",
                  spy_joined_for_result(), N);
}
END_TEST

START_TEST(every_thread_is_joined)
{
    long results[SLOTS];

    run_squares(5, results);
    ck_assert_msg(spy_created() == 5, "expected 5 threads started, saw %zu", spy_created());
    ck_assert_msg(spy_joined() == 5, "5 threads started but %zu joined", spy_joined());
}
END_TEST

START_TEST(zero_threads_start_nothing)
{
    long results[SLOTS];

    run_squares(0, results);
    ck_assert_msg(spy_created() == 0, "squares_by_threads(0, results) started %zu threads: n is 0",
                  spy_created());
    assert_untouched_from(0, results);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("single_thread", 0);
    tcase_add_test(tc, single_thread_prints_each_article_line_once);
    tcase_add_test(tc, main_logs_in_program_order);
    tcase_add_test(tc, thread_finishes_after_main_is_all_done);
    tcase_add_test(tc, thread_kinds_run_each_kind_once);
    tcase_add_test(tc, thread_ids_differ_between_live_threads);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("squares", 0);
    tcase_add_test(tc, each_thread_returns_its_square);
    tcase_add_test(tc, each_thread_gets_its_own_index_by_value);
    tcase_add_test(tc, all_threads_run_at_the_same_time);
    tcase_add_test(tc, each_square_is_the_thread_return_value);
    tcase_add_test(tc, every_thread_is_joined);
    tcase_add_test(tc, zero_threads_start_nothing);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
