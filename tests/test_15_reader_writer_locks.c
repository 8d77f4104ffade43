/*
 * test_15_reader_writer_locks.c - lesson 15: its demos, and exercise 15.
 *
 * The demos: rwcache's counts (every reader inside at once, nobody beside
 * the writer), starvation's relay (the writer waits for every reader of the
 * relay with the default kind, for none with glibc's writer-preferring
 * kind), rwbench's figures (present; how fast belongs to make bench).
 *
 * The exercise tests never time a race: the readers and writers are calls
 * the test starts one by one (pending_start), each left to go in or to fall
 * asleep before the next comes, so the order of arrival is the test's, and
 * a reader or writer "inside" is one whose lock call returned and whose
 * unlock the test has not made yet. Each lock is a struct rwlock with no
 * owner, so the test may unlock what another thread locked. The spies make
 * every other condition wait return at once (then, in a second run, the
 * first wait real), and the test sends wake-ups of its own while calls
 * must go on sleeping. More threads than the obvious minimum (three
 * readers waiting behind a writer, three writers in a row, nine threads in
 * the last test) and two locks at once; ThreadSanitizer runs these tests
 * too (lessons/15-reader-writer-locks/lesson.mk says tsan), for a count changed without the
 * mutex.
 */
#include "harness.h"
#include "portable.h"
#include "pt.h"
#include "rwlock.h"
#include "timing.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- demos --------------------------------------------------------------- */

START_TEST(rwcache_lets_every_reader_in_at_once_and_the_writer_alone)
{
    const char *const args[][2] = { { NULL }, { "8", NULL } };
    const int readers[] = { 4, 8 };

    for (int i = 0; i < 2; i++) {
        struct run r = harness_run("rwcache", args[i], 0.05, 20);
        char want[128];
        ck_assert_msg(r.exit_code == 0, "rwcache ended with status %d:\n%s", r.exit_code, r.out);
        snprintf(want, sizeof want, "readers inside at once: at most %d; beside a writer: 0 "
                 "readers, 0 writers", readers[i]);
        ck_assert_msg(output_count(r.out, want) == 1, "no line '%s' in:\n%s", want, r.out);
        ck_assert_msg(output_count(r.out, "add_to_cache: added 10 entries, the cache holds 110") == 1,
                      "the writer did not add its 10 entries:\n%s", r.out);
        long passes[1];
        ck_assert_msg(output_numbers(r.out, "check_cache: ", passes, NULL, 1) == 1 &&
                      passes[0] == readers[i], "no check_cache line for %d readers:\n%s",
                      readers[i], r.out);
        ck_assert_msg(strstr(r.out, "passes over the cache, 0 bad entries") != NULL,
                      "a reader saw a bad entry:\n%s", r.out);
        run_free(&r);
    }
}
END_TEST

START_TEST(starvation_keeps_the_writer_out_for_the_whole_relay)
{
    struct run r = harness_run("starvation", (const char *[]){ "6", NULL }, 1, 20);
    char line[128];

    ck_assert_msg(r.exit_code == 0, "starvation ended with status %d:\n%s", r.exit_code, r.out);
    for (int k = 1; k <= 6; k++) {
        snprintf(line, sizeof line, "Reader %d: in, beside reader %d; the writer waits", k, k - 1);
        ck_assert_msg(output_count(r.out, line) == 1, "no line '%s' in:\n%s", line, r.out);
    }
    int writer_in = output_index(r.out, "Writer: leaves");
    ck_assert_msg(writer_in > output_index(r.out, "Reader 6: leaves") &&
                  output_index(r.out, "Reader 6: leaves") > output_index(r.out, "Main: no more readers"),
                  "with the default kind the writer should get in only after the last reader of "
                  "the relay left:\n%s", r.out);
    ck_assert_msg(strstr(r.out, "; 6 readers came in after it arrived") != NULL,
                  "the writer should count the relay's 6 readers:\n%s", r.out);
    ck_assert_msg(output_count(r.out, "Reader 0: asks for a second read lock: granted") == 1,
                  "with the default kind, a second read lock of reader 0 is granted:\n%s", r.out);
#ifdef HAVE_RWLOCK_PREFER_WRITER
    ck_assert_msg(output_count(r.out, "Main: a tryrdlock now fails: the writer has queued") == 1 &&
                  output_count(r.out, "Reader 1: turned away (EBUSY): a writer waits") == 1 &&
                  strstr(r.out, "; 0 readers came in after it arrived") != NULL &&
                  output_index(r.out, "Reader 1: in (rdlock), after the writer") >
                  output_index(r.out, "Reader 0: leaves"),
                  "with the writer-preferring kind, reader 1 is turned away and the writer "
                  "goes in first, after 0 readers:\n%s", r.out);
    ck_assert_msg(strstr(r.out, "Reader 0: asks for a second read lock: refused (EBUSY)") != NULL,
                  "with the writer-preferring kind, reader 0's second read lock is refused:\n%s",
                  r.out);
#else
    ck_assert_msg(strstr(r.out, "Part 2 skipped") != NULL, "no word of part 2:\n%s", r.out);
#endif
    run_free(&r);
}
END_TEST

