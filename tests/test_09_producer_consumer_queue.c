/*
 * test_09_producer_consumer_queue.c - lesson 9: a queue and an Event; exercise 9.
 *
 * The exercise tests are written to the workbook's rule for the mistakes
 * students really make, and keep to it: more threads than the minimum, two
 * instances at once, sizes past any fixed bound a student might choose,
 * real waits as well as early wake-ups, both ends of every timeout, every
 * promise in the header; each caught every run by construction, with a
 * message in the student's terms.
 */
#include "alloc.h"
#include "bqueue.h"
#include "harness.h"
#include "pt.h"
#include "timing.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* main sleeps 0.1 s * 0.1 before it sets the event. */
#define SCALE 0.1

/* The lines of out, plus one: room for every number output_numbers() can find. */
static size_t line_room(const char *out)
{
    size_t lines = 1;
    for (const char *p = out; *p != '\0'; p++)
        lines += *p == '\n';
    return lines;
}

/*
 * What prodcom_queue and prodcom_pipeline both promise: every message got is
 * stored, once, in order; the queue never held more than 10 (`size` is the
 * text before the consumer's size, "(size=" or "(queue size="); the producer
 * leaves after main sets the event, and the consumer's exit is the last line.
 * Returns how many messages were got.
 */
static size_t assert_every_message_stored(const struct run *r, const char *demo, const char *size,
                                          const char *producer_exit, const char *consumer_exit)
{
    ck_assert_msg(!r->timed_out && r->exit_code == 0, "%s did not end cleanly (%d%s)", demo,
                  r->exit_code, r->timed_out ? ", hung" : "");

    size_t lines = line_room(r->out);
    long *got = alloc_zeroed(lines, sizeof *got), *stored = alloc_zeroed(lines, sizeof *stored);
    size_t ngot = output_numbers(r->out, "Producer got message: ", got, NULL, lines);
    size_t nstored = output_numbers(r->out, "Consumer storing message: ", stored, NULL, lines);
    /* How many the producer gets before main's event depends on the scheduler
     * (none at all, once in a while, on a busy machine): not on the demo. */
    ck_assert_msg(nstored == ngot, "%s: %zu messages got, %zu stored: every message must be stored",
                  demo, ngot, nstored);
    for (size_t i = 0; i < ngot; i++)
        ck_assert_msg(stored[i] == got[i], "%s: message %zu was got as %ld but stored as %ld: out of order",
                      demo, i, got[i], stored[i]);

    /* The queue never held more than its 10. */
    size_t sizes = 0;
    for (const char *p = strstr(r->out, size); p != NULL; p = strstr(p + 1, size), sizes++)
        ck_assert_msg(atoi(p + strlen(size)) <= 10, "%s: the consumer saw a queue of %d", demo,
                      atoi(p + strlen(size)));
    ck_assert_msg(sizes == nstored, "%s: %zu of %zu stored messages say '%s...)'", demo, sizes, nstored,
                  size);

    int set = output_index(r->out, "Main: about to set event");
    int producer_left = output_index(r->out, producer_exit);
    ck_assert_msg(set >= 0 && producer_left > set, "%s: the producer must log '%s' after main sets the event",
                  demo, producer_exit);
    ck_assert_msg(output_index(r->out, consumer_exit) == (int)lines - 2,
                  "%s: the consumer's '%s' must be the last line", demo, consumer_exit);
    free(got);
    free(stored);
    return ngot;
}

START_TEST(every_message_is_stored_once_in_order_and_both_threads_exit)
{
    struct run r = harness_run("prodcom_queue", NULL, SCALE, 10);
    assert_every_message_stored(&r, "prodcom_queue", "(size=", "Producer received event. Exiting",
                                "Consumer received event. Exiting");
    run_free(&r);
}
END_TEST

START_TEST(pipeline_stores_every_message_and_logs_the_exit_event)
{
    struct run r = harness_run("prodcom_pipeline", NULL, SCALE, 10);
    assert_every_message_stored(&r, "prodcom_pipeline", "(queue size=",
                                "Producer received EXIT event. Exiting",
                                "Consumer received EXIT event. Exiting");
    run_free(&r);
}
END_TEST

