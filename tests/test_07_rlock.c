/*
 * test_07_rlock.c - lesson 7: a lock taken again by its owner; exercise 7.
 *
 * The exercise tests are written to the workbook's rule for the mistakes
 * students really make, and keep to it: more threads than the minimum, two
 * instances at once, sizes past any fixed bound a student might choose,
 * real waits as well as early wake-ups, both ends of every timeout, every
 * promise in the header; each caught every run by construction, with a
 * message in the student's terms.
 */
#include "harness.h"
#include "inventory.h"
#include "pt.h"
#include "timing.h"
#include "watchdog.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* relock's watchdog waits 2 s * 0.1. */
#define SCALE 0.1

/* Each thread's three lines come together: it holds the lock across them. */
static void assert_updates_under_the_lock(const char *program)
{
    struct run r = harness_run(program, NULL, SCALE, 5);
    char line[64];
    int seen[3] = { 0 };

    ck_assert_msg(r.exit_code == 0, "%s ended with %d:\n%s", program, r.exit_code, r.out);
    ck_assert_int_eq(output_index(r.out, "Main: value is 0"), 0);
    ck_assert_msg(output_index(r.out, "Main: value is 2") == 7, "expected 'Main: value is 2' last:\n%s", r.out);
    for (int name = 0; name < 2; name++) {
        snprintf(line, sizeof line, "Thread %d: has lock, adding one", name);
        int has = output_index(r.out, line);
        ck_assert_msg(has > 0, "no '%s' line:\n%s", line, r.out);
        int value = 0;
        for (int v = 1; v <= 2; v++) {
            snprintf(line, sizeof line, "Thread %d: value is %d", name, v);
            if (output_index(r.out, line) == has + 1)
                value = v;
        }
        ck_assert_msg(value > 0, "Thread %d's value line does not follow its 'has lock':\n%s", name, r.out);
        seen[value]++;
        snprintf(line, sizeof line, "Thread %d: about to release lock", name);
        ck_assert_msg(output_index(r.out, line) == has + 2, "'%s' does not follow:\n%s", line, r.out);
    }
    ck_assert_msg(seen[1] == 1 && seen[2] == 1, "the threads saw values other than 1 and 2:\n%s", r.out);
    run_free(&r);
}

START_TEST(rlock_lets_the_owner_lock_again)
{
    assert_updates_under_the_lock("rlock");
}
END_TEST

START_TEST(split_lock_needs_no_second_lock)
{
    assert_updates_under_the_lock("split_lock");
}
END_TEST

START_TEST(relock_hangs_and_the_watchdog_ends_it)
{
    struct run r = harness_run("relock", NULL, SCALE, 5);
    ck_assert_msg(r.exit_code == WATCHDOG_EXIT, "expected the watchdog's status %d, got %d:\n%s",
                  WATCHDOG_EXIT, r.exit_code, r.out);
    ck_assert_int_eq(output_index(r.out, "Main: value is 0"), 0);
    ck_assert_int_eq(output_count(r.out, "Thread 0: has lock, adding one") +
                     output_count(r.out, "Thread 1: has lock, adding one"), 1);
    ck_assert_msg(strstr(r.out, "about to release lock") == NULL && strstr(r.out, ": value is 1") == NULL,
                  "the second lock returned:\n%s", r.out);
    ck_assert_msg(strstr(r.out, ": watchdog: ") != NULL, "no watchdog line:\n%s", r.out);
    run_free(&r);
}
END_TEST

/* ---- exercise 7 ---------------------------------------------------------- */

static struct inventory inv;

/* A failure's timeline shows the counts beside each step under inv->lock. */
static void describe(const pthread_mutex_t *m, char *buf, size_t size)
{
    size_t used = 0;
    if (m != &inv.lock)
        return;
    used += (size_t)snprintf(buf, size, "counts");
    for (int i = 0; i < INVENTORY_ITEMS && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, " %ld", inv.counts[i]);
}

static void show_state(void)
{
    spy_name(&inv.lock, "inv->lock");
    spy_watch(describe);
}

static void *try_lock(void *unused)
{
    (void)unused;
    int rc = pthread_mutex_trylock(&inv.lock);
    if (rc == 0)
        PT(pthread_mutex_unlock(&inv.lock));
    return (void *)(intptr_t)rc;
}

