/* test_08_producer_consumer_lock.c - lesson 8: a one-message pipeline; exercise 8. */
#include "harness.h"
#include "pipeline.h"
#include "pt.h"
#include "timing.h"
#include "watchdog.h"

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

#define SIDES 3
#define EACH 100

static void *send_many(void *first)
{
    for (int i = 0; i < EACH; i++)
        pipeline_set_message(&pipeline, (int)(intptr_t)first + i);
    return NULL;
}

static atomic_llong received_total;

static void *receive_many(void *unused)
{
    long long sum = 0;
    (void)unused;
    for (int i = 0; i < EACH; i++)
        sum += pipeline_get_message(&pipeline);
    atomic_fetch_add(&received_total, sum);
    return NULL;
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
    bool done = harness_threads(send_or_receive_many, roles, NULL, 2 * SIDES, 5 * harness_slowdown());
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
                  "%lld, not %lld: a message was lost or taken twice", atomic_load(&received_total), sent);
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
    tcase_add_test(tc, set_stores_the_message_before_it_unlocks);
    tcase_add_test(tc, get_waits_while_the_slot_is_empty);
    tcase_add_test(tc, set_waits_while_the_slot_is_full);
    tcase_add_test(tc, each_change_wakes_both_sides);
    tcase_add_test(tc, many_messages_arrive_once_and_in_order);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
