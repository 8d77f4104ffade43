/*
 * test_05_lock.c - lesson 5: the lock fixes the race; exercise 5.
 *
 * The exercise tests are written to the workbook's rule for the mistakes
 * students really make, and keep to it: more threads than the minimum, two
 * instances at once, sizes past any fixed bound a student might choose,
 * real waits as well as early wake-ups, both ends of every timeout, every
 * promise in the header; each caught every run by construction, with a
 * message in the student's terms.
 */
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

/* ---- exercise 5 ---------------------------------------------------------- */

/*
 * The exercise tests run the account's functions from this one thread and
 * make "another thread" step in at a chosen point: spy_interfere() runs a
 * second operation just before the n-th pthread_mutex_lock(&a->lock) or
 * just after the n-th unlock. A function that does all its work in one
 * hold of a->lock gives the same result wherever that happens; one that
 * reads, checks or writes outside the lock is caught at the point that
 * splits it, on every run, with no timing luck involved.
 */

#define START 100

static struct account account;

/* A failure's timeline shows the balance beside each step under a->lock. */
static void describe(const pthread_mutex_t *m, char *buf, size_t size)
{
    if (m == &account.lock)
        snprintf(buf, size, "balance %ld", account.balance);
}

static void show_state(void)
{
    spy_name(&account.lock, "a->lock");
    spy_watch(describe);
}

enum op { DEPOSIT, WITHDRAW, BALANCE };

static const char *const op_name[] = { "account_deposit", "account_withdraw", "account_balance" };

/* An operation and what it gave back. */
struct call {
    enum op op;
    long amount;
    bool ok;        /* account_withdraw's result */
    long seen;      /* account_balance's result */
};

static void make_call(struct call *c)
{
    switch (c->op) {
    case DEPOSIT:
        account_deposit(&account, c->amount);
        break;
    case WITHDRAW:
        c->ok = account_withdraw(&account, c->amount);
        break;
    case BALANCE:
        c->seen = account_balance(&account);
        break;
    }
}

static void describe_call(const struct call *c, char *buf, size_t size)
{
    if (c->op == BALANCE)
        snprintf(buf, size, "%s()", op_name[c->op]);
    else
        snprintf(buf, size, "%s(%ld)", op_name[c->op], c->amount);
}

/* A call, and a note of it in the spies' journal before and after. */
static void noted_call(struct call *c)
{
    char name[64];

    describe_call(c, name, sizeof name);
    spy_note("calls %s", name);
    make_call(c);
    if (c->op == WITHDRAW)
        spy_note("returns %s; balance %ld", c->ok ? "true" : "false", account.balance);
    else if (c->op == BALANCE)
        spy_note("returns %ld; balance %ld", c->seen, account.balance);
    else
        spy_note("returns; balance %ld", account.balance);
}

/* The other thread's operation, for spy_interfere. */
static void other_thread(void *arg)
{
    noted_call(arg);
}

/* The last round's steps, drawn (spy_timeline): the judges' messages end with it. */
static char schedule[HARNESS_MESSAGE_MAX - 800];
#define SCHEDULE "\n\nStep by step (a column per thread; the balance as each call left it):\n%s"

/* "just before its 2nd lock of a->lock" */
static void describe_point(enum spy_point at, int nth, char *buf, size_t size)
{
    static const char *const th[] = { "", "1st", "2nd", "3rd" };
    snprintf(buf, size, "just %s its %s %s of a->lock", at == SPY_BEFORE_LOCK ? "before" : "after",
             th[nth], at == SPY_BEFORE_LOCK ? "lock" : "unlock");
}

/*
 * After one call of `name` from the test's thread (counts from
 * spy_start()): it took the account's own lock, and let go of it.
 */