/* Another thread can take the lock now: no call left it held. */
static void assert_lock_free(const char *after)
{
    void *rc;
    ck_assert(harness_threads(try_lock, NULL, &rc, 1, 2));
    ck_assert_msg(rc == 0, "after %s another thread cannot take the inventory's lock (%s): "
                  "every lock needs its unlock (a recursive mutex: one unlock for each lock)",
                  after, strerror((int)(intptr_t)rc));
}

static const int delivery_items[] = { 0, 1, 2, 3 };
static const long delivery_counts[] = { 1, 2, 3, 4 };    /* 10 in all */
#define DELIVERY_LINES 4
#define DELIVERY_TOTAL 10

static void *deliver(void *times)
{
    for (intptr_t i = 0; i < (intptr_t)times; i++)
        inventory_add_many(&inv, delivery_items, delivery_counts, DELIVERY_LINES);
    return NULL;
}

/*
 * One call of a public function, made with the lock free, must take the
 * lock and let it go exactly once: a recursive mutex taken again inside
 * counts as one hold (it becomes free once). Fewer: it read or wrote the
 * counts without the lock. More: it let go halfway through.
 */
static void assert_one_hold(unsigned long locks_before, unsigned long releases_before,
                            const char *call)
{
    unsigned long locks = spy_locks(&inv.lock) - locks_before;
    unsigned long releases = spy_releases(&inv.lock) - releases_before;

    ck_assert_msg(locks > 0, "%s never took the inventory's lock: it touched the counts without it, "
                  "while another thread may be changing them. Every public function takes the lock", call);
    ck_assert_msg(releases > 0, "%s returned with the inventory's lock still held: every lock needs "
                  "its unlock (a recursive mutex: one unlock for each lock)", call);
    ck_assert_msg(releases == 1, "%s let go of the inventory's lock %lu times in one call: it must "
                  "hold it once, from before it touches the counts until it is done", call, releases);
}

START_TEST(add_counts_each_item)
{
    unsigned long locks, releases;

    inventory_init(&inv);
    spy_start();
    locks = spy_locks(&inv.lock), releases = spy_releases(&inv.lock);
    inventory_add(&inv, 0, 5);
    assert_one_hold(locks, releases, "inventory_add");
    inventory_add(&inv, 3, 2);
    inventory_add(&inv, 0, 1);
    locks = spy_locks(&inv.lock), releases = spy_releases(&inv.lock);
    long count = inventory_count(&inv, 0);
    assert_one_hold(locks, releases, "inventory_count");
    locks = spy_locks(&inv.lock), releases = spy_releases(&inv.lock);
    long total = inventory_total(&inv);
    assert_one_hold(locks, releases, "inventory_total");
    ck_assert_int_eq(count, 6);
    ck_assert_int_eq(inventory_count(&inv, 1), 0);
    ck_assert_int_eq(inventory_count(&inv, 3), 2);
    ck_assert_int_eq(total, 8);
    assert_lock_free("inventory_add, _count and _total");
    inventory_destroy(&inv);
}
END_TEST

START_TEST(add_many_returns_and_adds_everything)
{
    inventory_init(&inv);
    spy_start();
    ck_assert_msg(harness_threads(deliver, (void *const[]){ (void *)1 }, NULL, 1, 2 * harness_slowdown()),
                  "inventory_add_many did not return within %g s: it holds the lock and calls "
                  "inventory_add, which locks it again (relock.c)", 2 * harness_slowdown());
    assert_lock_free("inventory_add_many");
    unsigned long releases = spy_releases(&inv.lock);
    ck_assert_msg(releases == 1, "inventory_add_many let go of the lock %lu times during one delivery "
                  "of %d lines: it must hold it from the first line to the last (locked once, free once), "
                  "so that no other thread sees half a delivery", releases, DELIVERY_LINES);
    for (int i = 0; i < DELIVERY_LINES; i++)
        ck_assert_int_eq(inventory_count(&inv, delivery_items[i]), delivery_counts[i]);
    ck_assert_int_eq(inventory_total(&inv), DELIVERY_TOTAL);
    inventory_destroy(&inv);
}
END_TEST

/* What another thread reads when the scheduler switches to it. */
static long total_seen;

static void read_total(void *unused)
{
    (void)unused;
    total_seen = inventory_total(&inv);
}

/*
 * Another thread reads the total at each point where add_many lets go of
 * the lock (and before each lock it takes holding nothing): it must see no
 * delivery or all of it, never part.
 */
