/* test_semaphore.c - common/semaphore: Semaphore and BoundedSemaphore. */
#include "harness.h"
#include "pt.h"
#include "semaphore.h"
#include "timing.h"

#include <sched.h>

enum { LIMIT = 3, THREADS = 8, ROUNDS = 100 };
static semaphore_t *sem;

static void *hold_and_release(void *unused)
{
    (void)unused;
    for (int r = 0; r < ROUNDS; r++) {
        semaphore_acquire(sem);
        concurrency_enter();
        sched_yield();
        concurrency_leave();
        semaphore_release(sem);
    }
    return NULL;
}

START_TEST(never_more_than_its_value_hold_it_at_once)
{
    pthread_t t[THREADS];

    sem = semaphore_create(LIMIT);
    for (int i = 0; i < THREADS; i++)
        PT(pthread_create(&t[i], NULL, hold_and_release, NULL));
    for (int i = 0; i < THREADS; i++)
        PT(pthread_join(t[i], NULL));
    ck_assert_msg(concurrency_high_water() <= LIMIT, "%d threads held a semaphore of %d",
                  concurrency_high_water(), LIMIT);
    ck_assert_int_ge(concurrency_high_water(), 1);
    for (int i = 0; i < LIMIT; i++)     /* every permit came back */
        ck_assert(semaphore_try_acquire(sem));
    ck_assert(!semaphore_try_acquire(sem));
    semaphore_destroy(sem);
}
END_TEST

static void *acquire_one(void *unused)
{
    (void)unused;
    semaphore_acquire(sem);
    return NULL;
}

START_TEST(a_release_wakes_a_waiting_acquire)
{
    pthread_t t;

    sem = semaphore_create(0);
    PT(pthread_create(&t, NULL, acquire_one, NULL));
    timing_sleep_unscaled(0.02);
    ck_assert(semaphore_release(sem));
    PT(pthread_join(t, NULL));
    ck_assert(!semaphore_try_acquire(sem));
    semaphore_destroy(sem);
}
END_TEST

START_TEST(a_timed_acquire_gives_up_after_its_timeout)
{
    sem = semaphore_create(0);
    double start = timing_now();
    ck_assert(!semaphore_acquire_timed(sem, 0.05));
    ck_assert(timing_now() - start >= 0.05);
    semaphore_release(sem);
    ck_assert(semaphore_acquire_timed(sem, 0.05));
    semaphore_destroy(sem);
}
END_TEST

START_TEST(a_bounded_release_past_the_initial_value_is_reported)
{
    sem = semaphore_create_bounded(2);
    ck_assert(!semaphore_release(sem));
    semaphore_acquire(sem);
    ck_assert(semaphore_release(sem));
    ck_assert(!semaphore_release(sem));
    ck_assert(semaphore_try_acquire(sem) && semaphore_try_acquire(sem) && !semaphore_try_acquire(sem));
    semaphore_destroy(sem);

    sem = semaphore_create(0);          /* unbounded: any number of releases */
    for (int i = 0; i < 5; i++)
        ck_assert(semaphore_release(sem));
    semaphore_destroy(sem);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("semaphore");
    TCase *tc = harness_tcase("semaphore", 0);
    tcase_add_test(tc, never_more_than_its_value_hold_it_at_once);
    tcase_add_test(tc, a_release_wakes_a_waiting_acquire);
    tcase_add_test(tc, a_timed_acquire_gives_up_after_its_timeout);
    tcase_add_test(tc, a_bounded_release_past_the_initial_value_is_reported);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
