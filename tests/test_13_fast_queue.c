/*
 * test_13_fast_queue.c - lesson 13: its benchmark, and exercise 13.
 *
 * The benchmark runs both queues through every row and reports a figure
 * for each. How fast each queue is belongs to make bench, never to a test:
 * a busy machine must not fail it. That the two queues keep the same
 * promises is tests/test_queue.c's job, run on each (test_fastqueue.c).
 * The exercise tests count signals with the spies, never time them.
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
#include "wakeq.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const figures[] = {
    "1p1c_maxsize1", "1p1c_maxsize10", "1p1c_maxsize100", "1p1c_maxsize1024", "2p2c_maxsize1024",
};

/* The value of the line "bench: <name> <value> items/s", or -1. */
static double figure(const char *out, const char *name)
{
    char line[128];
    snprintf(line, sizeof line, "bench: %s ", name);
    const char *at = strstr(out, line);
    return at != NULL ? strtod(at + strlen(line), NULL) : -1;
}

START_TEST(queue_bench_measures_both_queues_at_every_size)
{
    struct run r = harness_run("queue_bench", (const char *[]){ "1", NULL }, 0.01, 20);
    char name[64];

    ck_assert_msg(r.exit_code == 0, "queue_bench ended with status %d:\n%s", r.exit_code, r.out);
    for (size_t i = 0; i < sizeof figures / sizeof *figures; i++) {
        snprintf(name, sizeof name, "queue_%s", figures[i]);
        ck_assert_msg(figure(r.out, name) > 0, "no figure for %s in:\n%s", name, r.out);
        snprintf(name, sizeof name, "fastqueue_%s", figures[i]);
        ck_assert_msg(figure(r.out, name) > 0, "no figure for %s in:\n%s", name, r.out);
    }
    bool glib = figure(r.out, "gasyncqueue_1p1c_unbounded") > 0 &&
                figure(r.out, "gasyncqueue_2p2c_unbounded") > 0;
    ck_assert_msg(glib || strstr(r.out, "(GAsyncQueue: skipped, GLib is not installed") != NULL,
                  "queue_bench neither ran GLib's GAsyncQueue nor said it skipped it:\n%s", r.out);
    run_free(&r);
}
END_TEST

/* ---- exercise 13 --------------------------------------------------------- */

static struct wakeq q;

/* A failure's timeline shows the fill and the sleeper counts under q->lock. */
static void describe(const pthread_mutex_t *m, char *buf, size_t size)
{
    if (m == &q.lock)
        snprintf(buf, size, "%zu of %zu full, getters %d, putters %d", q.count, q.capacity,
                 q.waiting_getters, q.waiting_putters);
}

static void show_state(void)
{
    spy_name(&q.lock, "q->lock");
    spy_name(&q.not_empty, "q->not_empty");
    spy_name(&q.not_full, "q->not_full");
    spy_watch(describe);
}

/* Wake-ups sent on one of q's condition variables since spy_start(). */
static unsigned long wakeups(const pthread_cond_t *cv)
{
    return spy_signals(cv) + spy_broadcasts(cv);
}

START_TEST(items_come_out_in_the_order_they_went_in)
{
    /* Rings of 1 to 4 slots, held at every fill level while head goes round twice. */
    for (size_t capacity = 1; capacity <= 4; capacity++) {
        for (size_t level = 1; level <= capacity; level++) {
            int next_in = 100, next_out = 100;
            wakeq_init(&q, capacity);
            for (size_t i = 0; i < level; i++)
                wakeq_put(&q, next_in++);
            for (size_t i = 0; i < 2 * capacity + 1; i++) {
                int item = wakeq_get(&q);
                ck_assert_msg(item == next_out,
                              "with %zu of %zu slots full, wakeq_get returned %d, expected %d, the "
                              "oldest item (first in, first out)", level, capacity, item, next_out);
                next_out++;
                wakeq_put(&q, next_in++);
            }
            while (next_out < next_in)
                ck_assert_int_eq(wakeq_get(&q), next_out++);
            wakeq_destroy(&q);
        }
    }
}
END_TEST

/* A producer that fills the queue, then a consumer that empties it: nobody waits. */
#define ROUND 64

