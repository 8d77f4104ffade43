/* test_05_lock.c - lesson 5: the lock fixes the race; exercise 5. */
#include "account.h"
#include "harness.h"
#include "pt.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The same 0.1 s window as racecond's test, so only the lock differs. */
#define FULL_WINDOW 1.0
#define SCALE 0.1

START_TEST(fixrace_ends_at_2)
{
    struct run r = harness_run("fixrace", NULL, FULL_WINDOW, 10);
    ck_assert_msg(!r.timed_out && r.exit_code == 0, "fixrace did not end cleanly:\n%s", r.out);
    ck_assert_int_eq(output_count(r.out, "Testing locked update. Starting value is 0."), 1);
    ck_assert_msg(output_count(r.out, "Testing locked update. Ending value is 2.") == 1,
                  "with the lock both updates count: expected an ending value of 2 in:\n%s", r.out);
    ck_assert_int_eq(output_count(r.out, "Thread 0 has lock"), 0); /* debug lines stay off */
    run_free(&r);
}
END_TEST

/* Where "Thread <name> <what>" stands in out. */
static int line_of(const char *out, int name, const char *what)
{
    char line[64];
    snprintf(line, sizeof line, "Thread %d %s", name, what);
    return output_index(out, line);
}

START_TEST(fixrace_debug_shows_the_lock_change_hands)
{
    static const char *const steps[] = { "about to lock", "has lock", "about to release lock",
                                         "after release" };
    struct run r = harness_run_debug("fixrace", NULL, FULL_WINDOW, 10);
    ck_assert_int_eq(r.exit_code, 0);
    for (int name = 0; name < 2; name++)
        for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
            ck_assert_msg(line_of(r.out, name, steps[i]) >= 0, "no 'Thread %d %s' line in:\n%s", name,
                          steps[i], r.out);
    /* Whichever thread had the lock first released it before the other had it. */
    int first = line_of(r.out, 0, "has lock") < line_of(r.out, 1, "has lock") ? 0 : 1;
    ck_assert_msg(line_of(r.out, first, "about to release lock") < line_of(r.out, 1 - first, "has lock"),
                  "Thread %d had the lock before Thread %d released it:\n%s", 1 - first, first, r.out);
    ck_assert_int_eq(output_count(r.out, "Testing locked update. Ending value is 2."), 1);
    run_free(&r);
}
END_TEST

