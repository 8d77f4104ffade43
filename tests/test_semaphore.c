/*
 * test_semaphore.c - common/semaphore: Semaphore and BoundedSemaphore, with
 * the behaviours CPython's lock_tests.py checks for them and the timeout
 * rule of timing.h. (Python's release(n), `with` and repr have no
 * counterpart here.)
 */
#include "harness.h"
#include "pt.h"
#include "semaphore.h"
#include "timing.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

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

START_TEST(an_acquire_waits_until_a_release)
{
    sem = semaphore_create(0);
    pending_t *p = pending_start(acquire_one, NULL);
    ck_assert_msg(!pending_returned(p, 0.2), "semaphore_acquire() returned with no permit");
    ck_assert(semaphore_release(sem));
    pending_join(p);
    ck_assert(!semaphore_try_acquire(sem));
    semaphore_destroy(sem);
}
END_TEST

/*
 * lock_tests' test_acquire_contended: 10 threads take two permits each from
 * a semaphore of 7 with one taken. They get exactly the permits there are,
 * phase by phase: 6, then 7 more, then 6 more; the last one waits for the
 * last release.
 */
enum { TAKERS = 10 };
static atomic_int taken;

static void *take_two(void *unused)
{
    (void)unused;
    semaphore_acquire(sem);
    atomic_fetch_add(&taken, 1);
    semaphore_acquire(sem);
    atomic_fetch_add(&taken, 1);
    return NULL;
}