static void *fill(void *first)
{
    for (int i = 0; i < ROUND; i++)
        wakeq_put(&q, (int)(intptr_t)first + i);
    return NULL;
}

static void *empty(void *first)
{
    for (int i = 0; i < ROUND; i++)
        if (wakeq_get(&q) != (int)(intptr_t)first + i)
            return (void *)(intptr_t)i;
    return (void *)(intptr_t)ROUND;
}

static int counts_then;

static void look_at_counts(void *unused)
{
    (void)unused;
    SPY_LOCK(&q.lock);
    counts_then = q.waiting_getters + q.waiting_putters;
    SPY_UNLOCK(&q.lock);
}

START_TEST(no_signal_while_nobody_sleeps)
{
    wakeq_init(&q, ROUND);
    spy_start();
    for (intptr_t round = 0; round < 3; round++) {
        void *first = (void *)(round * ROUND), *right;
        ck_assert_msg(harness_threads(fill, &first, NULL, 1, 5), "%d puts into a queue of %d never "
                      "returned", ROUND, ROUND);
        ck_assert_msg(harness_threads(empty, &first, &right, 1, 5), "%d gets from a queue of %d "
                      "items never returned", ROUND, ROUND);
        ck_assert_msg((intptr_t)right == ROUND, "round %d: get number %d of %d did not return the "
                      "item put in that place (first in, first out)", (int)round + 1,
                      (int)(intptr_t)right + 1, ROUND);
    }
    ck_assert_msg(spy_waits(&q.not_empty) + spy_waits(&q.not_full) == 0,
                  "a put or a get slept though the queue was never full when a put came, nor "
                  "empty when a get came: wait only while the queue is full (or empty)");
    unsigned long put_woke = wakeups(&q.not_empty), get_woke = wakeups(&q.not_full);
    ck_assert_msg(put_woke + get_woke == 0,
                  "a producer put %d items into a queue of %d, then a consumer took them, three "
                  "times: no thread ever slept, yet the puts sent %lu wake-ups on not_empty and the "
                  "gets %lu on not_full. That is the textbook queue, which signals after every "
                  "change; this one signals only when the other side's count of sleepers "
                  "(waiting_getters, waiting_putters) is not 0", ROUND, ROUND, put_woke, get_woke);
    ck_assert_msg(q.waiting_getters == 0 && q.waiting_putters == 0,
                  "nobody ever slept, yet waiting_getters is %d and waiting_putters %d: count a "
                  "thread only while it is inside its wait loop", q.waiting_getters,
                  q.waiting_putters);
    /* A look at the counts just before a put and a get that need not wait take the lock. */
    for (int get = 0; get < 2; get++) {
        counts_then = -1;
        spy_start();
        spy_interfere(&q.lock, SPY_BEFORE_LOCK, 1, look_at_counts, NULL);
        if (get)
            wakeq_get(&q);
        else
            wakeq_put(&q, 1);
        spy_start();
        ck_assert_msg(counts_then == 0,
                      "just before a %s on a queue that %s locked q->lock, waiting_getters + "
                      "waiting_putters was %d, not 0: it counted itself before it had the lock and "
                      "before it knew it would wait. Count yourself with the lock held, right "
                      "before each wait, never outside it", get ? "wakeq_get" : "wakeq_put",
                      get ? "holds an item" : "has room", counts_then);
    }
    wakeq_destroy(&q);
}
END_TEST

/* What a sleeper count should be: `who` is "getters" or "putters". */
static void assert_count(const char *who, int want, const char *when)
{
    SPY_LOCK(&q.lock);
    int got = strcmp(who, "getters") == 0 ? q.waiting_getters : q.waiting_putters;
    SPY_UNLOCK(&q.lock);
    if (got == want)
        return;
    if (got < want)
        ck_abort_msg("%s, q->waiting_%s is %d, not %d: the count misses a sleeper, so the "
                     "thread that could wake it may not signal, and it sleeps on forever "
                     "(a lost wake-up). Count yourself with the lock held right before each wait "
                     "(+1), and take yourself off right after it returns (-1)", when, who, got,
                     want);
    ck_abort_msg("%s, q->waiting_%s is %d, not %d. A wait may return with no signal sent (the "
                 "spies make every other wait do so, as POSIX allows), and only the sleeper "
                 "knows it woke: take yourself off right after each wait returns, in the "
                 "sleeper; the thread that signals never changes the count", when, who, got,
                 want);
}