START_TEST(rwbench_gives_a_figure_for_every_row)
{
    struct run r = harness_run("rwbench", NULL, 0.01, 30);
    char name[64];

    ck_assert_msg(r.exit_code == 0, "rwbench ended with status %d:\n%s", r.exit_code, r.out);
    ck_assert_msg(strstr(r.out, "a bug") == NULL, "%s", r.out);
    for (int whole = 0; whole < 2; whole++)
        for (int n = 1; n <= 4; n *= 2) {
            snprintf(name, sizeof name, "bench: rwlock_vs_mutex_%s_%dr ", whole ? "whole" : "one", n);
            const char *at = strstr(r.out, name);
            ck_assert_msg(at != NULL && strtod(at + strlen(name), NULL) > 0, "no figure '%s' in:\n%s",
                          name, r.out);
        }
    run_free(&r);
}
END_TEST

/* ---- exercise 15 --------------------------------------------------------- */

static struct rwlock l, l2;

/* A failure's timeline shows each lock's fields beside the steps under its mutex. */
static void describe(const pthread_mutex_t *m, char *buf, size_t size)
{
    const struct rwlock *lk = m == &l.lock ? &l : m == &l2.lock ? &l2 : NULL;
    if (lk != NULL)
        snprintf(buf, size, "readers %d, writing %d, waiting_writers %d", lk->readers,
                 lk->writing, lk->waiting_writers);
}

static void show_state(void)
{
    spy_name(&l.lock, "l->lock");
    spy_name(&l.readers_ok, "l->readers_ok");
    spy_name(&l.writer_ok, "l->writer_ok");
    spy_name(&l2.lock, "l2->lock");
    spy_name(&l2.readers_ok, "l2->readers_ok");
    spy_name(&l2.writer_ok, "l2->writer_ok");
    spy_watch(describe);
}

static void *read_lock(void *lk)
{
    rwlock_read_lock(lk);
    return NULL;
}

static void *write_lock(void *lk)
{
    rwlock_write_lock(lk);
    return NULL;
}

/* The fields of lk, read under its mutex, against what they should be. */
static void assert_fields(struct rwlock *lk, int readers, bool writing, int waiting,
                          const char *when)
{
    SPY_LOCK(&lk->lock);
    int r = lk->readers, w = lk->waiting_writers;
    bool in = lk->writing;
    SPY_UNLOCK(&lk->lock);
    ck_assert_msg(r == readers, "%s, readers is %d, not %d: count a reader in (readers++) when "
                  "its rwlock_read_lock goes in and out (readers--) in rwlock_read_unlock, with "
                  "the mutex held", when, r, readers);
    ck_assert_msg(in == writing, "%s, writing is %s, not %s: set it when a writer goes in (after "
                  "its wait), clear it in rwlock_write_unlock, with the mutex held", when,
                  in ? "true" : "false", writing ? "true" : "false");
    ck_assert_msg(w == waiting, "%s, waiting_writers is %d, not %d: a rwlock_write_lock counts "
                  "itself (waiting_writers++) as soon as it has the mutex, before it looks, and "
                  "takes itself off (waiting_writers--) when it goes in", when, w, waiting);
}

/* A call that must go in at once (nothing keeps it out). */
static void assert_goes_in(pending_t *p, const char *what, const char *why)
{
    if (!pending_returns_at_once(p)) {
        char now[512];
        spy_describe(pending_thread(p), now, sizeof now);
        ck_abort_msg("%s did not go in (%s), though %s: it must go in at once", what, now, why);
    }
    pending_join(p);
}