static void assert_used_the_accounts_lock(const char *name, const char *why)
{
    unsigned long own = spy_locks(&account.lock), all = spy_locks_total();
    ck_assert_msg(own > 0 || all == 0,
                  "%s locked a mutex, but not a->lock: one mutex for every account (a global or "
                  "static one) is not the account's lock. Lock a->lock, the lock in the struct "
                  "that guards a->balance", name);
    ck_assert_msg(own > 0, "%s never locked a->lock: %s", name, why);
    ck_assert_msg(spy_owner(&account.lock) == NULL,
                  "%s returned still holding a->lock: unlock it on every way out of the function, "
                  "the early return too", name);
}

START_TEST(one_thread_deposits_and_withdraws)
{
    account_init(&account, 100);
    account_deposit(&account, 50);
    ck_assert_int_eq(account_balance(&account), 150);
    ck_assert_msg(account_withdraw(&account, 30), "withdraw 30 from 150 was refused");
    ck_assert_int_eq(account_balance(&account), 120);
    ck_assert_msg(!account_withdraw(&account, 121), "withdraw 121 from 120 was allowed");
    ck_assert_msg(spy_owner(&account.lock) == NULL,
                  "account_withdraw refused to take 121 from 120 and returned still holding "
                  "a->lock: unlock it on the way out of the refusal too");
    ck_assert_msg(account_balance(&account) == 120, "a refused withdraw changed the balance to %ld",
                  account_balance(&account));
    ck_assert_msg(account_withdraw(&account, 120), "withdraw 120 from 120 was refused: a balance "
                  "that equals the amount covers it (>=, not >)");
    ck_assert_int_eq(account_balance(&account), 0);
    ck_assert_msg(!account_withdraw(&account, 1), "withdraw 1 from 0 was allowed");
    ck_assert_int_eq(account_balance(&account), 0);
    account_destroy(&account);
}
END_TEST

/* One call of each function: each takes a->lock and lets go of it. */
static void assert_each_operation_uses_the_accounts_lock(void)
{
    static const char *const why[] = {
        "its read, add and write of the balance race with other threads' (lesson 4's lost "
        "update). Hold a->lock around all three",
        "two threads can both see enough money and both take it. Check and take under one hold "
        "of a->lock",
        "an unlocked read races with the threads that write the balance. Lock a->lock, copy the "
        "balance, unlock, return the copy",
    };
    for (enum op op = DEPOSIT; op <= BALANCE; op++) {
        struct call c = { op, 10, false, 0 };
        account_init(&account, START);
        spy_start();
        make_call(&c);
        assert_used_the_accounts_lock(op_name[op], why[op]);
        account_destroy(&account);
    }
}

START_TEST(every_operation_locks_the_accounts_own_lock)
{
    assert_each_operation_uses_the_accounts_lock();
}
END_TEST

/*
 * Run `mine` with `other` stepping in at each point in turn (before the
 * 1st, 2nd, 3rd lock, after the 1st, 2nd, 3rd unlock), each time on a
 * fresh account holding START, and hand each outcome to judge().
 */
typedef void judge_fn(const struct call *mine, const struct call *other, bool stepped_in,
                      enum spy_point at, int nth);

static void step_in_everywhere(struct call mine, struct call other, judge_fn *judge)
{
    static const enum spy_point points[] = { SPY_BEFORE_LOCK, SPY_AFTER_UNLOCK };
    for (size_t p = 0; p < 2; p++)
        for (int nth = 1; nth <= 3; nth++) {
            struct call m = mine, o = other;
            char name[64], where[64];
            account_init(&account, START);
            spy_start();
            spy_name(&account.lock, "a->lock");
            spy_interfere(&account.lock, points[p], nth, other_thread, &o);
            noted_call(&m);
            bool stepped_in = spy_interfered();
            spy_timeline(schedule, sizeof schedule);
            spy_start();    /* disarm: o is gone after this round */
            describe_call(&m, name, sizeof name);
            describe_point(points[p], nth, where, sizeof where);
            ck_assert_msg(stepped_in || points[p] != SPY_BEFORE_LOCK || nth != 1,
                          "the test could not step in %s in %s: it never locks a->lock with "
                          "pthread_mutex_lock while holding no other mutex. Lock a->lock, the "
                          "account's own lock, and wait for it there", where, name);
            ck_assert_msg(spy_owner(&account.lock) == NULL,
                          "%s returned still holding a->lock: unlock it on every way out", name);
            judge(&m, &o, stepped_in, points[p], nth);
            account_destroy(&account);
        }
}