/* Assert that `what` (a put on a full queue, a get on an empty one) waits,
 * asleep, while the queue stays `state`. */
static void assert_waits(pending_t *p, const char *what, const char *state)
{
    if (pending_returns_at_once(p)) {
        if (spy_wait_sites(&q.not_full) + spy_wait_sites(&q.not_empty) > 0)
            ck_abort_msg("%s came back from pthread_cond_wait and went on, though the queue was "
                         "still %s: a wait may return with nothing changed (a spurious wake-up, or "
                         "another thread got there first). Wait in `while`, which looks again, not "
                         "in `if`", what, state);
        ck_abort_msg("%s returned at once, without waiting: it must wait while the queue is %s",
                     what, state);
    }
    pending_assert_waits(p, what);
}

static void *put_three(void *unused)
{
    (void)unused;
    wakeq_put(&q, 3);
    return NULL;
}

static void *get_one(void *unused)
{
    (void)unused;
    return (void *)(intptr_t)wakeq_get(&q);
}

/*
 * A get on an empty queue sleeps, counted, until a put wakes it; a put on a
 * full one likewise. Each runs twice: with the sleeper's first wait one the
 * spies make return at once, then with its first wait real, so a count kept
 * on some waits of a call and not others is caught either way.
 */
static void get_sleeps_and_a_put_wakes_it(bool first_wait_real)
{
    const char *sleeps = first_wait_real ? "while one wakeq_get sleeps in its first pthread_cond_wait"
                                         : "while one wakeq_get sleeps in pthread_cond_wait";
    wakeq_init(&q, 2);
    spy_start();
    spy_first_wait_real(first_wait_real);
    pending_t *get = pending_start(get_one, NULL);
    assert_waits(get, "wakeq_get on an empty queue", "empty");
    assert_count("getters", 1, sleeps);
    assert_count("putters", 0, "while one wakeq_get sleeps and no put does");
    wakeq_put(&q, 9);
    if (!pending_comes_back(get)) {
        if (wakeups(&q.not_empty) == 0 && wakeups(&q.not_full) > 0)
            ck_abort_msg("wakeq_put stored an item while a get slept, and signalled not_full, the "
                         "condition variable putters sleep on, not not_empty, where the get "
                         "sleeps: the get sleeps on forever (a lost wake-up). A put signals "
                         "not_empty when waiting_getters is not 0");
        if (wakeups(&q.not_empty) == 0)
            ck_abort_msg("wakeq_put stored an item while a get slept, and sent no signal on "
                         "not_empty: the get sleeps on forever (a lost wake-up). A put signals "
                         "not_empty when waiting_getters is not 0");
        ck_abort_msg("wakeq_get sleeps on for good after a put stored an item and signalled "
                     "not_empty: a get must wait on not_empty");
    }
    ck_assert_int_eq((intptr_t)pending_join(get), 9);
    assert_count("getters", 0, "after the sleeping wakeq_get returned");
    wakeq_destroy(&q);
}

START_TEST(get_sleeps_while_empty_and_a_put_wakes_it)
{
    get_sleeps_and_a_put_wakes_it(false);
    get_sleeps_and_a_put_wakes_it(true);
}
END_TEST

