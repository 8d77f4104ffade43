/* test_executor.c - common/executor: a pool of reused workers. */
#include "event.h"
#include "executor.h"
#include "harness.h"
#include "timing.h"

#include <stdatomic.h>
#include <stdint.h>

enum { MANY = 20000 };
static atomic_int runs[MANY];

static void *count_run(void *arg)
{
    atomic_fetch_add(&runs[(intptr_t)arg], 1);
    return NULL;
}

static void *twice(void *arg)
{
    return (void *)(2 * (intptr_t)arg);
}

START_TEST(map_returns_results_in_input_order)
{
    enum { N = 1000 };
    void *args[N], *results[N];

    for (int i = 0; i < N; i++)
        args[i] = (void *)(intptr_t)i;
    executor_t *ex = executor_create(4);
    executor_map(ex, twice, args, results, N);
    executor_destroy(ex);
    for (int i = 0; i < N; i++)
        ck_assert_int_eq((intptr_t)results[i], 2 * i);
}
END_TEST

START_TEST(every_submitted_task_runs_exactly_once_before_destroy_returns)
{
    executor_t *ex = executor_create(3);
    for (intptr_t i = 0; i < MANY; i++)
        executor_submit(ex, count_run, (void *)i);
    executor_destroy(ex);
    for (int i = 0; i < MANY; i++)
        ck_assert_msg(atomic_load(&runs[i]) == 1, "task %d ran %d times", i, atomic_load(&runs[i]));
}
END_TEST

START_TEST(max_workers_threads_are_started_reused_and_joined)
{
    enum { N = 60, MAX = 3 };

    spy_start();
    executor_t *ex = executor_create(MAX);
    for (intptr_t i = 0; i < N; i++)
        executor_submit(ex, concurrency_measured, (void *)i);
    executor_destroy(ex);
    ck_assert_uint_eq(spy_created(), MAX);
    ck_assert_uint_eq(spy_joined(), MAX);
    ck_assert_int_le(concurrency_high_water(), MAX);
    ck_assert_int_ge(concurrency_high_water(), 1);
}
END_TEST

static event_t *release;

static void *wait_for_release(void *arg)
{
    event_wait_timed(release, 5);
    return arg;
}

START_TEST(workers_run_tasks_at_the_same_time)
{
    enum { MAX = 4 };
    void *args[MAX] = { (void *)MAX, (void *)MAX, (void *)MAX, (void *)MAX }, *results[MAX];

    executor_t *ex = executor_create(MAX);
    executor_map(ex, concurrency_rendezvous, args, results, MAX);
    executor_destroy(ex);
    for (int i = 0; i < MAX; i++)
        ck_assert_msg(results[i] == (void *)1, "task %d never saw all %d running together", i, MAX);
}
END_TEST

START_TEST(future_result_waits_for_the_task)
{
    release = event_create();
    executor_t *ex = executor_create(2);
    future_t *f = executor_submit_future(ex, wait_for_release, (void *)(intptr_t)7);
    future_t *g = executor_submit_future(ex, twice, (void *)(intptr_t)21);
    ck_assert_int_eq((intptr_t)future_result(g), 42);   /* done while f still waits */
    event_set(release);
    ck_assert_int_eq((intptr_t)future_result(f), 7);
    executor_destroy(ex);
    event_destroy(release);
}
END_TEST

static int order[100];
static atomic_int next_slot;

static void *record(void *arg)
{
    order[atomic_fetch_add(&next_slot, 1)] = (int)(intptr_t)arg;
    return NULL;
}

START_TEST(one_worker_runs_tasks_in_submission_order)
{
    executor_t *ex = executor_create(1);
    for (intptr_t i = 0; i < 100; i++)
        executor_submit(ex, record, (void *)i);
    executor_destroy(ex);
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(order[i], i);
}
END_TEST

START_TEST(an_executor_with_no_work_shuts_down)
{
    spy_start();
    executor_destroy(executor_create(2));
    ck_assert_uint_eq(spy_joined(), 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("executor");
    TCase *tc = harness_tcase("executor", 0);
    tcase_add_test(tc, map_returns_results_in_input_order);
    tcase_add_test(tc, every_submitted_task_runs_exactly_once_before_destroy_returns);
    tcase_add_test(tc, max_workers_threads_are_started_reused_and_joined);
    tcase_add_test(tc, workers_run_tasks_at_the_same_time);
    tcase_add_test(tc, future_result_waits_for_the_task);
    tcase_add_test(tc, one_worker_runs_tasks_in_submission_order);
    tcase_add_test(tc, an_executor_with_no_work_shuts_down);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