/* A call that must wait: asleep in a condition wait, and staying so. */
static void assert_waits(pending_t *p, const char *what, const char *why)
{
    if (pending_returns_at_once(p)) {
        if (spy_wait_sites(&l.readers_ok) + spy_wait_sites(&l.writer_ok) +
            spy_wait_sites(&l2.readers_ok) + spy_wait_sites(&l2.writer_ok) > 0)
            ck_abort_msg("%s came back from pthread_cond_wait and went in, though %s: a wait may "
                         "return with nothing changed (a spurious wake-up). Wait in `while`, "
                         "which looks again, not in `if`", what, why);
        ck_abort_msg("%s went in at once, though %s: it must wait", what, why);
    }
    unsigned long timed = spy_timed_waits(&l.readers_ok) + spy_timed_waits(&l.writer_ok) +
                          spy_timed_waits(&l2.readers_ok) + spy_timed_waits(&l2.writer_ok);
    ck_assert_msg(timed == 0, "%s waited with a deadline (pthread_cond_timedwait or "
                  "pt_cond_wait_until): nothing in the lock's contract has a time limit, and no "
                  "wake-up goes astray when the last reader out and the leaving writer wake who "
                  "they should. Wait with pthread_cond_wait", what);
    pending_assert_waits(p, what);
}

/* Start fn(lk), which must wait, with the counts of the spies fresh for it
 * (assert_waits asks whether it waited at all). */
static bool first_real;

static pending_t *start_waiting(void *(*fn)(void *), struct rwlock *lk, const char *what,
                                const char *why)
{
    spy_start();
    spy_first_wait_real(first_real);
    pending_t *p = pending_start(fn, lk);
    assert_waits(p, what, why);
    return p;
}

/* A call that waits must go on waiting: once every wake-up sent has been
 * taken, it sleeps again and has not returned. */
static void assert_still_waits(pending_t *p, const char *what, const char *why)
{
    spy_thread_t *t = pending_thread(p);
    for (;;) {
        if (pending_returned(p, 0.01))
            ck_abort_msg("%s went in, though %s", what, why);
        if (harness_asleep_for_good(&t, 1, 0.02))
            return;
    }
}

/* Wake-ups sent on cv since spy_start(). */
static unsigned long wakeups(const pthread_cond_t *cv)
{
    return spy_signals(cv) + spy_broadcasts(cv);
}

START_TEST(every_call_takes_the_mutex_and_lets_it_go)
{
    static const char *const names[] = { "rwlock_read_lock", "rwlock_read_unlock",
                                         "rwlock_write_lock", "rwlock_write_unlock" };
    rwlock_init(&l);
    for (int i = 0; i < 4; i++) {
        spy_start();
        switch (i) {
        case 0: rwlock_read_lock(&l); break;
        case 1: rwlock_read_unlock(&l); break;
        case 2: rwlock_write_lock(&l); break;
        default: rwlock_write_unlock(&l); break;
        }
        ck_assert_msg(spy_locks(&l.lock) > 0, "%s never locked l->lock: every field of the lock "
                      "is read and changed with its mutex held, or two threads race on it "
                      "(lesson 4)", names[i]);
        ck_assert_msg(spy_owner(&l.lock) == NULL, "%s returned holding l->lock: unlock it before "
                      "you return, or every other call waits for ever", names[i]);
        if (i == 0 || i == 2)
            ck_assert_msg(spy_locks(&l.lock) == 1, "%s locked l->lock %lu times with nobody else about: a "
                          "lock call looks, counts itself and goes in all in one hold of the mutex; between "
                          "two holds the fields say nobody is inside, and another thread goes in beside it",
                          names[i], spy_locks(&l.lock));
    }
    assert_fields(&l, 0, false, 0, "after a read lock and unlock, then a write lock and unlock");
    rwlock_destroy(&l);
}
END_TEST

START_TEST(readers_hold_the_lock_together)
{
    char what[64], why[64];
    rwlock_init(&l);
    spy_start();
    for (int i = 0; i < 5; i++) {
        snprintf(what, sizeof what, "reader %d's rwlock_read_lock", i + 1);
        snprintf(why, sizeof why, "only %d reader%s held the lock and no writer waited", i,
                 i == 1 ? "" : "s");
        assert_goes_in(pending_start(read_lock, &l), what, i == 0 ? "nobody held the lock" : why);
    }
    ck_assert_msg(spy_waits(&l.readers_ok) + spy_waits(&l.writer_ok) == 0,
                  "a reader slept though only readers held the lock: readers share it");
    assert_fields(&l, 5, false, 0, "while 5 readers hold the lock");
    for (int i = 0; i < 5; i++)
        rwlock_read_unlock(&l);
    assert_fields(&l, 0, false, 0, "after 5 readers went in and out");
    rwlock_destroy(&l);
}
END_TEST