static void put_sleeps_and_a_get_wakes_it(bool first_wait_real)
{
    const char *sleeps = first_wait_real ? "while one wakeq_put sleeps in its first pthread_cond_wait"
                                         : "while one wakeq_put sleeps in pthread_cond_wait";
    wakeq_init(&q, 2);
    wakeq_put(&q, 1);
    wakeq_put(&q, 2);
    spy_start();
    spy_first_wait_real(first_wait_real);
    pending_t *put = pending_start(put_three, NULL);
    assert_waits(put, "wakeq_put on a full queue", "full (count == capacity)");
    assert_count("putters", 1, sleeps);
    assert_count("getters", 0, "while one wakeq_put sleeps and no get does");
    int first = wakeq_get(&q);
    if (!pending_comes_back(put)) {
        if (wakeups(&q.not_full) == 0 && wakeups(&q.not_empty) > 0)
            ck_abort_msg("wakeq_get took an item from a full queue while a put slept, and "
                         "signalled not_empty, the condition variable getters sleep on, not "
                         "not_full, where the put sleeps: the put sleeps on forever (a lost "
                         "wake-up). A get signals not_full when waiting_putters is not 0");
        if (wakeups(&q.not_full) == 0)
            ck_abort_msg("wakeq_get took an item from a full queue while a put slept, and sent no "
                         "signal on not_full: the put sleeps on forever (a lost wake-up). A get "
                         "signals not_full when waiting_putters is not 0");
        ck_abort_msg("wakeq_put sleeps on for good after a get made room and signalled not_full: "
                     "a put must wait on not_full");
    }
    pending_join(put);
    assert_count("putters", 0, "after the sleeping wakeq_put returned");
    ck_assert_int_eq(first, 1);
    ck_assert_int_eq(wakeq_get(&q), 2);
    ck_assert_int_eq(wakeq_get(&q), 3);
    wakeq_destroy(&q);
}

START_TEST(put_sleeps_while_full_and_a_get_wakes_it)
{
    put_sleeps_and_a_get_wakes_it(false);
    put_sleeps_and_a_get_wakes_it(true);
}
END_TEST

/*
 * Two sleepers on the same side, then two puts (or gets) back to back,
 * with the sleepers the first one wakes held back by the spies
 * (spy_hold_wakers): each call finds a sleeper counted and must send one
 * signal, never a broadcast, whatever the fill of the queue.
 */
static void two_sleep_and_both_are_woken(bool gets)
{
    const char *what = gets ? "wakeq_get on an empty queue" : "wakeq_put on a full queue";
    const char *call = gets ? "wakeq_put" : "wakeq_get";
    const char *sleepers = gets ? "two wakeq_get calls" : "two wakeq_put calls";
    const char *who = gets ? "getters" : "putters";
    pthread_cond_t *cv = gets ? &q.not_empty : &q.not_full;
    pthread_cond_t *other = gets ? &q.not_full : &q.not_empty;

    wakeq_init(&q, 2);
    if (!gets) {
        wakeq_put(&q, 1);
        wakeq_put(&q, 2);
    }
    spy_start();
    pending_t *a = pending_start(gets ? get_one : put_three, NULL);
    assert_waits(a, what, gets ? "empty" : "full");
    pending_t *b = pending_start(gets ? get_one : put_three, NULL);
    assert_waits(b, what, gets ? "empty" : "full");
    assert_count(who, 2, gets ? "while two wakeq_get calls sleep" : "while two wakeq_put calls sleep");
    spy_hold_wakers(true);
    for (int i = 0; i < 2; i++) {
        unsigned long signals = spy_signals(cv), broadcasts = spy_broadcasts(cv);
        unsigned long others = wakeups(other);
        if (gets)
            wakeq_put(&q, 5);
        else
            ck_assert_int_eq(wakeq_get(&q), i + 1);
        unsigned long sent = spy_signals(cv) - signals;
        if (spy_broadcasts(cv) > broadcasts) {
            spy_hold_wakers(false);
            ck_abort_msg("%s broadcast %s while %s slept: that wakes every sleeper for one %s. "
                         "Signal, once", call, gets ? "not_empty" : "not_full", sleepers,
                         gets ? "item" : "free slot");
        }
        if (sent == 0) {
            spy_hold_wakers(false);
            if (wakeups(other) > others)
                ck_abort_msg("%s signalled %s, but the sleepers wait on %s: a signal must go to "
                             "the condition variable the other side sleeps on", call,
                             gets ? "not_full" : "not_empty", gets ? "not_empty" : "not_full");
            ck_abort_msg("%s number %d in a row sent no signal on %s, while %s slept (the queue "
                         "now holds %zu of 2): a sleeper is left asleep with work waiting for it "
                         "(a lost wake-up). Signal whenever waiting_%s is not 0, whatever the "
                         "queue held before", call, i + 1, gets ? "not_empty" : "not_full",
                         i == 0 ? sleepers : "the other of the two", q.count, who);
        }
        if (sent > 1) {
            spy_hold_wakers(false);
            ck_abort_msg("%s sent %lu signals on %s for one %s, while %s slept: one change makes "
                         "room for one sleeper. Signal once", call, sent,
                         gets ? "not_empty" : "not_full", gets ? "item" : "free slot", sleepers);
        }
    }
    /* A call of the sleepers' own kind, while they are still counted: */
    unsigned long others = wakeups(other);
    if (gets)
        ck_assert_int_eq(wakeq_get(&q), 5);
    else
        wakeq_put(&q, 7);
    if (wakeups(other) > others) {
        spy_hold_wakers(false);
        ck_abort_msg("%s sent a wake-up on %s though no %s slept (waiting_%s is 0; it was the "
                     "%s that slept): a get looks at waiting_putters only, a put at "
                     "waiting_getters only", gets ? "wakeq_get" : "wakeq_put",
                     gets ? "not_full" : "not_empty", gets ? "put" : "get",
                     gets ? "putters" : "getters", gets ? "gets" : "puts");
    }
    spy_hold_wakers(false);
    if (gets)
        wakeq_put(&q, 5);       /* for the sleeper that finds the queue empty again */
    else
        ck_assert_int_eq(wakeq_get(&q), 7);
    ck_assert_msg(pending_comes_back(a) && pending_comes_back(b),
                  "%s slept and the wake-ups were sent, yet one sleeps on", sleepers);
    pending_join(a);
    pending_join(b);
    if (!gets) {
        ck_assert_int_eq(wakeq_get(&q), 3);
        ck_assert_int_eq(wakeq_get(&q), 3);
    }
    assert_count(who, 0, "after both sleepers returned");
    wakeq_destroy(&q);
}

