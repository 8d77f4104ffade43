/* test_06_deadlock.c - lesson 6: deadlocks shown and stopped; exercise 6. */
#include "harness.h"
#include "pt.h"
#include "timing.h"
#include "transfer.h"
#include "watchdog.h"

#include <stdint.h>
#include <string.h>

/* The watchdogs wait 2 s * 0.1. */
#define SCALE 0.1

START_TEST(deadlock_never_acquires_twice_and_the_watchdog_ends_it)
{
    struct run r = harness_run("deadlock", NULL, SCALE, 5);
    ck_assert_msg(!r.timed_out, "deadlock hung past its watchdog:\n%s", r.out);
    ck_assert_msg(r.exit_code == WATCHDOG_EXIT, "expected the watchdog's status %d, got %d:\n%s",
                  WATCHDOG_EXIT, r.exit_code, r.out);
    ck_assert_int_lt(output_index(r.out, "before first acquire"), output_index(r.out, "before second acquire"));
    ck_assert_msg(output_count(r.out, "acquired lock twice") == 0, "the second acquire returned:\n%s", r.out);
    ck_assert_msg(strstr(r.out, ": watchdog: ") != NULL, "no watchdog line:\n%s", r.out);
    ck_assert_msg(r.seconds >= 2 * SCALE, "the watchdog fired after %.3f s, before its 2 s * %g",
                  r.seconds, SCALE);
    run_free(&r);
}
END_TEST