/* Three readers inside; a writer comes, and must wait for the last of them. */
static void writer_waits_for_the_last_reader(bool first_wait_real)
{
    rwlock_init(&l);
    for (int i = 0; i < 3; i++)
        rwlock_read_lock(&l);
    first_real = first_wait_real;
    pending_t *w = start_waiting(write_lock, &l, "rwlock_write_lock", "3 readers held the lock");
    ck_assert_msg(spy_waits(&l.writer_ok) > 0 && spy_waits(&l.readers_ok) == 0,
                  "rwlock_write_lock went to sleep on %s: a writer waits on writer_ok, where the "
                  "last reader out wakes it", spy_waits(&l.readers_ok) > 0 ? "l->readers_ok"
                  : "a condition variable not in l");
    assert_fields(&l, 3, false, 1, first_wait_real ? "while 3 readers hold the lock and a writer "
                  "sleeps in its first wait" : "while 3 readers hold the lock and a writer waits");
    for (int left = 2; left > 0; left--) {
        rwlock_read_unlock(&l);
        SPY_WAKE_ALL(&l.writer_ok);     /* an early wake-up: nothing it waits for has happened */
        assert_still_waits(w, "rwlock_write_lock", left == 2 ? "2 readers still held the lock: a "
                           "writer waits while readers > 0 (in `while`, not `if`)" :
                           "a reader still held the lock: a writer waits while readers > 0");
    }
    unsigned long woken = wakeups(&l.writer_ok);
    rwlock_read_unlock(&l);
    if (!pending_comes_back(w)) {
        if (wakeups(&l.writer_ok) == woken)
            ck_abort_msg("the last reader left while a writer waited, and sent no wake-up on "
                         "writer_ok: the writer sleeps on for ever (a lost wake-up). In "
                         "rwlock_read_unlock, when readers drops to 0 and waiting_writers > 0, "
                         "signal writer_ok");
        ck_abort_msg("the last reader left and woke writer_ok, yet the writer sleeps on: it must "
                     "wait while a writer or a reader is inside, nothing else");
    }
    pending_join(w);
    assert_fields(&l, 0, true, 0, "once the writer went in");
    rwlock_write_unlock(&l);
    assert_fields(&l, 0, false, 0, "after the writer left");
    rwlock_destroy(&l);
}

START_TEST(a_writer_waits_until_the_last_reader_leaves)
{
    writer_waits_for_the_last_reader(false);
    writer_waits_for_the_last_reader(true);
}
END_TEST

/*
 * A writer inside; a reader and a second and third writer come and wait.
 * Each writer that leaves lets in exactly one writer (which of the two the
 * system chooses), never beside another; the reader, which came before the
 * last writers, still waits for them all (writers first), then goes in.
 */