START_TEST(two_sleepers_are_both_woken)
{
    two_sleep_and_both_are_woken(true);
    two_sleep_and_both_are_woken(false);
}
END_TEST

/*
 * The moment between a look at the other side's count and the lock: a
 * thread that falls asleep right then is missed by a look taken before the
 * lock. The test starts that thread at exactly that moment (the spies run
 * fall_asleep() when the put or get is about to lock), and lets the call go
 * on once it sleeps.
 */
static pending_t *newcomer;
enum { A_GET, A_PUT };

static void fall_asleep(void *which)
{
    bool get = (intptr_t)which == A_GET;
    newcomer = pending_start(get ? get_one : put_three, NULL);
    spy_thread_t *t = pending_thread(newcomer);
    for (double give_up = timing_now() + 2 * harness_slowdown(); spy_doing(t) != SPY_WAITING;) {
        ck_assert_msg(!pending_returned(newcomer, 0), "a %s on %s queue returned without waiting",
                      get ? "wakeq_get" : "wakeq_put", get ? "an empty" : "a full");
        ck_assert_msg(timing_now() < give_up, "a %s on a queue that stays %s did not go to sleep "
                      "in a condition wait within 2 s", get ? "wakeq_get" : "wakeq_put",
                      get ? "empty" : "full");
        timing_sleep_unscaled(0.001);
    }
}

START_TEST(a_thread_that_falls_asleep_just_before_the_lock_is_woken)
{
    wakeq_init(&q, 1);
    spy_start();
    spy_interfere(&q.lock, SPY_BEFORE_LOCK, 1, fall_asleep, (void *)(intptr_t)A_GET);
    wakeq_put(&q, 5);
    ck_assert_msg(spy_interfered(), "wakeq_put never locked q->lock");
    if (!pending_comes_back(newcomer))
        ck_abort_msg("a get went to sleep on the empty queue just before a put took the lock, "
                     "and the put did not wake it (a lost wake-up): the put must have read "
                     "waiting_getters before it locked. Read the count with the lock held, after "
                     "storing the item");
    ck_assert_int_eq((intptr_t)pending_join(newcomer), 5);

    wakeq_put(&q, 6);
    spy_interfere(&q.lock, SPY_BEFORE_LOCK, 1, fall_asleep, (void *)(intptr_t)A_PUT);
    ck_assert_int_eq(wakeq_get(&q), 6);
    ck_assert_msg(spy_interfered(), "wakeq_get never locked q->lock");
    if (!pending_comes_back(newcomer))
        ck_abort_msg("a put went to sleep on the full queue just before a get took the lock, "
                     "and the get did not wake it (a lost wake-up): the get must have read "
                     "waiting_putters before it locked. Read the count with the lock held, after "
                     "taking the item");
    pending_join(newcomer);
    ck_assert_int_eq(wakeq_get(&q), 3);
    wakeq_destroy(&q);
}
END_TEST

