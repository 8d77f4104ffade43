/* test_07_rlock.c - lesson 7: a lock taken again by its owner; exercise 7. */
#include "harness.h"
#include "inventory.h"
#include "pt.h"
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

START_TEST(demos_refuse_an_argument)
{
    static const char *const programs[] = { "rlock", "relock", "split_lock" };
    for (size_t i = 0; i < sizeof programs / sizeof *programs; i++)
        assert_refuses_argument(programs[i], "-1");
}
END_TEST

/* ---- exercise 7 ---------------------------------------------------------- */

static struct inventory inv;

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
                  "every lock needs its unlock", after, strerror((int)(intptr_t)rc));
}

static const int delivery_items[] = { 0, 1, 2, 3 };
static const long delivery_counts[] = { 1, 2, 3, 4 };    /* 10 in all */

static void *deliver(void *times)
{
    for (intptr_t i = 0; i < (intptr_t)times; i++)
        inventory_add_many(&inv, delivery_items, delivery_counts, 4);
    return NULL;
}

START_TEST(add_counts_each_item)
{
    inventory_init(&inv);
    inventory_add(&inv, 0, 5);
    inventory_add(&inv, 3, 2);
    inventory_add(&inv, 0, 1);
    ck_assert_int_eq(inventory_count(&inv, 0), 6);
    ck_assert_int_eq(inventory_count(&inv, 1), 0);
    ck_assert_int_eq(inventory_count(&inv, 3), 2);
    ck_assert_int_eq(inventory_total(&inv), 8);
    assert_lock_free("inventory_add, _count and _total");
    inventory_destroy(&inv);
}
END_TEST

START_TEST(add_many_returns_and_adds_everything)
{
    inventory_init(&inv);
    ck_assert_msg(harness_threads(deliver, (void *const[]){ (void *)1 }, NULL, 1, 1),
                  "inventory_add_many did not return within 1 s: it holds the lock and calls "
                  "inventory_add, which locks it again (relock.c)");
    assert_lock_free("inventory_add_many");
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(inventory_count(&inv, delivery_items[i]), delivery_counts[i]);
    ck_assert_int_eq(inventory_total(&inv), 10);
    inventory_destroy(&inv);
}
END_TEST

#define WRITERS 4
#define DELIVERIES 2000
static atomic_int writers_done;

static void *deliver_then_count(void *unused)
{
    (void)unused;
    deliver((void *)DELIVERIES);
    atomic_fetch_add(&writers_done, 1);
    return NULL;
}

/* Returns how many totals it read that held part of a delivery. */
static void *watch_totals(void *unused)
{
    intptr_t partial = 0;
    (void)unused;
    while (atomic_load(&writers_done) < WRITERS)
        partial += inventory_total(&inv) % 10 != 0;
    return (void *)partial;
}

static void *writer_or_watcher(void *which)
{
    return which == NULL ? watch_totals(NULL) : deliver_then_count(NULL);
}

START_TEST(concurrent_deliveries_are_whole_and_all_counted)
{
    void *roles[WRITERS + 1] = { NULL, (void *)1, (void *)1, (void *)1, (void *)1 };
    void *results[WRITERS + 1];

    inventory_init(&inv);
    atomic_store(&writers_done, 0);
    ck_assert_msg(harness_threads(writer_or_watcher, roles, results, WRITERS + 1, 1),
                  "%d threads making %d deliveries each did not finish within 1 s", WRITERS, DELIVERIES);
    ck_assert_msg(results[0] == 0, "another thread saw half a delivery %ld times: add_many must hold "
                  "the lock for the whole delivery", (long)(intptr_t)results[0]);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(inventory_count(&inv, delivery_items[i]), WRITERS * DELIVERIES * delivery_counts[i]);
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
    tcase_add_test(tc, demos_refuse_an_argument);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("inventory", 10);
    tcase_add_test(tc, add_counts_each_item);
    tcase_add_test(tc, add_many_returns_and_adds_everything);
    tcase_add_test(tc, concurrent_deliveries_are_whole_and_all_counted);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