START_TEST(a_writer_holds_the_lock_alone_and_writers_go_first)
{
    rwlock_init(&l);
    spy_start();
    assert_goes_in(pending_start(write_lock, &l), "rwlock_write_lock", "nobody held the lock");
    assert_fields(&l, 0, true, 0, "while a writer holds the lock");

    first_real = false;
    pending_t *r = start_waiting(read_lock, &l, "rwlock_read_lock", "a writer held the lock");
    ck_assert_msg(spy_waits(&l.readers_ok) > 0 && spy_waits(&l.writer_ok) == 0,
                  "rwlock_read_lock went to sleep on %s: a reader waits on readers_ok",
                  spy_waits(&l.writer_ok) > 0 ? "l->writer_ok" : "a condition variable not in l");
    pending_t *w[2];
    for (int i = 0; i < 2; i++) {
        w[i] = start_waiting(write_lock, &l, i == 0 ? "a second rwlock_write_lock" :
                             "a third rwlock_write_lock", "a writer held the lock");
    }
    assert_fields(&l, 0, true, 2, "while a writer holds the lock and two more wait");
    SPY_WAKE_ALL(&l.writer_ok);
    SPY_WAKE_ALL(&l.readers_ok);
    assert_still_waits(w[0], "a second rwlock_write_lock, woken early,", "a writer held the "
                       "lock: a writer waits while writing (in `while`, not `if`)");
    assert_still_waits(w[1], "a third rwlock_write_lock, woken early,", "a writer held the "
                       "lock: a writer waits while writing (in `while`, not `if`)");
    assert_still_waits(r, "rwlock_read_lock, woken early,", "a writer held the lock: a reader "
                       "waits while writing (in `while`, not `if`)");

    for (int round = 0; round < 2; round++) {
        rwlock_write_unlock(&l);
        int in = -1;
        spy_thread_t *t[2] = { w[0] != NULL ? pending_thread(w[0]) : NULL,
                               w[1] != NULL ? pending_thread(w[1]) : NULL };
        for (;;) {
            for (int i = 0; i < 2; i++)
                if (w[i] != NULL && pending_returned(w[i], 0))
                    in = i;
            if (in >= 0)
                break;
            ck_assert_msg(!pending_returned(r, 0), "a writer left while %d more waited, and the "
                          "reader that waited went in before them: a waiting writer keeps new "
                          "readers out, and a leaving writer wakes the next writer first",
                          2 - round);
            if (harness_asleep_for_good(t, 2, 0.02))
                ck_abort_msg("a writer left while %d more %s waited (waiting_writers %d), "
                             "and none of them went in: rwlock_write_unlock must wake one "
                             "(signal writer_ok when waiting_writers > 0)", 2 - round,
                             2 - round == 1 ? "writer" : "writers", 2 - round);
        }
        pending_join(w[in]);
        w[in] = NULL;
        if (round == 0)
            assert_still_waits(w[1 - in], "the third rwlock_write_lock", "another writer had just "
                               "gone in: a writer holds the lock alone");
        assert_still_waits(r, "rwlock_read_lock", "a writer held the lock (and the reader waits "
                           "behind every writer that waits)");
        assert_fields(&l, 0, true, 1 - round, round == 0 ? "once the second writer went in" :
                      "once the third writer went in");
    }
    unsigned long woken = wakeups(&l.readers_ok);
    rwlock_write_unlock(&l);
    if (!pending_comes_back(r))
        ck_abort_msg("the last writer left, no other writer waited, and the reader that waited "
                     "sleeps on (%s): rwlock_write_unlock must then wake the readers "
                     "(broadcast readers_ok)", wakeups(&l.readers_ok) == woken ?
                     "no wake-up was sent on readers_ok" : "though readers_ok was woken");
    pending_join(r);
    assert_fields(&l, 1, false, 0, "once the reader went in after the writers");
    rwlock_read_unlock(&l);
    rwlock_destroy(&l);
}
END_TEST

/*
 * A reader inside, a writer waiting; then three more readers come. They
 * must wait behind the writer; the writer goes in when the first reader
 * leaves; when it leaves, all three readers go in together.
 */