/*
 * A call that slept must look at the other side's count after it woke, not
 * before it slept: meanwhile a thread of the other side may have gone to
 * sleep. The spies hold the woken put (get) back until a get (put) sleeps.
 */
static void a_sleeper_looks_again(bool put)
{
    const char *call = put ? "wakeq_put" : "wakeq_get";
    wakeq_init(&q, 1);
    if (put)
        wakeq_put(&q, 1);                       /* full: the put must sleep */
    spy_start();
    pending_t *first = pending_start(put ? put_three : get_one, NULL);
    assert_waits(first, put ? "wakeq_put on a full queue" : "wakeq_get on an empty queue",
                 put ? "full (count == capacity)" : "empty");
    spy_hold_wakers(true);                      /* the woken one waits, without the lock */
    if (put)
        ck_assert_int_eq(wakeq_get(&q), 1);     /* room: wakes the put */
    else
        wakeq_put(&q, 5);                       /* an item: wakes the get */
    pending_t *other = pending_start(put ? get_one : put_three, NULL);
    if (!put)
        assert_waits(other, "wakeq_put on a full queue", "full (count == capacity)");
    else
        assert_waits(other, "wakeq_get on an empty queue", "empty");
    spy_hold_wakers(false);
    if (!pending_comes_back(other))
        ck_abort_msg("a %s slept, was woken, and while it had not yet run on, a %s went to sleep; "
                     "the %s then finished without waking it (a lost wake-up): it used "
                     "waiting_%s as it was before it slept, 0. Look at the other side's count "
                     "after your change to the ring, right before you signal", call,
                     put ? "wakeq_get" : "wakeq_put", call, put ? "getters" : "putters");
    pending_join(first);
    if (put)
        ck_assert_int_eq((intptr_t)pending_join(other), 3);
    else {
        pending_join(other);
        ck_assert_int_eq(wakeq_get(&q), 3);
    }
    wakeq_destroy(&q);
}

START_TEST(a_sleeper_looks_at_the_count_after_it_wakes)
{
    a_sleeper_looks_again(true);
    a_sleeper_looks_again(false);
}
END_TEST

/*
 * With one condition variable for both sides, a signal sent for a getter
 * can wake a sleeping putter instead (and the other way round): the woken
 * one sleeps again, the right one never hears of it.
 */
START_TEST(put_and_get_sleep_on_their_own_condition_variables)
{
    wakeq_init(&q, 1);
    wakeq_put(&q, 1);
    spy_start();
    pending_t *put = pending_start(put_three, NULL);
    assert_waits(put, "wakeq_put on a full queue", "full (count == capacity)");
    ck_assert_msg(spy_waits(&q.not_full) > 0 && spy_waits(&q.not_empty) == 0,
                  "wakeq_put on a full queue went to sleep on %s: a put waits on not_full, for a "
                  "get to make room. One condition variable for both sides lets a signal meant "
                  "for a getter wake a putter, which sleeps again while the getter sleeps on",
                  spy_waits(&q.not_empty) > 0 ? "q->not_empty" : "a condition variable not in q");
    ck_assert_int_eq(wakeq_get(&q), 1);
    ck_assert_msg(pending_comes_back(put), "wakeq_put sleeps on for good after a get made room");
    pending_join(put);
    ck_assert_int_eq(wakeq_get(&q), 3);

    spy_start();
    pending_t *get = pending_start(get_one, NULL);
    assert_waits(get, "wakeq_get on an empty queue", "empty");
    ck_assert_msg(spy_waits(&q.not_empty) > 0 && spy_waits(&q.not_full) == 0,
                  "wakeq_get on an empty queue went to sleep on %s: a get waits on not_empty, for "
                  "a put to store an item. One condition variable for both sides lets a signal "
                  "meant for a putter wake a getter, which sleeps again while the putter sleeps on",
                  spy_waits(&q.not_full) > 0 ? "q->not_full" : "a condition variable not in q");
    wakeq_put(&q, 9);
    ck_assert_msg(pending_comes_back(get), "wakeq_get sleeps on for good after a put stored an item");
    ck_assert_int_eq((intptr_t)pending_join(get), 9);
    wakeq_destroy(&q);
}
END_TEST

