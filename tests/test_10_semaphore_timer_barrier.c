/* test_10_semaphore_timer_barrier.c - lesson 10: Semaphore, Timer, Barrier; exercise 10. */
#include "csem.h"
#include "harness.h"
#include "pt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCALE 0.1

START_TEST(never_more_than_three_connections_in_use)
{
    struct run r = harness_run("semaphore", NULL, SCALE, 10);
    int connected = 0;

    ck_assert_int_eq(r.exit_code, 0);
    for (const char *p = strstr(r.out, ": connected, "); p != NULL; p = strstr(p + 1, ": connected, ")) {
        int now = atoi(p + strlen(": connected, "));
        ck_assert_msg(now >= 1 && now <= 3, "%d connections in use at once:\n%s", now, r.out);
        connected++;
    }
    ck_assert_msg(connected == 8, "expected 8 threads to connect, saw %d:\n%s", connected, r.out);
    int done = 0;
    for (const char *p = strstr(r.out, ": done, "); p != NULL; p = strstr(p + 1, ": done, ")) {
        int now = atoi(p + strlen(": done, "));
        ck_assert_msg(now >= 0 && now <= 2, "%d connections in use after one was released:\n%s", now, r.out);
        done++;
    }
    ck_assert_msg(done == 8, "expected 8 threads to be done, saw %d:\n%s", done, r.out);
    const char *most = strstr(r.out, "at most ");
    ck_assert_msg(most != NULL && atoi(most + 8) >= 1 && atoi(most + 8) <= 3, "main's last line:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(a_cancelled_prompt_never_appears_and_a_late_cancel_does_nothing)
{
    struct run r = harness_run("timer", NULL, SCALE, 10);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_msg(output_count(r.out, "Main: cancel stopped the prompt") == 1,
                  "the first prompt, due in 30 s, was not stopped by a cancel after 1 s:\n%s", r.out);
    ck_assert_msg(output_count(r.out, "Timer: Are you still there?") == 1,
                  "expected exactly one prompt (the second timer's):\n%s", r.out);
    int fired = output_index(r.out, "Timer: Are you still there?");
    int late = output_index(r.out, "Main: cancel did nothing: it had fired");
    ck_assert_msg(late > fired && output_index(r.out, "Main: prompting in 1 s unless the user acts") < fired,
                  "expected the second prompt, then the late cancel:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(no_thread_starts_before_all_are_ready)
{
    struct run r = harness_run("barrier", NULL, SCALE, 10);
    int last_ready = -1, first_start = 1 << 30;
    char line[64];

    ck_assert_int_eq(r.exit_code, 0);
    for (int name = 0; name < 4; name++) {
        snprintf(line, sizeof line, "Thread %d: ready, waiting at the barrier", name);
        int ready = output_index(r.out, line);
        snprintf(line, sizeof line, "Thread %d: starting", name);
        int start = output_index(r.out, line);
        ck_assert_msg(ready >= 0 && start >= 0, "Thread %d is missing a line:\n%s", name, r.out);
        last_ready = ready > last_ready ? ready : last_ready;
        first_start = start < first_start ? start : first_start;
    }
    ck_assert_msg(first_start > last_ready, "a thread started before the last one was ready:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(demos_refuse_an_argument)
{
    static const char *const programs[] = { "semaphore", "timer", "barrier" };
    for (size_t i = 0; i < sizeof programs / sizeof *programs; i++)
        assert_refuses_argument(programs[i], "3");
}
END_TEST

/* ---- exercise 10 --------------------------------------------------------- */

static struct csem sem;

START_TEST(try_acquire_counts_the_permits)
{
    csem_init(&sem, 2);
    ck_assert_msg(csem_try_acquire(&sem), "the first of 2 permits was refused");
    ck_assert_msg(csem_try_acquire(&sem), "the second of 2 permits was refused");
    ck_assert_msg(!csem_try_acquire(&sem), "a third permit was given out of 2");
    csem_release(&sem);
    ck_assert_msg(csem_try_acquire(&sem), "a released permit was refused");
    ck_assert_msg(!csem_try_acquire(&sem), "a permit was given out twice");
    csem_destroy(&sem);
}
END_TEST

static void *acquire_one(void *unused)
{
    (void)unused;
    csem_acquire(&sem);
    return NULL;
}

START_TEST(acquire_waits_until_a_release)
{
    csem_init(&sem, 0);
    pending_t *acquire = pending_start(acquire_one, NULL);
    bool early = pending_returned(acquire, 0.2);
    csem_release(&sem);
    bool woke = pending_returned(acquire, 5);
    pending_join(acquire);
    ck_assert_msg(!early, "csem_acquire returned with no permit: it must wait");
    ck_assert_msg(woke, "csem_acquire stayed blocked after a release");
    ck_assert_msg(!csem_try_acquire(&sem), "the released permit was not taken by the waiter");
    csem_destroy(&sem);
}
END_TEST

START_TEST(each_release_wakes_one_waiter)
{
    csem_init(&sem, 0);
    /* Four waiters; four releases from this thread must let every one through. */
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        PT(pthread_create(&t[i], NULL, acquire_one, NULL));
    for (int i = 0; i < 4; i++)
        csem_release(&sem);
    for (int i = 0; i < 4; i++)
        PT(pthread_join(t[i], NULL));
    ck_assert_msg(!csem_try_acquire(&sem), "4 releases, 4 acquires, and a permit left over");
    csem_destroy(&sem);
}
END_TEST

#define HOLDERS 3
#define THREADS 12
#define ROUNDS 40

static void *hold_permits(void *unused)
{
    (void)unused;
    for (int i = 0; i < ROUNDS; i++) {
        csem_acquire(&sem);
        concurrency_measured(NULL);
        csem_release(&sem);
    }
    return NULL;
}

START_TEST(never_more_holders_than_permits)
{
    csem_init(&sem, HOLDERS);
    concurrency_reset();
    ck_assert_msg(harness_threads(hold_permits, NULL, NULL, THREADS, 10),
                  "%d threads taking and giving back %d permits did not finish within 10 s", THREADS, HOLDERS);
    ck_assert_msg(concurrency_high_water() <= HOLDERS, "%d threads held a permit at once, of %d permits",
                  concurrency_high_water(), HOLDERS);
    csem_destroy(&sem);
}
END_TEST

static void *hold_until_all_hold(void *unused)
{
    (void)unused;
    csem_acquire(&sem);
    void *all = concurrency_rendezvous((void *)HOLDERS);
    csem_release(&sem);
    return all;
}

START_TEST(all_permits_can_be_held_at_once)
{
    void *all[HOLDERS];

    csem_init(&sem, HOLDERS);
    concurrency_reset();
    ck_assert(harness_threads(hold_until_all_hold, NULL, all, HOLDERS, 5));
    for (int i = 0; i < HOLDERS; i++)
        ck_assert_msg(all[i] != NULL, "%d permits, but %d threads could not hold them at the same time",
                      HOLDERS, HOLDERS);
    csem_destroy(&sem);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("demos", 15);
    tcase_add_test(tc, never_more_than_three_connections_in_use);
    tcase_add_test(tc, a_cancelled_prompt_never_appears_and_a_late_cancel_does_nothing);
    tcase_add_test(tc, no_thread_starts_before_all_are_ready);
    tcase_add_test(tc, demos_refuse_an_argument);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("csem", 5);
    tcase_add_test(tc, try_acquire_counts_the_permits);
    tcase_add_test(tc, acquire_waits_until_a_release);
    tcase_add_test(tc, each_release_wakes_one_waiter);
    tcase_add_test(tc, never_more_holders_than_permits);
    tcase_add_test(tc, all_permits_can_be_held_at_once);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