/* LOG_LEVEL=debug: the Pipeline's lines around every put and get. */
START_TEST(pipeline_logs_each_put_and_get_at_debug_level)
{
    struct run r = harness_run_debug("prodcom_pipeline", NULL, SCALE, 10);
    size_t ngot = assert_every_message_stored(&r, "prodcom_pipeline", "(queue size=",
                                              "Producer received EXIT event. Exiting",
                                              "Consumer received EXIT event. Exiting");
    size_t lines = line_room(r.out);
    long *values = alloc_zeroed(lines, sizeof *values);
    static const char *const each[] = { "Producer:about to add ", "Producer:added ", "Consumer:got " };

    for (size_t i = 0; i < sizeof each / sizeof *each; i++) {
        size_t n = output_numbers(r.out, each[i], values, NULL, lines);
        ck_assert_msg(n == ngot, "%zu messages, but %zu lines '%sN ...'", ngot, n, each[i]);
    }
    /* One more get than messages: the last one finds the pipeline closed and empty. */
    ck_assert_msg(output_count(r.out, "Consumer:about to get from queue") == (int)ngot + 1,
                  "%zu messages, so %zu lines 'Consumer:about to get from queue' (the last get finds "
                  "the pipeline closed), not %d", ngot, ngot + 1,
                  output_count(r.out, "Consumer:about to get from queue"));
    free(values);
    run_free(&r);
}
END_TEST

/* ---- exercise 9 ---------------------------------------------------------- */

static struct bqueue q;

/* A failure's timeline shows the fill beside each step under q->lock. */
static void describe(const pthread_mutex_t *m, char *buf, size_t size)
{
    if (m == &q.lock)
        snprintf(buf, size, "%zu of %zu slots full", q.count, q.capacity);
}

static void show_state(void)
{
    spy_name(&q.lock, "q->lock");
    spy_name(&q.not_empty, "q->not_empty");
    spy_name(&q.not_full, "q->not_full");
    spy_watch(describe);
}

/* Wake-ups sent on either of q's condition variables since spy_start(). */
static unsigned long wakeups(void)
{
    return spy_signals(&q.not_empty) + spy_broadcasts(&q.not_empty) + spy_signals(&q.not_full) +
           spy_broadcasts(&q.not_full);
}

/* The ring as bqueue.h describes it. */
static void assert_ring(const char *after)
{
    ck_assert_msg(q.head < q.capacity,
                  "after %s, head is %zu in a ring of %zu slots: head must wrap around to 0 "
                  "((head + 1) %% capacity)", after, q.head, q.capacity);
    ck_assert_msg(q.count <= q.capacity, "after %s, count is %zu in a ring of %zu slots", after,
                  q.count, q.capacity);
}

/* Take the next item and check it is `want`, the oldest one. */
static void assert_get(int want)
{
    size_t head = q.head, count = q.count;
    int item = bqueue_get(&q);
    ck_assert_msg(item == want,
                  "with capacity %zu, head %zu and count %zu, bqueue_get returned %d, expected %d, "
                  "the oldest item (first in, first out): a put stores at (head + count) %% "
                  "capacity, a get takes items[head]", q.capacity, head, count, item, want);
    assert_ring("a get");
}

START_TEST(items_come_out_in_the_order_they_went_in)
{
    bqueue_init(&q, 8);
    for (int i = 1; i <= 5; i++)
        bqueue_put(&q, i * 10);
    ck_assert_msg(bqueue_size(&q) == 5, "after 5 puts bqueue_size is %zu", bqueue_size(&q));
    for (int i = 1; i <= 5; i++)
        assert_get(i * 10);
    ck_assert_int_eq(bqueue_size(&q), 0);
    /* Round the ring more than once. */
    for (int i = 0; i < 20; i++) {
        bqueue_put(&q, i);
        bqueue_put(&q, i + 100);
        assert_get(i);
        assert_get(i + 100);
    }
    bqueue_destroy(&q);

    /* Rings of 1 to 5 slots, held at every fill level while head goes round twice. */
    for (size_t capacity = 1; capacity <= 5; capacity++) {
        for (size_t level = 1; level <= capacity; level++) {
            int next_in = 1000, next_out = 1000;
            bqueue_init(&q, capacity);
            for (size_t i = 0; i < level; i++)
                bqueue_put(&q, next_in++);
            for (size_t i = 0; i < 2 * capacity + 1; i++) {
                assert_get(next_out++);
                bqueue_put(&q, next_in++);
                assert_ring("a put");
                ck_assert_msg(bqueue_size(&q) == level, "a queue of %zu items gave one and took one, "
                              "and bqueue_size says %zu", level, bqueue_size(&q));
            }
            while (next_out < next_in)
                assert_get(next_out++);
            ck_assert_int_eq(bqueue_size(&q), 0);
            bqueue_destroy(&q);
        }
    }
}
END_TEST