static void judge_deposits(const struct call *mine, const struct call *other, bool stepped_in,
                           enum spy_point at, int nth)
{
    long expected = START + mine->amount + (stepped_in ? other->amount : 0);
    char where[64];

    describe_point(at, nth, where, sizeof where);
    ck_assert_msg(stepped_in || account.balance == expected,
                  "account_deposit(%ld) on a balance of %d left %ld", mine->amount, START,
                  account.balance);
    ck_assert_msg(account.balance == expected,
                  "an update was lost: account_deposit(%ld) on a balance of %d, with another "
                  "thread's account_deposit(%ld) %s, left %ld, not %ld. account_deposit %s; hold "
                  "a->lock around the read, the add and the write" SCHEDULE, mine->amount, START,
                  other->amount, where, account.balance, expected,
                  at == SPY_AFTER_UNLOCK ? "wrote the balance after unlocking a->lock"
                  : nth == 1 ? "read the balance before locking a->lock"
                             : "let go of a->lock between reading the balance and writing it",
                  schedule);
}

static void assert_deposit_is_one_critical_section(void)
{
    step_in_everywhere((struct call){ DEPOSIT, 1, false, 0 }, (struct call){ DEPOSIT, 10, false, 0 },
                       judge_deposits);
}

START_TEST(a_deposit_reads_and_writes_under_one_hold_of_the_lock)
{
    assert_deposit_is_one_critical_section();
}
END_TEST

/* The one outcome allowed for each order: mine first, or the other first. */
static void judge_withdrawals(const struct call *mine, const struct call *other, bool stepped_in,
                              enum spy_point at, int nth)
{
    long taken = (mine->ok ? mine->amount : 0) + (stepped_in && other->ok ? other->amount : 0);
    char where[64];
    const char *bug = at == SPY_AFTER_UNLOCK ? "changed the balance after unlocking a->lock"
                      : nth == 1 ? "checked the balance before locking a->lock"
                                 : "checked the balance, let go of a->lock and took it again: "
                                   "the other thread emptied the account in between";

    describe_point(at, nth, where, sizeof where);
    if (!stepped_in) {
        ck_assert_msg(mine->ok && account.balance == START - mine->amount,
                      "account_withdraw(%ld) on a balance of %d returned %s and left %ld",
                      mine->amount, START, mine->ok ? "true" : "false", account.balance);
        return;
    }
    ck_assert_msg(!(mine->ok && other->ok),
                  "both withdrawals succeeded: account_withdraw(%ld) on a balance of %d, and "
                  "another thread's account_withdraw(%ld) %s; the balance is now %ld. "
                  "account_withdraw %s; check and take under one hold of a->lock" SCHEDULE,
                  mine->amount, START, other->amount, where, account.balance, bug, schedule);
    ck_assert_msg(mine->ok || other->ok || account.balance != START - mine->amount,
                  "account_withdraw(%ld) on a balance of %d took the money (the balance is %ld) "
                  "and returned false: its answer changed after it let go of a->lock, when "
                  "another thread's account_withdraw(%ld) ran %s. Keep the answer in a local "
                  "variable, not a static one, which every call shares" SCHEDULE,
                  mine->amount, START, account.balance, other->amount, where, schedule);
    ck_assert_msg(mine->ok || other->ok,
                  "account_withdraw(%ld) on a balance of %d was refused, and so was another "
                  "thread's account_withdraw(%ld) made %s: one of them must succeed" SCHEDULE,
                  mine->amount, START, other->amount, where, schedule);
    ck_assert_msg(account.balance == START - taken,
                  "money was made or lost: %ld was taken from a balance of %d, which is now %ld, "
                  "not %ld (another thread's account_withdraw(%ld) stepped in %s). "
                  "account_withdraw %s; check and take under one hold of a->lock" SCHEDULE,
                  taken, START, account.balance, START - taken, other->amount, where, bug, schedule);
}

