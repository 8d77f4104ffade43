/*
 * test_06_deadlock.c - lesson 6: deadlocks shown and stopped; exercise 6.
 *
 * The exercise tests are written to the workbook's rule for the mistakes
 * students really make, and keep to it: more threads than the minimum, two
 * instances at once, sizes past any fixed bound a student might choose,
 * real waits as well as early wake-ups, both ends of every timeout, every
 * promise in the header; each caught every run by construction, with a
 * message in the student's terms.
 */
#include "harness.h"
#include "pt.h"
#include "timing.h"
#include "transfer.h"
#include "watchdog.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
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

START_TEST(a_cleanup_handler_unlocks_what_a_cancelled_thread_held)
{
    struct run r = harness_run("cancel_cleanup", NULL, SCALE, 5);

    ck_assert_msg(!r.timed_out && r.exit_code == WATCHDOG_EXIT, "expected the watchdog's status %d, "
                  "got %d:\n%s", WATCHDOG_EXIT, r.exit_code, r.out);
    int with = output_index(r.out, "Main: with a cleanup handler");
    int cleanup = output_index(r.out, "Thread: cleanup handler: unlocked the mutex");
    int cancelled = output_index(r.out, "Main: the thread was cancelled");
    int locked = output_index(r.out, "Main: locked the mutex");
    int without = output_index(r.out, "Main: without one");
    ck_assert_msg(with >= 0 && with < output_index(r.out, "Thread: locked the mutex, waits for input") &&
                  cleanup >= 0 && cleanup < cancelled && cancelled < locked && locked < without,
                  "with the handler: the thread cancelled, its handler unlocking, then main locking the "
                  "mutex, all before the part without one:\n%s", r.out);
    ck_assert_msg(output_count(r.out, "Thread: cleanup handler: unlocked the mutex") == 1 &&
                  output_count(r.out, "Thread: locked the mutex, waits for input") == 2 &&
                  output_count(r.out, "Main: the thread was cancelled") == 2,
                  "expected two threads cancelled holding the mutex, one handler run:\n%s", r.out);
    ck_assert_msg(output_count(r.out, "Main: locked the mutex") == 1 &&
                  output_index(r.out, "Main: locks the mutex") > without,
                  "without the handler, main's lock must never return:\n%s", r.out);
    ck_assert_msg(strstr(r.out, ": watchdog: ") != NULL && r.seconds >= 2 * SCALE,
                  "the watchdog must end it, after 2 s * %g (ran %.3f s):\n%s", SCALE, r.seconds, r.out);
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

/* ---- exercise 6 ---------------------------------------------------------- */

/*
 * No test here waits for two threads to collide by chance. The lock order
 * is read from the spies: spy_interfere() runs a function just before a
 * pthread_mutex_lock() made while holding no other mutex, that is at a
 * transfer's first lock only, so it tells which account was locked first.
 * The deadlock is forced: the test's thread holds account 1's lock, as a
 * transfer that got there first would, and looks at what the other
 * transfer holds while it waits for that lock.
 */

#define ACCOUNTS 8
#define TRANSFERS 20000
#define START_BALANCE 1000

static struct account accounts[ACCOUNTS];   /* accounts[i] has id i + 1 */

/* A failure's timeline shows an account's balance beside each step under its lock. */
static void describe(const pthread_mutex_t *m, char *buf, size_t size)
{
    for (int i = 0; i < ACCOUNTS; i++)
        if (m == &accounts[i].lock)
            snprintf(buf, size, "account %d has %ld", accounts[i].id, accounts[i].balance);
}

static void show_state(void)
{
    static char names[ACCOUNTS][32];
    for (int i = 0; i < ACCOUNTS; i++) {
        snprintf(names[i], sizeof names[i], "account %d's lock", i + 1);
        spy_name(&accounts[i].lock, names[i]);
    }
    spy_watch(describe);
}

static void open_accounts(void)
{
    for (int i = 0; i < ACCOUNTS; i++)
        account_init(&accounts[i], i + 1, START_BALANCE);
    spy_start();
}

static long total(void)
{
    long sum = 0;
    for (int i = 0; i < ACCOUNTS; i++)
        sum += accounts[i].balance;
    return sum;
}

/* A transfer between accounts[from] and accounts[to], by index. */
struct move {
    int from, to;
    long amount;
};

static void *make_move(void *arg)
{
    const struct move *m = arg;
    transfer(&accounts[m->from], &accounts[m->to], m->amount);
    return NULL;
}

/* After the test's own transfers: both locks are free again. */
static void assert_let_go(const struct move *m)
{
    for (int i = 0; i < 2; i++) {
        int who = i == 0 ? m->from : m->to;
        ck_assert_msg(spy_owner(&accounts[who].lock) == NULL,
                      "transfer(account %d -> account %d) returned still holding account %d's "
                      "lock: unlock both", m->from + 1, m->to + 1, who + 1);
    }
}

START_TEST(a_transfer_moves_the_amount)
{
    static const struct move there = { 0, 1, 30 }, back = { 1, 0, 30 };
    open_accounts();
    make_move((void *)&there);
    assert_let_go(&there);
    ck_assert_msg(accounts[0].balance == START_BALANCE - 30 && accounts[1].balance == START_BALANCE + 30,
                  "after moving 30 from account 1 to account 2 (1000 each): %ld and %ld, expected "
                  "%d and %d", accounts[0].balance, accounts[1].balance, START_BALANCE - 30,
                  START_BALANCE + 30);
    make_move((void *)&back);
    assert_let_go(&back);
    ck_assert_msg(accounts[0].balance == START_BALANCE && accounts[1].balance == START_BALANCE,
                  "after moving 30 back from account 2 to account 1: %ld and %ld, expected %d and "
                  "%d. Whichever account is locked first, the money goes from `from` to `to`",
                  accounts[0].balance, accounts[1].balance, START_BALANCE, START_BALANCE);
}
END_TEST

/* One transfer each way between accounts[lo] and accounts[hi] (lo < hi) locks
 * both accounts' locks and no other mutex. */
static void assert_locks_both_and_nothing_else(int lo, int hi)
{
    const struct move moves[] = { { lo, hi, 5 }, { hi, lo, 5 } };
    for (int i = 0; i < 2; i++) {
        const struct move *m = &moves[i];
        open_accounts();
        make_move((void *)m);
        unsigned long from = spy_locks(&accounts[m->from].lock), to = spy_locks(&accounts[m->to].lock);
        ck_assert_msg(spy_locks_total() == from + to,
                      "transfer(account %d -> account %d) locked a mutex that is neither account's "
                      "lock. With one lock for the whole bank, transfers between different pairs of "
                      "accounts wait for each other: lock only the two accounts' own locks",
                      m->from + 1, m->to + 1);
        for (int j = 0; j < 2; j++) {
            int locked = j == 0 ? m->from : m->to, other = j == 0 ? m->to : m->from;
            ck_assert_msg(spy_locks(&accounts[locked].lock) > 0,
                          "transfer(account %d -> account %d) changed account %d's balance "
                          "without ever locking its lock%s: another transfer into or out of "
                          "account %d, from a different pair, can change it at the same time, and "
                          "money is made or lost. Hold both accounts' locks",
                          m->from + 1, m->to + 1, locked + 1,
                          spy_locks(&accounts[other].lock) > 0 ? " (it locked only one account)" : "",
                          locked + 1);
        }
        assert_let_go(m);
        ck_assert_int_eq(total(), ACCOUNTS * START_BALANCE);
    }
}

START_TEST(a_transfer_locks_both_accounts_and_nothing_else)
{
    assert_locks_both_and_nothing_else(2, 5);
}
END_TEST

/*
 * The header's promise: a transfer is one step, no thread ever sees the
 * money in both accounts or in neither. The test steps in as such a thread
 * (an auditor that takes both accounts' locks, lower id first, and adds the
 * two balances) at every point where a transfer holds no lock: just before
 * each of its locks and just after each unlock. The reference holds nothing
 * only before it starts and after it is done; a transfer that lets go
 * between the debit and the credit is caught there, every run.
 */
struct audit {
    struct account *lo, *hi;
    bool held_both;     /* the transfer had taken both locks before the audit */
    long seen;          /* the two balances added, under both locks */
};

static void audit(void *arg)
{
    struct audit *a = arg;
    a->held_both = spy_locks(&a->lo->lock) > 0 && spy_locks(&a->hi->lock) > 0;
    SPY_LOCK(&a->lo->lock);
    SPY_LOCK(&a->hi->lock);
    a->seen = a->lo->balance + a->hi->balance;
    spy_note("adds the two balances: %ld", a->seen);
    SPY_UNLOCK(&a->hi->lock);
    SPY_UNLOCK(&a->lo->lock);
}

static char schedule[HARNESS_MESSAGE_MAX - 1200];

static void assert_no_thread_sees_a_transfer_half_done(int lo, int hi)
{
    static const enum spy_point points[] = { SPY_BEFORE_LOCK, SPY_AFTER_UNLOCK };
    const struct move moves[] = { { lo, hi, 10 }, { hi, lo, 10 } };
    for (int i = 0; i < 2; i++)
        for (int p = 0; p < 2; p++)
            for (int which = 0; which < 2; which++)
                for (int nth = 1; nth <= 2; nth++) {
                    const struct move *m = &moves[i];
                    struct account *at = &accounts[which == 0 ? lo : hi];
                    struct audit a = { &accounts[lo], &accounts[hi], false, 0 };
                    open_accounts();
                    spy_interfere(&at->lock, points[p], nth, audit, &a);
                    make_move((void *)m);
                    bool audited = spy_interfered();
                    spy_timeline(schedule, sizeof schedule);
                    spy_start();    /* disarm: a is gone after this round */
                    if (!audited || a.seen == 2 * START_BALANCE)
                        continue;
                    ck_abort_msg(
                        "transfer(account %d -> account %d, %ld) is not one step: another thread "
                        "that took both accounts' locks %s the transfer's %s %s of account %d's "
                        "lock saw %ld in the two accounts together, not %d: the money was in %s. "
                        "%s\n\nStep by step (a column per thread):\n%s",
                        m->from + 1, m->to + 1, m->amount,
                        points[p] == SPY_BEFORE_LOCK ? "just before" : "just after",
                        nth == 1 ? "1st" : "2nd", points[p] == SPY_BEFORE_LOCK ? "lock" : "unlock",
                        (int)(at - accounts) + 1, a.seen, 2 * START_BALANCE,
                        a.seen < 2 * START_BALANCE ? "neither account" : "both accounts",
                        a.held_both ? "The transfer let go of the locks between the debit and "
                                      "the credit and took them again: hold both locks from "
                                      "before the debit until after the credit"
                                    : "The transfer locks one account at a time, the debit under "
                                      "one lock and the credit under the other: hold both "
                                      "accounts' locks, lower id first, around the debit and the "
                                      "credit together",
                        schedule);
                }
}

START_TEST(no_thread_sees_a_transfer_half_done)
{
    assert_no_thread_sees_a_transfer_half_done(1, 4);
}
END_TEST

/* Run at a transfer's first lock: nothing to do, spy_interfered() tells. */
static void first_lock(void *unused)
{
    (void)unused;
}

/* Both ways between accounts[lo] and accounts[hi]: the first lock taken is lo's. */
static void assert_locks_the_lower_id_first(int lo, int hi)
{
    const struct move moves[] = { { hi, lo, 5 }, { lo, hi, 5 } };
    for (int i = 0; i < 2; i++) {
        const struct move *m = &moves[i];
        open_accounts();
        spy_interfere(&accounts[hi].lock, SPY_BEFORE_LOCK, 1, first_lock, NULL);
        make_move((void *)m);
        bool first = spy_interfered();
        spy_start();    /* disarm */
        ck_assert_msg(!first,
                      "transfer(account %d -> account %d) locked account %d's lock first. A "
                      "thread moving money the other way that locked account %d's first would "
                      "wait for account %d's while holding account %d's, and this one would wait "
                      "for account %d's: deadlock (two_locks.c). Lock the lower id first, "
                      "whichever way the money goes", m->from + 1, m->to + 1, hi + 1, lo + 1,
                      hi + 1, lo + 1, lo + 1);
    }
}

START_TEST(the_lower_id_is_locked_first_both_ways)
{
    assert_locks_the_lower_id_first(0, 1);
    assert_locks_the_lower_id_first(3, 6);
}
END_TEST

/* transfer(a, a): the spies fail a second lock of the same lock at once. */
static void assert_a_transfer_to_itself_changes_nothing(void)
{
    static const struct move self = { 3, 3, 7 };
    open_accounts();
    ck_assert_msg(harness_threads(make_move, (void *const[]){ (void *)&self }, NULL, 1,
                                  harness_slowdown()),
                  "transfer(account 4 -> account 4) did not return within %g s: it locks the "
                  "account's lock twice (deadlock.c)", harness_slowdown());
    ck_assert_msg(accounts[3].balance == START_BALANCE,
                  "transfer(account 4 -> account 4, 7) changed its balance to %ld", accounts[3].balance);
    assert_let_go(&self);
}

START_TEST(a_transfer_to_the_same_account_changes_nothing)
{
    assert_a_transfer_to_itself_changes_nothing();
}
END_TEST

/* A transfer on a thread of its own, which the test watches. */
struct watch {
    struct move move;
    spy_thread_t *_Atomic thread;
    pending_t *p;
};

static void *watched_move(void *arg)
{
    struct watch *w = arg;
    atomic_store(&w->thread, spy_self());
    return make_move(&w->move);
}

static void start_watched(struct watch *w)
{
    atomic_store(&w->thread, NULL);
    w->p = pending_start(watched_move, w);
}

/* The watched transfer sleeps in pthread_mutex_lock on a mutex that the
 * test's thread holds (spy_describe says whose mutex it waits for). */
static bool waits_for_the_test(struct watch *w)
{
    char now[512];
    spy_thread_t *t = atomic_load(&w->thread);
    if (t == NULL || spy_doing(t) != SPY_LOCKING)
        return false;
    spy_describe(t, now, sizeof now);
    return strstr(now, " for a mutex that the test's thread took at ") != NULL;
}

/* Wait (at most 2 s) until the watched transfer waits for the test's lock
 * or returns; true when it waits. */
static bool stops_at_the_tests_lock(struct watch *w)
{
    for (double give_up = timing_now() + 2 * harness_slowdown(); timing_now() < give_up;) {
        if (waits_for_the_test(w))
            return true;
        if (pending_returned(w->p, 0))
            return false;
        timing_sleep_unscaled(0.0005);
    }
    ck_abort_msg("transfer(account %d -> account %d) neither returned nor waited for a lock within "
                 "%g s", w->move.from + 1, w->move.to + 1, 2 * harness_slowdown());
    return false;
}

/*
 * The test's thread holds account 1's lock, as a transfer between accounts
 * 1 and 2 that got there first would, and goes for account 2's next.
 * Meanwhile m runs on a thread of its own. A transfer that locks the lower
 * id first waits for account 1's lock holding nothing, so account 2's stays
 * free. One that took account 2's lock first holds it while it waits:
 * the deadlock of two_locks.c, forced.
 */
static void assert_no_deadlock_with_the_holder_of_account_1(struct move m)
{
    struct watch w = { .move = m };

    open_accounts();
    SPY_LOCK(&accounts[0].lock);
    start_watched(&w);
    ck_assert_msg(stops_at_the_tests_lock(&w),
                  "transfer(account %d -> account %d) returned while another thread held account "
                  "1's lock: it must hold both accounts' locks", m.from + 1, m.to + 1);
    ck_assert_msg(spy_owner(&accounts[1].lock) == NULL,
                  "deadlock: transfer(account %d -> account %d) took account 2's lock and waits for "
                  "account 1's, which another thread holds. When that thread, a transfer between "
                  "the same two accounts, goes for account 2's lock next, each waits for the other "
                  "forever (two_locks.c). Lock the lower id first, whichever way the money goes",
                  m.from + 1, m.to + 1);
    SPY_LOCK(&accounts[1].lock);
    SPY_UNLOCK(&accounts[1].lock);
    SPY_UNLOCK(&accounts[0].lock);
    pending_join(w.p);
    ck_assert_int_eq(total(), ACCOUNTS * START_BALANCE);
}

START_TEST(opposite_transfers_cannot_deadlock)
{
    assert_no_deadlock_with_the_holder_of_account_1((struct move){ 1, 0, 1 });
    assert_no_deadlock_with_the_holder_of_account_1((struct move){ 0, 1, 1 });
}
END_TEST

/*
 * The test holds account 2's lock, so transfer 1 -> 2 stops inside, waiting
 * for it. A transfer 3 -> 4 shares no account with it: it must go through
 * meanwhile.
 */
START_TEST(transfers_between_different_pairs_run_in_parallel)
{
    static const struct move three_to_four = { 2, 3, 1 };
    struct watch w = { .move = { 0, 1, 1 } };

    open_accounts();
    spy_hint("two transfers between different pairs of accounts ran at once: keep what a transfer "
             "works out (which account it locks first) in local variables, never in static or "
             "global ones, which every transfer shares");
    SPY_LOCK(&accounts[1].lock);
    start_watched(&w);
    bool waits = stops_at_the_tests_lock(&w);
    pending_t *p = pending_start(make_move, (void *)&three_to_four);
    ck_assert_msg(!waits || pending_returned(p, harness_slowdown()),
                  "transfer(account 3 -> account 4) did not finish within %g s while transfer(account "
                  "1 -> account 2) waited for account 2's lock: it waits for a lock that transfer "
                  "holds, one lock for the whole bank? Transfers between different pairs of "
                  "accounts must run in parallel: lock only the two accounts' own locks",
                  harness_slowdown());
    SPY_UNLOCK(&accounts[1].lock);
    pending_join(p);
    pending_join(w.p);
    ck_assert_int_eq(total(), ACCOUNTS * START_BALANCE);
}
END_TEST

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

START_TEST(many_threads_many_accounts_conserve_the_total)
{
    void *seeds[4] = { (void *)1, (void *)2, (void *)3, (void *)4 };

    /* The checks above first, so that a wrong lock discipline fails this
     * test on every run, not only when the threads happen to collide. */
    assert_locks_both_and_nothing_else(0, 7);
    assert_no_thread_sees_a_transfer_half_done(0, 7);
    assert_locks_the_lower_id_first(0, 7);
    assert_a_transfer_to_itself_changes_nothing();

    open_accounts();
    ck_assert_msg(harness_threads(random_transfers, seeds, NULL, 4, 4 * harness_slowdown()),
                  "4 threads making %d random transfers each among %d accounts did not finish "
                  "within %g s", TRANSFERS, ACCOUNTS, 4 * harness_slowdown());
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
    tcase_add_test(tc, a_cleanup_handler_unlocks_what_a_cancelled_thread_held);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("transfer", 10);
    tcase_add_checked_fixture(tc, show_state, NULL);
    tcase_add_test(tc, a_transfer_moves_the_amount);
    tcase_add_test(tc, a_transfer_locks_both_accounts_and_nothing_else);
    tcase_add_test(tc, no_thread_sees_a_transfer_half_done);
    tcase_add_test(tc, the_lower_id_is_locked_first_both_ways);
    tcase_add_test(tc, a_transfer_to_the_same_account_changes_nothing);
    tcase_add_test(tc, opposite_transfers_cannot_deadlock);
    tcase_add_test(tc, transfers_between_different_pairs_run_in_parallel);
    tcase_add_test(tc, many_threads_many_accounts_conserve_the_total);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