START_TEST(cache_reader_sees_every_entry_intact)
{
    struct run r = harness_run("cache", NULL, SCALE, 10);
    ck_assert_int_eq(r.exit_code, 0);
    /* The reader's last pass starts after the adder's last add. */
    const char *added = strstr(r.out, ": add_to_cache: added 10 entries, the cache holds 110\n");
    const char *checked = strstr(r.out, " passes over the cache, 0 bad entries\n");
    ck_assert_msg(added != NULL && checked != NULL && added < checked,
                  "expected the adder's last line, then the reader's with 0 bad entries:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(demos_refuse_an_argument)
{
    static const char *const programs[] = { "fixrace", "cache" };
    for (size_t i = 0; i < sizeof programs / sizeof *programs; i++)
        assert_refuses_argument(programs[i], "x");
}
END_TEST

/* ---- exercise 5 ---------------------------------------------------------- */

#define THREADS 8
#define OPERATIONS 20000

static struct account account;

static void *deposit_ones(void *unused)
{
    (void)unused;
    for (int i = 0; i < OPERATIONS; i++)
        account_deposit(&account, 1);
    return NULL;
}

/* Returns how many of its withdrawals of 1 succeeded. */
static void *withdraw_ones(void *unused)
{
    intptr_t taken = 0;
    (void)unused;
    for (int i = 0; i < OPERATIONS; i++)
        taken += account_withdraw(&account, 1);
    return (void *)taken;
}

/* Run fn on THREADS threads at once; return the sum of what they return. */
static intptr_t run_threads(void *(*fn)(void *))
{
    void *results[THREADS];
    intptr_t sum = 0;

    ck_assert_msg(harness_threads(fn, NULL, results, THREADS, 8),
                  "%d threads did not finish within 8 s", THREADS);
    for (int i = 0; i < THREADS; i++)
        sum += (intptr_t)results[i];
    return sum;
}

START_TEST(one_thread_deposits_and_withdraws)
{
    account_init(&account, 100);
    account_deposit(&account, 50);
    ck_assert_int_eq(account_balance(&account), 150);
    ck_assert_msg(account_withdraw(&account, 30), "withdraw 30 from 150 was refused");
    ck_assert_int_eq(account_balance(&account), 120);
    ck_assert_msg(!account_withdraw(&account, 121), "withdraw 121 from 120 was allowed");
    ck_assert_msg(account_balance(&account) == 120, "a refused withdraw changed the balance to %ld",
                  account_balance(&account));
    ck_assert_msg(account_withdraw(&account, 120), "withdraw 120 from 120 was refused");
    ck_assert_int_eq(account_balance(&account), 0);
    account_destroy(&account);
}
END_TEST

START_TEST(many_threads_deposit_without_losing_one)
{
    account_init(&account, 0);
    run_threads(deposit_ones);
    ck_assert_msg(account_balance(&account) == THREADS * OPERATIONS,
                  "%d threads deposited 1 %d times each: balance %ld, expected %d (lost updates)",
                  THREADS, OPERATIONS, account_balance(&account), THREADS * OPERATIONS);
    account_destroy(&account);
}
END_TEST

START_TEST(many_threads_never_overdraw)
{
    const long start = THREADS * OPERATIONS / 4;

    account_init(&account, start);
    intptr_t taken = run_threads(withdraw_ones);
    ck_assert_msg(taken == start, "%ld withdrawals of 1 succeeded from a balance of %ld", (long)taken, start);
    ck_assert_msg(account_balance(&account) == 0, "balance %ld after taking everything",
                  account_balance(&account));
    account_destroy(&account);
}
END_TEST

/* One call of each function, made from another thread. */
static void *call_deposit(void *unused)
{
    (void)unused;
    account_deposit(&account, 1);
    return NULL;
}

static void *call_withdraw(void *unused)
{
    (void)unused;
    account_withdraw(&account, 1);
    return NULL;
}

static void *call_balance(void *unused)
{
    (void)unused;
    account_balance(&account);
    return NULL;
}

/* While this thread holds the account's lock, a call from another thread
 * must not return: it has to wait for the lock. */
static void assert_waits_for_lock(void *(*call)(void *), const char *name)
{
    PT(pthread_mutex_lock(&account.lock));
    pending_t *p = pending_start(call, NULL);
    bool early = pending_returned(p, 0.2);
    PT(pthread_mutex_unlock(&account.lock));
    pending_join(p);
    ck_assert_msg(!early, "%s returned while another thread held the account's lock: "
                  "it must lock a->lock", name);
}

START_TEST(every_operation_takes_the_accounts_lock)
{
    account_init(&account, 10);
    assert_waits_for_lock(call_deposit, "account_deposit");
    assert_waits_for_lock(call_withdraw, "account_withdraw");
    assert_waits_for_lock(call_balance, "account_balance");
    ck_assert_int_eq(account_balance(&account), 10);
    account_destroy(&account);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("fixrace", 20);
    tcase_add_test(tc, fixrace_ends_at_2);
    tcase_add_test(tc, fixrace_debug_shows_the_lock_change_hands);
    tcase_add_test(tc, cache_reader_sees_every_entry_intact);
    tcase_add_test(tc, demos_refuse_an_argument);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("account", 10);
    tcase_add_test(tc, one_thread_deposits_and_withdraws);
    tcase_add_test(tc, many_threads_deposit_without_losing_one);
    tcase_add_test(tc, many_threads_never_overdraw);
    tcase_add_test(tc, every_operation_takes_the_accounts_lock);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