/* Another thread empties the account: only one of the two may succeed. */
static void assert_withdrawal_is_one_critical_section(void)
{
    step_in_everywhere((struct call){ WITHDRAW, 60, false, 0 },
                       (struct call){ WITHDRAW, START, false, 0 }, judge_withdrawals);
}

START_TEST(a_withdrawal_checks_and_takes_under_one_hold_of_the_lock)
{
    assert_withdrawal_is_one_critical_section();
}
END_TEST

static void judge_balances(const struct call *mine, const struct call *other, bool stepped_in,
                           enum spy_point at, int nth)
{
    char where[64];

    describe_point(at, nth, where, sizeof where);
    if (!stepped_in)
        ck_assert_msg(mine->seen == START, "account_balance() returned %ld on a balance of %d",
                      mine->seen, START);
    else if (at == SPY_BEFORE_LOCK)
        ck_assert_msg(mine->seen == START + other->amount,
                      "account_balance() returned %ld, missing another thread's "
                      "account_deposit(%ld) made %s (the balance was %ld by then): it read the "
                      "balance before locking a->lock. Read it while holding the lock" SCHEDULE,
                      mine->seen, other->amount, where, START + other->amount, schedule);
    else
        ck_assert_msg(mine->seen == START,
                      "account_balance() returned %ld, not %d: it counted another thread's "
                      "account_deposit(%ld) made %s. It read the balance after unlocking a->lock: "
                      "copy it to a local while holding the lock, unlock, return the local" SCHEDULE,
                      mine->seen, START, other->amount, where, schedule);
}

static void assert_balance_is_read_under_the_lock(void)
{
    step_in_everywhere((struct call){ BALANCE, 0, false, 0 }, (struct call){ DEPOSIT, 10, false, 0 },
                       judge_balances);
}

START_TEST(the_balance_is_read_under_the_lock)
{
    assert_balance_is_read_under_the_lock();
}
END_TEST

/*
 * Two accounts at once: another thread works on a second account at each
 * point where a call on the first holds no lock (before its lock, after
 * its unlock). Each call must return what its own account held: a result
 * kept in a static variable, which every account shares, is overwritten
 * there by the other account's call.
 */
static struct account other_account;

struct other_op {
    enum op op;
    bool ok;
    long seen;
};

static void on_the_other_account(void *arg)
{
    struct other_op *o = arg;
    switch (o->op) {
    case DEPOSIT:
        account_deposit(&other_account, 7);
        break;
    case WITHDRAW:
        o->ok = account_withdraw(&other_account, 1000);    /* refused: it holds 5 */
        break;
    case BALANCE:
        o->seen = account_balance(&other_account);
        break;
    }
}