static void readers_wait_behind_a_waiting_writer(bool first_wait_real)
{
    char what[64];
    rwlock_init(&l);
    rwlock_read_lock(&l);
    first_real = first_wait_real;
    pending_t *w = start_waiting(write_lock, &l, "rwlock_write_lock", "a reader held the lock");
    pending_t *r[3];
    for (int i = 0; i < 3; i++) {
        snprintf(what, sizeof what, "a rwlock_read_lock (reader %d after the writer)", i + 1);
        r[i] = start_waiting(read_lock, &l, what, "a writer waited: a waiting writer keeps new readers out (wait "
                     "while writing or waiting_writers > 0), or a stream of readers starves it");
    }
    assert_fields(&l, 1, false, 1, "while a reader holds the lock, a writer waits and 3 readers "
                  "wait behind it");
    SPY_WAKE_ALL(&l.readers_ok);
    for (int i = 0; i < 3; i++)
        assert_still_waits(r[i], "a rwlock_read_lock woken early", "a writer still waited: wait "
                           "in `while`, not `if`");
    rwlock_read_unlock(&l);
    if (!pending_comes_back(w))
        ck_abort_msg("the only reader inside left while a writer waited, and the writer sleeps "
                     "on (%s)", wakeups(&l.writer_ok) == 0 ? "no wake-up was sent on writer_ok: "
                     "the last reader out signals writer_ok when waiting_writers > 0" :
                     "though writer_ok was woken");
    pending_join(w);
    for (int i = 0; i < 3; i++)
        assert_still_waits(r[i], "a rwlock_read_lock that came after the writer",
                           "the writer was inside: a writer holds the lock alone");
    assert_fields(&l, 0, true, 0, "once the writer went in, 3 readers waiting");
    unsigned long signals = spy_signals(&l.readers_ok), broadcasts = spy_broadcasts(&l.readers_ok);
    rwlock_write_unlock(&l);
    int in = 0;
    for (int i = 0; i < 3; i++)
        in += pending_comes_back(r[i]);
    signals = spy_signals(&l.readers_ok) - signals;
    broadcasts = spy_broadcasts(&l.readers_ok) - broadcasts;
    if (in < 3)
        ck_abort_msg("the writer left while 3 readers waited and no writer did, and only %d of "
                     "the 3 went in (%lu signal%s and %lu broadcast%s on readers_ok since it "
                     "left): a signal wakes one sleeper. Every waiting reader may go in now: "
                     "broadcast readers_ok", in, signals, signals == 1 ? "" : "s", broadcasts,
                     broadcasts == 1 ? "" : "s");
    for (int i = 0; i < 3; i++)
        pending_join(r[i]);
    assert_fields(&l, 3, false, 0, "once the 3 readers went in after the writer");
    for (int i = 0; i < 3; i++)
        rwlock_read_unlock(&l);
    rwlock_destroy(&l);
}

START_TEST(a_waiting_writer_goes_before_readers_that_came_after_it)
{
    readers_wait_behind_a_waiting_writer(false);
    readers_wait_behind_a_waiting_writer(true);
}
END_TEST

/*
 * Two locks at once: a reader inside l, a writer inside l2; a writer waits
 * on l and a reader on l2. Nothing of one may hold up or wake the other.
 */
START_TEST(two_locks_at_once_keep_apart)
{
    static const char *const apart = "The two locks share something: keep all of a lock's "
        "state in its struct rwlock (l->readers, l->writing, l->waiting_writers), never in a "
        "static or global variable, which every lock shares";
    rwlock_init(&l);
    rwlock_init(&l2);
    rwlock_read_lock(&l);
    spy_start();
    pending_t *w2 = pending_start(write_lock, &l2);
    if (!pending_returns_at_once(w2))
        ck_abort_msg("rwlock_write_lock on a second lock, which nobody held, waited while a reader "
                     "held the first. %s", apart);
    pending_join(w2);
    first_real = false;
    pending_t *w = start_waiting(write_lock, &l, "rwlock_write_lock on the first lock",
                                 "a reader held it");
    pending_t *r2 = start_waiting(read_lock, &l2, "rwlock_read_lock on the second lock",
                                  "a writer held it");
    assert_fields(&l, 1, false, 1, "with two locks in use, on the first lock");
    assert_fields(&l2, 0, true, 0, "with two locks in use, on the second lock");
    rwlock_write_unlock(&l2);
    if (!pending_comes_back(r2))
        ck_abort_msg("the writer of the second lock left while a reader waited on it (and a "
                     "writer waited on the first lock), and the reader sleeps on. %s", apart);
    pending_join(r2);
    assert_still_waits(w, "rwlock_write_lock on the first lock", "a reader still held it");
    pending_t *r = pending_start(read_lock, &l2);
    assert_goes_in(r, "a second rwlock_read_lock on the second lock", "only a reader held it "
                   "(a writer waited on the first lock, not this one)");
    rwlock_read_unlock(&l);
    if (!pending_comes_back(w))
        ck_abort_msg("the reader of the first lock left while a writer waited on it, and the "
                     "writer sleeps on. %s", apart);
    pending_join(w);
    assert_fields(&l, 0, true, 0, "with two locks in use, on the first lock");
    assert_fields(&l2, 2, false, 0, "with two locks in use, on the second lock");
    rwlock_write_unlock(&l);
    rwlock_read_unlock(&l2);
    rwlock_read_unlock(&l2);
    rwlock_destroy(&l2);
    rwlock_destroy(&l);
}
END_TEST

/*
 * Six readers and three writers, on two locks, round after round: each
 * checks on the way in who else is inside (the test's own counts). A lost
 * wake-up stops them, and is reported as soon as everyone sleeps for good.
 */
