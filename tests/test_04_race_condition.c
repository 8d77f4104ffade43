/* test_04_race_condition.c - lesson 4: the lost update, and exercise 4. */
#include "harness.h"
#include "interleave.h"

#include <string.h>

/*
 * The demo runs at full speed (scale 1): its 0.1 s window between read and
 * write is what makes the second thread's read land inside the first
 * thread's update. A 10 ms window lost the update in 299 of 300 runs with
 * both cores busy when measured; 0.1 s is ten times that margin.
 */
#define FULL_WINDOW 1.0

START_TEST(racecond_ends_at_1)
{
    struct run r = harness_run("racecond", NULL, FULL_WINDOW, 10);
    ck_assert_msg(!r.timed_out && r.exit_code == 0, "racecond did not end cleanly:\n%s", r.out);
    ck_assert_int_eq(output_count(r.out, "Testing unlocked update. Starting value is 0."), 1);
    ck_assert_msg(output_count(r.out, "Testing unlocked update. Ending value is 1.") == 1,
                  "the article's ending value is 1 (one update lost); got:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(racecond_logs_each_threads_start_and_finish)
{
    static const char *const lines[] = {
        "Thread 0: starting update", "Thread 1: starting update",
        "Thread 0: finishing update", "Thread 1: finishing update",
    };
    struct run r = harness_run("racecond", NULL, FULL_WINDOW, 10);
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        ck_assert_msg(output_count(r.out, lines[i]) == 1, "expected '%s' once in:\n%s", lines[i], r.out);
    /* Both reads happen before either write: that is the lost update. */
    int last_start = output_index(r.out, "Thread 1: starting update");
    if (output_index(r.out, "Thread 0: starting update") > last_start)
        last_start = output_index(r.out, "Thread 0: starting update");
    ck_assert_msg(last_start < output_index(r.out, "Thread 0: finishing update") &&
                  last_start < output_index(r.out, "Thread 1: finishing update"),
                  "expected both threads to start before either finishes:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(racecond_refuses_an_argument)
{
    assert_refuses_argument("racecond", "2");
}
END_TEST

/* ---- exercise 4 ---------------------------------------------------------- */

static void assert_schedule(const char *schedule, int expected)
{
    int got = interleave_run(schedule);
    ck_assert_msg(got == expected, "interleave_run(\"%s\") returned %d, expected %d",
                  schedule, got, expected);
}

START_TEST(one_increment_after_the_other_ends_at_2)
{
    assert_schedule("AAABBB", 2);
    assert_schedule("BBBAAA", 2);
}
END_TEST

START_TEST(the_demos_schedule_loses_an_update)
{
    /* A loads 0 and adds; B loads 0 and adds; A stores 1; B stores 1. */
    assert_schedule("AABBAB", 1);
    /* B loads 0 first, and its store comes last, over A's. */
    assert_schedule("BAAABB", 1);
}
END_TEST

START_TEST(two_increments_each_can_lose_two_updates)
{
    assert_schedule("AAAAAABBBBBB", 4);
    assert_schedule("AAABBBAAABBB", 4);
    /* A loads 0; B's two increments make it 2; A stores 1 over them, then adds one: 2. */
    assert_schedule("ABBBBBBAAAAA", 2);
}
END_TEST

START_TEST(invalid_schedules_are_refused)
{
    static const char *const bad[] = { "AAB", "AABB", "AAXBBB", "aaabbb", "AAAAAABBB", "ABAB" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_schedule(bad[i], -1);
}
END_TEST

/* C(n, k), exactly, for the small numbers here. */
static long choose(int n, int k)
{
    long c = 1;
    for (int i = 1; i <= k; i++)
        c = c * (n - k + i) / i;
    return c;
}

/*
 * Every update survives only when each increment's three steps run without
 * the other thread's steps in between: the schedule is then a sequence of
 * whole blocks "AAA" and "BBB", and there are C(2n, n) such orders among all
 * C(6n, 3n) schedules.
 */
static void assert_lost(int increments)
{
    long total = -1;
    long lost = interleave_count_lost(increments, &total);
    long expected_total = choose(6 * increments, 3 * increments);
    long expected_lost = expected_total - choose(2 * increments, increments);
    ck_assert_msg(total == expected_total, "%d increment(s) each: *total is %ld, expected %ld schedules",
                  increments, total, expected_total);
    ck_assert_msg(lost == expected_lost, "%d increment(s) each: %ld schedules lose an update, expected %ld",
                  increments, lost, expected_lost);
}

START_TEST(eighteen_of_twenty_schedules_lose_an_update)
{
    assert_lost(1);
}
END_TEST

START_TEST(almost_every_longer_schedule_loses_an_update)
{
    assert_lost(2);
    assert_lost(3);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("racecond", 20);
    tcase_add_test(tc, racecond_ends_at_1);
    tcase_add_test(tc, racecond_logs_each_threads_start_and_finish);
    tcase_add_test(tc, racecond_refuses_an_argument);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("interleave", 0);
    tcase_add_test(tc, one_increment_after_the_other_ends_at_2);
    tcase_add_test(tc, the_demos_schedule_loses_an_update);
    tcase_add_test(tc, two_increments_each_can_lose_two_updates);
    tcase_add_test(tc, invalid_schedules_are_refused);
    tcase_add_test(tc, eighteen_of_twenty_schedules_lose_an_update);
    tcase_add_test(tc, almost_every_longer_schedule_loses_an_update);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
