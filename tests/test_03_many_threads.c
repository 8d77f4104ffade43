/* test_03_many_threads.c - lesson 3: many threads, the executor, exercise 3. */
#include "harness.h"
#include "parallel_map.h"
#include "pt.h"
#include "timing.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

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
    ck_assert_int_eq(output_count(r.out, "thread doing work..."), 3);
    ck_assert_int_eq(output_count(r.out, "42 from pthread_join"), 1);
    ck_assert_int_eq(output_count(r.out, "42 from a struct"), 1);
    ck_assert_int_eq(output_count(r.out, "42 from a future"), 1);
    run_free(&r);
}
END_TEST

/* ---- exercise 3 ---------------------------------------------------------- */

static void *plus_one(void *arg)
{
    return (void *)((intptr_t)arg + 1);
}

static void reset(void)
{
    concurrency_reset();
    spy_start();
}

START_TEST(results_come_back_in_input_order)
{
    enum { N = 200 };
    void *args[N], *results[N];

    for (int i = 0; i < N; i++) {
        args[i] = (void *)(intptr_t)i;
        results[i] = (void *)(intptr_t)-1;
    }
    reset();
    parallel_map(plus_one, args, results, N, 4);
    for (int i = 0; i < N; i++)
        ck_assert_msg((intptr_t)results[i] == i + 1, "results[%d] is %ld, expected %d", i,
                      (long)(intptr_t)results[i], i + 1);
}
END_TEST

START_TEST(never_more_than_max_workers_at_once)
{
    enum { N = 60, MAX = 3 };
    void *args[N], *results[N];

    for (int i = 0; i < N; i++)
        args[i] = (void *)(intptr_t)i;
    reset();
    parallel_map(concurrency_measured, args, results, N, MAX);
    ck_assert_msg(concurrency_high_water() <= MAX, "%d calls of fn ran at once; max_workers is %d",
                  concurrency_high_water(), MAX);
    ck_assert_msg(spy_live_max() <= MAX, "%zu threads were alive at once; max_workers is %d",
                  spy_live_max(), MAX);
    ck_assert_msg(concurrency_high_water() >= 1, "fn never ran");
}
END_TEST

START_TEST(runs_max_workers_calls_at_the_same_time)
{
    enum { MAX = 4 };
    void *args[MAX], *results[MAX];

    for (int i = 0; i < MAX; i++)
        args[i] = (void *)(intptr_t)MAX;
    reset();
    parallel_map(concurrency_rendezvous, args, results, MAX, MAX);
    ck_assert_msg(concurrency_arrived() == MAX, "fn ran %d times, expected %d", concurrency_arrived(), MAX);
    for (int i = 0; i < MAX; i++)
        ck_assert_msg(results[i] == (void *)1,
                      "call %d never saw all %d calls running together: the calls ran one after another",
                      i, MAX);
}
END_TEST

START_TEST(every_thread_is_joined)
{
    enum { N = 20 };
    void *args[N], *results[N];

    for (int i = 0; i < N; i++)
        args[i] = (void *)(intptr_t)i;
    reset();
    parallel_map(plus_one, args, results, N, 4);
    ck_assert_msg(spy_created() >= 1, "parallel_map started no thread");
    ck_assert_msg(spy_joined() == spy_created(), "%zu threads started, %zu joined",
                  spy_created(), spy_joined());
}
END_TEST

START_TEST(empty_input_starts_no_thread)
{
    void *results[1] = { NULL };

    reset();
    parallel_map(plus_one, NULL, results, 0, 4);
    ck_assert_uint_eq(spy_created(), 0);
    ck_assert_ptr_null(results[0]);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("many_threads", 0);
    tcase_add_test(tc, multiple_threads_join_in_order);
    tcase_add_test(tc, multiple_threads_takes_a_count_and_refuses_bad_ones);
    tcase_add_test(tc, executor_runs_each_task_once);
    tcase_add_test(tc, threads_say_their_names);
    tcase_add_test(tc, each_way_returns_the_value);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("parallel_map", 0);
    tcase_add_test(tc, results_come_back_in_input_order);
    tcase_add_test(tc, never_more_than_max_workers_at_once);
    tcase_add_test(tc, runs_max_workers_calls_at_the_same_time);
    tcase_add_test(tc, every_thread_is_joined);
    tcase_add_test(tc, empty_input_starts_no_thread);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