START_TEST(no_thread_sees_half_a_delivery)
{
    static const struct { enum spy_point at; const char *name; } points[] = {
        { SPY_AFTER_UNLOCK, "after unlock" }, { SPY_BEFORE_LOCK, "before lock" },
    };

    for (size_t p = 0; p < sizeof points / sizeof *points; p++) {
        for (int nth = 1; nth <= DELIVERY_LINES + 1; nth++) {
            inventory_init(&inv);
            total_seen = -1;
            spy_interfere(&inv.lock, points[p].at, nth, read_total, NULL);
            inventory_add_many(&inv, delivery_items, delivery_counts, DELIVERY_LINES);
            bool read = spy_interfered();
            spy_interfere_cancel();     /* a plan that never fired stays out of the checks */
            ck_assert_msg(!read || total_seen == 0 || total_seen == DELIVERY_TOTAL,
                          "another thread read a total of %ld in the middle of a delivery of %d (it "
                          "ran %s number %d inside inventory_add_many): add_many let go of the lock between "
                          "lines. Hold it across the whole delivery", total_seen, DELIVERY_TOTAL,
                          points[p].name, nth);
            ck_assert_int_eq(inventory_total(&inv), DELIVERY_TOTAL);
            inventory_destroy(&inv);
        }
    }
}
END_TEST

static _Atomic(spy_thread_t *) caller;

static void *call_add(void *unused)
{
    (void)unused;
    atomic_store(&caller, spy_self());
    inventory_add(&inv, 5, 7);
    return NULL;
}

static void *call_add_many(void *unused)
{
    (void)unused;
    atomic_store(&caller, spy_self());
    return deliver((void *)1);
}

static void *call_count(void *unused)
{
    (void)unused;
    atomic_store(&caller, spy_self());
    return (void *)(intptr_t)inventory_count(&inv, 5);
}

static void *call_total(void *unused)
{
    (void)unused;
    atomic_store(&caller, spy_self());
    return (void *)(intptr_t)inventory_total(&inv);
}

/*
 * While the test holds the inventory's lock, each public function called
 * from another thread must stop in pthread_mutex_lock and wait for it;
 * one that goes on touches the counts under another thread's feet.
 */
START_TEST(every_call_waits_while_another_thread_holds_the_lock)
{
    static const struct { void *(*fn)(void *); const char *name; } calls[] = {
        { call_add, "inventory_add" }, { call_add_many, "inventory_add_many" },
        { call_count, "inventory_count" }, { call_total, "inventory_total" },
    };

    inventory_init(&inv);
    inventory_add(&inv, 5, 1);
    for (size_t c = 0; c < sizeof calls / sizeof *calls; c++) {
        atomic_store(&caller, NULL);
        SPY_LOCK(&inv.lock);
        pending_t *p = pending_start(calls[c].fn, NULL);
        double give_up = timing_now() + 2 * harness_slowdown();
        for (;;) {
            spy_thread_t *t = atomic_load(&caller);
            ck_assert_msg(!pending_returned(p, 0), "%s returned while another thread held the "
                          "inventory's lock: it went on without the lock. It must wait for it (a busy "
                          "lock does not mean that this thread holds it)", calls[c].name);
            if (t != NULL && spy_doing(t) == SPY_LOCKING)
                break;
            ck_assert_msg(timing_now() < give_up, "%s, called while another thread held the "
                          "inventory's lock, did not wait in pthread_mutex_lock within %g s",
                          calls[c].name, 2 * harness_slowdown());
            timing_sleep_unscaled(0.001);
        }
        SPY_UNLOCK(&inv.lock);
        ck_assert_msg(pending_returned(p, 2 * harness_slowdown()), "%s did not return within %g s "
                      "after the lock became free", calls[c].name, 2 * harness_slowdown());
        void *result = pending_join(p);
        if (calls[c].fn == call_count)
            ck_assert_int_eq((intptr_t)result, 8);
        if (calls[c].fn == call_total)
            ck_assert_int_eq((intptr_t)result, 8 + DELIVERY_TOTAL);
    }
    assert_lock_free("every call");
    inventory_destroy(&inv);
}
END_TEST

/*
 * Two inventories at once: just before a call's first lock and just after
 * its last unlock, another thread makes the same call on a second
 * inventory. Each call must act on, and return, its own inventory's
 * counts: a result kept in a static variable, which every inventory
 * shares, is overwritten there.
 */
static struct inventory other_inv;

enum call_kind { ADD, ADD_MANY, COUNT, TOTAL };
static const char *const kind_name[] = { "inventory_add", "inventory_add_many", "inventory_count",
                                         "inventory_total" };