/*
 * Two queues at once: everything a queue keeps is in its own struct wakeq.
 * Their puts and gets interleaved (a position kept in a static is moved by
 * the other queue's calls), then a get asleep on each queue, each counted
 * in its own queue only, woken one queue after the other; the same with
 * puts on two full queues.
 */
static struct wakeq q2;

static void *get_from(void *queue)
{
    return (void *)(intptr_t)wakeq_get(queue);
}

static void *put_eight_into(void *queue)
{
    wakeq_put(queue, 8);
    return NULL;
}

static const char *const apart =
    "The two queues share something: keep all of a queue's state in its struct wakeq (q->head, "
    "q->count, the sleeper counts), never in a static or global variable, which every queue shares";

static void assert_got(struct wakeq *from, const char *name, int want)
{
    int item = wakeq_get(from);
    ck_assert_msg(item == want,
                  "with two queues in use at once, wakeq_get on %s returned %d, expected %d, its "
                  "oldest item. %s", name, item, want, apart);
}

/* A sleeper on each of q and q2 (gets on empty queues, or puts on full
 * ones), each counted in its own queue; then each woken in turn. */
static void one_sleeper_on_each_queue(bool gets)
{
    struct wakeq *queues[] = { &q, &q2 };
    const char *what = gets ? "wakeq_get on an empty queue" : "wakeq_put on a full queue";
    pending_t *p[2];

    for (int i = 0; i < 2; i++) {
        p[i] = pending_start(gets ? get_from : put_eight_into, queues[i]);
        pending_assert_waits(p[i], what);
    }
    for (int i = 0; i < 2; i++) {
        SPY_LOCK(&queues[i]->lock);
        int count = gets ? queues[i]->waiting_getters : queues[i]->waiting_putters;
        SPY_UNLOCK(&queues[i]->lock);
        ck_assert_msg(count == 1,
                      "while a %s slept on each of two queues, the %s queue's waiting_%s was %d, "
                      "not 1. %s", gets ? "get" : "put", i == 0 ? "first" : "second",
                      gets ? "getters" : "putters", count, apart);
    }
    for (int i = 0; i < 2; i++) {
        if (gets)
            wakeq_put(queues[i], 40 + i);
        else
            assert_got(queues[i], i == 0 ? "the first queue" : "the second queue", 10 * i + 1);
        ck_assert_msg(pending_comes_back(p[i]),
                      "a %s asleep on one queue slept on for good after a %s on that queue%s. %s",
                      gets ? "get" : "put", gets ? "put" : "get",
                      i == 1 ? ", once the sleeper on another queue had been woken"
                             : ", while another queue had a sleeper too",
                      apart);
        intptr_t got = (intptr_t)pending_join(p[i]);
        if (gets)
            ck_assert_int_eq(got, 40 + i);
    }
}

START_TEST(two_queues_at_once_keep_apart)
{
    spy_name(&q2.lock, "q2->lock");
    spy_name(&q2.not_empty, "q2->not_empty");
    spy_name(&q2.not_full, "q2->not_full");
    wakeq_init(&q, 3);
    wakeq_init(&q2, 2);
    for (int i = 0; i < 7; i++) {
        wakeq_put(&q, 2 * i);
        wakeq_put(&q2, 100 + i);
        wakeq_put(&q, 2 * i + 1);
        assert_got(&q2, "the second queue", 100 + i);
        assert_got(&q, "the first queue", 2 * i);
        assert_got(&q, "the first queue", 2 * i + 1);
    }
    one_sleeper_on_each_queue(true);
    wakeq_put(&q, 1), wakeq_put(&q, 2), wakeq_put(&q, 3);
    wakeq_put(&q2, 11), wakeq_put(&q2, 12);
    one_sleeper_on_each_queue(false);
    assert_got(&q, "the first queue", 2);
    assert_got(&q, "the first queue", 3);
    assert_got(&q, "the first queue", 8);
    assert_got(&q2, "the second queue", 12);
    assert_got(&q2, "the second queue", 8);
    wakeq_destroy(&q2);
    wakeq_destroy(&q);
}
END_TEST

