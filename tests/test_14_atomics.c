/*
 * test_14_atomics.c - lesson 14: the demos, and exercise 14 (a ticket lock).
 *
 * How fast anything runs belongs to make bench: the demo tests check what no
 * machine may break (the counts add up; seq_cst never gives r1 == r2 == 0;
 * the ABA steps, run by hand, come out the same every time).
 *
 * The exercise tests drive the lock with threads of their own and watch its
 * two counters, so each schedule they need is forced, not hoped for: a
 * waiter is started only once the one before it holds its ticket (next has
 * moved), so the order of tickets is known; the test holds the lock for as
 * long as it likes, so a waiter that goes in anyway is caught; and a thread
 * takes its ticket between the first two atomic operations of another
 * (spy_atomic_interfere), so a ticket taken in two steps is caught. The memory
 * order is ThreadSanitizer's to check (the lesson's lesson.mk says
 * tsan): in the_next_holder_reads_what_the_last_one_wrote the
 * test writes plain memory while it holds the lock, and nothing but the
 * lock orders that write before the next holder's read.
 */
#include "harness.h"
#include "pt.h"
#include "ticket.h"
#include "timing.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the demos ------------------------------------------------------------ */

#define SCALE 0.001

static struct run demo(const char *name, double scale)
{
    struct run r = harness_run(name, NULL, scale, 25);
    ck_assert_msg(r.exit_code == 0, "%s ended with status %d:\n%s", name, r.exit_code, r.out);
    ck_assert_msg(strstr(r.out, "a bug") == NULL, "%s found a wrong count:\n%s", name, r.out);
    return r;
}