START_TEST(errorcheck_refuses_the_second_acquire)
{
    struct run r = harness_run("errorcheck", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_msg(strstr(r.out, ": second acquire refused: ") != NULL && strstr(r.out, "(EDEADLK)\n"),
                  "expected the second lock to fail with EDEADLK:\n%s", r.out);
    ck_assert_int_eq(output_count(r.out, "acquired lock twice"), 0);
    run_free(&r);
}
END_TEST

START_TEST(two_locks_in_opposite_orders_deadlock_every_time)
{
    struct run r = harness_run("two_locks", NULL, SCALE, 5);
    ck_assert_msg(r.exit_code == WATCHDOG_EXIT, "expected the watchdog's status %d, got %d:\n%s",
                  WATCHDOG_EXIT, r.exit_code, r.out);
    ck_assert_int_eq(output_count(r.out, "Thread 1: has A, locking B"), 1);
    ck_assert_int_eq(output_count(r.out, "Thread 2: has B, locking A"), 1);
    ck_assert_msg(output_count(r.out, "Thread 1: has A and B") == 0 &&
                  output_count(r.out, "Thread 2: has B and A") == 0, "a thread got both locks:\n%s", r.out);
    ck_assert_int_eq(output_count(r.out, "Main: both threads done"), 0);
    run_free(&r);
}
END_TEST

START_TEST(one_lock_order_never_deadlocks)
{
    struct run r = harness_run("lock_order", NULL, SCALE, 5);
    ck_assert_msg(r.exit_code == 0, "lock_order ended with %d:\n%s", r.exit_code, r.out);
    ck_assert_int_eq(output_count(r.out, "Thread 1: has A and B"), 1);
    ck_assert_int_eq(output_count(r.out, "Thread 2: has A and B"), 1);
    ck_assert_int_eq(output_count(r.out, "Main: both threads done"), 1);
    run_free(&r);
}
END_TEST

START_TEST(demos_refuse_an_argument)
{
    static const char *const programs[] = { "deadlock", "errorcheck", "two_locks", "lock_order" };
    for (size_t i = 0; i < sizeof programs / sizeof *programs; i++)
        assert_refuses_argument(programs[i], "1");
}
END_TEST

/* ---- exercise 6 ---------------------------------------------------------- */

#define ACCOUNTS 8
#define TRANSFERS 20000
#define START_BALANCE 1000

static struct account accounts[ACCOUNTS];

static void open_accounts(void)
{
    for (int i = 0; i < ACCOUNTS; i++)
        account_init(&accounts[i], i + 1, START_BALANCE);
}

static long total(void)
{
    long sum = 0;
    for (int i = 0; i < ACCOUNTS; i++)
        sum += accounts[i].balance;
    return sum;
}

/* Move 1 from accounts[from] to accounts[to], TRANSFERS times. */
struct direction {
    int from, to;
};

static void *repeat_transfer(void *arg)
{
    const struct direction *d = arg;
    for (int i = 0; i < TRANSFERS; i++)
        transfer(&accounts[d->from], &accounts[d->to], 1);
    return NULL;
}

/* TRANSFERS transfers between pseudo-random pairs, seeded by arg. */
static void *random_transfers(void *arg)
{
    uint32_t x = (uint32_t)(uintptr_t)arg * 2654435761u + 1;
    for (int i = 0; i < TRANSFERS; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        transfer(&accounts[x % ACCOUNTS], &accounts[(x >> 8) % ACCOUNTS], (long)(x >> 24) % 10);
    }
    return NULL;
}

START_TEST(a_transfer_moves_the_amount)
{
    open_accounts();
    transfer(&accounts[0], &accounts[1], 30);
    ck_assert_msg(accounts[0].balance == START_BALANCE - 30 && accounts[1].balance == START_BALANCE + 30,
                  "after moving 30 from account 1 to 2: %ld and %ld, expected %d and %d",
                  accounts[0].balance, accounts[1].balance, START_BALANCE - 30, START_BALANCE + 30);
    transfer(&accounts[1], &accounts[0], 30);
    ck_assert_int_eq(accounts[0].balance, START_BALANCE);
    ck_assert_int_eq(accounts[1].balance, START_BALANCE);
}
END_TEST

static void *transfer_2_to_1(void *unused)
{
    (void)unused;
    transfer(&accounts[1], &accounts[0], 1);
    return NULL;
}

/*
 * This thread holds account 1's lock (the lower id) while another thread
 * moves money from account 2 to account 1. A transfer that locks the lower
 * id first waits for account 1 holding nothing, so account 2's lock stays
 * free all along. One that locks `from` first takes account 2's lock and
 * then waits: the test sees it taken. (A right answer passes however long
 * it is watched; 0.2 s is ample for a wrong one to show itself.)
 */
START_TEST(the_lower_id_is_locked_first)
{
    pthread_t t;
    bool taken = false;

    open_accounts();
    PT(pthread_mutex_lock(&accounts[0].lock));
    PT(pthread_create(&t, NULL, transfer_2_to_1, NULL));
    for (double end = timing_now() + 0.2; !taken && timing_now() < end;) {
        if (pthread_mutex_trylock(&accounts[1].lock) == 0)
            PT(pthread_mutex_unlock(&accounts[1].lock));
        else
            taken = true;
    }
    PT(pthread_mutex_unlock(&accounts[0].lock));
    PT(pthread_join(t, NULL));
    ck_assert_msg(!taken, "transfer(account 2, account 1) took account 2's lock while account 1's "
                  "was held: lock the lower id first, whichever way the money goes");
    ck_assert_int_eq(accounts[0].balance, START_BALANCE + 1);
}
END_TEST

START_TEST(a_transfer_to_the_same_account_changes_nothing)
{
    static const struct direction self = { 3, 3 };
    open_accounts();
    ck_assert_msg(harness_threads(repeat_transfer, (void *const[]){ (void *)&self }, NULL, 1, 1),
                  "transfer(a, a, 1) did not return within 1 s: it locks a's lock twice (deadlock.c)");
    ck_assert_int_eq(accounts[3].balance, START_BALANCE);
}
END_TEST

START_TEST(opposite_transfers_finish_and_conserve_the_total)
{
    static const struct direction there = { 0, 1 }, back = { 1, 0 };
    open_accounts();
    ck_assert_msg(harness_threads(repeat_transfer, (void *const[]){ (void *)&there, (void *)&back },
                                  NULL, 2, 1),
                  "two threads moving money 1 -> 2 and 2 -> 1, %d times each, did not finish within "
                  "1 s: each holds one account's lock and waits for the other's (two_locks.c)", TRANSFERS);
    ck_assert_int_eq(accounts[0].balance, START_BALANCE);
    ck_assert_int_eq(accounts[1].balance, START_BALANCE);
}
END_TEST

START_TEST(many_threads_many_accounts_conserve_the_total)
{
    void *seeds[4] = { (void *)1, (void *)2, (void *)3, (void *)4 };
    open_accounts();
    ck_assert_msg(harness_threads(random_transfers, seeds, NULL, 4, 1),
                  "4 threads making %d random transfers each among %d accounts did not finish within "
                  "1 s: a cycle of threads each waiting for the next one's lock", TRANSFERS, ACCOUNTS);
    ck_assert_msg(total() == ACCOUNTS * START_BALANCE, "money was made or lost: total %ld, expected %d",
                  total(), ACCOUNTS * START_BALANCE);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("deadlock", 10);
    tcase_add_test(tc, deadlock_never_acquires_twice_and_the_watchdog_ends_it);
    tcase_add_test(tc, errorcheck_refuses_the_second_acquire);
    tcase_add_test(tc, two_locks_in_opposite_orders_deadlock_every_time);
    tcase_add_test(tc, one_lock_order_never_deadlocks);
    tcase_add_test(tc, demos_refuse_an_argument);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("transfer", 10);
    tcase_add_test(tc, a_transfer_moves_the_amount);
    tcase_add_test(tc, the_lower_id_is_locked_first);
    tcase_add_test(tc, a_transfer_to_the_same_account_changes_nothing);
    tcase_add_test(tc, opposite_transfers_finish_and_conserve_the_total);
    tcase_add_test(tc, many_threads_many_accounts_conserve_the_total);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