/* A put that another thread makes, run by the spies at a chosen point. */
static void put_six(void *unused)
{
    (void)unused;
    bqueue_put(&q, 6);
}

START_TEST(bqueue_size_reads_count_under_the_lock)
{
    bqueue_init(&q, 4);
    bqueue_put(&q, 1);
    bqueue_put(&q, 2);
    spy_start();
    size_t size = bqueue_size(&q);
    ck_assert_msg(spy_locks(&q.lock) > 0,
                  "bqueue_size read count without taking q->lock: a put or a get on another thread "
                  "may be changing it at that very moment (a data race); read it under the lock");
    ck_assert_msg(size == 2, "after 2 puts bqueue_size is %zu", size);
    spy_start();
    spy_interfere(&q.lock, SPY_AFTER_UNLOCK, 1, put_six, NULL);
    size = bqueue_size(&q);
    spy_start();
    ck_assert_msg(size == 2,
                  "bqueue_size returned %zu, where the queue held 2 while it held the lock: it "
                  "read count after letting go of it, and a put in between had made it 3. Copy "
                  "count while you hold the lock, then unlock and return the copy", size);
    bqueue_destroy(&q);
}
END_TEST

/*
 * A put or a get on its own, with a look at the queue forced in at each lock
 * it is about to take and at each unlock it has just made: whatever another
 * thread could see there. A wake-up it has sent must announce a change that
 * is already made, and what it has counted must already be stored.
 */
static const enum spy_point points[] = { SPY_BEFORE_LOCK, SPY_AFTER_UNLOCK };
static const char *const point_names[] = { "before it locked", "after it unlocked" };

static struct {
    bool early;         /* a wake-up was sent while the queue was unchanged */
    bool stale;         /* an item was counted but not stored */
    bool uncounted;     /* the put had let go of the lock with its item not counted */
    int front;          /* the item at head then */
} seen_then;

static void look_during_put(void *point)
{
    unsigned long woke = wakeups();
    SPY_LOCK(&q.lock);
    size_t count = q.count;
    int front = q.items[q.head];
    SPY_UNLOCK(&q.lock);
    if (woke > 0 && count == 0)
        seen_then.early = true;
    if ((enum spy_point)(intptr_t)point == SPY_AFTER_UNLOCK && count == 0)
        seen_then.uncounted = true;
    if (count == 1 && front != 7) {
        seen_then.stale = true;
        seen_then.front = front;
    }
}

START_TEST(put_signals_only_after_the_item_is_in)
{
    for (int at = 0; at < 2; at++) {
        for (int nth = 1; nth <= 3; nth++) {
            bqueue_init(&q, 2);
            seen_then.early = seen_then.stale = seen_then.uncounted = false;
            spy_start();
            spy_interfere(&q.lock, points[at], nth, look_during_put, (void *)(intptr_t)points[at]);
            bqueue_put(&q, 7);
            spy_start();    /* no more looks */
            ck_assert_msg(!seen_then.uncounted,
                          "bqueue_put let go of the lock before it counted its item (count was "
                          "still 0 right after its unlock): a get or bqueue_size right then finds "
                          "the queue empty, and a count++ after the unlock races with every other "
                          "thread's. Store and count under one hold of the lock");
            ck_assert_msg(!seen_then.early,
                          "bqueue_put sent a wake-up while the queue was still empty (seen %s the "
                          "%s time): the get it wakes looks, finds nothing and sleeps again, and no "
                          "second signal comes. Store the item and count it, then signal not_empty",
                          point_names[at], nth == 1 ? "first" : nth == 2 ? "second" : "third");
            ck_assert_msg(!seen_then.stale,
                          "bqueue_put let go of the lock with the item counted but not yet stored: "
                          "a get right then takes %d from its slot, not 7. Store and count under "
                          "one hold of the lock", seen_then.front);
            ck_assert_msg(bqueue_size(&q) == 1, "after one put bqueue_size is %zu", bqueue_size(&q));
            ck_assert_int_eq(bqueue_get(&q), 7);
            bqueue_destroy(&q);
        }
    }
}
END_TEST