#define READERS 6
#define WRITERS 3
#define ROUNDS 150
#define WORKERS (READERS + WRITERS)

static atomic_int inside_readers[2], inside_writers[2], beside[2], taken;
static _Atomic(spy_thread_t *) workers[WORKERS];
static atomic_bool done[WORKERS];
static long data[2];            /* written by writers, read by readers: what the locks guard */

static void *work(void *role)
{
    int id = (int)(intptr_t)role;
    atomic_store(&workers[id], spy_self());
    for (int i = 0; i < ROUNDS; i++) {
        int k = (id + i) % 2;
        struct rwlock *lk = k == 0 ? &l : &l2;
        if (id < READERS) {
            rwlock_read_lock(lk);
            atomic_fetch_add(&inside_readers[k], 1);
            if (atomic_load(&inside_writers[k]) != 0)
                atomic_fetch_add(&beside[k], 1);
            volatile long seen = data[k];
            (void)seen;
            atomic_fetch_sub(&inside_readers[k], 1);
            rwlock_read_unlock(lk);
        } else {
            rwlock_write_lock(lk);
            if (atomic_fetch_add(&inside_writers[k], 1) != 0 || atomic_load(&inside_readers[k]) != 0)
                atomic_fetch_add(&beside[k], 1);
            data[k]++;
            atomic_fetch_sub(&inside_writers[k], 1);
            rwlock_write_unlock(lk);
        }
        atomic_fetch_add(&taken, 1);
    }
    atomic_store(&done[id], true);
    return NULL;
}

START_TEST(many_readers_and_writers_on_two_locks)
{
    pthread_t threads[WORKERS];

    rwlock_init(&l);
    rwlock_init(&l2);
    spy_start();
    for (intptr_t i = 0; i < WORKERS; i++)
        PT(pthread_create(&threads[i], NULL, work, (void *)i));
    harness_watch_workers(workers, done, WORKERS, &taken, WORKERS * ROUNDS,
                          "6 readers and 3 writers on two locks");
    for (int i = 0; i < WORKERS; i++)
        PT(pthread_join(threads[i], NULL));
    for (int k = 0; k < 2; k++) {
        unsigned long calls = WORKERS * ROUNDS, locks = spy_locks(k == 0 ? &l.lock : &l2.lock);
        ck_assert_msg(locks >= calls, "%lu calls of rwlock_read_lock, rwlock_read_unlock, "
                      "rwlock_write_lock and rwlock_write_unlock on the %s lock locked its mutex "
                      "only %lu times: each call changes the counts with the lock's mutex held",
                      calls, k == 0 ? "first" : "second", locks);
    }
    for (int k = 0; k < 2; k++)
        ck_assert_msg(atomic_load(&beside[k]) == 0, "on the %s lock, %d times a writer was inside "
                      "beside another writer or a reader: a writer holds the lock alone",
                      k == 0 ? "first" : "second", atomic_load(&beside[k]));
    ck_assert_msg(data[0] + data[1] == WRITERS * ROUNDS, "the writers' %d increments came to %ld: an update was "
                  "lost, so two writers were inside at once", WRITERS * ROUNDS, data[0] + data[1]);
    assert_fields(&l, 0, false, 0, "on the first lock, after every reader and writer left");
    assert_fields(&l2, 0, false, 0, "on the second lock, after every reader and writer left");
    rwlock_destroy(&l2);
    rwlock_destroy(&l);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("demos", 30);
    tcase_add_test(tc, rwcache_lets_every_reader_in_at_once_and_the_writer_alone);
    tcase_add_test(tc, starvation_keeps_the_writer_out_for_the_whole_relay);
    tcase_add_test(tc, rwbench_gives_a_figure_for_every_row);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("rwlock", 15);
    tcase_add_checked_fixture(tc, show_state, NULL);
    tcase_add_test(tc, every_call_takes_the_mutex_and_lets_it_go);
    tcase_add_test(tc, readers_hold_the_lock_together);
    tcase_add_test(tc, a_writer_waits_until_the_last_reader_leaves);
    tcase_add_test(tc, a_writer_holds_the_lock_alone_and_writers_go_first);
    tcase_add_test(tc, a_waiting_writer_goes_before_readers_that_came_after_it);
    tcase_add_test(tc, two_locks_at_once_keep_apart);
    tcase_add_test(tc, many_readers_and_writers_on_two_locks);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
