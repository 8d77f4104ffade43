/* test_08_producer_consumer_lock.c - lesson 8: a one-message pipeline; exercise 8. */
#include "harness.h"
#include "pipeline.h"
#include "pt.h"
#include "timing.h"
#include "watchdog.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCALE 0.1

START_TEST(the_consumer_stores_each_message_once_in_order)
{
    long got[16], stored[16];
    int got_at[16], stored_at[16];
    struct run r = harness_run("prodcom_lock", NULL, SCALE, 5);

    ck_assert_msg(r.exit_code == 0, "prodcom_lock ended with %d:\n%s", r.exit_code, r.out);
    size_t ngot = output_numbers(r.out, "Producer got message: ", got, got_at, 16);
    size_t nstored = output_numbers(r.out, "Consumer storing message: ", stored, stored_at, 16);
    ck_assert_msg(ngot == 10 && nstored == 10, "expected 10 messages got and 10 stored:\n%s", r.out);
    for (size_t i = 0; i < 10; i++) {
        ck_assert_msg(got[i] >= 1 && got[i] <= 101, "message %ld is not from 1 to 101", got[i]);
        ck_assert_msg(stored[i] == got[i] && stored_at[i] > got_at[i],
                      "message %zu: got %ld, stored %ld (each in order, after it was got):\n%s", i,
                      got[i], stored[i], r.out);
    }
    ck_assert_int_eq(output_count(r.out, "Producer:have setlock"), 0); /* debug lines stay off */
    run_free(&r);
}
END_TEST

START_TEST(debug_shows_the_locks_change_hands)
{
    struct run r = harness_run_debug("prodcom_lock", NULL, SCALE, 5);
    static const char *const lines[] = {
        "Producer:about to acquire setlock", "Producer:have setlock", "Producer:about to release getlock",
        "Producer:getlock released", "Consumer:about to acquire getlock", "Consumer:have getlock",
        "Consumer:about to release setlock", "Consumer:setlock released",
    };
    ck_assert_int_eq(r.exit_code, 0);
    /* Ten messages and the sentinel: each line eleven times. */
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        ck_assert_msg(output_count(r.out, lines[i]) == 11, "expected '%s' 11 times, saw %d:\n%s",
                      lines[i], output_count(r.out, lines[i]), r.out);
    run_free(&r);
}
END_TEST

START_TEST(a_thread_may_not_unlock_anothers_mutex)
{
    struct run r = harness_run("foreign_unlock", NULL, SCALE, 5);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_msg(strstr(r.out, ": Consumer: release refused: ") && strstr(r.out, "(EPERM)\n"),
                  "expected the consumer's unlock to fail with EPERM:\n%s", r.out);
    ck_assert_int_lt(output_index(r.out, "Producer: has the lock"), output_index(r.out, "Producer: released the lock"));
    run_free(&r);
}
END_TEST

/* ---- condition variables ------------------------------------------------- */

/* The lines of out from line `from` up to (not including) line `to` (-1: the end)
 * whose message starts with `start` and contains `part`. */
static int lines_with(const char *out, const char *start, const char *part, int from, int to)
{
    int index = 0, count = 0;

    for (const char *line = out; *line != '\0' && (to < 0 || index < to); index++) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char text[256];
        snprintf(text, sizeof text, "%.*s", (int)len, line);
        const char *m = strlen(text) >= 10 && text[8] == ':' ? text + 10 : text;
        if (index >= from && strncmp(m, start, strlen(start)) == 0 && strstr(m, part) != NULL)
            count++;
        line += len + (end != NULL);
    }
    return count;
}

/* The number after `line` in out (a message's start), or -1 when there is none. */
static double figure(const char *out, const char *line)
{
    const char *at = strstr(out, line);
    return at != NULL ? strtod(at + strlen(line), NULL) : -1;
}

START_TEST(a_woken_waiter_holds_the_mutex_again)
{
    struct run r = harness_run("cond_wait", NULL, SCALE, 5);
    static const char *const steps[] = {
        "Waiter: has the mutex; ready is false, so it waits (the wait unlocks the mutex)",
        "Main: has the mutex while the waiter waits: the waiter's wait let go of it",
        "Main: set ready and signalled; keeps the mutex 1 s more",
        "Main: unlocks the mutex",
        "Waiter: woke with ready true; locking the mutex again fails with EDEADLK: it holds it already",
        "Waiter: unlocked the mutex",
    };

    ck_assert_msg(r.exit_code == 0, "cond_wait ended with %d:\n%s", r.exit_code, r.out);
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        ck_assert_msg(output_count(r.out, steps[i]) == 1, "expected '%s' once:\n%s", steps[i], r.out);
        ck_assert_msg(i == 0 || output_index(r.out, steps[i - 1]) < output_index(r.out, steps[i]),
                      "'%s' must come after '%s':\n%s", steps[i], steps[i - 1], r.out);
    }
    run_free(&r);
}
END_TEST