static void look_during_get(void *point)
{
    unsigned long woke = wakeups();
    SPY_LOCK(&q.lock);
    size_t count = q.count;
    SPY_UNLOCK(&q.lock);
    if (woke > 0 && count == 1)
        seen_then.early = true;
    /* Right after the get let go, a put may fill the slot it has just emptied. */
    if ((enum spy_point)(intptr_t)point == SPY_AFTER_UNLOCK && count == 0)
        bqueue_put(&q, 6);
}

START_TEST(get_signals_only_after_the_item_is_out)
{
    for (int at = 0; at < 2; at++) {
        for (int nth = 1; nth <= 3; nth++) {
            bqueue_init(&q, 1);
            bqueue_put(&q, 5);
            seen_then.early = false;
            spy_start();
            spy_interfere(&q.lock, points[at], nth, look_during_get, (void *)(intptr_t)points[at]);
            int item = bqueue_get(&q);
            spy_start();
            ck_assert_msg(!seen_then.early,
                          "bqueue_get sent a wake-up while the queue was still full (seen %s the "
                          "%s time): the put it wakes looks, finds no room and sleeps again, and no "
                          "second signal comes. Take the item and count it, then signal not_full",
                          point_names[at], nth == 1 ? "first" : nth == 2 ? "second" : "third");
            ck_assert_msg(item != 6,
                          "bqueue_get returned 6, not 5: it read its item from the slot after it "
                          "let go of the lock, and a put in between had stored 6 there. Read the "
                          "item under the lock");
            ck_assert_msg(item == 5, "bqueue_get returned %d from a queue that held only 5", item);
            bqueue_destroy(&q);
        }
    }
}
END_TEST

static void *put_three(void *unused)
{
    (void)unused;
    bqueue_put(&q, 3);
    return NULL;
}