START_TEST(two_accounts_at_once_keep_apart)
{
    static const enum spy_point points[] = { SPY_BEFORE_LOCK, SPY_AFTER_UNLOCK };
    for (enum op op = DEPOSIT; op <= BALANCE; op++)
        for (size_t p = 0; p < 2; p++) {
            struct call mine = { op, op == WITHDRAW ? 60 : 1, false, 0 };
            struct other_op o = { op, true, -1 };
            char name[64];
            account_init(&account, START);
            account_init(&other_account, 5);
            spy_start();
            spy_interfere(&account.lock, points[p], 1, on_the_other_account, &o);
            make_call(&mine);
            bool stepped_in = spy_interfered();
            spy_start();
            describe_call(&mine, name, sizeof name);
            ck_assert_msg(stepped_in, "the test could not step in %s %s: it never %s a->lock "
                          "holding no other mutex. Lock a->lock, the account's own lock, around "
                          "the work, and unlock it when done",
                          p == 0 ? "just before the lock of" : "just after the unlock of", name,
                          p == 0 ? "locks" : "unlocks");
            long other_want = op == DEPOSIT ? 12 : 5;
            ck_assert_msg(other_account.balance == other_want && (op != WITHDRAW || !o.ok) &&
                              (op != BALANCE || o.seen == 5),
                          "another account, holding 5, came out of a call of the same function "
                          "made while %s ran on this account with %ld (returned %s, seen %ld). "
                          "Keep what a call works on in the account and in locals, never in a "
                          "static or global variable, which every account shares",
                          name, other_account.balance, o.ok ? "true" : "false", o.seen);
            const char *shared = "another thread's call on another account, made %s, changed "
                                 "what %s returned: its result was kept in a static variable, "
                                 "which every account shares. Keep it in a local";
            if (op == WITHDRAW)
                ck_assert_msg(mine.ok, shared, p == 0 ? "just before its lock" : "just after its unlock", name);
            if (op == BALANCE)
                ck_assert_msg(mine.seen == START, shared,
                              p == 0 ? "just before its lock" : "just after its unlock", name);
            long want = START + (op == DEPOSIT ? 1 : op == WITHDRAW ? -60 : 0);
            ck_assert_msg(account.balance == want, "%s on a balance of %d left %ld, not %ld, while "
                          "another thread used another account", name, START, account.balance, want);
            account_destroy(&other_account);
            account_destroy(&account);
        }
}
END_TEST

/* ---- real threads ---- */

#define THREADS 4
#define OPERATIONS 20000

/* Deposit 2, withdraw 3, look at the balance, OPERATIONS times; returns
 * how much it took, or -1 when it saw a negative balance. */
static void *deposit_and_withdraw(void *unused)
{
    intptr_t taken = 0;
    (void)unused;
    for (int i = 0; i < OPERATIONS; i++) {
        account_deposit(&account, 2);
        taken += account_withdraw(&account, 3) ? 3 : 0;
        if (account_balance(&account) < 0)
            return (void *)(intptr_t)-1;
    }
    return (void *)taken;
}

START_TEST(many_threads_never_lose_money_or_overdraw)
{
    void *results[THREADS];
    long taken = 0;

    /* The checks above first, so that a lock used wrongly fails this test on
     * every run, not only when the threads happen to collide in its gap. */
    assert_each_operation_uses_the_accounts_lock();
    assert_deposit_is_one_critical_section();
    assert_withdrawal_is_one_critical_section();
    assert_balance_is_read_under_the_lock();

    account_init(&account, START);
    ck_assert_msg(harness_threads(deposit_and_withdraw, NULL, results, THREADS, 8 * harness_slowdown()),
                  "%d threads depositing and withdrawing did not finish within %g s", THREADS,
                  8 * harness_slowdown());
    for (int i = 0; i < THREADS; i++) {
        ck_assert_msg((intptr_t)results[i] >= 0, "a thread saw a negative balance");
        taken += (long)(intptr_t)results[i];
    }
    long expected = START + 2L * THREADS * OPERATIONS - taken;
    ck_assert_msg(account_balance(&account) == expected,
                  "money was made or lost: %d threads deposited %ld and withdrew %ld in all, from a "
                  "balance of %d; the balance is %ld, not %ld", THREADS, 2L * THREADS * OPERATIONS,
                  taken, START, account_balance(&account), expected);
    ck_assert_msg(account_balance(&account) >= 0, "the balance went negative");
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
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("account", 10);
    tcase_add_checked_fixture(tc, show_state, NULL);
    tcase_add_test(tc, one_thread_deposits_and_withdraws);
    tcase_add_test(tc, every_operation_locks_the_accounts_own_lock);
    tcase_add_test(tc, a_deposit_reads_and_writes_under_one_hold_of_the_lock);
    tcase_add_test(tc, a_withdrawal_checks_and_takes_under_one_hold_of_the_lock);
    tcase_add_test(tc, the_balance_is_read_under_the_lock);
    tcase_add_test(tc, two_accounts_at_once_keep_apart);
    tcase_add_test(tc, many_threads_never_lose_money_or_overdraw);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