#define SIDES 2
#define PER_PRODUCER 2000

static atomic_uchar seen[SIDES * PER_PRODUCER];
static atomic_int duplicates, out_of_order, taken;
static _Atomic(spy_thread_t *) workers[2 * SIDES];
static atomic_bool done[2 * SIDES];

/* Workers 0 and 1 put their items in order; 2 and 3 take as many, each
 * checking that one producer's items reach it in that producer's order. */
static void *work(void *role)
{
    int r = (int)(intptr_t)role, last[SIDES] = { -1, -1 };
    atomic_store(&workers[r], spy_self());
    for (int i = 0; i < PER_PRODUCER; i++) {
        if (r < SIDES) {
            wakeq_put(&q, r * PER_PRODUCER + i);
            continue;
        }
        int item = wakeq_get(&q);
        atomic_fetch_add(&taken, 1);
        if (item < 0 || item >= SIDES * PER_PRODUCER || atomic_exchange(&seen[item], 1)) {
            atomic_fetch_add(&duplicates, 1);
            continue;
        }
        if (item <= last[item / PER_PRODUCER])
            atomic_fetch_add(&out_of_order, 1);
        last[item / PER_PRODUCER] = item;
    }
    atomic_store(&done[r], true);
    return NULL;
}

START_TEST(two_producers_and_two_consumers_lose_nothing)
{
    pthread_t threads[2 * SIDES];

    wakeq_init(&q, 2);
    for (intptr_t i = 0; i < 2 * SIDES; i++)
        PT(pthread_create(&threads[i], NULL, work, (void *)i));
    harness_watch_workers(workers, done, 2 * SIDES, &taken, SIDES * PER_PRODUCER,
                          "2 producers and 2 consumers");
    for (int i = 0; i < 2 * SIDES; i++)
        PT(pthread_join(threads[i], NULL));
    ck_assert_msg(atomic_load(&duplicates) == 0, "%d items came out twice or were never put in",
                  atomic_load(&duplicates));
    for (int i = 0; i < SIDES * PER_PRODUCER; i++)
        ck_assert_msg(atomic_load(&seen[i]), "item %d never came out", i);
    ck_assert_msg(atomic_load(&out_of_order) == 0,
                  "%d items overtook an earlier item of the same producer (first in, first out)",
                  atomic_load(&out_of_order));
    assert_count("getters", 0, "after every put and get returned");
    assert_count("putters", 0, "after every put and get returned");
    wakeq_destroy(&q);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("queue_bench", 30);
    tcase_add_test(tc, queue_bench_measures_both_queues_at_every_size);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("wakeq", 15);
    tcase_add_checked_fixture(tc, show_state, NULL);
    tcase_add_test(tc, items_come_out_in_the_order_they_went_in);
    tcase_add_test(tc, no_signal_while_nobody_sleeps);
    tcase_add_test(tc, get_sleeps_while_empty_and_a_put_wakes_it);
    tcase_add_test(tc, put_sleeps_while_full_and_a_get_wakes_it);
    tcase_add_test(tc, a_thread_that_falls_asleep_just_before_the_lock_is_woken);
    tcase_add_test(tc, a_sleeper_looks_at_the_count_after_it_wakes);
    tcase_add_test(tc, put_and_get_sleep_on_their_own_condition_variables);
    tcase_add_test(tc, two_sleepers_are_both_woken);
    tcase_add_test(tc, two_queues_at_once_keep_apart);
    tcase_add_test(tc, two_producers_and_two_consumers_lose_nothing);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