static void *get_one(void *unused)
{
    (void)unused;
    return (void *)(intptr_t)bqueue_get(&q);
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

START_TEST(put_waits_while_full_and_a_get_wakes_it)
{
    spy_start();
    bqueue_init(&q, 2);
    bqueue_put(&q, 1);
    bqueue_put(&q, 2);
    pending_t *put = pending_start(put_three, NULL);
    assert_waits(put, "bqueue_put on a full queue", "full (count == capacity)");
    int first = bqueue_get(&q);
    if (!pending_comes_back(put)) {
        if (spy_signals(&q.not_full) + spy_broadcasts(&q.not_full) == 0)
            ck_abort_msg("bqueue_get took an item from a full queue but never signalled not_full: "
                         "the put waiting for room sleeps on forever (a lost wake-up). Signal "
                         "not_full after a get");
        ck_abort_msg("bqueue_put sleeps on for good after a get made room and signalled "
                     "not_full: a put must wait on not_full");
    }
    pending_join(put);
    ck_assert_int_eq(first, 1);
    ck_assert_int_eq(bqueue_get(&q), 2);
    ck_assert_int_eq(bqueue_get(&q), 3);
    bqueue_destroy(&q);
}
END_TEST

START_TEST(get_waits_while_empty_and_a_put_wakes_it)
{
    spy_start();
    bqueue_init(&q, 2);
    pending_t *get = pending_start(get_one, NULL);
    assert_waits(get, "bqueue_get on an empty queue", "empty");
    bqueue_put(&q, 9);
    if (!pending_comes_back(get)) {
        if (spy_signals(&q.not_empty) + spy_broadcasts(&q.not_empty) == 0)
            ck_abort_msg("bqueue_put stored an item in an empty queue but never signalled "
                         "not_empty: the get waiting for it sleeps on forever (a lost wake-up). "
                         "Signal not_empty after a put");
        ck_abort_msg("bqueue_get sleeps on for good after a put stored an item and signalled "
                     "not_empty: a get must wait on not_empty");
    }
    intptr_t item = (intptr_t)pending_join(get);
    ck_assert_msg(item == 9,
                  "bqueue_get returned %d, not 9, the item a put stored while it waited: it read "
                  "its item before it waited. Take the item after the wait loop, under the lock",
                  (int)item);
    bqueue_destroy(&q);
}
END_TEST

/*
 * Two gets asleep on an empty queue, then two puts back to back while the
 * spies hold back the gets they wake (spy_hold_wakers): each put must wake
 * a get, the second as much as the first, though the queue was not empty
 * before it. The same for two puts asleep on a full queue and two gets.
 */
static void two_wait_and_both_are_woken(bool gets)
{
    pthread_cond_t *cv = gets ? &q.not_empty : &q.not_full;
    const char *call = gets ? "bqueue_put" : "bqueue_get";

    spy_start();
    bqueue_init(&q, 2);
    if (!gets) {
        bqueue_put(&q, 1);
        bqueue_put(&q, 2);
    }
    pending_t *a = pending_start(gets ? get_one : put_three, NULL);
    assert_waits(a, gets ? "bqueue_get on an empty queue" : "bqueue_put on a full queue",
                 gets ? "empty" : "full (count == capacity)");
    pending_t *b = pending_start(gets ? get_one : put_three, NULL);
    assert_waits(b, gets ? "bqueue_get on an empty queue" : "bqueue_put on a full queue",
                 gets ? "empty" : "full (count == capacity)");
    spy_hold_wakers(true);
    for (int i = 0; i < 2; i++) {
        unsigned long before = spy_signals(cv) + spy_broadcasts(cv);
        if (gets)
            bqueue_put(&q, 5);
        else
            ck_assert_int_eq(bqueue_get(&q), i + 1);
        if (spy_signals(cv) + spy_broadcasts(cv) == before) {
            spy_hold_wakers(false);
            ck_abort_msg("%s number %d in a row sent no wake-up on %s, with two %s waiting (the "
                         "queue now holds %zu of 2): a waiting thread sleeps on with work there "
                         "for it (a lost wake-up). Signal after every %s, not only when the "
                         "queue was %s before", call, i + 1, gets ? "not_empty" : "not_full",
                         gets ? "gets" : "puts", q.count, gets ? "put" : "get",
                         gets ? "empty" : "full");
        }
    }
    spy_hold_wakers(false);
    ck_assert_msg(pending_comes_back(a) && pending_comes_back(b),
                  "two %s waited and two wake-ups were sent, yet one sleeps on",
                  gets ? "gets" : "puts");
    pending_join(a);
    pending_join(b);
    if (!gets) {
        ck_assert_int_eq(bqueue_get(&q), 3);
        ck_assert_int_eq(bqueue_get(&q), 3);
    }
    bqueue_destroy(&q);
}

/*
 * The same two sleepers with real waits only: the first wake-up is let go
 * on its way, and the thread it woke returns before the second put (or
 * get) comes. What the woken one changed on its way out (a flag of "a get
 * waits" it cleared, say) must not keep the second sleeper from its wake-up.
 */
static void two_wait_and_the_second_is_woken_after_the_first_returned(bool gets)
{
    const char *call = gets ? "bqueue_put" : "bqueue_get";

    spy_start();
    bqueue_init(&q, 2);
    if (!gets) {
        bqueue_put(&q, 1);
        bqueue_put(&q, 2);
    }
    pending_t *p[2];
    for (int i = 0; i < 2; i++) {
        p[i] = pending_start(gets ? get_one : put_three, NULL);
        assert_waits(p[i], gets ? "bqueue_get on an empty queue" : "bqueue_put on a full queue",
                     gets ? "empty" : "full (count == capacity)");
    }
    if (gets)
        bqueue_put(&q, 5);
    else
        ck_assert_int_eq(bqueue_get(&q), 1);
    int woken = -1;
    for (double give_up = timing_now() + 5 * harness_slowdown(); woken < 0 && timing_now() < give_up;)
        for (int i = 0; i < 2 && woken < 0; i++)
            if (pending_returned(p[i], 0.001))
                woken = i;
    ck_assert_msg(woken >= 0, "two %s waited and a %s was made, yet neither returned within %g s",
                  gets ? "gets" : "puts", call, 5 * harness_slowdown());
    pending_join(p[woken]);
    if (gets)
        bqueue_put(&q, 5);
    else
        ck_assert_int_eq(bqueue_get(&q), 2);
    ck_assert_msg(pending_comes_back(p[1 - woken]),
                  "two %s waited; a %s woke one and it returned; then a second %s left the other "
                  "asleep for good (a lost wake-up). Something the woken one changed on its way "
                  "out told the second %s nobody was waiting: a flag or a count of waiting %s "
                  "that one thread clears for all. Signal after every %s",
                  gets ? "gets" : "puts", call, call, call, gets ? "gets" : "puts",
                  gets ? "put" : "get");
    pending_join(p[1 - woken]);
    if (!gets)
        ck_assert_int_eq(bqueue_get(&q), 3);
    bqueue_destroy(&q);
}

START_TEST(every_put_wakes_a_get_while_two_wait)
{
    two_wait_and_both_are_woken(true);
    two_wait_and_both_are_woken(false);
    two_wait_and_the_second_is_woken_after_the_first_returned(true);
    two_wait_and_the_second_is_woken_after_the_first_returned(false);
}
END_TEST

/*
 * Two queues at once: everything a queue keeps is in its own struct
 * bqueue. First their puts and gets interleaved (a position kept in a
 * static is moved by the other queue's calls); then a thread asleep on each
 * queue, woken one queue after the other (a flag or a count of sleepers
 * kept in a static is changed by the other queue's threads).
 */
static struct bqueue q2;

static void *get_from(void *queue)
{
    return (void *)(intptr_t)bqueue_get(queue);
}

static void *put_eight_into(void *queue)
{
    bqueue_put(queue, 8);
    return NULL;
}

static const char *const apart =
    "The two queues share something: keep all of a queue's state in its struct bqueue (q->head, "
    "q->count, the items), never in a static or global variable, which every queue shares";

static void assert_got(struct bqueue *from, const char *name, int want)
{
    int item = bqueue_get(from);
    ck_assert_msg(item == want,
                  "with two queues in use at once, bqueue_get on %s returned %d, expected %d, its "
                  "oldest item. %s", name, item, want, apart);
}

START_TEST(two_queues_at_once_keep_apart)
{
    spy_name(&q2.lock, "q2->lock");
    spy_name(&q2.not_empty, "q2->not_empty");
    spy_name(&q2.not_full, "q2->not_full");
    bqueue_init(&q, 3);
    bqueue_init(&q2, 2);
    for (int i = 0; i < 7; i++) {
        bqueue_put(&q, 2 * i);
        bqueue_put(&q2, 100 + i);
        bqueue_put(&q, 2 * i + 1);
        assert_got(&q2, "the second queue", 100 + i);
        assert_got(&q, "the first queue", 2 * i);
        assert_got(&q, "the first queue", 2 * i + 1);
    }
    ck_assert_msg(bqueue_size(&q) == 0 && bqueue_size(&q2) == 0,
                  "two queues, each given as many items as taken from it, hold %zu and %zu. %s",
                  bqueue_size(&q), bqueue_size(&q2), apart);

    /* A get asleep on each (empty) queue; a put into one, then the other. */
    struct bqueue *queues[] = { &q, &q2 };
    pending_t *p[2];
    for (int i = 0; i < 2; i++) {
        p[i] = pending_start(get_from, queues[i]);
        pending_assert_waits(p[i], "bqueue_get on an empty queue");
    }
    for (int i = 0; i < 2; i++) {
        bqueue_put(queues[i], 40 + i);
        ck_assert_msg(pending_comes_back(p[i]),
                      "a get asleep on one queue slept on for good after a put into that queue%s. %s",
                      i == 1 ? ", once a get asleep on another queue had been woken by a put into "
                               "its own"
                             : ", while a get slept on another queue",
                      apart);
        ck_assert_int_eq((intptr_t)pending_join(p[i]), 40 + i);
    }

    /* A put asleep on each (full) queue; a get from one, then the other. */
    bqueue_put(&q, 1), bqueue_put(&q, 2), bqueue_put(&q, 3);
    bqueue_put(&q2, 4), bqueue_put(&q2, 5);
    p[0] = pending_start(put_eight_into, &q);
    pending_assert_waits(p[0], "bqueue_put on a full queue");
    p[1] = pending_start(put_eight_into, &q2);
    pending_assert_waits(p[1], "bqueue_put on a full queue");
    assert_got(&q, "the first queue", 1);
    ck_assert_msg(pending_comes_back(p[0]), "a put asleep on a full queue slept on for good after "
                  "a get from that queue, while a put slept on another queue. %s", apart);
    pending_join(p[0]);
    assert_got(&q2, "the second queue", 4);
    ck_assert_msg(pending_comes_back(p[1]), "a put asleep on a full queue slept on for good after "
                  "a get from that queue, once a put asleep on another queue had been woken by a "
                  "get from its own. %s", apart);
    pending_join(p[1]);
    assert_got(&q, "the first queue", 2);
    assert_got(&q2, "the second queue", 5);
    bqueue_destroy(&q2);
    bqueue_destroy(&q);
}
END_TEST

/*
 * A put and a get each wait once. If they waited on one condition variable,
 * a signal could wake a waiting put when only a waiting get can use the
 * change (or the other way round): the woken one sleeps again, the other
 * never hears of it. So one condition variable for both must be broadcast.
 */
START_TEST(put_and_get_wait_on_their_own_condition_variables)
{
    spy_start();
    bqueue_init(&q, 1);
    bqueue_put(&q, 1);
    pending_t *put = pending_start(put_three, NULL);
    assert_waits(put, "bqueue_put on a full queue", "full (count == capacity)");
    unsigned long put_slept = spy_waits(&q.not_full) + spy_waits(&q.not_empty);
    ck_assert_int_eq(bqueue_get(&q), 1);
    ck_assert_msg(pending_comes_back(put), "bqueue_put sleeps on for good after a get made room");
    pending_join(put);
    ck_assert_int_eq(bqueue_get(&q), 3);

    pending_t *get = pending_start(get_one, NULL);
    assert_waits(get, "bqueue_get on an empty queue", "empty");
    unsigned long get_slept = spy_waits(&q.not_full) + spy_waits(&q.not_empty) - put_slept;
    bqueue_put(&q, 9);
    ck_assert_msg(pending_comes_back(get), "bqueue_get sleeps on for good after a put stored an item");
    ck_assert_int_eq((intptr_t)pending_join(get), 9);

    const pthread_cond_t *cvs[] = { &q.not_full, &q.not_empty };
    const char *names[] = { "not_full", "not_empty" };
    for (int i = 0; i < 2; i++)
        ck_assert_msg(spy_wait_sites(cvs[i]) < 2 || spy_signals(cvs[i]) == 0,
                      "bqueue_put and bqueue_get wait on the same condition variable (q->%s) and it "
                      "is signalled: a signal can wake a thread of the wrong kind while the right "
                      "one sleeps on; use not_full for put and not_empty for get (or broadcast)",
                      names[i]);
    ck_assert_msg(put_slept > 0 && get_slept > 0,
                  "bqueue_%s slept on a condition variable that is not in q: a put waits on "
                  "q->not_full, a get on q->not_empty", put_slept == 0 ? "put" : "get");
    bqueue_destroy(&q);
}
END_TEST

#define PRODUCERS 4
#define PER_PRODUCER 10000
#define CAPACITY 4

static atomic_uchar seen[PRODUCERS * PER_PRODUCER];
static atomic_int too_big, duplicates, out_of_order;
static atomic_int taken;                             /* items taken so far */
static _Atomic(spy_thread_t *) workers[2 * PRODUCERS];
static atomic_bool done[2 * PRODUCERS];

static void *produce(void *which)
{
    int p = (int)(intptr_t)which;
    for (int i = 0; i < PER_PRODUCER; i++)
        bqueue_put(&q, p * PER_PRODUCER + i);
    return NULL;
}

/* Takes PER_PRODUCER items; items of one producer must arrive in its order. */
static void *consume(void *unused)
{
    int last[PRODUCERS];
    (void)unused;
    for (int p = 0; p < PRODUCERS; p++)
        last[p] = -1;
    for (int i = 0; i < PER_PRODUCER; i++) {
        int item = bqueue_get(&q);
        atomic_fetch_add(&taken, 1);
        if (bqueue_size(&q) > CAPACITY)
            atomic_fetch_add(&too_big, 1);
        if (item < 0 || item >= PRODUCERS * PER_PRODUCER) {
            atomic_fetch_add(&duplicates, 1);
            continue;
        }
        if (atomic_exchange(&seen[item], 1))
            atomic_fetch_add(&duplicates, 1);
        int p = item / PER_PRODUCER;
        if (item <= last[p])
            atomic_fetch_add(&out_of_order, 1);
        last[p] = item;
    }
    return NULL;
}

static void *produce_or_consume(void *role)
{
    intptr_t r = (intptr_t)role;
    /* Known to the spies before its first call, which may be a signal (where
     * spy.c cannot yet enrol a new thread: it would take its own lock twice). */
    atomic_store(&workers[r], spy_self());
    void *result = r < PRODUCERS ? produce((void *)r) : consume(NULL);
    atomic_store(&done[r], true);
    return result;
}

START_TEST(many_producers_and_consumers_lose_nothing)
{
    pthread_t threads[2 * PRODUCERS];
    char who[64];

    bqueue_init(&q, CAPACITY);
    spy_name(&q.lock, "q->lock");
    spy_name(&q.not_empty, "q->not_empty");
    spy_name(&q.not_full, "q->not_full");
    for (intptr_t i = 0; i < 2 * PRODUCERS; i++)
        PT(pthread_create(&threads[i], NULL, produce_or_consume, (void *)i));
    snprintf(who, sizeof who, "%d producers and %d consumers", PRODUCERS, PRODUCERS);
    harness_watch_workers(workers, done, 2 * PRODUCERS, &taken, PRODUCERS * PER_PRODUCER, who);
    for (int i = 0; i < 2 * PRODUCERS; i++)
        PT(pthread_join(threads[i], NULL));
    ck_assert_msg(atomic_load(&duplicates) == 0, "%d items came out twice or were never put in",
                  atomic_load(&duplicates));
    for (int i = 0; i < PRODUCERS * PER_PRODUCER; i++)
        ck_assert_msg(atomic_load(&seen[i]), "item %d never came out", i);
    ck_assert_msg(atomic_load(&out_of_order) == 0, "%d items overtook an earlier item of the same producer",
                  atomic_load(&out_of_order));
    ck_assert_msg(atomic_load(&too_big) == 0, "the queue held more than its %d items %d times",
                  CAPACITY, atomic_load(&too_big));
    ck_assert_int_eq(bqueue_size(&q), 0);
    bqueue_destroy(&q);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("prodcom_queue", 15);
    tcase_add_test(tc, every_message_is_stored_once_in_order_and_both_threads_exit);
    tcase_add_test(tc, pipeline_stores_every_message_and_logs_the_exit_event);
    tcase_add_test(tc, pipeline_logs_each_put_and_get_at_debug_level);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("bqueue", 15);
    tcase_add_checked_fixture(tc, show_state, NULL);
    tcase_add_test(tc, items_come_out_in_the_order_they_went_in);
    tcase_add_test(tc, bqueue_size_reads_count_under_the_lock);
    tcase_add_test(tc, put_signals_only_after_the_item_is_in);
    tcase_add_test(tc, get_signals_only_after_the_item_is_out);
    tcase_add_test(tc, put_waits_while_full_and_a_get_wakes_it);
    tcase_add_test(tc, get_waits_while_empty_and_a_put_wakes_it);
    tcase_add_test(tc, put_and_get_wait_on_their_own_condition_variables);
    tcase_add_test(tc, every_put_wakes_a_get_while_two_wait);
    tcase_add_test(tc, two_queues_at_once_keep_apart);
    tcase_add_test(tc, many_producers_and_consumers_lose_nothing);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
