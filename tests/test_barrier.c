/*
 * test_barrier.c - common/barrier: a reusable Barrier, with the behaviours
 * CPython's lock_tests.py checks that this barrier has (lockstep passes,
 * wait's return value, a single party, parties >= 1). It has no timeout,
 * action, abort() or reset(), on purpose: a test pins that a round waits
 * for its last party without limit.
 */
#include "barrier.h"
#include "harness.h"
#include "pt.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

enum { PARTIES = 4, ROUNDS = 1000 };
static barrier_t *barrier;
static atomic_int arrived[ROUNDS], left_early, bad_index;
static atomic_uint indices[ROUNDS];        /* per round, a bit per index handed out */

static void *party(void *unused)
{
    (void)unused;
    for (int r = 0; r < ROUNDS; r++) {
        atomic_fetch_add(&arrived[r], 1);
        unsigned index = barrier_wait(barrier);
        if (atomic_load(&arrived[r]) != PARTIES)
            atomic_fetch_add(&left_early, 1);
        if (index >= PARTIES)
            atomic_fetch_add(&bad_index, 1);
        else
            atomic_fetch_or(&indices[r], 1u << index);
    }
    return NULL;
}

/* lock_tests' test_wait_return: each round hands out 0 to parties - 1, once each. */
START_TEST(no_thread_leaves_a_round_early_and_each_gets_its_own_index)
{
    pthread_t t[PARTIES];

    barrier = barrier_create(PARTIES);
    for (int i = 0; i < PARTIES; i++)
        PT(pthread_create(&t[i], NULL, party, NULL));
    for (int i = 0; i < PARTIES; i++)
        PT(pthread_join(t[i], NULL));
    barrier_destroy(barrier);

    ck_assert_msg(atomic_load(&left_early) == 0, "%d threads left a round before all %d arrived",
                  atomic_load(&left_early), PARTIES);
    ck_assert_int_eq(atomic_load(&bad_index), 0);
    for (int r = 0; r < ROUNDS; r++)
        ck_assert_msg(atomic_load(&indices[r]) == (1u << PARTIES) - 1,
                      "round %d: the indices handed out were not 0 to %d once each (mask %#x)", r,
                      PARTIES - 1, atomic_load(&indices[r]));
}
END_TEST

/*
 * lock_tests' multipass (test_barrier_10): two waits per pass. Between
 * them every party has done the pass's first step and none its second.
 */
enum { PASS_PARTIES = 5, PASSES = 10 };
static atomic_int first_steps, second_steps, out_of_step;

static void *pass_in_lockstep(void *unused)
{
    (void)unused;
    for (int i = 0; i < PASSES; i++) {
        atomic_fetch_add(&first_steps, 1);
        if (atomic_load(&second_steps) != i * PASS_PARTIES)
            atomic_fetch_add(&out_of_step, 1);
        barrier_wait(barrier);
        atomic_fetch_add(&second_steps, 1);
        if (atomic_load(&first_steps) != (i + 1) * PASS_PARTIES)
            atomic_fetch_add(&out_of_step, 1);
        barrier_wait(barrier);
    }
    return NULL;
}

START_TEST(parties_pass_in_lockstep_ten_times)
{
    barrier = barrier_create(PASS_PARTIES);
    ck_assert(harness_threads(pass_in_lockstep, NULL, NULL, PASS_PARTIES, 5));
    barrier_destroy(barrier);
    ck_assert_msg(atomic_load(&out_of_step) == 0, "%d steps were taken out of step",
                  atomic_load(&out_of_step));
    ck_assert_int_eq(atomic_load(&second_steps), PASSES * PASS_PARTIES);
}
END_TEST

START_TEST(a_barrier_of_one_never_waits)
{
    barrier = barrier_create(1);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(barrier_wait(barrier), 0);
    barrier_destroy(barrier);
}
END_TEST

static void *wait_once(void *unused)
{
    (void)unused;
    return (void *)(uintptr_t)barrier_wait(barrier);
}

/* No timeout, no abort(): where Python's barrier would break, this one waits. */
START_TEST(a_round_waits_without_limit_for_its_last_party)
{
    barrier = barrier_create(2);
    pending_t *p = pending_start(wait_once, NULL);
    ck_assert_msg(!pending_returned(p, 0.2), "barrier_wait() returned before the round was full");
    unsigned mine = barrier_wait(barrier);
    unsigned other = (unsigned)(uintptr_t)pending_join(p);
    ck_assert_msg(mine + other == 1 && mine * other == 0, "the round handed out %u and %u", other, mine);
    barrier_destroy(barrier);
}
END_TEST

static void create_empty(void)
{
    barrier_create(0);
}

/* lock_tests' test_constructor: Python raises ValueError; misuse aborts here. */
START_TEST(a_barrier_of_no_parties_aborts_with_a_message)
{
    struct run r = harness_fork(create_empty, 5);
    ck_assert_msg(r.signal == SIGABRT && strstr(r.out, "parties") != NULL,
                  "barrier_create(0): expected an abort naming parties, got status %d, signal %d:\n%s",
                  r.exit_code, r.signal, r.out);
    run_free(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("barrier");
    TCase *tc = harness_tcase("barrier", 10);
    tcase_add_test(tc, no_thread_leaves_a_round_early_and_each_gets_its_own_index);
    tcase_add_test(tc, parties_pass_in_lockstep_ten_times);
    tcase_add_test(tc, a_barrier_of_one_never_waits);
    tcase_add_test(tc, a_round_waits_without_limit_for_its_last_party);
    tcase_add_test(tc, a_barrier_of_no_parties_aborts_with_a_message);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