static long make_kind(struct inventory *in, enum call_kind k)
{
    switch (k) {
    case ADD:
        inventory_add(in, 5, 7);
        return 0;
    case ADD_MANY:
        inventory_add_many(in, delivery_items, delivery_counts, DELIVERY_LINES);
        return 0;
    case COUNT:
        return inventory_count(in, 5);
    case TOTAL:
        return inventory_total(in);
    }
    return 0;
}

static long other_result;

static void on_the_other_inventory(void *kind)
{
    other_result = make_kind(&other_inv, (enum call_kind)(intptr_t)kind);
}

START_TEST(two_inventories_at_once_keep_apart)
{
    static const enum spy_point points[] = { SPY_BEFORE_LOCK, SPY_AFTER_UNLOCK };
    for (enum call_kind k = ADD; k <= TOTAL; k++)
        for (size_t p = 0; p < 2; p++) {
            const char *where = p == 0 ? "just before its first lock" : "just after its last unlock";
            inventory_init(&inv);
            inventory_init(&other_inv);
            inventory_add(&inv, 5, 1);          /* this one: item 5 holds 1 */
            inventory_add(&other_inv, 5, 100);  /* the other: item 5 holds 100 */
            spy_start();
            spy_interfere(&inv.lock, points[p], 1, on_the_other_inventory, (void *)(intptr_t)k);
            long got = make_kind(&inv, k);
            bool stepped_in = spy_interfered();
            spy_start();
            ck_assert_msg(stepped_in, "the test could not step in %s in %s: it never %s the "
                          "inventory's lock holding no other mutex", where, kind_name[k],
                          p == 0 ? "locks" : "unlocks");
            long added = k == ADD ? 7 : k == ADD_MANY ? DELIVERY_TOTAL : 0;
            ck_assert_msg(inventory_total(&inv) == 1 + added && inventory_total(&other_inv) == 100 + added,
                          "%s on one inventory, and the same call on another inventory made by "
                          "another thread %s, left totals of %ld and %ld, not %ld and %ld. Keep "
                          "what a call works on in its inventory and in locals, never in a static "
                          "or global variable, which every inventory shares", kind_name[k], where,
                          inventory_total(&inv), inventory_total(&other_inv), 1 + added, 100 + added);
            long want = k == COUNT ? 1 : k == TOTAL ? 1 : 0;
            ck_assert_msg(got == want,
                          "%s returned %ld, not %ld: another thread's %s on another inventory, "
                          "made %s, changed its result (%ld is what that one saw). It kept its "
                          "result in a static variable, which every inventory shares: keep it in "
                          "a local", kind_name[k], got, want, kind_name[k], where, other_result);
            inventory_destroy(&other_inv);
            inventory_destroy(&inv);
        }
}
END_TEST

#define WRITERS 4
#define DELIVERIES 500

START_TEST(concurrent_deliveries_are_all_counted)
{
    void *times[WRITERS];

    for (int i = 0; i < WRITERS; i++)
        times[i] = (void *)DELIVERIES;
    inventory_init(&inv);
    ck_assert_msg(harness_threads(deliver, times, NULL, WRITERS, 5 * harness_slowdown()),
                  "%d threads making %d deliveries each did not finish within %g s", WRITERS,
                  DELIVERIES, 5 * harness_slowdown());
    for (int i = 0; i < DELIVERY_LINES; i++)
        ck_assert_int_eq(inventory_count(&inv, delivery_items[i]), WRITERS * DELIVERIES * delivery_counts[i]);
    ck_assert_int_eq(inventory_total(&inv), WRITERS * DELIVERIES * DELIVERY_TOTAL);
    assert_lock_free("many deliveries");
    inventory_destroy(&inv);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("rlock", 10);
    tcase_add_test(tc, rlock_lets_the_owner_lock_again);
    tcase_add_test(tc, split_lock_needs_no_second_lock);
    tcase_add_test(tc, relock_hangs_and_the_watchdog_ends_it);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("inventory", 10);
    tcase_add_checked_fixture(tc, show_state, NULL);
    tcase_add_test(tc, add_counts_each_item);
    tcase_add_test(tc, add_many_returns_and_adds_everything);
    tcase_add_test(tc, no_thread_sees_half_a_delivery);
    tcase_add_test(tc, every_call_waits_while_another_thread_holds_the_lock);
    tcase_add_test(tc, two_inventories_at_once_keep_apart);
    tcase_add_test(tc, concurrent_deliveries_are_all_counted);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