START_TEST(counter_gets_the_same_total_three_ways)
{
    struct run r = demo("counter", SCALE);
    static const char *const ways[] = { "per-thread sum", "atomic_fetch_add", "mutex" };
    for (int w = 0; w < 3; w++) {
        char row[64];
        snprintf(row, sizeof row, "\n%-17s %7d %12d ", ways[w], 2, 10000);
        ck_assert_msg(strstr(r.out, row) != NULL, "counter should add 5000 twice %s:\n%s",
                      ways[w], r.out);
    }
    ck_assert_msg(strstr(r.out, "bench: counter_atomic_vs_local ") != NULL &&
                      strstr(r.out, "bench: counter_mutex_vs_local ") != NULL,
                  "counter should end with its bench lines:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(litmus_never_gives_both_zero_with_seq_cst)
{
    struct run r = demo("litmus", SCALE);
    static const char *const orders[] = { "relaxed", "release/acquire", "seq_cst" };
    for (int o = 0; o < 3; o++) {
        const char *at = strstr(r.out, orders[o]);
        long trials = 0, c[4] = { 0 };
        ck_assert_msg(at != NULL && sscanf(at + strlen(orders[o]), "%ld %ld %ld %ld %ld", &trials,
                                           &c[0], &c[1], &c[2], &c[3]) == 5,
                      "litmus should print a row for %s:\n%s", orders[o], r.out);
        ck_assert_msg(trials == 100 && c[0] + c[1] + c[2] + c[3] == trials,
                      "litmus: the %s row's outcomes should add up to its 100 trials:\n%s",
                      orders[o], r.out);
        if (o == 2)
            ck_assert_msg(c[3] == 0, "litmus: seq_cst gave r1=0 r2=0 %ld times; C11 forbids it:\n%s",
                          c[3], r.out);
    }
    run_free(&r);
}
END_TEST

START_TEST(publish_hands_over_every_message_whole)
{
    struct run r = demo("publish", SCALE);
    ck_assert_msg(strstr(r.out, "100 messages with release/acquire, 0 read wrong") != NULL,
                  "publish should hand over 100 messages, none read wrong:\n%s", r.out);
    run_free(&r);
    r = demo("publish_relaxed", SCALE);
    ck_assert_msg(strstr(r.out, "100 messages with a relaxed flag, ") != NULL,
                  "publish_relaxed should hand over 100 messages:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(cas_counts_everything_and_shows_aba_every_run)
{
    struct run r = demo("cas", SCALE);
    ck_assert_msg(strstr(r.out, "2 threads, 1000 compare-and-swap additions each: count 2000,") != NULL,
                  "cas should count 2000:\n%s", r.out);
    run_free(&r);
    r = demo("aba", SCALE);
    ck_assert_msg(strstr(r.out, "B is in two places") != NULL &&
                      strstr(r.out, "fails: the version moved on") != NULL &&
                      strstr(r.out, "the top is C: A and B are both off the stack") != NULL,
                  "aba should show ABA with the top alone and none with a version:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(spinlocks_count_every_hand_off)
{
    struct run r = demo("spinlocks", 0.01);
    static const char *const locks[] = { "pthread_mutex", "test-and-set", "ticket",
                                         "pthread_spin_lock" };
    for (int l = 0; l < 4; l++)
        for (int n = 2; n <= 4; n += 2) {
            char row[64];
            snprintf(row, sizeof row, "\n%-18s %7d ", locks[l], n);
            ck_assert_msg(strstr(r.out, row) != NULL, "spinlocks should time %s with %d threads:\n%s",
                          locks[l], n, r.out);
        }
    ck_assert_msg(strstr(r.out, "bench: spin_ticket_4threads_vs_mutex ") != NULL,
                  "spinlocks should end with its bench lines:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(demos_refuse_bad_arguments)
{
    static const char *const demos[] = { "counter", "litmus", "publish", "publish_relaxed", "cas",
                                         "aba", "spinlocks" };
    for (size_t d = 0; d < 7; d++) {
        const char *bad = d == 0 ? "1" : "2";
        struct run r = harness_run(demos[d], (const char *[]){ bad, NULL }, SCALE, 5);
        ck_assert_msg(r.exit_code == 2 && strncmp(r.out, "error: ", 7) == 0,
                      "%s %s: expected one error line and status 2, got %d:\n%s", demos[d], bad,
                      r.exit_code, r.out);
        run_free(&r);
    }
}
END_TEST

/* ---- exercise 14 ---------------------------------------------------------- */

static unsigned next_of(struct ticket_lock *l) { return atomic_load(&l->next); }
static unsigned serving_of(struct ticket_lock *l) { return atomic_load(&l->serving); }

/* Wait (at most 3 s, more under a sanitizer) until f(arg) is true. */
static bool wait_for(bool (*f)(void *), void *arg)
{
    for (double end = timing_now() + 3 * harness_slowdown(); timing_now() < end;) {
        if (f(arg))
            return true;
        timing_sleep_unscaled(0.0005);
    }
    return f(arg);
}

/* A waiter: a thread of the test's that takes the lock, says so, and holds
 * it until the test lets it go. */
struct waiter {
    struct ticket_lock *l;
    pthread_t tid;
    _Atomic(spy_thread_t *) spy;
    atomic_bool entered, release, done;
    atomic_int position;            /* 1 for the first to go in, ... */
};
static atomic_int entries;          /* how many waiters have gone in */

static void *waiter_run(void *arg)
{
    struct waiter *w = arg;
    atomic_store(&w->spy, spy_self());
    ticket_lock(w->l);
    atomic_store(&w->position, atomic_fetch_add(&entries, 1) + 1);
    atomic_store(&w->entered, true);
    while (!atomic_load(&w->release))
        timing_sleep_unscaled(0.0005);
    ticket_unlock(w->l);
    atomic_store(&w->done, true);
    return NULL;
}

static bool next_reached(void *arg)
{
    struct waiter *w = arg;
    return next_of(w->l) == (unsigned)atomic_load(&w->position);    /* position: the next wanted */
}
static bool has_entered(void *arg) { return atomic_load(&((struct waiter *)arg)->entered); }
static bool is_done(void *arg) { return atomic_load(&((struct waiter *)arg)->done); }

/* Whether w went in, or looked at serving, found it was not its turn and yielded. */
static bool settled(void *arg)
{
    struct waiter *w = arg;
    spy_thread_t *t = atomic_load(&w->spy);
    return atomic_load(&w->entered) || (t != NULL && spy_calls(t) >= 1);
}

/* Start w on lock l and wait until it holds a ticket (next must reach want),
 * and then until it either went in or waits (it has called sched_yield). */
static void start_waiter(struct waiter *w, struct ticket_lock *l, unsigned want)
{
    memset(w, 0, sizeof *w);
    w->l = l;
    atomic_store(&w->position, (int)want);
    PT(pthread_create(&w->tid, NULL, waiter_run, w));
    PT(pthread_detach(w->tid));
    ck_assert_msg(wait_for(next_reached, w),
                  "the test holds the lock and one more thread called ticket_lock: next is %u, "
                  "expected %u (each ticket_lock takes its ticket with one atomic_fetch_add on "
                  "next, +1, before it waits)", next_of(l), want);
    atomic_store(&w->position, 0);
    ck_assert_msg(wait_for(settled, w),
                  "a thread that took ticket %u while the test held the lock neither went in nor "
                  "called sched_yield() in %g s: ticket_lock spins on the core that the holder, or "
                  "the next in line, needs; call sched_yield() between looks at serving", want - 1,
                  3 * harness_slowdown());
}

START_TEST(a_free_lock_is_taken_at_once)
{
    struct ticket_lock l;
    ticket_init(&l);
    ck_assert_msg(next_of(&l) == 0 && serving_of(&l) == 0,
                  "after ticket_init, next is %u and serving %u: both must start at 0", next_of(&l),
                  serving_of(&l));
    for (unsigned i = 0; i < 3; i++) {
        ticket_lock(&l);
        ck_assert_msg(next_of(&l) == i + 1 && serving_of(&l) == i,
                      "lock number %u of a free lock: the lock's next is %u and serving %u, expected %u and "
                      "%u (take ticket %u with atomic_fetch_add on l->next, the lock's own; serving changes only in "
                      "ticket_unlock)", i + 1, next_of(&l), serving_of(&l), i + 1, i, i);
        ticket_unlock(&l);
        ck_assert_msg(next_of(&l) == i + 1 && serving_of(&l) == i + 1,
                      "unlock number %u: next is %u and serving %u, expected both %u (ticket_unlock "
                      "adds 1 to serving)", i + 1, next_of(&l), serving_of(&l), i + 1);
    }
}
END_TEST

/* What a data race means in these tests: the lock did not order memory. */
#define ORDER_HINT                                                                              \
    "Nothing but the lock orders those two accesses: ticket_unlock must store serving with "     \
    "memory_order_release and ticket_lock must load it with memory_order_acquire, both with "    \
    "atomic_ calls (a relaxed order, an acquire on the unlock, or a volatile read orders nothing)"

static void order_hint(void)
{
    harness_race_hint(ORDER_HINT);
}

static int guarded;                 /* plain memory: only the lock orders it */
static atomic_int read_by_next;
static atomic_bool next_done;

static void *next_holder(void *arg)
{
    struct ticket_lock *l = arg;
    ticket_lock(l);
    int seen = guarded;             /* written by the last holder: the lock must order it */
    ticket_unlock(l);
    atomic_store_explicit(&read_by_next, seen, memory_order_relaxed);
    atomic_store(&next_done, true);
    return NULL;
}

static bool next_holder_done(void *unused)
{
    (void)unused;
    return atomic_load(&next_done);
}

START_TEST(the_next_holder_reads_what_the_last_one_wrote)
{
    static struct ticket_lock l;
    struct waiter probe = { .l = &l };
    pthread_t tid;

    ticket_init(&l);
    guarded = 0;
    ticket_lock(&l);
    PT(pthread_create(&tid, NULL, next_holder, &l));
    PT(pthread_detach(tid));
    atomic_store(&probe.position, 2);
    ck_assert_msg(wait_for(next_reached, &probe),
                  "the test holds the lock and one more thread called ticket_lock: next is %u, "
                  "expected 2 (each ticket_lock takes its ticket with one atomic_fetch_add on "
                  "next, +1, before it waits)", next_of(&l));
    guarded = 42;                   /* nothing but the unlock below may order this write */
    ticket_unlock(&l);
    ck_assert_msg(wait_for(next_holder_done, NULL),
                  "the test held the lock while a thread waited with the next ticket, then called "
                  "ticket_unlock (serving went to %u), and in %g s that thread never got the lock: "
                  "ticket_lock must load serving again on every look, until it equals its ticket",
                  serving_of(&l), 3 * harness_slowdown());
    ck_assert_msg(atomic_load(&read_by_next) == 42,
                  "the next holder read %d where the last holder had written 42 before "
                  "ticket_unlock", atomic_load(&read_by_next));
}
END_TEST

START_TEST(a_waiter_waits_while_a_slow_holder_holds_the_lock)
{
    struct ticket_lock l;
    struct waiter w;

    ticket_init(&l);
    ticket_lock(&l);
    start_waiter(&w, &l, 2);
    timing_sleep_unscaled(0.1);     /* a slow holder */
    ck_assert_msg(!atomic_load(&w.entered),
                  "ticket_lock returned while another thread held the lock (its ticket %u, serving "
                  "%u): it must wait until serving equals its ticket", 1u, serving_of(&l));
    ticket_unlock(&l);
    ck_assert_msg(wait_for(has_entered, &w),
                  "after ticket_unlock, the thread waiting with the next ticket did not get the "
                  "lock in %g s (serving is %u): ticket_lock must load serving again on every "
                  "look, and ticket_unlock add 1 to it", 3 * harness_slowdown(), serving_of(&l));
    atomic_store(&w.release, true);
    ck_assert_msg(wait_for(is_done, &w), "the waiter's ticket_unlock did not return");
    ck_assert_msg(next_of(&l) == 2 && serving_of(&l) == 2,
                  "two locks and two unlocks left next at %u and serving at %u, expected 2 and 2",
                  next_of(&l), serving_of(&l));
}
END_TEST

/* The test holds the lock, then queues `n` waiters one at a time, starting
 * the counters at `from`; then lets them in one by one, in ticket order. */
static void serve_in_order(unsigned from, int n)
{
    struct ticket_lock l;
    struct waiter w[8];

    ticket_init(&l);
    atomic_store(&l.next, from);
    atomic_store(&l.serving, from);
    atomic_store(&entries, 0);
    ticket_lock(&l);
    for (int i = 0; i < n; i++)
        start_waiter(&w[i], &l, from + 2 + (unsigned)i);
    timing_sleep_unscaled(0.1);     /* a slow holder: nobody may pass it */
    for (int i = 0; i < n; i++)
        ck_assert_msg(!atomic_load(&w[i].entered),
                      "counters from %u: the waiter with ticket %u went in while the test held the "
                      "lock (ticket %u, serving %u)%s", from, from + 1 + (unsigned)i, from,
                      serving_of(&l),
                      from + 1 + (unsigned)i < from ? ": the tickets wrapped past UINT_MAX to 0; "
                      "compare tickets with == and !=, never < or >" : "");
    ticket_unlock(&l);
    for (int i = 0; i < n; i++) {
        ck_assert_msg(wait_for(has_entered, &w[i]),
                      "counters from %u: the waiter with ticket %u did not get the lock in %g s "
                      "after the one before it let go (serving is %u)", from,
                      from + 1 + (unsigned)i, 3 * harness_slowdown(), serving_of(&l));
        ck_assert_msg(atomic_load(&w[i].position) == i + 1,
                      "counters from %u: the waiter with ticket %u went in %d%s, expected %d%s: "
                      "tickets are served in the order they were taken", from,
                      from + 1 + (unsigned)i, atomic_load(&w[i].position),
                      atomic_load(&w[i].position) == 1 ? "st" : "th", i + 1,
                      i == 0 ? "st" : "th");
        for (int j = i + 1; j < n; j++)
            ck_assert_msg(!atomic_load(&w[j].entered),
                          "counters from %u: the waiter with ticket %u went in while ticket %u "
                          "held the lock", from, from + 1 + (unsigned)j, from + 1 + (unsigned)i);
        atomic_store(&w[i].release, true);
        ck_assert_msg(wait_for(is_done, &w[i]), "a waiter's ticket_unlock did not return");
    }
}

START_TEST(tickets_are_served_in_the_order_they_were_taken)
{
    serve_in_order(0, 4);
}
END_TEST

START_TEST(tickets_wrap_around_past_uint_max)
{
    serve_in_order(UINT_MAX - 1, 4);
}
END_TEST

START_TEST(two_locks_keep_apart)
{
    struct ticket_lock a, b;
    struct waiter w;

    ticket_init(&a);
    ticket_init(&b);
    ticket_lock(&a);
    memset(&w, 0, sizeof w);
    w.l = &b;
    PT(pthread_create(&w.tid, NULL, waiter_run, &w));
    PT(pthread_detach(w.tid));
    ck_assert_msg(wait_for(has_entered, &w),
                  "while the test held one lock, another thread's ticket_lock on a second, free "
                  "lock did not return in %g s: keep all the lock's state in its struct",
                  3 * harness_slowdown());
    atomic_store(&w.release, true);
    ck_assert_msg(wait_for(is_done, &w), "the second lock's ticket_unlock did not return");
    ck_assert_msg(next_of(&a) == 1 && serving_of(&a) == 0 && next_of(&b) == 1 && serving_of(&b) == 1,
                  "one lock held, another taken and let go: the first's counters are %u and %u "
                  "(expected 1 and 0), the second's %u and %u (expected 1 and 1)", next_of(&a),
                  serving_of(&a), next_of(&b), serving_of(&b));
    ticket_unlock(&a);
}
END_TEST

/* Atomic operations in a row that make a spin (a waiter that yields makes 1 or 2 a look). */
#define SPINS 10000

static bool settled_or_spinning(void *arg)
{
    struct waiter *w = arg;
    spy_thread_t *t = atomic_load(&w->spy);
    return settled(w) || (t != NULL && spy_atomics(t) >= SPINS);
}

/* Run by the first waiter of the test below, in its own thread, between its
 * first two atomic operations: a second waiter takes a ticket there. */
static void another_takes_a_ticket(void *arg)
{
    struct waiter *w = arg;
    PT(pthread_create(&w->tid, NULL, waiter_run, w));
    PT(pthread_detach(w->tid));
    wait_for(settled_or_spinning, w);
}

START_TEST(two_threads_taking_tickets_at_once_get_two)
{
    struct ticket_lock l;
    struct waiter first = { .l = &l }, second = { .l = &l };
    char last[128] = "";

    ticket_init(&l);
    ticket_lock(&l);                /* ticket 0: the two below must wait */
    atomic_store(&entries, 0);
    spy_atomic_interfere(1, another_takes_a_ticket, &second);
    PT(pthread_create(&first.tid, NULL, waiter_run, &first));
    PT(pthread_detach(first.tid));
    bool calm = wait_for(settled_or_spinning, &first) && settled(&first);
    spy_thread_t *t = atomic_load(&first.spy);
    unsigned long ops = t != NULL ? spy_atomics(t) : 0;
    if (t != NULL)
        spy_last_atomic(t, last, sizeof last);
    ck_assert_msg(ops > 0, "a thread called ticket_lock while the test held the lock, and made no "
                  "atomic operation: take a ticket with atomic_fetch_add on next, then load "
                  "serving with atomic_load_explicit");
    ck_assert_msg(spy_atomic_interfered(),
                  "a thread called ticket_lock while the test held the lock; it made one atomic "
                  "operation (%s) and %s without another: load serving with an atomic_ call, "
                  "on every look (a volatile or plain read is no atomic read)", last,
                  atomic_load(&first.entered) ? "went in" : "waited");
    unsigned next = next_of(&l);
    ck_assert_msg(next != 2 || strstr(last, "compare-and-swap") == NULL,
                  "two threads called ticket_lock while the test held the lock, the second one "
                  "between the first one's first two atomic operations; the first then made %lu "
                  "atomic operations, the last %s, and next is still 2: its compare-and-swap "
                  "never succeeds, because it retries with the value it read first, which next "
                  "will never hold again. A failed atomic_compare_exchange writes the value it "
                  "found into `expected`: compute the new ticket from that (or take the ticket "
                  "with one atomic_fetch_add)", ops, last);
    ck_assert_msg(next == 3,
                  "two threads called ticket_lock while the test held the lock (ticket 0), the "
                  "second one between the first one's first two atomic operations, and next went "
                  "from 1 to %u, not 3: both took ticket 1. A load of next and then a store of "
                  "what it read plus 1 are two steps, and another thread can take its ticket "
                  "between them: take the ticket with one atomic_fetch_add on next", next);
    ck_assert_msg(calm, "a thread that took a ticket while the test held the lock neither went "
                  "in nor called sched_yield() (%lu atomic operations, the last %s): ticket_lock "
                  "spins on the core that the holder, or the next in line, needs; call "
                  "sched_yield() between looks at serving", ops, last);
    ticket_unlock(&l);
    ck_assert_msg(wait_for(has_entered, &first) && !atomic_load(&second.entered),
                  "the test let go of the lock with two threads in line, tickets 1 and 2: %s",
                  atomic_load(&second.entered) ? "ticket 2 went in while ticket 1 held the lock"
                                               : "ticket 1 did not go in");
    atomic_store(&first.release, true);
    ck_assert_msg(wait_for(has_entered, &second), "ticket 1 let go, and ticket 2 did not go in");
    atomic_store(&second.release, true);
    ck_assert(wait_for(is_done, &first) && wait_for(is_done, &second));
}
END_TEST

static bool spy_known(void *arg) { return atomic_load((_Atomic(spy_thread_t *) *)arg) != NULL; }

START_TEST(a_waiter_yields_the_cpu_while_it_waits)
{
    struct ticket_lock l;
    struct waiter w;

    ticket_init(&l);
    ticket_lock(&l);
    start_waiter(&w, &l, 2);
    ck_assert(wait_for(spy_known, &w.spy));
    unsigned long before = spy_calls(atomic_load(&w.spy));
    timing_sleep_unscaled(0.1);
    unsigned long calls = spy_calls(atomic_load(&w.spy)) - before;
    ticket_unlock(&l);
    ck_assert_msg(calls >= 2,
                  "while the lock was held for 0.1 s, the waiting ticket_lock called sched_yield() "
                  "%lu times: it spins on a core that the holder, or the next in line, may need; "
                  "call sched_yield() between looks at serving", calls);
    ck_assert_msg(wait_for(has_entered, &w), "after ticket_unlock the waiter did not get the lock");
    atomic_store(&w.release, true);
    ck_assert(wait_for(is_done, &w));
}
END_TEST

/* Many threads, two locks, each thread counting in plain memory under its
 * lock, and the holders of each lock counted as they go in. */
#define WORKERS 6
#define ROUNDS 100
struct shared {
    struct ticket_lock lock;
    long count;                     /* guarded by lock */
    atomic_int inside, most_inside;
};
static struct shared pair[2];
static atomic_int finished;

static void *hammer(void *arg)
{
    struct shared *s = arg;
    for (int i = 0; i < ROUNDS; i++) {
        ticket_lock(&s->lock);
        int now = atomic_fetch_add_explicit(&s->inside, 1, memory_order_relaxed) + 1;
        if (now > atomic_load_explicit(&s->most_inside, memory_order_relaxed))
            atomic_store_explicit(&s->most_inside, now, memory_order_relaxed);
        s->count++;
        atomic_fetch_sub_explicit(&s->inside, 1, memory_order_relaxed);
        ticket_unlock(&s->lock);
    }
    atomic_fetch_add(&finished, 1);
    return NULL;
}

static bool all_finished(void *unused)
{
    (void)unused;
    return atomic_load(&finished) == WORKERS;
}

START_TEST(one_holder_at_a_time_with_six_threads_on_two_locks)
{
    pthread_t tid[WORKERS];

    for (int p = 0; p < 2; p++) {
        ticket_init(&pair[p].lock);
        pair[p].count = 0;
        atomic_store(&pair[p].inside, 0);
        atomic_store(&pair[p].most_inside, 0);
    }
    atomic_store(&finished, 0);
    for (int i = 0; i < WORKERS; i++) {
        PT(pthread_create(&tid[i], NULL, hammer, &pair[i % 2]));
        PT(pthread_detach(tid[i]));
    }
    for (int tries = 0; tries < 4 && !all_finished(NULL); tries++)
        wait_for(all_finished, NULL);
    ck_assert_msg(all_finished(NULL),
                  "%d threads taking two ticket locks %d times each: only %d finished in %g s",
                  WORKERS, ROUNDS, atomic_load(&finished), 12 * harness_slowdown());
    for (int p = 0; p < 2; p++) {
        ck_assert_msg(atomic_load(&pair[p].most_inside) == 1,
                      "%d threads were inside one ticket lock at once", atomic_load(&pair[p].most_inside));
        ck_assert_msg(pair[p].count == (long)ROUNDS * WORKERS / 2 &&
                          next_of(&pair[p].lock) == ROUNDS * WORKERS / 2 &&
                          serving_of(&pair[p].lock) == ROUNDS * WORKERS / 2,
                      "%d threads, %d locks each: the count under the lock is %ld, next %u and "
                      "serving %u, all expected %d", WORKERS / 2, ROUNDS, pair[p].count,
                      next_of(&pair[p].lock), serving_of(&pair[p].lock), ROUNDS * WORKERS / 2);
    }
}
END_TEST

int main(void)
{
    Suite *demos = suite_create("demo");
    TCase *tc = harness_tcase("demos", 30);
    tcase_add_test(tc, counter_gets_the_same_total_three_ways);
    tcase_add_test(tc, litmus_never_gives_both_zero_with_seq_cst);
    tcase_add_test(tc, publish_hands_over_every_message_whole);
    tcase_add_test(tc, cas_counts_everything_and_shows_aba_every_run);
    tcase_add_test(tc, spinlocks_count_every_hand_off);
    tcase_add_test(tc, demos_refuse_bad_arguments);
    suite_add_tcase(demos, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("ticket", 20);
    tcase_add_checked_fixture(tc, order_hint, NULL);
    tcase_add_test(tc, a_free_lock_is_taken_at_once);
    tcase_add_test(tc, the_next_holder_reads_what_the_last_one_wrote);
    tcase_add_test(tc, a_waiter_waits_while_a_slow_holder_holds_the_lock);
    tcase_add_test(tc, tickets_are_served_in_the_order_they_were_taken);
    tcase_add_test(tc, tickets_wrap_around_past_uint_max);
    tcase_add_test(tc, two_threads_taking_tickets_at_once_get_two);
    tcase_add_test(tc, two_locks_keep_apart);
    tcase_add_test(tc, a_waiter_yields_the_cpu_while_it_waits);
    tcase_add_test(tc, one_holder_at_a_time_with_six_threads_on_two_locks);
    suite_add_tcase(exercise, tc);
    return harness_main((Suite *[]){ demos, exercise, NULL });
}