/* Wait until `want` permits were taken; after a moment, still no more. */
static void assert_taken(int want)
{
    double give_up = timing_now() + 5 * harness_slowdown();
    while (atomic_load(&taken) < want && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    timing_sleep_unscaled(0.02);
    ck_assert_msg(atomic_load(&taken) == want, "%d permits taken, %d given out", atomic_load(&taken), want);
}

START_TEST(contended_acquires_get_exactly_the_permits_released)
{
    pthread_t t[TAKERS];

    sem = semaphore_create(7);
    semaphore_acquire(sem);
    for (int i = 0; i < TAKERS; i++)
        PT(pthread_create(&t[i], NULL, take_two, NULL));
    assert_taken(6);
    for (int i = 0; i < 7; i++)
        semaphore_release(sem);
    assert_taken(13);
    for (int i = 0; i < 6; i++)
        semaphore_release(sem);
    assert_taken(19);
    ck_assert(!semaphore_try_acquire(sem));
    semaphore_release(sem);
    for (int i = 0; i < TAKERS; i++)
        PT(pthread_join(t[i], NULL));
    ck_assert_int_eq(atomic_load(&taken), 20);
    semaphore_destroy(sem);
}
END_TEST

START_TEST(try_acquire_takes_a_permit_only_when_there_is_one)
{
    sem = semaphore_create(2);
    ck_assert(semaphore_try_acquire(sem));
    ck_assert(semaphore_try_acquire(sem));
    ck_assert(!semaphore_try_acquire(sem));
    ck_assert(semaphore_release(sem));
    ck_assert(semaphore_try_acquire(sem));
    semaphore_destroy(sem);
}
END_TEST

static void *try_twice(void *unused)
{
    (void)unused;
    return (void *)(intptr_t)(semaphore_try_acquire(sem) + semaphore_try_acquire(sem));
}

/* lock_tests' test_try_acquire_contended: 3 permits, 10 tries, 3 succeed. */
START_TEST(contended_try_acquires_take_exactly_the_permits_there_are)
{
    void *got[5];

    sem = semaphore_create(4);
    semaphore_acquire(sem);
    ck_assert(harness_threads(try_twice, NULL, got, 5, 5));
    intptr_t total = 0;
    for (int i = 0; i < 5; i++)
        total += (intptr_t)got[i];
    ck_assert_int_eq(total, 3);
    semaphore_destroy(sem);
}
END_TEST

/* lock_tests' test_acquire_timeout. */
START_TEST(a_timed_acquire_takes_a_permit_or_gives_up_after_its_timeout)
{
    sem = semaphore_create(2);
    ck_assert(semaphore_acquire_timed(sem, 0.005));
    ck_assert(semaphore_acquire_timed(sem, 0.005));
    ck_assert(!semaphore_acquire_timed(sem, 0.005));
    ck_assert(semaphore_release(sem));
    ck_assert(semaphore_acquire_timed(sem, 0.005));
    double start = timing_now();
    ck_assert(!semaphore_acquire_timed(sem, 0.1));
    double waited = timing_now() - start;
    ck_assert_msg(waited >= 0.1, "gave up after %.3f s, before its 0.1 s timeout", waited);
    semaphore_destroy(sem);
}
END_TEST

static void *acquire_timed(void *timeout)
{
    return (void *)(intptr_t)semaphore_acquire_timed(sem, *(double *)timeout);
}

/* timing.h: a timeout too large to represent waits without limit. */
START_TEST(a_huge_or_infinite_timeout_waits_until_a_release)
{
    static double timeouts[] = { 1e100, INFINITY, DBL_MAX, 1e12 };
    enum { N = sizeof timeouts / sizeof timeouts[0] };
    pending_t *p[N];

    sem = semaphore_create(0);
    for (int i = 0; i < N; i++)
        p[i] = pending_start(acquire_timed, &timeouts[i]);
    for (int i = 0; i < N; i++)
        ck_assert_msg(!pending_returned(p[i], i == 0 ? 0.2 : 0),
                      "semaphore_acquire_timed(s, %g) returned with no permit", timeouts[i]);
    for (int i = 0; i < N; i++)
        ck_assert(semaphore_release(sem));
    for (int i = 0; i < N; i++)
        ck_assert_msg(pending_join(p[i]) == (void *)1, "semaphore_acquire_timed(s, %g) said false",
                      timeouts[i]);
    semaphore_destroy(sem);
}
END_TEST

/* timing.h: a timeout of 0 or less does not wait (Python's acquire(timeout=-1) too). */
START_TEST(a_negative_timeout_takes_a_permit_only_if_there_is_one)
{
    sem = semaphore_create(0);
    ck_assert(!semaphore_acquire_timed(sem, -1));
    ck_assert(!semaphore_acquire_timed(sem, -INFINITY));
    ck_assert(semaphore_release(sem));
    ck_assert(semaphore_acquire_timed(sem, -1));
    semaphore_destroy(sem);
}
END_TEST

/* lock_tests' SemaphoreTests.test_release_unacquired. */
START_TEST(an_unbounded_semaphore_rises_above_its_initial_value)
{
    sem = semaphore_create(1);
    ck_assert(semaphore_release(sem));
    ck_assert(semaphore_try_acquire(sem));
    ck_assert(semaphore_try_acquire(sem));
    ck_assert(!semaphore_try_acquire(sem));
    semaphore_destroy(sem);

    sem = semaphore_create(0);
    for (int i = 0; i < 5; i++)
        ck_assert(semaphore_release(sem));
    for (int i = 0; i < 5; i++)
        ck_assert(semaphore_try_acquire(sem));
    semaphore_destroy(sem);
}
END_TEST

/* lock_tests' BoundedSemaphoreTests.test_release_unacquired, at 1, 2 and 0. */
START_TEST(a_bounded_release_past_the_initial_value_is_refused)
{
    sem = semaphore_create_bounded(1);
    ck_assert(!semaphore_release(sem));
    semaphore_acquire(sem);
    ck_assert(semaphore_release(sem));
    ck_assert(!semaphore_release(sem));
    ck_assert(semaphore_try_acquire(sem) && !semaphore_try_acquire(sem));
    semaphore_destroy(sem);

    sem = semaphore_create_bounded(2);
    ck_assert(!semaphore_release(sem));
    semaphore_acquire(sem);
    ck_assert(semaphore_release(sem));
    ck_assert(!semaphore_release(sem));
    ck_assert(semaphore_try_acquire(sem) && semaphore_try_acquire(sem) && !semaphore_try_acquire(sem));
    semaphore_destroy(sem);

    sem = semaphore_create_bounded(0);  /* BoundedSemaphore(0) refuses every release */
    for (int i = 0; i < 3; i++)
        ck_assert_msg(!semaphore_release(sem), "a bounded semaphore of 0 took release %d", i + 1);
    ck_assert(!semaphore_try_acquire(sem));
    semaphore_destroy(sem);
}
END_TEST

static void acquire_nan(void)
{
    semaphore_acquire_timed(semaphore_create(0), NAN);
}

static void release_past_uint_max(void)
{
    semaphore_release(semaphore_create(UINT_MAX));
}

static void assert_aborts(void (*fn)(void), const char *call, const char *says)
{
    struct run r = harness_fork(fn, 5);
    ck_assert_msg(r.signal == SIGABRT && strstr(r.out, says) != NULL,
                  "%s: expected an abort saying '%s', got status %d, signal %d:\n%s", call, says,
                  r.exit_code, r.signal, r.out);
    run_free(&r);
}

START_TEST(a_nan_timeout_or_a_count_past_uint_max_aborts_with_a_message)
{
    assert_aborts(acquire_nan, "semaphore_acquire_timed(s, NAN)", "NaN");
    assert_aborts(release_past_uint_max, "semaphore_release() at UINT_MAX", "UINT_MAX");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("semaphore");
    TCase *tc = harness_tcase("semaphore", 10);
    tcase_add_test(tc, never_more_than_its_value_hold_it_at_once);
    tcase_add_test(tc, an_acquire_waits_until_a_release);
    tcase_add_test(tc, contended_acquires_get_exactly_the_permits_released);
    tcase_add_test(tc, try_acquire_takes_a_permit_only_when_there_is_one);
    tcase_add_test(tc, contended_try_acquires_take_exactly_the_permits_there_are);
    tcase_add_test(tc, a_timed_acquire_takes_a_permit_or_gives_up_after_its_timeout);
    tcase_add_test(tc, a_huge_or_infinite_timeout_waits_until_a_release);
    tcase_add_test(tc, a_negative_timeout_takes_a_permit_only_if_there_is_one);
    tcase_add_test(tc, an_unbounded_semaphore_rises_above_its_initial_value);
    tcase_add_test(tc, a_bounded_release_past_the_initial_value_is_refused);
    tcase_add_test(tc, a_nan_timeout_or_a_count_past_uint_max_aborts_with_a_message);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