START_TEST(an_if_waiter_goes_on_without_an_item_a_while_waiter_waits_again)
{
    struct run r = harness_run("stolen_wakeup", NULL, SCALE, 5);

    ck_assert_msg(r.exit_code == 0, "stolen_wakeup ended with %d:\n%s", r.exit_code, r.out);
    ck_assert_int_eq(output_count(r.out, "Thief: took the item: items is 0"), 2);
    int woke = output_index(r.out, "Waiter (if): woke, items is 0");
    ck_assert_msg(woke > output_index(r.out, "Thief: took the item: items is 0") &&
                  output_index(r.out, "Waiter (if): took an item: items is -1") == woke + 1,
                  "the `if` waiter must wake after the thief took the item, and go on with none:\n%s", r.out);
    int again = output_index(r.out, "Waiter (while): woke, items is 0: waits again");
    ck_assert_msg(again > 0 && output_count(r.out, "Waiter (while): woke, items is 0: waits again") == 1,
                  "the `while` waiter must find no item once, and wait again:\n%s", r.out);
    ck_assert_msg(output_count(r.out, "Waiter (while): took an item: items is -1") == 0 &&
                  output_index(r.out, "Producer: put another item: items is 1") > again &&
                  output_index(r.out, "Waiter (while): took an item: items is 0") >
                  output_index(r.out, "Producer: put another item: items is 1"),
                  "the `while` waiter must take only the item put after it waited again:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(a_signal_before_the_wait_is_lost_unless_state_keeps_it)
{
    struct run r = harness_run("lost_wakeup", NULL, SCALE, 5);

    ck_assert_msg(!r.timed_out && r.exit_code == WATCHDOG_EXIT, "expected the watchdog's status %d, "
                  "got %d:\n%s", WATCHDOG_EXIT, r.exit_code, r.out);
    ck_assert_msg(output_index(r.out, "Signaller: set ready and signalled; nobody waits yet") <
                  output_index(r.out, "Waiter: ready is true: goes on without waiting"),
                  "with `ready`, the waiter must go on after the signaller:\n%s", r.out);
    ck_assert_msg(output_index(r.out, "Signaller: signalled; nobody waits yet") <
                  output_index(r.out, "Waiter: waits for the signal") &&
                  output_count(r.out, "Waiter: waits for the signal") == 1,
                  "without `ready`, the waiter must wait after the signal:\n%s", r.out);
    ck_assert_msg(output_count(r.out, "Waiter: woke up") == 0, "the lost signal woke the waiter:\n%s", r.out);
    ck_assert_msg(strstr(r.out, ": watchdog: ") != NULL && r.seconds >= 2 * SCALE,
                  "the watchdog must end it, after 2 s * %g (ran %.3f s):\n%s", SCALE, r.seconds, r.out);
    run_free(&r);
}
END_TEST

START_TEST(signal_wakes_one_waiter_broadcast_every_one)
{
    struct run r = harness_run("signal_broadcast", NULL, SCALE, 5);

    ck_assert_msg(!r.timed_out, "signal_broadcast still ran after 5 s: a waiter whose bytes were free "
                  "was never woken:\n%s", r.out);
    ck_assert_msg(r.exit_code == 0, "signal_broadcast ended with %d:\n%s", r.exit_code, r.out);
    int broadcast = output_index(r.out, "Main: broadcasts");
    ck_assert_int_eq(lines_with(r.out, "Waiter ", ": wants ", 0, -1), 3);
    ck_assert_msg(broadcast > 0 && lines_with(r.out, "Waiter ", ": woke, ", 0, broadcast) == 1 &&
                  lines_with(r.out, "Waiter ", ": took ", 0, broadcast) == 1,
                  "the signal must wake one waiter, which takes its bytes:\n%s", r.out);
    ck_assert_msg(lines_with(r.out, "Main: the signal woke 1 waiter; 2 still sleep", "", 0, broadcast) == 1,
                  "two waiters must sleep on after the signal:\n%s", r.out);
    ck_assert_msg(lines_with(r.out, "Waiter ", ": woke, ", broadcast, -1) == 2 &&
                  lines_with(r.out, "Waiter ", ": took ", broadcast, -1) == 2,
                  "the broadcast must wake the other two, and each takes its bytes:\n%s", r.out);
    ck_assert_int_eq(output_count(r.out, "Main: 3 of 3 waiters served, 0 bytes left"), 1);
    run_free(&r);
}
END_TEST

START_TEST(a_timed_wait_ends_at_its_deadline_not_before)
{
    struct run r = harness_run("timed_wait", NULL, SCALE, 10);
    static const char *const timeouts[] = { "Waiter: ETIMEDOUT after ", "Waiter: timed out after " };

    ck_assert_msg(r.exit_code == 0, "timed_wait ended with %d:\n%s", r.exit_code, r.out);
    for (size_t i = 0; i < 2; i++) {
        double ms = figure(r.out, timeouts[i]);
        ck_assert_msg(ms >= 300 && ms < 300 + 5000 * harness_slowdown(),
                      "expected '%s' at least 300 ms (its deadline), and not seconds late:\n%s",
                      timeouts[i], r.out);
    }
    const char *waits = strstr(r.out, "Waiter: pt_cond_wait_until for ready, deadline in 10000 ms");
    const char *signals = strstr(r.out, "Signaller: set ready and signals");
    const char *ready = strstr(r.out, "Waiter: ready after ");
    ck_assert_msg(waits != NULL && signals > waits && ready > signals &&
                  figure(r.out, "Waiter: ready after ") < 10000,
                  "the waiter must wait, the signaller signal, and the wait end with ready before its "
                  "10 s deadline:\n%s", r.out);
    run_free(&r);
}
END_TEST

/* ---- exercise 8 ---------------------------------------------------------- */

#define MESSAGES 300

static struct pipeline pipeline;

/* A failure's timeline shows the slot beside each step under p->lock. */
static void describe(const pthread_mutex_t *m, char *buf, size_t size)
{
    if (m == &pipeline.lock)
        snprintf(buf, size, pipeline.full ? "full, holds %d" : "empty", pipeline.message);
}

static void show_state(void)
{
    spy_name(&pipeline.lock, "p->lock");
    spy_name(&pipeline.changed, "p->changed");
    spy_watch(describe);
}
/* The thread of the latest call_get/call_set, as the spies know it. */
static _Atomic(spy_thread_t *) caller;

static void *call_get(void *unused)
{
    (void)unused;
    atomic_store(&caller, spy_self());
    return (void *)(intptr_t)pipeline_get_message(&pipeline);
}

static void *call_set(void *message)
{
    atomic_store(&caller, spy_self());
    pipeline_set_message(&pipeline, (int)(intptr_t)message);
    return NULL;
}

static double patience(void)
{
    return 2 * harness_slowdown();
}

/* Waits with a deadline on `changed` are counted as they begin, spurious or real. */
static void assert_no_timed_wait(const char *call, const char *state)
{
    ck_assert_msg(spy_timed_waits(&pipeline.changed) == 0, "%s on %s pipeline waits on `changed` with "
                  "a deadline (pthread_cond_timedwait, pt_cond_wait_until): pipeline.h gives no call a "
                  "time limit, and a call that gives up goes on as if the slot had changed: a set "
                  "overwrites a message nobody has read, a get returns one that is not there. Wait "
                  "with pthread_cond_wait, for as long as it takes", call, state);
}

/*
 * The pending call must go to sleep (state: "an empty", "a full"). The
 * spies make its first condition wait return at once, as POSIX allows, so a
 * wait in `if` returns here on every run. (A lock taken on the way is no
 * sleep: the call waits in the lock only for as long as another thread
 * holds it, and nobody else holds the pipeline's lock here.)
 */
static void assert_sleeps(pending_t *p, const char *call, const char *state, const char *loop)
{
    char what[128], now[512];
    double give_up = timing_now() + patience();

    for (;;) {
        assert_no_timed_wait(call, state);
        if (pending_returned(p, 0)) {
            ck_assert_msg(spy_wait_sites(&pipeline.changed) == 0, "%s returned from %s pipeline: its "
                          "condition wait returned at once (a spurious wake-up, which POSIX allows) and it "
                          "went on. It waits with `if`; wait in `%s`: a wake-up only says look again",
                          call, state, loop);
            ck_abort_msg("%s returned from %s pipeline: it must wait (`%s` around pthread_cond_wait)",
                         call, state, loop);
        }
        spy_thread_t *t = atomic_load(&caller);
        enum spy_doing doing = t != NULL ? spy_doing(t) : SPY_RUNNING;
        if (doing != SPY_RUNNING && doing != SPY_LOCKING)
            break;
        if (t != NULL && spy_calls(t) > 50)
            break;      /* it looks again and again: pending_assert_waits says so */
        if (timing_now() > give_up) {
            spy_describe(t, now, sizeof now);
            ck_abort_msg("%s on %s pipeline did not go to sleep in a condition wait within %g s (%s)%s",
                         call, state, patience(), now, doing == SPY_RUNNING ? ": it spins. Sleep in "
                         "pthread_cond_wait until the other side broadcasts" : "");
        }
        timing_sleep_unscaled(0.001);
    }
    assert_no_timed_wait(call, state);      /* it may have begun one since the look above */
    snprintf(what, sizeof what, "%s on %s pipeline", call, state);
    pending_assert_waits(p, what);
}

START_TEST(one_message_goes_through)
{
    pipeline_init(&pipeline);
    pipeline_set_message(&pipeline, 7);
    ck_assert_int_eq(pipeline_get_message(&pipeline), 7);
    pending_t *set = pending_start(call_set, (void *)8);
    if (!pending_returned(set, patience())) {
        ck_assert_msg(!pipeline.full, "pipeline_get_message returned message 7 but left the slot "
                      "marked full: the next set waits for an empty slot forever. Empty it "
                      "(full = false) under the lock");
        ck_abort_msg("pipeline_set_message on an empty pipeline still waits after %g s", patience());
    }
    pending_join(set);
    ck_assert_int_eq(pipeline_get_message(&pipeline), 8);
    pipeline_destroy(&pipeline);
}
END_TEST

START_TEST(get_waits_while_the_slot_is_empty)
{
    pipeline_init(&pipeline);
    spy_start();
    pending_t *get = pending_start(call_get, NULL);
    assert_sleeps(get, "pipeline_get_message", "an empty", "while (!p->full)");
    pipeline_set_message(&pipeline, 5);
    ck_assert_msg(pending_returned(get, patience()), "pipeline_get_message still waits %g s after "
                  "pipeline_set_message filled the slot: set must wake the waiting getter "
                  "(pthread_cond_broadcast on changed) once it has filled the slot", patience());
    intptr_t message = (intptr_t)pending_join(get);
    ck_assert_msg(message == 5, "pipeline_get_message returned %ld, not the 5 that pipeline_set_message "
                  "put in the slot while it waited: store and copy the message under the lock",
                  (long)message);
    pipeline_destroy(&pipeline);
}
END_TEST

START_TEST(set_waits_while_the_slot_is_full)
{
    pipeline_init(&pipeline);
    pipeline_set_message(&pipeline, 1);
    spy_start();
    pending_t *set = pending_start(call_set, (void *)2);
    assert_sleeps(set, "pipeline_set_message", "a full", "while (p->full)");
    SPY_LOCK(&pipeline.lock);
    int held = pipeline.message;
    SPY_UNLOCK(&pipeline.lock);
    ck_assert_msg(held == 1, "while pipeline_set_message(2) waited for the slot to empty, the slot "
                  "held %d, not message 1, which nobody had read yet: the set stored its message "
                  "before it waited. Wait while the slot is full first, then store the message", held);
    int first = pipeline_get_message(&pipeline);
    if (!pending_returned(set, patience())) {
        ck_assert_msg(!pipeline.full, "pipeline_get_message returned message %d but left the slot "
                      "marked full: the setter waiting for an empty slot can never go on. Empty it "
                      "(full = false) under the lock", first);
        ck_abort_msg("pipeline_set_message still waits %g s after pipeline_get_message emptied the "
                     "slot: get must wake the waiting setter (pthread_cond_broadcast on changed) once "
                     "it has emptied the slot", patience());
    }
    pending_join(set);
    ck_assert_msg(first == 1, "message 1 arrived as %d: by the time pipeline_get_message read the "
                  "slot, the set that was waiting had put message 2 in it. Copy the message out while "
                  "you hold the lock", first);
    ck_assert_int_eq(pipeline_get_message(&pipeline), 2);
    pipeline_destroy(&pipeline);
}
END_TEST

/* Interference: another producer or consumer runs at a chosen point, once. */
static struct {
    bool armed;
    bool ran;           /* it ran */
    bool acted;         /* it found the slot as it expected and set or got */
    int got;            /* what another_consumer got */
} meddler;

static void arm(void)
{
    meddler.armed = true;
    meddler.ran = meddler.acted = false;
    meddler.got = 0;
}

static bool take_turn(void)
{
    if (!meddler.armed)
        return false;
    meddler.armed = false;
    meddler.ran = true;
    return true;
}

/* pipeline.full is read by the test's only running thread: no race. */
static void another_producer(void *message)
{
    if (take_turn() && !pipeline.full) {
        pipeline_set_message(&pipeline, (int)(intptr_t)message);
        meddler.acted = true;
    }
}

static void another_consumer(void *unused)
{
    (void)unused;
    if (take_turn() && pipeline.full) {
        meddler.got = pipeline_get_message(&pipeline);
        meddler.acted = true;
    }
}

/* A get that waits at most patience() (on a new thread). */
static int get_within(const char *after)
{
    pending_t *get = pending_start(call_get, NULL);
    ck_assert_msg(pending_returned(get, patience()), "pipeline_get_message still waits %g s %s",
                  patience(), after);
    return (int)(intptr_t)pending_join(get);
}

/*
 * The producer puts message 2 in the slot the moment the consumer's get
 * lets go of the lock: a get that reads p->message after its unlock
 * returns 2 for message 1.
 */
START_TEST(get_copies_the_message_before_it_unlocks)
{
    for (int nth = 1; nth <= 3; nth++) {
        pipeline_init(&pipeline);
        pipeline_set_message(&pipeline, 1);
        arm();
        spy_interfere(&pipeline.lock, SPY_AFTER_UNLOCK, nth, another_producer, (void *)2);
        int got = pipeline_get_message(&pipeline);
        meddler.armed = false;
        ck_assert_msg(nth > 1 || meddler.ran, "pipeline_get_message never unlocked p->lock: the slot "
                      "is read and emptied under the pipeline's lock, p->lock");
        ck_assert_msg(got == 1, "message 1 arrived as %d: pipeline_get_message read the message after "
                      "it unlocked, and by then the producer had put message 2 in the slot. Copy it "
                      "out while you hold the lock", got);
        if (meddler.acted) {
            got = get_within("after a set filled the slot");
            ck_assert_msg(got == 2, "message 2 arrived as %d: every message once, in order", got);
        }
        pipeline_destroy(&pipeline);
    }
}
END_TEST

/*
 * A second consumer gets the moment the first one's get lets go of the
 * lock: a get that copies the message, unlocks, and locks again to empty
 * the slot leaves the slot full in between, and the same message is taken
 * twice.
 */
START_TEST(get_empties_the_slot_before_it_unlocks)
{
    for (int nth = 1; nth <= 3; nth++) {
        pipeline_init(&pipeline);
        pipeline_set_message(&pipeline, 1);
        arm();
        spy_interfere(&pipeline.lock, SPY_AFTER_UNLOCK, nth, another_consumer, NULL);
        int got = pipeline_get_message(&pipeline);
        meddler.armed = false;
        ck_assert_msg(nth > 1 || meddler.ran, "pipeline_get_message never unlocked p->lock: the slot "
                      "is read and emptied under the pipeline's lock, p->lock");
        ck_assert_msg(!meddler.acted, "message 1 was taken twice: pipeline_get_message returned %d, and "
                      "another get that ran the moment it let go of the lock (its unlock number %d) "
                      "found the slot still full and returned %d. Copy the message and empty the slot "
                      "(full = false) in one hold of the lock", got, nth, meddler.got);
        ck_assert_int_eq(got, 1);
        pipeline_destroy(&pipeline);
    }
}
END_TEST

/*
 * A consumer gets the message the moment the producer's set lets go of
 * the lock: a set that stores the message (or marks the slot full) after
 * its unlock hands over an empty slot or a stale message.
 */
START_TEST(set_stores_the_message_before_it_unlocks)
{
    for (int nth = 1; nth <= 3; nth++) {
        pipeline_init(&pipeline);
        arm();
        spy_interfere(&pipeline.lock, SPY_AFTER_UNLOCK, nth, another_consumer, NULL);
        pipeline_set_message(&pipeline, 7);
        meddler.armed = false;
        ck_assert_msg(nth > 1 || meddler.ran, "pipeline_set_message never unlocked p->lock: the slot "
                      "is filled under the pipeline's lock, p->lock");
        ck_assert_msg(!(nth == 1 && meddler.ran && !meddler.acted), "right after "
                      "pipeline_set_message let go of the lock the slot was still empty: set must "
                      "mark the slot full before it unlocks");
        ck_assert_msg(!meddler.acted || meddler.got == 7, "message 7 arrived as %d: a get that ran the "
                      "moment pipeline_set_message unlocked found the old message. Store the message and "
                      "mark the slot full under one hold of the lock", meddler.got);
        if (!meddler.acted)
            ck_assert_int_eq(get_within("after a set filled the slot"), 7);
        pipeline_destroy(&pipeline);
    }
}
END_TEST

/*
 * Any int is a message: 0, negative ones, INT_MIN and INT_MAX too. A get
 * that takes 0 (or any value) for "empty" sleeps beside a full slot; a set
 * that does overwrites an unread message.
 */
START_TEST(any_int_is_a_message_0_and_negative_ones_too)
{
    static const int messages[] = { 1, 0, -1, INT_MIN, INT_MAX, -7, 0 };  /* 1 first: an everyday one */

    pipeline_init(&pipeline);
    for (size_t i = 0; i < sizeof messages / sizeof *messages; i++) {
        int m = messages[i];
        spy_start();
        pipeline_set_message(&pipeline, m);
        pending_t *set = pending_start(call_set, (void *)5);
        ck_assert_msg(!pending_returns_at_once(set), "pipeline_set_message(5) went on while the slot "
                      "held message %d, which nobody had read%s", m, i == 0 ? ": wait while the slot "
                      "is full" : ", though message 1 made it wait: it took that message for an empty "
                      "slot. Any int is a message; tell a full slot from an empty one by p->full");
        pending_t *get = pending_start(call_get, NULL);
        ck_assert_msg(pending_returns_at_once(get), "pipeline_get_message sleeps while the slot is "
                      "full, with message %d%s", m, i == 0 ? "" : ", though it took message 1: it "
                      "took this one for an empty slot. Any int is a message; tell a full slot from "
                      "an empty one by p->full");
        int got = (int)(intptr_t)pending_join(get);
        ck_assert_msg(got == m, "message %d arrived as %d: any int is a message", m, got);
        ck_assert_msg(pending_returned(set, patience()), "pipeline_set_message(5) still waits %g s "
                      "after pipeline_get_message emptied the slot", patience());
        pending_join(set);
        ck_assert_int_eq(pipeline_get_message(&pipeline), 5);
    }
    pipeline_destroy(&pipeline);
}
END_TEST

#define SIDES 3
#define EACH 100

static void *send_many(void *first)
{
    for (int i = 0; i < EACH; i++)
        pipeline_set_message(&pipeline, (int)(intptr_t)first + i);
    return NULL;
}

static atomic_llong received_total;
static atomic_int times_received[SIDES * EACH + 1];    /* messages 1 .. SIDES * EACH */

static void *receive_many(void *unused)
{
    long long sum = 0;
    (void)unused;
    for (int i = 0; i < EACH; i++) {
        int m = pipeline_get_message(&pipeline);
        if (m >= 1 && m <= SIDES * EACH)
            atomic_fetch_add(&times_received[m], 1);
        sum += m;
    }
    atomic_fetch_add(&received_total, sum);
    return NULL;
}

/* A message the getters received more than once (0: none so far). */
static int taken_twice(void)
{
    for (int m = 1; m <= SIDES * EACH; m++)
        if (atomic_load(&times_received[m]) > 1)
            return m;
    return 0;
}

static void *send_or_receive_many(void *first)
{
    return first != NULL ? send_many(first) : receive_many(NULL);
}

/*
 * Setters and getters sleep on the one condition variable `changed`. A
 * signal wakes one of them, maybe one of the same side, which finds
 * nothing to do and sleeps again, while the thread that could go on is
 * never woken.
 */
START_TEST(each_change_wakes_both_sides)
{
    void *roles[2 * SIDES];
    long long sent = 0;

    for (int i = 0; i < SIDES; i++) {
        roles[i] = (void *)(intptr_t)(1 + i * EACH);
        roles[SIDES + i] = NULL;
    }
    for (int i = 1; i <= SIDES * EACH; i++)
        sent += i;
    pipeline_init(&pipeline);
    spy_start();
    atomic_store(&received_total, 0);
    for (int m = 0; m <= SIDES * EACH; m++)
        atomic_store(&times_received[m], 0);
    bool done = harness_threads(send_or_receive_many, roles, NULL, 2 * SIDES, 5 * harness_slowdown());
    int twice = taken_twice();
    char times[32] = "twice";
    if (twice != 0 && atomic_load(&times_received[twice]) > 2)
        snprintf(times, sizeof times, "%d times", atomic_load(&times_received[twice]));
    ck_assert_msg(twice == 0, "message %d was taken %s by the %d getters, though it was set once%s. "
                  "Copy the message and empty the slot (full = false) in one hold of the lock", twice,
                  times, SIDES, done ? "" : " (and the threads did not finish within 5 s)");
    unsigned long signals = spy_signals(&pipeline.changed);
    ck_assert_msg(done || signals == 0, "%d setters and %d getters did not finish within %g s: a "
                  "pthread_cond_signal woke a thread of the same side, which went back to sleep, and "
                  "the thread that could go on was never woken. Setters and getters share `changed`: "
                  "broadcast", SIDES, SIDES, 5 * harness_slowdown());
    ck_assert_msg(done, "%d setters and %d getters passing %d messages each did not finish within %g s",
                  SIDES, SIDES, EACH, 5 * harness_slowdown());
    ck_assert_msg(signals == 0, "pipeline used pthread_cond_signal on `changed` %lu times: setters and "
                  "getters sleep on that one condition variable, so a signal may wake a thread of the "
                  "same side, which sleeps again, and the wake-up is lost. Use "
                  "pthread_cond_broadcast", signals);
    ck_assert_msg(atomic_load(&received_total) == sent, "the getters received messages adding up to "
                  "%lld, not %lld: a message was lost", atomic_load(&received_total), sent);
    pipeline_destroy(&pipeline);
}
END_TEST

static void *send_all(void *unused)
{
    (void)unused;
    for (int i = 1; i <= MESSAGES; i++)
        pipeline_set_message(&pipeline, i);
    return NULL;
}

/* Returns the first message that broke the order 1, 2, 3, ... (as i * 100000 + what came), or 0. */
static void *receive_all(void *unused)
{
    intptr_t bad = 0;
    (void)unused;
    for (int i = 1; i <= MESSAGES; i++) {
        int m = pipeline_get_message(&pipeline);
        if (m != i && bad == 0)
            bad = (intptr_t)i * 100000 + m;
    }
    return (void *)bad;
}

static void *send_or_receive(void *sender)
{
    return sender != NULL ? send_all(NULL) : receive_all(NULL);
}

START_TEST(many_messages_arrive_once_and_in_order)
{
    void *results[2];

    pipeline_init(&pipeline);
    ck_assert_msg(harness_threads(send_or_receive, (void *const[]){ (void *)1, NULL }, results, 2,
                                  5 * harness_slowdown()),
                  "a producer and a consumer passing %d messages did not finish within %g s", MESSAGES,
                  5 * harness_slowdown());
    intptr_t bad = (intptr_t)results[1];
    ck_assert_msg(bad == 0, "message %ld arrived as %ld: every message once, in order", (long)(bad / 100000),
                  (long)(bad % 100000));
    pipeline_destroy(&pipeline);
}
END_TEST

/*
 * Two pipelines in use at once, each by a setter and a getter of its own,
 * nothing shared between the two pairs: state kept outside struct pipeline
 * (a static count of sleepers, say) is shared by both, each pair updating it
 * under its own pipeline's lock, so the two race on it. A lost update can
 * lose a wake-up (a hang, here, on an unlucky run); ThreadSanitizer, which
 * the grader runs this lesson under too, sees the race on every run.
 */
static struct pipeline pipeline2;

struct pair_role {
    struct pipeline *p;
    int sign;           /* the first pipeline carries 1, 2, 3, ..., the second -1, -2, -3, ... */
    bool sends;
};

/* A getter's first message out of order: the message it expected, and what came (0, 0: none). */
static struct { int expected, got; } out_of_order[4];

static void *pass_messages(void *arg)
{
    const struct pair_role *r = arg;
    int getter = r->p == &pipeline ? 1 : 3;

    for (int i = 1; i <= MESSAGES; i++) {
        if (r->sends) {
            pipeline_set_message(r->p, r->sign * i);
            continue;
        }
        int m = pipeline_get_message(r->p);
        if (m != r->sign * i && out_of_order[getter].expected == 0)
            out_of_order[getter].expected = r->sign * i, out_of_order[getter].got = m;
    }
    return NULL;
}

START_TEST(two_pipelines_at_once_keep_apart)
{
    static const struct pair_role roles[] = {
        { &pipeline, 1, true }, { &pipeline, 1, false }, { &pipeline2, -1, true }, { &pipeline2, -1, false },
    };
    spy_name(&pipeline2.lock, "p2->lock");
    spy_name(&pipeline2.changed, "p2->changed");
    harness_race_hint("Two pipelines were in use at once, each by its own setter and getter: is a "
                      "variable kept outside struct pipeline (a static or global, a count of "
                      "sleepers?) and so shared by both, each pair updating it under its own "
                      "pipeline's lock? Keep each pipeline's state in its struct, or broadcast on "
                      "every change");
    pipeline_init(&pipeline);
    pipeline_init(&pipeline2);
    memset(out_of_order, 0, sizeof out_of_order);
    bool done = harness_threads(pass_messages, (void *const[]){ (void *)&roles[0], (void *)&roles[1],
                                                                (void *)&roles[2], (void *)&roles[3] },
                                NULL, 4, 5 * harness_slowdown());
    ck_assert_msg(done, "two pipelines in use at once, a setter and a getter on each passing %d "
                  "messages, did not finish within %g s (each pair alone finishes at once): a "
                  "wake-up was lost. Is a variable kept outside struct pipeline (a static count of "
                  "sleepers?), shared by both pipelines and updated under two different locks? Keep "
                  "each pipeline's state in its struct, or broadcast on every change", MESSAGES,
                  5 * harness_slowdown());
    for (int i = 1; i < 4; i += 2)
        ck_assert_msg(out_of_order[i].expected == 0, "on the %s pipeline, message %d arrived as %d: two "
                      "pipelines in use at once keep their messages apart, each in order",
                      i == 1 ? "first" : "second", out_of_order[i].expected, out_of_order[i].got);
    pipeline_destroy(&pipeline2);
    pipeline_destroy(&pipeline);
}
END_TEST

/* ---- exercise 8, part 2: watched.c --------------------------------------- */

#include "event.h"
#include "watched.h"

/* Set by the test: fn may return. Set by held_fn: fn has started (fn_thread is its thread). */
static event_t *fn_may_return, *fn_entered;
static spy_thread_t *fn_thread;

/* Runs until the test sets `fn_may_return` (at most 5 s), then returns 42. */
static void *held_fn(void *unused)
{
    (void)unused;
    fn_thread = spy_self();
    event_set(fn_entered);
    event_wait_timed(fn_may_return, 5);
    return (void *)(intptr_t)42;
}

static void *quick_fn(void *arg)
{
    return arg;
}

static event_t *worker_unlocked, *worker_checked;

static void make_watched_events(void)
{
    fn_may_return = event_create();
    fn_entered = event_create();
    worker_unlocked = event_create();
    worker_checked = event_create();
}

static void free_watched_events(void)
{
    event_destroy(fn_may_return);
    event_destroy(fn_entered);
    event_destroy(worker_unlocked);
    event_destroy(worker_checked);
}

/* watched_start(t, held_fn, NULL), and wait until fn runs. */
static void start_held(watched_t *t)
{
    spy_start();
    watched_start(t, held_fn, NULL);
    ck_assert_msg(spy_created() == 1, "watched_start() started %zu threads: start one that runs "
                  "fn(arg)", spy_created());
    ck_assert_msg(event_wait_timed(fn_entered, 2 * harness_slowdown()),
                  "fn did not run within 2 s of watched_start(): start a thread that calls fn(arg)");
}

/* A volatile read: code that writes `finished` without the lock may do so at any time. */
static bool finished_now(watched_t *t)
{
    return *(volatile bool *)&t->finished;
}

/* watched_join(c->t, c->timeout, &c->result) on a thread of its own (pending_start). */
struct join_call {
    watched_t *t;
    double timeout;
    const char *what;       /* "watched_join(t, 5)" */
    spy_thread_t *joiner;
    event_t *calling;
    void *result;
    double start;           /* timing_now() as the call began */
    double seconds;         /* how long the call took */
};

static void *call_join(void *arg)
{
    struct join_call *c = arg;

    c->joiner = spy_self();
    c->start = timing_now();
    event_set(c->calling);
    bool joined = watched_join(c->t, c->timeout, &c->result);
    c->seconds = timing_now() - c->start;
    return (void *)(intptr_t)joined;
}

static pending_t *start_join(struct join_call *c, watched_t *t, double timeout, const char *what)
{
    *c = (struct join_call){ .t = t, .timeout = timeout, .what = what, .calling = event_create() };
    pending_t *p = pending_start(call_join, c);
    event_wait(c->calling);
    event_destroy(c->calling);
    return p;
}

/* finished_cv must measure CLOCK_MONOTONIC, as the deadline from timing_deadline() does. */
static void assert_monotonic(watched_t *t)
{
    ck_assert_msg(spy_cond_monotonic(&t->finished_cv),
                  "finished_cv was initialised without a clock (pthread_cond_init(&cv, NULL)), so "
                  "its timed waits measure CLOCK_REALTIME, the wall clock, which anyone may set: "
                  "set back an hour, it makes a 5 s join wait an hour more. Initialise it with "
                  "pt_cond_init_monotonic() and take the deadline from timing_deadline(timeout): "
                  "both CLOCK_MONOTONIC");
}

/*
 * The earliest deadline the call's waits passed (the spies saw each one),
 * against the call's start: timing_deadline(timeout), taken once the call
 * has begun, is never before start + timeout.
 */
static void assert_deadline_not_early(struct join_call *c)
{
    const pthread_cond_t *cv = &c->t->finished_cv;

    if (c->timeout <= 0 || spy_timed_waits(cv) == 0)
        return;
    double aimed = spy_earliest_deadline(cv) - c->start, scale = timing_scale();
    if (aimed >= c->timeout - 1e-6)
        return;
    if (aimed < 0)
        ck_abort_msg("%s waited on finished_cv with a deadline %.3f s before the call began: a "
                     "deadline is a point in time on CLOCK_MONOTONIC, timing_deadline(timeout), "
                     "not the timeout itself", c->what, -aimed);
    if (scale != 1 && aimed > c->timeout * scale - 0.005 && aimed < c->timeout * scale + 0.005)
        ck_abort_msg("%s waited on finished_cv until a deadline %.3f s after the call began: its "
                     "timeout times timing_scale() (WORKBOOK_TIME_SCALE is %g in this test). A "
                     "timeout is real seconds: the scale shortens the demos' timing_sleep() calls, "
                     "never a deadline. Pass timeout itself to timing_deadline()",
                     c->what, aimed, scale);
    ck_abort_msg("%s waited on finished_cv until a deadline %.3f s after the call began, %.3f s "
                 "before its timeout ran out, so it gives up early. Take the deadline from "
                 "timing_deadline(timeout), with no margin: a wait ends at its deadline or a "
                 "little after, never before", c->what, aimed, c->timeout - aimed);
}

/* The call gave up (returned false) before the thread had finished: say why. */
static void explain_early_return(struct join_call *c)
{
    const pthread_cond_t *cv = &c->t->finished_cv;

    if (spy_wait_sites(cv) > 0 && spy_waits(cv) == 0)
        ck_abort_msg("%s gave up after %.3f s, before the thread had finished, after a condition "
                     "wait that no broadcast had ended. A wait may return without a broadcast (a "
                     "spurious wake-up): wait in a loop, while (!t->finished), not in an if, and "
                     "give up only when pt_cond_wait_until() says the deadline passed",
                     c->what, c->seconds);
    if (spy_wait_sites(cv) == 0)
        ck_abort_msg("%s gave up after %.3f s, before the thread had finished, without waiting on "
                     "finished_cv: wait on it until finished or the deadline", c->what, c->seconds);
    if (c->timeout < 0)
        ck_abort_msg("%s gave up after %.3f s, before the thread had finished: a negative timeout "
                     "means no limit, so pass NULL as the deadline of pt_cond_wait_until(), not a "
                     "deadline made from the negative number", c->what, c->seconds);
    if (c->seconds < c->timeout) {
        assert_monotonic(c->t);
        assert_deadline_not_early(c);
        ck_abort_msg("%s gave up after %.3f s, before the thread had finished and before its "
                     "timeout, though its deadline was right: it stops at a wake-up that was not "
                     "the end (an early one, or a broadcast while fn still ran). Wait again while "
                     "(!t->finished), and give up only when pt_cond_wait_until() returns false",
                     c->what, c->seconds);
    }
    ck_abort_msg("%s waited its whole timeout although fn had returned: after it sets finished, "
                 "the thread must broadcast finished_cv (under t->lock) to wake the join", c->what);
}

/* watched_join(t, timeout, result) once fn may return: it must return true. */
static void assert_joins_now(watched_t *t, double timeout, void **result)
{
    char what[64];
    struct join_call c = { .t = t, .timeout = timeout, .what = what };

    snprintf(what, sizeof what, "watched_join(t, %g)", timeout);
    c.start = timing_now();
    bool joined = watched_join(t, timeout, result);
    c.seconds = timing_now() - c.start;
    if (!joined)
        explain_early_return(&c);
}

/*
 * The same, once the thread has finished (or 2 s have passed): the join then
 * never needs the broadcast. join_sleeps_until_the_thread_broadcasts tests
 * that, so an answer without one fails there, every run, and not in whichever
 * test happened to join before the thread was done.
 */
static void assert_joins(watched_t *t, double timeout, void **result)
{
    size_t started = spy_created();
    double give_up = timing_now() + 2 * harness_slowdown();

    while (started > 0 && !spy_returned(started - 1, NULL) && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    assert_joins_now(t, timeout, result);
}

/* The call sleeps in pthread_join while fn still runs: say why that is wrong. */
static void explain_joining(struct join_call *c)
{
    char now[512];

    spy_describe(c->joiner, now, sizeof now);
    if (spy_wait_sites(&c->t->finished_cv) > 0)
        ck_abort_msg("%s called pthread_join while fn still ran (%s), after a condition wait that "
                     "no broadcast had ended. A wait may return without a broadcast (a spurious "
                     "wake-up): wait in a loop, while (!t->finished), not in an if, and join only "
                     "once finished is true", c->what, now);
    ck_abort_msg("%s called pthread_join while fn still ran (%s): pthread_join cannot give up at "
                 "a deadline. Wait on finished_cv until finished or the deadline, and join only "
                 "once finished is true", c->what, now);
}

/*
 * The join call c, made while fn runs, must go to sleep in a condition wait
 * on finished_cv and stay there: not return, not poll, not sleep in
 * pthread_join (it could not give up at its deadline there).
 */
static void assert_join_sleeps(pending_t *p, struct join_call *c)
{
    double give_up = timing_now() + 2 * harness_slowdown();
    enum spy_doing doing;

    for (;;) {
        if (pending_returned(p, 0))
            explain_early_return(c);
        doing = spy_doing(c->joiner);
        if (doing == SPY_WAITING || doing == SPY_JOINING || doing == SPY_SLEEPING ||
            doing == SPY_YIELDING || spy_calls(c->joiner) > 50 || timing_now() > give_up)
            break;
        timing_sleep_unscaled(0.001);
    }
    if (doing == SPY_JOINING)
        explain_joining(c);
    if (doing == SPY_WAITING && pending_returned(p, 0.1))
        explain_early_return(c);
    pending_assert_waits(p, c->what);
}

START_TEST(is_alive_while_the_function_runs)
{
    watched_t t;

    start_held(&t);
    ck_assert_msg(watched_is_alive(&t), "watched_is_alive() is false while fn still runs");
    event_set(fn_may_return);
    assert_joins(&t, 5, NULL);
}
END_TEST

START_TEST(is_alive_turns_false_when_the_function_returns)
{
    watched_t t;

    watched_start(&t, quick_fn, NULL);
    double give_up = timing_now() + 2;
    while (watched_is_alive(&t) && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    ck_assert_msg(!watched_is_alive(&t), "watched_is_alive() still true 2 s after fn returned");
    ck_assert_msg(watched_join(&t, 0, NULL),
                  "watched_join(t, 0) returned false for a thread whose fn had returned");
}
END_TEST

/* The test holds t->lock while fn returns: `finished` must wait for it. */
START_TEST(the_thread_sets_finished_holding_the_lock)
{
    watched_t t;
    char now[512];

    start_held(&t);
    SPY_LOCK(&t.lock);
    event_set(fn_may_return);
    double give_up = timing_now() + 2 * harness_slowdown();
    while (!finished_now(&t) && spy_doing(fn_thread) != SPY_LOCKING && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    bool finished = finished_now(&t);
    enum spy_doing doing = spy_doing(fn_thread);
    spy_describe(fn_thread, now, sizeof now);
    SPY_UNLOCK(&t.lock);
    ck_assert_msg(!finished,
                  "finished turned true while the test held t->lock: the thread sets it without "
                  "the lock, so watched_is_alive() and watched_join() can miss it. After fn "
                  "returns, lock t->lock, store the result, set finished, broadcast finished_cv, "
                  "unlock");
    ck_assert_msg(doing == SPY_LOCKING,
                  "after fn returned, its thread never asked for t->lock (%s): lock it to set "
                  "finished", now);
    assert_joins(&t, -1, NULL);
}
END_TEST

struct is_alive_call {
    watched_t *t;
    spy_thread_t *asker;
    event_t *calling;
};

static void *call_is_alive(void *arg)
{
    struct is_alive_call *c = arg;

    c->asker = spy_self();
    event_set(c->calling);
    return (void *)(intptr_t)watched_is_alive(c->t);
}

/* The test holds t->lock: watched_is_alive() must wait for it. */
START_TEST(is_alive_reads_finished_under_the_lock)
{
    watched_t t;
    struct is_alive_call c = { .t = &t, .calling = event_create() };
    char now[512];

    start_held(&t);
    SPY_LOCK(&t.lock);
    pending_t *p = pending_start(call_is_alive, &c);
    event_wait(c.calling);
    double give_up = timing_now() + 2 * harness_slowdown();
    while (!pending_returned(p, 0) && spy_doing(c.asker) != SPY_LOCKING && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    bool returned = pending_returned(p, 0);
    enum spy_doing doing = spy_doing(c.asker);
    spy_describe(c.asker, now, sizeof now);
    ck_assert_msg(!returned,
                  "watched_is_alive() returned while the test held t->lock: it reads finished "
                  "without the lock. The thread writes finished under t->lock; read it under "
                  "t->lock too");
    ck_assert_msg(doing == SPY_LOCKING, "watched_is_alive() did not ask for t->lock (%s)", now);
    SPY_UNLOCK(&t.lock);
    ck_assert_msg(pending_join(p) != NULL, "watched_is_alive() is false while fn still runs");
    event_destroy(c.calling);
    event_set(fn_may_return);
    assert_joins(&t, -1, NULL);
}
END_TEST

/* The join call c, made while fn runs, must return within 2 s, and false. */
static void assert_gives_up(pending_t *p, struct join_call *c)
{
    char now[512];

    if (!pending_returned(p, 2)) {
        if (spy_doing(c->joiner) == SPY_JOINING)
            explain_joining(c);
        spy_describe(c->joiner, now, sizeof now);
        if (c->timeout == 0)
            ck_abort_msg("%s still waits after 2 s while fn runs (%s): a timeout of 0 leaves no "
                         "time at all, so look at finished once and return false. Only a negative "
                         "timeout means no limit", c->what, now);
        ck_abort_msg("%s still waits after 2 s while fn runs (%s): it ignores its timeout. Wait "
                     "with pt_cond_wait_until() and a deadline from timing_deadline(timeout), and "
                     "return false when the deadline passes", c->what, now);
    }
    ck_assert_msg(pending_join(p) == NULL, "%s returned true while fn was still running", c->what);
}

/*
 * A timed-out join takes its whole timeout and not much more, however often
 * it is woken meanwhile: the spies wake its waits early, and late in the
 * timeout the test broadcasts finished_cv with nothing changed (a real
 * wake-up that is not the end). Its deadline is on CLOCK_MONOTONIC, and in
 * real seconds: the test runs with WORKBOOK_TIME_SCALE at 0.05, as the
 * demos' tests do, and the timeout stays 0.4 s.
 */
#define TIMEOUT 0.4
#define LATE 0.5                /* the most a timed-out join may take past its timeout */

START_TEST(join_times_out_while_the_thread_runs)
{
    watched_t t;
    struct join_call c;
    char what[64];

    setenv("WORKBOOK_TIME_SCALE", "0.05", 1);  /* timing_scale() reads it once, at its first call */
    ck_assert_msg(timing_scale() == 0.05, "the test could not set WORKBOOK_TIME_SCALE: "
                  "timing_scale() was read before it (%g)", timing_scale());
    snprintf(what, sizeof what, "watched_join(t, %g)", TIMEOUT);
    start_held(&t);
    assert_monotonic(&t);
    double start = timing_now();
    pending_t *p = start_join(&c, &t, TIMEOUT, what);
    double late = start + 0.75 * TIMEOUT - timing_now();
    if (late > 0)
        timing_sleep_unscaled(late);
    SPY_LOCK(&t.lock);
    PT(pthread_cond_broadcast(&t.finished_cv));
    SPY_UNLOCK(&t.lock);
    assert_gives_up(p, &c);
    if (c.seconds < TIMEOUT)
        explain_early_return(&c);
    if (spy_waits(&t.finished_cv) > 4)
        ck_abort_msg("%s slept on finished_cv %lu times in %.3f s: it waits a little at a time and "
                     "looks again (polling). Wait once, until the deadline, and again only when "
                     "woken", what, spy_waits(&t.finished_cv), c.seconds);
    assert_deadline_not_early(&c);
    double moved = spy_deadline_spread(&t.finished_cv);
    ck_assert_msg(moved < 0.001,
                  "%s moved its deadline %.3f s later between two waits on finished_cv: a wait "
                  "that returns (early, or woken by a broadcast that changed nothing) does not "
                  "start the timeout again. Compute the deadline once, timing_deadline(timeout), "
                  "before the loop", what, moved);
    ck_assert_msg(c.seconds <= TIMEOUT + LATE,
                  "%s timed out after %.3f s, %.3f s past its timeout: give up when the timeout "
                  "has passed, not later (timing_deadline(timeout) takes fractions of a second)",
                  what, c.seconds, c.seconds - TIMEOUT);
    ck_assert_msg(watched_is_alive(&t), "the thread should still be alive after a timed-out join");
    event_set(fn_may_return);
    assert_joins(&t, -1, NULL);
}
END_TEST

/* watched_join(t, 0) while fn runs: no time left, so false at once (0 is not "no limit"). */
START_TEST(join_with_no_time_left_gives_up_at_once)
{
    watched_t t;
    struct join_call c;

    start_held(&t);
    pending_t *p = start_join(&c, &t, 0, "watched_join(t, 0)");
    assert_gives_up(p, &c);
    ck_assert_msg(c.seconds <= LATE,
                  "watched_join(t, 0) took %.3f s to give up while fn ran: with no time left, look "
                  "at finished once and return false", c.seconds);
    ck_assert_msg(watched_is_alive(&t), "the thread should still be alive after a timed-out join");
    event_set(fn_may_return);
    assert_joins(&t, -1, NULL);
}
END_TEST

/*
 * watched_join(t, 4.999999999) while fn runs: asleep on finished_cv, woken
 * by the broadcast. Nine 9s: a deadline added up by hand, now's tv_nsec plus
 * 999999999, is past a second whenever now's tv_nsec is 1 or more, and then
 * the spies fail the wait unless the second was carried into tv_sec.
 */
START_TEST(join_sleeps_until_the_thread_broadcasts)
{
    watched_t t;
    struct join_call c;

    start_held(&t);
    pending_t *p = start_join(&c, &t, 4.999999999, "watched_join(t, 4.999999999)");
    assert_join_sleeps(p, &c);
    event_set(fn_may_return);
    ck_assert_msg(pending_returned(p, 2),
                  "watched_join(t, 4.999999999) still waits 2 s after fn returned: after it sets "
                  "finished, the thread must broadcast finished_cv (under t->lock) to wake the join");
    ck_assert_msg(pending_join(p) != NULL,
                  "watched_join(t, 4.999999999) returned false after fn returned");
}
END_TEST

START_TEST(join_without_a_limit_waits_as_long_as_it_takes)
{
    watched_t t;
    struct join_call c;

    start_held(&t);
    pending_t *p = start_join(&c, &t, -1, "watched_join(t, -1)");
    assert_join_sleeps(p, &c);
    /* Without a limit, a wait with a deadline is the bug, whatever its length. */
    double away = spy_earliest_deadline(&t.finished_cv) - c.start;
    if (spy_timed_waits(&t.finished_cv) > 0 && away < 1e9)
        ck_abort_msg("watched_join(t, -1) waits on finished_cv with a deadline %.3f s after the "
                     "call began: a negative timeout means no limit, and a thread that runs longer "
                     "than that would be given up on. Pass NULL as the deadline of "
                     "pt_cond_wait_until(): it then waits without one", away);
    timing_sleep_unscaled(0.2);
    if (pending_returned(p, 0))
        explain_early_return(&c);
    event_set(fn_may_return);
    ck_assert_msg(pending_returned(p, 2),
                  "watched_join(t, -1) still waits 2 s after fn returned: after it sets finished, "
                  "the thread must broadcast finished_cv (under t->lock) to wake the join");
    ck_assert_msg(pending_join(p) != NULL, "watched_join(t, -1) returned false after fn returned");
    ck_assert_msg((intptr_t)c.result == 42, "result is %ld, expected 42", (long)(intptr_t)c.result);
}
END_TEST

START_TEST(join_hands_back_the_result)
{
    watched_t t;
    void *result = NULL;

    watched_start(&t, held_fn, NULL);
    event_set(fn_may_return);
    assert_joins(&t, -1, &result);
    ck_assert_msg((intptr_t)result == 42, "result is %ld, expected 42", (long)(intptr_t)result);

    watched_start(&t, quick_fn, (void *)(intptr_t)7);
    assert_joins(&t, 5, &result);
    ck_assert_int_eq((intptr_t)result, 7);
}
END_TEST

START_TEST(join_waits_for_the_thread_to_finish)
{
    watched_t t;

    spy_start();
    watched_start(&t, held_fn, NULL);
    event_set(fn_may_return);
    assert_joins(&t, 5, NULL);
    ck_assert_msg(spy_created() == 1 && spy_joined() == 1,
                  "watched_join must pthread_join the thread it started (started %zu, joined %zu)",
                  spy_created(), spy_joined());
}
END_TEST

/*
 * The thread that ran fn, just after its unlock of t->lock, waits until the join call
 * sleeps in pthread_join and notes whether t's mutex or condition variable
 * is gone by then: until the thread has ended, it may still use them.
 */
static struct {
    watched_t *t;
    spy_thread_t *joiner;
    bool saw_join;          /* the joiner slept in pthread_join */
    bool destroyed_early;
} teardown;

static void hold_worker_after_its_unlock(void *unused)
{
    (void)unused;
    event_set(worker_unlocked);
    double give_up = timing_now() + 2 * harness_slowdown();
    while (!(teardown.saw_join = spy_doing(teardown.joiner) == SPY_JOINING) && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    teardown.destroyed_early = spy_mutex_destroyed(&teardown.t->lock) ||
                               spy_cond_destroyed(&teardown.t->finished_cv);
    event_set(worker_checked);
}

START_TEST(join_destroys_the_mutex_and_cv_only_after_pthread_join)
{
    watched_t t;

    start_held(&t);
    teardown.t = &t;
    teardown.joiner = spy_self();
    spy_interfere(&t.lock, SPY_AFTER_UNLOCK, 1, hold_worker_after_its_unlock, NULL);
    event_set(fn_may_return);
    ck_assert_msg(event_wait_timed(worker_unlocked, 2),
                  "after fn returned, its thread did not unlock t->lock within 2 s: it must lock "
                  "t->lock, store the result, set finished, broadcast finished_cv, then unlock");
    assert_joins_now(&t, 5, NULL);      /* while the spies hold the thread after its unlock */
    ck_assert_msg(event_wait_timed(worker_checked, 5), "the thread did not end after watched_join()");
    ck_assert_msg(teardown.saw_join || !teardown.destroyed_early,
                  "watched_join destroyed t->lock or finished_cv and returned without waiting in "
                  "pthread_join for the thread, which had just unlocked t->lock and had not ended: "
                  "it may still be using them. Call pthread_join first, then destroy the "
                  "condition variable and the mutex");
    ck_assert_msg(!teardown.destroyed_early,
                  "watched_join destroyed t->lock or finished_cv before pthread_join: the thread "
                  "had just unlocked t->lock and had not ended, so it may still be using them. "
                  "Call pthread_join first, then destroy the condition variable and the mutex");
    ck_assert_msg(spy_mutex_destroyed(&t.lock) && spy_cond_destroyed(&t.finished_cv),
                  "watched_join returned true without destroying t->lock and finished_cv: destroy "
                  "both once the thread is joined");
}
END_TEST

/*
 * watched_start(t, quick_fn, value), its thread run to its end (fn returned,
 * finished set, finished_cv broadcast) before pthread_create() returns: a
 * new thread may run before its creator goes on, and a quick one may be
 * done by then (spy_start_returns_first).
 */
static void start_finished(watched_t *t, intptr_t value)
{
    size_t before = spy_created();
    spy_start_returns_first(true);
    watched_start(t, quick_fn, (void *)value);
    spy_start_returns_first(false);
    ck_assert_msg(spy_created() == before + 1, "watched_start() started %zu threads: start one "
                  "that runs fn(arg)", spy_created() - before);
    ck_assert_msg(spy_returned(before, NULL),
                  "watched_start(t, fn, arg) with an fn that returns at once: its thread did not "
                  "end within 2 s. After fn returns, it sets finished under t->lock, broadcasts, "
                  "unlocks and returns");
}

/*
 * The thread finished, and broadcast, before the join was called: the join
 * must look first and not wait at all. The joining thread's first wait is
 * a real one (spy_first_wait_real): a join that waits before it looks sleeps.
 */
START_TEST(a_join_after_the_thread_finished_does_not_wait)
{
    watched_t t;
    struct join_call c;
    char now[512];

    spy_start();
    start_finished(&t, 7);
    if (watched_is_alive(&t)) {
        ck_assert_msg(spy_locks(&t.lock) > 0,
                      "fn returned and its thread ended without locking t->lock: after fn "
                      "returns, lock t->lock, store the result, set finished, broadcast "
                      "finished_cv, unlock");
        ck_assert_msg(finished_now(&t), "watched_is_alive() is true after fn returned: its thread "
                      "ran first, to its end, before pthread_create() returned (a new thread may "
                      "run before its creator goes on), and set finished; then watched_start() "
                      "set finished = false again, after pthread_create(). Set finished = false "
                      "before pthread_create()");
        ck_abort_msg("watched_is_alive() is true although fn returned and its thread set finished: "
                     "return !t->finished, read under t->lock");
    }
    spy_first_wait_real(true);
    pending_t *p = start_join(&c, &t, 5, "watched_join(t, 5)");
    if (!pending_returned(p, 1 * harness_slowdown())) {
        spy_describe(c.joiner, now, sizeof now);
        ck_abort_msg("watched_join(t, 5) of a thread that had finished before the call (fn "
                     "returned, finished set, finished_cv broadcast) still waits after 1 s (%s): it "
                     "waits before it looks at finished (a do/while loop?). The broadcast came "
                     "before the join began and a condition variable keeps no memory of it, so "
                     "watched_join(t, -1) would wait for ever. Look first: while (!t->finished) "
                     "wait", now);
    }
    ck_assert_msg(pending_join(p) != NULL,
                  "watched_join(t, 5) returned false for a thread whose fn had returned");
    ck_assert_msg((intptr_t)c.result == 7, "watched_join(t, 5) handed back %ld, not fn's result, 7",
                  (long)(intptr_t)c.result);
}
END_TEST

/* watched_join(t, 0) of a finished thread: no wait, but a whole join all the same. */
START_TEST(join_with_no_time_left_joins_a_finished_thread)
{
    watched_t t;
    void *result = NULL;

    spy_start();
    start_finished(&t, 7);
    ck_assert_msg(watched_join(&t, 0, &result),
                  "watched_join(t, 0) returned false for a thread whose fn had returned: 0 means "
                  "do not wait, and a thread that has finished needs no wait");
    ck_assert_msg(spy_joined() > 0 || !(spy_created_detached(0) || spy_detached(0)),
                  "watched_start() detached its thread, so nobody can join it: leave it joinable, "
                  "watched_join() joins it once it has finished");
    ck_assert_msg(spy_joined() == 1,
                  "watched_join(t, 0) returned true for a finished thread without pthread_join "
                  "(started %zu, joined %zu): whatever its timeout, even 0, a join that returns "
                  "true has joined the thread, handed back its result and destroyed its mutex "
                  "and condition variable", spy_created(), spy_joined());
    ck_assert_msg((intptr_t)result == 7, "watched_join(t, 0) handed back %ld, not fn's result, 7",
                  (long)(intptr_t)result);
    ck_assert_msg(spy_mutex_destroyed(&t.lock) && spy_cond_destroyed(&t.finished_cv),
                  "watched_join(t, 0) returned true without destroying t->lock and finished_cv: "
                  "a join that returns true destroys both, once the thread is joined");
}
END_TEST

/* Two watched_t at once, a's fn running, b's returned: each answers for its own thread. */
START_TEST(two_watched_threads_at_once)
{
    watched_t a, b;
    void *result = NULL;

    start_held(&a);
    start_finished(&b, 7);
    ck_assert_msg(watched_is_alive(&a), "watched_is_alive(a) is false while a's fn still runs "
                  "(another watched_t, b, has finished)");
    ck_assert_msg(!watched_is_alive(&b), "watched_is_alive(b) is true although b's fn returned "
                  "and b's thread set finished (another watched_t, a, still runs)");
    ck_assert_msg(watched_is_alive(&a),
                  "watched_is_alive(a) turned false once watched_is_alive(b) had said that b "
                  "finished, though a's fn still runs: each watched_t answers for its own thread, "
                  "from its own finished, under its own lock. A static is one variable for "
                  "every watched_t");
    assert_joins_now(&b, 5, &result);
    ck_assert_msg((intptr_t)result == 7, "watched_join(b, 5) handed back %ld: b's fn returned 7 "
                  "(a's, still running, will return 42)", (long)(intptr_t)result);
    ck_assert_msg(watched_is_alive(&a), "watched_is_alive(a) is false after watched_join(b), "
                  "though a's fn still runs");
    event_set(fn_may_return);
    double give_up = timing_now() + 2 * harness_slowdown();
    while (!spy_returned(0, NULL) && timing_now() < give_up)    /* a's thread */
        timing_sleep_unscaled(0.001);
    assert_joins_now(&a, -1, &result);
    ck_assert_msg((intptr_t)result == 42, "watched_join(a, -1) handed back %ld: a's fn returned 42 "
                  "(b's returned 7)", (long)(intptr_t)result);
}
END_TEST

/*
 * The thread finishes just as the join's deadline passes: the join's timed
 * wait has ended, timed out, and has not yet locked t->lock again (the spies
 * hold it there, spy_hold_wakers) when fn returns and the thread sets
 * finished. The wait then returns false, with finished true.
 */
START_TEST(a_thread_that_finishes_as_the_deadline_passes_is_joined)
{
    watched_t t;
    struct join_call c;

    start_held(&t);
    spy_hold_wakers(true);
    pending_t *p = start_join(&c, &t, 0.05, "watched_join(t, 0.05)");
    double give_up = timing_now() + 2 * harness_slowdown();
    while (spy_held() == 0 && !pending_returned(p, 0) && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    bool timed_out = spy_held() > 0;
    event_set(fn_may_return);
    give_up = timing_now() + 2 * harness_slowdown();
    while (!spy_returned(0, NULL) && timing_now() < give_up)
        timing_sleep_unscaled(0.001);
    bool ended = spy_returned(0, NULL);
    spy_hold_wakers(false);
    ck_assert_msg(timed_out, "watched_join(t, 0.05) did not come back from a wait on finished_cv "
                  "within 2 s while fn ran: wait on finished_cv until finished or the deadline");
    ck_assert_msg(ended, "after fn returned, its thread did not end within 2 s: it must lock "
                  "t->lock, store the result, set finished, broadcast finished_cv, unlock");
    ck_assert_msg(pending_returned(p, 2), "watched_join(t, 0.05) still waits 2 s after its deadline "
                  "and the thread's end");
    ck_assert_msg(pending_join(p) != NULL,
                  "watched_join(t, 0.05) returned false although the thread had finished: it set "
                  "finished just as the deadline passed, so the wait returned false (the time ran "
                  "out) with t->lock held again and finished true. The wait's return says only "
                  "that the time ran out; whether the thread finished is t->finished, read under "
                  "the lock after the loop: decide by it");
    ck_assert_msg((intptr_t)c.result == 42, "watched_join(t, 0.05) handed back %ld, not fn's "
                  "result, 42", (long)(intptr_t)c.result);
}
END_TEST

static event_t *join_unlocked, *finished_marked;

static void wait_for_the_mark(void *unused)
{
    (void)unused;
    event_set(join_unlocked);
    event_wait_timed(finished_marked, 2 * harness_slowdown());
}

/*
 * A timed-out join decides under t->lock. At the join's unlock after its
 * wait (fn still runs), the test takes t->lock, sets finished, as the
 * thread could at that moment, and holds the lock: a join that looks at
 * finished again now reads it without the lock, a data race with the
 * thread that writes it, and goes on to pthread_join a thread whose fn
 * still runs. The test puts finished back to false before it unlocks.
 */
START_TEST(a_timed_out_join_decides_under_the_lock)
{
    watched_t t;
    struct join_call c;
    char now[512];

    start_held(&t);
    join_unlocked = event_create();
    finished_marked = event_create();
    spy_interfere(&t.lock, SPY_AFTER_UNLOCK, 1, wait_for_the_mark, NULL);
    pending_t *p = start_join(&c, &t, 0.05, "watched_join(t, 0.05)");
    ck_assert_msg(event_wait_timed(join_unlocked, 2 * harness_slowdown()),
                  "watched_join(t, 0.05) did not unlock t->lock within 2 s while fn ran: give up at "
                  "the deadline, unlock and return false");
    SPY_LOCK(&t.lock);
    t.finished = true;
    event_set(finished_marked);
    double give_up = timing_now() + 2 * harness_slowdown();
    enum spy_doing doing = spy_doing(c.joiner);
    while (!pending_returned(p, 0) && doing != SPY_LOCKING && doing != SPY_JOINING &&
           timing_now() < give_up) {
        timing_sleep_unscaled(0.001);
        doing = spy_doing(c.joiner);
    }
    bool returned = pending_returned(p, 0);
    spy_describe(c.joiner, now, sizeof now);
    t.finished = false;
    SPY_UNLOCK(&t.lock);
    bool joined = returned && pending_join(p) != NULL;
    ck_assert_msg(doing != SPY_JOINING && !joined,
                  "watched_join(t, 0.05) gave up while fn ran and unlocked t->lock, then read "
                  "t->finished again without the lock: the test had set it under t->lock just "
                  "then, as the thread may at that moment, and the join went on as if the thread "
                  "had finished (%s). Without the lock, that read is a data race with the thread "
                  "that writes finished: copy t->finished into a local before the unlock and "
                  "decide by the copy", now);
    event_set(fn_may_return);
    if (!returned)
        ck_assert_msg(pending_join(p) == NULL, "watched_join(t, 0.05) returned true, though fn "
                      "still ran when its time ran out");
    assert_joins(&t, -1, NULL);
    event_destroy(join_unlocked);
    event_destroy(finished_marked);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("prodcom_lock", 10);
    tcase_add_test(tc, the_consumer_stores_each_message_once_in_order);
    tcase_add_test(tc, debug_shows_the_locks_change_hands);
    tcase_add_test(tc, a_thread_may_not_unlock_anothers_mutex);
    suite_add_tcase(demo, tc);
    tc = harness_tcase("condition variables", 10);
    tcase_add_test(tc, a_woken_waiter_holds_the_mutex_again);
    tcase_add_test(tc, an_if_waiter_goes_on_without_an_item_a_while_waiter_waits_again);
    tcase_add_test(tc, a_signal_before_the_wait_is_lost_unless_state_keeps_it);
    tcase_add_test(tc, signal_wakes_one_waiter_broadcast_every_one);
    tcase_add_test(tc, a_timed_wait_ends_at_its_deadline_not_before);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("pipeline", 10);
    tcase_add_checked_fixture(tc, show_state, NULL);
    tcase_add_test(tc, one_message_goes_through);
    tcase_add_test(tc, get_copies_the_message_before_it_unlocks);
    tcase_add_test(tc, get_empties_the_slot_before_it_unlocks);
    tcase_add_test(tc, set_stores_the_message_before_it_unlocks);
    tcase_add_test(tc, get_waits_while_the_slot_is_empty);
    tcase_add_test(tc, set_waits_while_the_slot_is_full);
    tcase_add_test(tc, any_int_is_a_message_0_and_negative_ones_too);
    tcase_add_test(tc, each_change_wakes_both_sides);
    tcase_add_test(tc, many_messages_arrive_once_and_in_order);
    tcase_add_test(tc, two_pipelines_at_once_keep_apart);
    suite_add_tcase(exercise, tc);

    tc = harness_tcase("watched", 0);
    tcase_add_checked_fixture(tc, make_watched_events, free_watched_events);
    tcase_add_test(tc, is_alive_while_the_function_runs);
    tcase_add_test(tc, a_join_after_the_thread_finished_does_not_wait);
    tcase_add_test(tc, join_with_no_time_left_joins_a_finished_thread);
    tcase_add_test(tc, is_alive_turns_false_when_the_function_returns);
    tcase_add_test(tc, the_thread_sets_finished_holding_the_lock);
    tcase_add_test(tc, is_alive_reads_finished_under_the_lock);
    tcase_add_test(tc, two_watched_threads_at_once);
    tcase_add_test(tc, join_times_out_while_the_thread_runs);
    tcase_add_test(tc, join_with_no_time_left_gives_up_at_once);
    tcase_add_test(tc, join_sleeps_until_the_thread_broadcasts);
    tcase_add_test(tc, join_without_a_limit_waits_as_long_as_it_takes);
    tcase_add_test(tc, a_thread_that_finishes_as_the_deadline_passes_is_joined);
    tcase_add_test(tc, a_timed_out_join_decides_under_the_lock);
    tcase_add_test(tc, join_hands_back_the_result);
    tcase_add_test(tc, join_waits_for_the_thread_to_finish);
    tcase_add_test(tc, join_destroys_the_mutex_and_cv_only_after_pthread_join);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
