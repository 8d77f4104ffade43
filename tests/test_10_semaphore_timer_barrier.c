/*
 * test_10_semaphore_timer_barrier.c - lesson 10: Semaphore, Timer, Barrier;
 * exercise 10 (csem, cbarrier).
 *
 * The rule for the exercise's tests (keep it when adding one): a wrong
 * answer must fail every run, by construction, never by luck. So the tests
 * use more threads than the minimum (four callers on a barrier of two), two
 * instances at once from different threads (a count in a static shows),
 * sizes past any fixed bound a student might choose (300 rounds: past a
 * byte), real waits as well as the spies' early wake-ups (a first wait
 * real; woken waiters held still, so that the wake-ups counted are those
 * of the one call that sent them), and both ends of every timeout: the
 * headers here promise none, so a wait with a deadline is the bug, caught
 * as it begins. Each failure names the likely mistake in the student's
 * terms, not only what was seen.
 */
#include "cbarrier.h"
#include "csem.h"
#include "harness.h"
#include "pt.h"
#include "timing.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SCALE 0.1

START_TEST(never_more_than_three_connections_in_use)
{
    struct run r = harness_run("semaphore", NULL, SCALE, 10);
    int connected = 0;

    ck_assert_int_eq(r.exit_code, 0);
    for (const char *p = strstr(r.out, ": connected, "); p != NULL; p = strstr(p + 1, ": connected, ")) {
        int now = atoi(p + strlen(": connected, "));
        ck_assert_msg(now >= 1 && now <= 3, "%d connections in use at once:\n%s", now, r.out);
        connected++;
    }
    ck_assert_msg(connected == 8, "expected 8 threads to connect, saw %d:\n%s", connected, r.out);
    int done = 0;
    for (const char *p = strstr(r.out, ": done, "); p != NULL; p = strstr(p + 1, ": done, ")) {
        int now = atoi(p + strlen(": done, "));
        ck_assert_msg(now >= 0 && now <= 2, "%d connections in use after one was released:\n%s", now, r.out);
        done++;
    }
    ck_assert_msg(done == 8, "expected 8 threads to be done, saw %d:\n%s", done, r.out);
    const char *most = strstr(r.out, "at most ");
    ck_assert_msg(most != NULL && atoi(most + 8) >= 1 && atoi(most + 8) <= 3, "main's last line:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(a_cancelled_prompt_never_appears_and_a_late_cancel_does_nothing)
{
    struct run r = harness_run("timer", NULL, SCALE, 10);
    ck_assert_int_eq(r.exit_code, 0);
    ck_assert_msg(output_count(r.out, "Main: cancel stopped the prompt") == 1,
                  "the first prompt, due in 30 s, was not stopped by a cancel after 1 s:\n%s", r.out);
    ck_assert_msg(output_count(r.out, "Timer: Are you still there?") == 1,
                  "expected exactly one prompt (the second timer's):\n%s", r.out);
    int fired = output_index(r.out, "Timer: Are you still there?");
    int late = output_index(r.out, "Main: cancel did nothing: it had fired");
    ck_assert_msg(late > fired && output_index(r.out, "Main: prompting in 1 s unless the user acts") < fired,
                  "expected the second prompt, then the late cancel:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(no_thread_starts_before_all_are_ready)
{
    struct run r = harness_run("barrier", NULL, SCALE, 10);
    int last_ready = -1, first_start = 1 << 30;
    char line[64];

    ck_assert_int_eq(r.exit_code, 0);
    for (int name = 0; name < 4; name++) {
        snprintf(line, sizeof line, "Thread %d: ready, waiting at the barrier", name);
        int ready = output_index(r.out, line);
        snprintf(line, sizeof line, "Thread %d: starting", name);
        int start = output_index(r.out, line);
        ck_assert_msg(ready >= 0 && start >= 0, "Thread %d is missing a line:\n%s", name, r.out);
        last_ready = ready > last_ready ? ready : last_ready;
        first_start = start < first_start ? start : first_start;
    }
    ck_assert_msg(first_start > last_ready, "a thread started before the last one was ready:\n%s", r.out);
    run_free(&r);
}
END_TEST

/* ---- exercise 10 --------------------------------------------------------- */

/* What the exercise's calls work on: most tests use one of each; the second
 * ones run beside the first, to show that each instance is on its own. */
static struct csem sem, sem2;
static struct cbarrier bar, bar2;

/* How long a call that has been let go may take to come back: far more than it needs. */
static double patience(void)
{
    return 2 * harness_slowdown();
}

/*
 * One call of the exercise's, on a thread of its own (pending_start), that
 * the test can watch: which thread the spies see, and its id.
 */
struct call {
    pending_t *p;
    _Atomic(spy_thread_t *) spy;    /* set by the call's thread before it calls */
    pthread_t thread;
    void *on;                       /* the semaphore or barrier it calls on */
    bool result;                    /* what it returned, once it has */
};

static void call_start_on(struct call *c, void *(*fn)(void *), void *on)
{
    atomic_store(&c->spy, NULL);
    c->on = on;
    c->result = false;
    c->p = pending_start(fn, c);
}

/* A call on sem or bar, the instance most tests use. */
static void call_start(struct call *c, void *(*fn)(void *))
{
    call_start_on(c, fn, NULL);
}

static void call_enter(struct call *c)
{
    c->thread = pthread_self();
    atomic_store(&c->spy, spy_self());
}

/*
 * The headers promise waits with no timeout: a party waits as long as the
 * others take, an acquire as long as the permits are out. A wait with a
 * deadline is the give-up they rule out, caught as it begins: no test has to
 * outwait a student's patience.
 */
static void assert_no_deadline(void)
{
    if (spy_timed_waits(&sem.available) + spy_timed_waits(&sem2.available) > 0)
        ck_abort_msg("csem_acquire waits with a deadline (pthread_cond_timedwait or "
                     "pt_cond_wait_until): the header promises a wait with no timeout, until a "
                     "permit is free. An acquire that gives up after a while returns without a "
                     "permit, and its caller goes on as if it held one. Wait with "
                     "pthread_cond_wait, in a while loop, as long as value is 0");
    if (spy_timed_waits(&bar.all_arrived) + spy_timed_waits(&bar2.all_arrived) > 0)
        ck_abort_msg("cbarrier_wait waits with a deadline (pthread_cond_timedwait or "
                     "pt_cond_wait_until): the header promises a wait with no timeout, as long as "
                     "the other parties take. A party that gives up after a while leaves before "
                     "its round is full, and the round it counted itself out of waits for one "
                     "party more than will come. Wait with pthread_cond_wait, while your round "
                     "is not over");
}

/*
 * Watch a call until it returns (false) or sleeps in a wait (true). One
 * that polls or spins instead fails here, through pending_assert_waits(),
 * and one that sleeps with a deadline, through assert_no_deadline().
 */
static bool sleeps(struct call *c, const char *what)
{
    for (double give_up = timing_now() + patience();; timing_sleep_unscaled(0.0005)) {
        if (pending_returned(c->p, 0))
            return false;
        spy_thread_t *t = atomic_load(&c->spy);
        if (t == NULL)
            continue;
        enum spy_doing doing = spy_doing(t);
        if (doing == SPY_WAITING || doing == SPY_SEM) {
            assert_no_deadline();
            return true;
        }
        if (doing == SPY_SLEEPING || doing == SPY_YIELDING || spy_calls(t) > 50 || timing_now() > give_up) {
            pending_assert_waits(c->p, what);
            return true;
        }
    }
}

/* Wake-ups sent on cv since spy_start(). */
static unsigned long wakeups(const pthread_cond_t *cv)
{
    return spy_signals(cv) + spy_broadcasts(cv);
}

/*
 * Wait until each call has returned or sleeps for good, and say which sleep
 * (bit i for c[i]). Sleeping for good: asleep in a wait, with every wake-up
 * sent on cv so far taken (spy_settle) and none sent while the test looked.
 * Only these calls run the code under test, so nobody is left to wake them:
 * no timeout is involved. A call that returned still holding m fails here.
 */
static unsigned quiesce(struct call c[], int n, const pthread_cond_t *cv, const pthread_mutex_t *m,
                        const char *what)
{
    for (;;) {
        unsigned long sent = wakeups(cv);
        unsigned asleep = 0;
        spy_settle(NULL);
        for (int i = 0; i < n; i++)
            if (pending_returned(c[i].p, 0))
                ck_assert_msg(spy_owner(m) != atomic_load(&c[i].spy),
                              "%s returned still holding the lock: every other call now waits for "
                              "it forever. Unlock it before returning", what);
        for (int i = 0; i < n; i++)
            if (sleeps(&c[i], what))
                asleep |= 1u << i;
        if (asleep == 0 || wakeups(cv) == sent)
            return asleep;
    }
}

/*
 * Holding waiters still. A thread asleep in a condition wait gets a signal
 * whose handler blocks until thaw(): a wake-up sent meanwhile waits for it,
 * so the test decides when the woken thread gets to look. (POSIX lets a
 * wait interrupted by a signal handler go on waiting or return as a
 * spurious wake-up; a right answer is fine with either.)
 */
static int thaw_pipe[2] = { -1, -1 };
static atomic_int frozen;

static void hold_still(int signo)
{
    int saved = errno;
    char byte;

    (void)signo;
    atomic_fetch_add(&frozen, 1);
    while (read(thaw_pipe[0], &byte, 1) < 0 && errno == EINTR)
        ;
    atomic_fetch_sub(&frozen, 1);
    errno = saved;
}

/* Hold still n calls, each asleep (sleeps()) in a condition wait with mutex m. */
static void freeze(struct call *calls, int n, pthread_mutex_t *m)
{
    struct sigaction sa = { .sa_handler = hold_still };

    sigemptyset(&sa.sa_mask);
    if (thaw_pipe[0] < 0)
        ck_assert(pipe(thaw_pipe) == 0);
    ck_assert(sigaction(SIGUSR2, &sa, NULL) == 0);
    SPY_LOCK(m);    /* now each has let go of m: it is inside its wait */
    for (int i = 0; i < n; i++)
        PT(pthread_kill(calls[i].thread, SIGUSR2));
    for (double give_up = timing_now() + patience(); atomic_load(&frozen) < n;) {
        ck_assert_msg(timing_now() < give_up, "the test could not hold %d waiting threads still", n);
        timing_sleep_unscaled(0.0005);
    }
    SPY_UNLOCK(m);
}

static void thaw(int n)
{
    for (int i = 0; i < n; i++)
        ck_assert(write(thaw_pipe[1], "x", 1) == 1);
}

/* The spies no longer step in (spy_interfere on a mutex nobody locks). */
static pthread_mutex_t nobodys = PTHREAD_MUTEX_INITIALIZER;

static void disarm(void)
{
    spy_interfere(&nobodys, SPY_BEFORE_LOCK, 1, NULL, NULL);
}

/* ---- exercise 10, part 1: csem ------------------------------------------- */

static void *run_acquire(void *arg)
{
    struct call *c = arg;
    call_enter(c);
    csem_acquire(c->on != NULL ? c->on : &sem);
    return NULL;
}

/* Start csem_acquire on semaphore s, with no permits, and see it sleep. */
static void start_waiter_on(struct call *c, struct csem *s)
{
    call_start_on(c, run_acquire, s);
    if (sleeps(c, "csem_acquire with no permits"))
        return;
    if (spy_wait_sites(&s->available) > 0)
        ck_abort_msg("csem_acquire came back from pthread_cond_wait and took a permit though value was "
                     "still 0: a wait may return with nothing changed (a spurious wake-up, or another "
                     "thread took the permit first). Wait in `while (s->value == 0)`, which looks "
                     "again, not in `if`");
    ck_abort_msg("csem_acquire returned at once with no permit (value 0): it must wait until a release");
}

static void start_waiter(struct call *c)
{
    start_waiter_on(c, &sem);
}

/* What a try-acquire that refused a free permit, or a call that left one behind, got wrong. */
#define REFUSED_A_FREE_PERMIT "csem_try_acquire said false with a permit free (value %u): it must " \
    "take one and say true whenever value > 0, and say false only when value is 0"
#define LEFT_THE_PERMIT "the waiting csem_acquire returned, and the permit the release gave back " \
    "is still there (value %u): csem_acquire must take the permit it waited for (value--) " \
    "before it returns"
#define TOOK_WITHOUT_COUNTING "a call said it took the permit, and a try-acquire after it got " \
    "another (value is %u): the permit was taken without value-- (or the release gave back " \
    "more than one). Take a permit with value--, under the lock, in the same hold as the look"

static void assert_unlocked(const char *who)
{
    ck_assert_msg(spy_owner(&sem.lock) == NULL,
                  "%s returned still holding s->lock: every other call on the semaphore now waits "
                  "for it forever. Unlock it before returning", who);
}

/* The one csem_acquire a test watches, on a thread of its own. */
static struct call waiter;

/* A release has given a permit back to a sleeping csem_acquire: the waiter must take it. */
static void assert_the_waiter_gets_the_permit(struct call *waiter)
{
    if (quiesce(waiter, 1, &sem.available, &sem.lock, "csem_acquire") == 0)
        return;
    if (wakeups(&sem.available) == 0)
        ck_abort_msg("csem_release gave a permit back but never signalled available: the waiting "
                     "csem_acquire sleeps on forever (a lost wake-up). Signal after value goes up");
    ck_abort_msg("the wake-up came before the permit: csem_release signalled available before "
                 "value went up, outside the lock. The waiter woke, found no permit and went back "
                 "to sleep; the permit came after with no wake-up, and the waiter sleeps on with a "
                 "permit free. Give the permit back, then signal, under one hold of the lock");
}

START_TEST(try_acquire_counts_the_permits)
{
    csem_init(&sem, 2);
    ck_assert_msg(csem_try_acquire(&sem), REFUSED_A_FREE_PERMIT, sem.value);
    assert_unlocked("csem_try_acquire");
    ck_assert_msg(csem_try_acquire(&sem), "csem_try_acquire said false with the second of 2 "
                  "permits free (value %u): did the first try take more than one?", sem.value);
    ck_assert_msg(!csem_try_acquire(&sem), "csem_try_acquire took a third permit of 2 (value is "
                  "now %u): it must look at value under the lock and take one only when value > "
                  "0; when value is 0, change nothing and say false", sem.value);
    assert_unlocked("csem_try_acquire");
    csem_release(&sem);
    assert_unlocked("csem_release");
    ck_assert_msg(csem_try_acquire(&sem), "a refused csem_try_acquire, then a release, and the "
                  "permit it gave back was refused (value is %u): did the refused try take one "
                  "off anyway? value-- > 0 decrements even when the test fails, and an unsigned "
                  "value at 0 wraps round to UINT_MAX. Or does csem_release not give the permit back "
                  "(value++)?", sem.value);
    ck_assert_msg(!csem_try_acquire(&sem), "one permit given back, and two tries took it (value "
                  "is %u): does csem_release give back more than one?", sem.value);
    csem_destroy(&sem);
}
END_TEST

static void *run_try_acquire(void *unused)
{
    (void)unused;
    return (void *)(intptr_t)csem_try_acquire(&sem);
}

/* "Free now" is about permits, not about the lock: a lock another thread
 * holds for a moment is waited for, and then the permit taken. */
START_TEST(try_acquire_waits_out_a_busy_lock)
{
    csem_init(&sem, 1);
    SPY_LOCK(&sem.lock);
    pending_t *p = pending_start(run_try_acquire, NULL);
    for (double give_up = timing_now() + 2 * harness_slowdown();
         spy_doing(pending_thread(p)) != SPY_LOCKING && !pending_returned(p, 0);) {
        if (timing_now() > give_up) {
            SPY_UNLOCK(&sem.lock);
            ck_abort_msg("csem_try_acquire neither returned nor waited for s->lock within %g s",
                         2 * harness_slowdown());
        }
        timing_sleep_unscaled(0.001);
    }
    bool early = pending_returned(p, 0);
    SPY_UNLOCK(&sem.lock);
    bool took = (intptr_t)pending_join(p) != 0;
    ck_assert_msg(!early || took,
                  "csem_try_acquire returned false with a permit free, only because another "
                  "thread held s->lock at that moment: pthread_mutex_trylock fails on a busy "
                  "lock, not on a missing permit. Lock s->lock (nobody holds it for long), then "
                  "look at value");
    ck_assert_msg(took, REFUSED_A_FREE_PERMIT, sem.value);
    csem_destroy(&sem);
}
END_TEST

START_TEST(acquire_waits_until_a_release)
{
    csem_init(&sem, 0);
    start_waiter(&waiter);
    pending_assert_waits(waiter.p, "csem_acquire with no permits");
    csem_release(&sem);
    assert_the_waiter_gets_the_permit(&waiter);
    pending_join(waiter.p);
    ck_assert_msg(!csem_try_acquire(&sem), LEFT_THE_PERMIT, sem.value + 1);
    csem_destroy(&sem);
}
END_TEST

/* What value was when the spies stopped csem_release. */
static unsigned value_then;

static void note_value(void *unused)
{
    (void)unused;
    value_then = sem.value;
}

START_TEST(permits_change_hands_under_the_lock)
{
    csem_init(&sem, 1);
    unsigned long locks = spy_locks(&sem.lock);
    ck_assert_msg(csem_try_acquire(&sem), REFUSED_A_FREE_PERMIT, sem.value);
    ck_assert_msg(spy_locks(&sem.lock) > locks,
                  "csem_try_acquire took a permit without taking s->lock: two threads trying at "
                  "once can both see value 1 and both take it (a data race). Look and take under "
                  "the lock");
    /* value is 0 now: a refusal looks at value too, and must look under the lock. */
    locks = spy_locks(&sem.lock);
    ck_assert_msg(!csem_try_acquire(&sem), "csem_try_acquire took a second permit of 1 (value is %u)",
                  sem.value);
    ck_assert_msg(spy_locks(&sem.lock) > locks,
                  "csem_try_acquire said no without taking s->lock: its look at value races with a "
                  "release changing value under the lock, a data race even when the answer comes "
                  "out right. Look under the lock, whatever the answer");

    locks = spy_locks(&sem.lock);
    csem_release(&sem);
    ck_assert_msg(spy_locks(&sem.lock) > locks,
                  "csem_release gave the permit back (value++) and signalled without taking "
                  "s->lock: value++ races with every acquire and try-acquire, and its signal can "
                  "reach a waiter between its look and its sleep. Do both under the lock");
    ck_assert_msg(csem_try_acquire(&sem), REFUSED_A_FREE_PERMIT, sem.value);

    /* value as the spies see it just before the first lock, and right after the first unlock. */
    spy_interfere(&sem.lock, SPY_BEFORE_LOCK, 1, note_value, NULL);
    csem_release(&sem);
    ck_assert_msg(!spy_interfered() || value_then == 0,
                  "csem_release changed value before it took s->lock (value was already %u): "
                  "that write races with the acquires that read it under the lock. Give the "
                  "permit back under the lock", value_then);
    ck_assert_msg(csem_try_acquire(&sem), REFUSED_A_FREE_PERMIT, sem.value);
    spy_interfere(&sem.lock, SPY_AFTER_UNLOCK, 1, note_value, NULL);
    csem_release(&sem);
    ck_assert_msg(!spy_interfered() || value_then == 1,
                  "csem_release let go of s->lock before it gave the permit back (value was still "
                  "%u right after its unlock): that write races with the acquires. Give the permit "
                  "back under the lock", value_then);
    disarm();
    csem_destroy(&sem);
}
END_TEST

/* Let each waiter a wake-up has reached look at value, then let it fall asleep again (or return). */
static void let_the_woken_look(void *unused)
{
    (void)unused;
    spy_settle(NULL);
    sleeps(&waiter, "csem_acquire");
}

START_TEST(the_wake_up_comes_after_the_permit)
{
    /* Stop csem_release before each of its locks in turn, and let the waiter look there. */
    for (int nth = 1; nth <= 3; nth++) {
        csem_init(&sem, 0);
        start_waiter(&waiter);
        spy_start();
        spy_interfere(&sem.lock, SPY_BEFORE_LOCK, nth, let_the_woken_look, NULL);
        csem_release(&sem);
        disarm();
        assert_the_waiter_gets_the_permit(&waiter);
        pending_join(waiter.p);
        ck_assert_msg(!csem_try_acquire(&sem), LEFT_THE_PERMIT, sem.value + 1);
        csem_destroy(&sem);
    }
}
END_TEST

/* Another thread's try-acquire, forced in where csem's own call is about to lock. */
static atomic_bool stolen;

static void steal_a_permit(void *unused)
{
    (void)unused;
    atomic_store(&stolen, csem_try_acquire(&sem));
}

START_TEST(a_permit_is_never_handed_out_twice)
{
    for (int nth = 1; nth <= 3; nth++) {
        csem_init(&sem, 1);
        atomic_store(&stolen, false);
        spy_interfere(&sem.lock, SPY_BEFORE_LOCK, nth, steal_a_permit, NULL);
        bool taken = csem_try_acquire(&sem);
        disarm();
        ck_assert_msg(!(taken && stolen),
                      "one permit was handed out twice: csem_try_acquire saw value 1, let go of "
                      "s->lock and locked it again to take the permit; in between, another "
                      "csem_try_acquire took that same permit. Look and take under one hold of "
                      "the lock");
        ck_assert_msg(taken || stolen, REFUSED_A_FREE_PERMIT, sem.value);
        ck_assert_msg(!csem_try_acquire(&sem), TOOK_WITHOUT_COUNTING, sem.value + 1);
        csem_destroy(&sem);
    }
    for (int nth = 1; nth <= 3; nth++) {
        csem_init(&sem, 1);
        atomic_store(&stolen, false);
        spy_interfere(&sem.lock, SPY_BEFORE_LOCK, nth, steal_a_permit, NULL);
        call_start(&waiter, run_acquire);
        bool asleep = sleeps(&waiter, "csem_acquire");
        disarm();
        if (asleep) {
            ck_assert_msg(stolen, "csem_acquire went to sleep with a permit free (value %u): "
                          "it must wait only while value is 0", sem.value);
            csem_release(&sem);
        } else {
            ck_assert_msg(!stolen,
                          "one permit was handed out twice: csem_acquire saw a permit, let go of "
                          "s->lock and locked it again to take it; in between, a csem_try_acquire "
                          "took that same permit, and csem_acquire took it again (value went from "
                          "0 to %u). Look and take under one hold of the lock", sem.value);
        }
        assert_the_waiter_gets_the_permit(&waiter);
        pending_join(waiter.p);
        ck_assert_msg(!csem_try_acquire(&sem), TOOK_WITHOUT_COUNTING, sem.value + 1);
        csem_destroy(&sem);
    }
}
END_TEST

#define WAITERS 4

START_TEST(each_release_wakes_a_waiter)
{
    struct call w[WAITERS];

    csem_init(&sem, 0);
    for (int i = 0; i < WAITERS; i++)
        start_waiter(&w[i]);
    /* All the releases come before any woken waiter can take its permit. */
    freeze(w, WAITERS, &sem.lock);
    spy_start();
    for (int i = 0; i < WAITERS; i++)
        csem_release(&sem);
    thaw(WAITERS);
    ck_assert_msg(spy_broadcasts(&sem.available) == 0,
                  "csem_release broadcast available: that wakes every waiter for one permit, and "
                  "all but one go back to sleep. A release gives back one permit: signal, to wake "
                  "one waiter");
    ck_assert_msg(quiesce(w, WAITERS, &sem.available, &sem.lock, "csem_acquire") == 0,
                  "%d waiters asleep, %d releases, and a waiter sleeps on with a permit free: the "
                  "releases sent %lu wake-up(s). Each release must wake a waiter (did it signal "
                  "only when value went from 0 to 1? A second release can come before the first "
                  "waiter it woke takes its permit)", WAITERS, WAITERS, wakeups(&sem.available));
    for (int i = 0; i < WAITERS; i++)
        pending_join(w[i].p);
    ck_assert_msg(!csem_try_acquire(&sem), LEFT_THE_PERMIT, sem.value + 1);
    csem_destroy(&sem);
}
END_TEST

/*
 * Two semaphores in use at once, by different threads: each is on its own.
 * Each wait of the waiters is real in one of the two passes (the spies'
 * early wake-ups, which a count of sleepers may count twice, come first in
 * one and second in the other), and the second semaphore gets more releases
 * than it has waiters: a count kept outside the struct runs out.
 */
START_TEST(two_semaphores_keep_their_own_permits_and_sleepers)
{
    struct call a, b;

    for (int real_first = 0; real_first <= 1; real_first++) {
        csem_init(&sem, 0);
        csem_init(&sem2, 0);
        spy_start();
        spy_first_wait_real(real_first);
        start_waiter_on(&a, &sem);
        start_waiter_on(&b, &sem2);
        for (int i = 0; i < 3; i++)
            csem_release(&sem2);
        ck_assert_msg(quiesce(&b, 1, &sem2.available, &sem2.lock, "csem_acquire") == 0,
                      "two semaphores, a waiter on each: 3 releases of the second one, and its "
                      "waiter sleeps on with permits free. Does every release signal its own "
                      "s->available?");
        ck_assert_msg(sleeps(&a, "csem_acquire"),
                      "two semaphores, a waiter on each: releases of the second one let the first "
                      "one's waiter through, with no permit of its own. Is value, or anything "
                      "else, kept outside struct csem (a static or global variable), shared by "
                      "every semaphore? Keep each semaphore's state in its struct");
        csem_release(&sem);
        ck_assert_msg(quiesce(&a, 1, &sem.available, &sem.lock, "csem_acquire") == 0,
                      "two semaphores, a waiter on each%s: 3 releases of the second one, then 1 "
                      "of the first, and the first one's waiter sleeps on with a permit free "
                      "(its semaphore sent %lu wake-up(s)). Do you count the sleepers in a static "
                      "or global variable, shared by every semaphore? The second semaphore's "
                      "releases used up the count, and the first one's release saw nobody asleep. "
                      "Keep each semaphore's state in its struct, or signal on every release",
                      real_first ? " (each one's first wait a real one)" : "",
                      wakeups(&sem.available));
        pending_join(a.p);
        pending_join(b.p);
        ck_assert_msg(!csem_try_acquire(&sem), LEFT_THE_PERMIT, sem.value + 1);
        for (int i = 0; i < 2; i++)
            ck_assert_msg(csem_try_acquire(&sem2), REFUSED_A_FREE_PERMIT, sem2.value);
        ck_assert_msg(!csem_try_acquire(&sem2), TOOK_WITHOUT_COUNTING, sem2.value + 1);
        csem_destroy(&sem);
        csem_destroy(&sem2);
    }
}
END_TEST

#define HOLDERS 3
#define THREADS 12
#define ROUNDS 10

static void *hold_permits(void *unused)
{
    (void)unused;
    for (int i = 0; i < ROUNDS; i++) {
        csem_acquire(&sem);
        concurrency_measured(NULL);
        csem_release(&sem);
    }
    return NULL;
}

START_TEST(never_more_holders_than_permits)
{
    csem_init(&sem, HOLDERS);
    concurrency_reset();
    /* 120 stays of 1 ms, 3 at a time: 40 ms idle, and far more on a loaded machine. */
    ck_assert_msg(harness_threads(hold_permits, NULL, NULL, THREADS, 4 * patience()),
                  "%d threads taking and giving back %d permits did not finish within %g s: a "
                  "thread sleeps with permits free (does every release signal, and does an "
                  "acquire wait only while value is 0?), or waits for s->lock, which a call did "
                  "not let go", THREADS, HOLDERS, 4 * patience());
    ck_assert_msg(concurrency_high_water() <= HOLDERS,
                  "%d threads held a permit at once, of %d permits: csem_acquire let a thread in "
                  "with none free. Does it wait while value is 0, and take its permit (value--) "
                  "in the same hold of the lock as the look? Does csem_release give back one, "
                  "not more?", concurrency_high_water(), HOLDERS);
    csem_destroy(&sem);
}
END_TEST

static void *hold_until_all_hold(void *unused)
{
    (void)unused;
    csem_acquire(&sem);
    void *all = concurrency_rendezvous((void *)HOLDERS);
    csem_release(&sem);
    return all;
}

START_TEST(all_permits_can_be_held_at_once)
{
    void *all[HOLDERS];

    csem_init(&sem, HOLDERS);
    concurrency_reset();
    ck_assert_msg(harness_threads(hold_until_all_hold, NULL, all, HOLDERS, 5),
                  "%d threads, each taking one of %d permits, did not all get through within 5 s: "
                  "a csem_acquire sleeps with permits free", HOLDERS, HOLDERS);
    for (int i = 0; i < HOLDERS; i++)
        ck_assert_msg(all[i] != NULL,
                      "%d permits, and %d threads could not hold one each at the same time: "
                      "csem_acquire let fewer in at once. Does it wait while value is below "
                      "some bound other than 0, or keep s->lock until the release (a mutex in "
                      "disguise)? It waits only while value is 0, and returns with the lock "
                      "let go", HOLDERS, HOLDERS);
    csem_destroy(&sem);
}
END_TEST

/* ---- exercise 10, part 2: cbarrier --------------------------------------- */

/* A failure's timeline shows the permits, or the round, beside each step under the lock. */
static void describe(const pthread_mutex_t *m, char *buf, size_t size)
{
    if (m == &sem.lock || m == &sem2.lock) {
        const struct csem *s = m == &sem.lock ? &sem : &sem2;
        snprintf(buf, size, "value %u", s->value);
    } else if (m == &bar.lock || m == &bar2.lock) {
        const struct cbarrier *b = m == &bar.lock ? &bar : &bar2;
        snprintf(buf, size, "%u of %u arrived, round %lu", b->waiting, b->parties, b->generation);
    }
}

static void show_state(void)
{
    spy_name(&sem.lock, "s->lock");
    spy_name(&sem.available, "s->available");
    spy_name(&sem2.lock, "s2->lock");
    spy_name(&sem2.available, "s2->available");
    spy_name(&bar.lock, "b->lock");
    spy_name(&bar.all_arrived, "b->all_arrived");
    spy_name(&bar2.lock, "b2->lock");
    spy_name(&bar2.all_arrived, "b2->all_arrived");
    spy_watch(describe);
}

static void *run_wait(void *arg)
{
    struct call *c = arg;
    call_enter(c);
    c->result = cbarrier_wait(c->on != NULL ? c->on : &bar);
    return NULL;
}

#define PARTIES 3

/* What a round that gave true to `serial` of its threads got wrong (exactly one must get it). */
#define SERIAL_MISTAKE(serial)                                                                    \
    ((serial) == 0 ? "did the last to arrive return false? The thread whose arrival fills the "   \
                     "round returns true, the others false"                                       \
                   : "did each thread decide after its wait, from the count the last arriver "    \
                     "had already set back to 0? Decide when you arrive: the one whose arrival "  \
                     "fills the round returns true, the others false")

/* A full round whose parties did not all leave. */
#define ROUND_DID_NOT_END "and a party sleeps on for good: the last to arrive must wake every " \
    "waiter (pthread_cond_broadcast; a signal wakes one), and a waiter must leave once "          \
    "generation has moved on from the round it arrived in"

/* A party of round `round` left when only `arrived` of `parties` had come. */
_Noreturn static void left_early(int round, int arrived, int parties)
{
    if (round > 1)
        ck_abort_msg("in round %d, cbarrier_wait let a thread go when only %d of %d parties had "
                     "arrived, though round 1 went right: the barrier is not reusable. When a "
                     "round fills, the next one must start with the count back at 0",
                     round, arrived, parties);
    if (spy_wait_sites(&bar.all_arrived) > 0)
        ck_abort_msg("cbarrier_wait came back from pthread_cond_wait and left when only %d of %d "
                     "parties had arrived: a wait may return with nothing changed (a spurious "
                     "wake-up). Wait in a `while` loop, as long as your round is not over",
                     arrived, parties);
    ck_abort_msg("cbarrier_wait returned when only %d of %d parties had arrived: it must wait "
                 "until the last one arrives", arrived, parties);
}

/* The last party of round `round` has come: each waiter must go, and one only gets true. */
static void assert_round_ends(struct call c[], int parties, int round)
{
    unsigned asleep = quiesce(c, parties, &bar.all_arrived, &bar.lock, "cbarrier_wait");

    if (asleep & 1u << (parties - 1))
        ck_abort_msg("the last of %d parties to arrive in round %d waited too, like the ones "
                     "before it, and nobody is left to wake them. The last to arrive completes "
                     "the round (++waiting == parties%s): it must wake the others and return",
                     parties, round, round > 1 ? "; and is the count back at 0 each round?" : "");
    if (asleep != 0) {
        unsigned long broadcasts = spy_broadcasts(&bar.all_arrived);
        unsigned long signals = spy_signals(&bar.all_arrived);
        if (broadcasts == 0 && signals == 0)
            ck_abort_msg("the last of %d parties arrived in round %d and returned, but woke nobody: "
                         "the %d that were waiting sleep on. Broadcast all_arrived when a round "
                         "fills", parties, round, parties - 1);
        if (broadcasts == 0 && signals < (unsigned long)parties - 1)
            ck_abort_msg("round %d was full, and its last party signalled all_arrived %lu time(s): "
                         "pthread_cond_signal wakes one waiter, and %d were waiting, so a party "
                         "sleeps on. Wake them all with pthread_cond_broadcast",
                         round, signals, parties - 1);
        ck_abort_msg("round %d was full and the waiters were woken, but a party went back to "
                     "sleep: when it looked, its round did not look over. Was the count reset to "
                     "0 by the last arriver before the others looked at it? Remember the round "
                     "(generation) you arrived in, and wait while it is still the current one",
                     round);
    }
    int serial = 0;
    for (int i = 0; i < parties; i++) {
        pending_join(c[i].p);
        serial += c[i].result;
    }
    ck_assert_msg(serial == 1, "round %d: %d of %d threads got true from cbarrier_wait; exactly "
                  "one per round must: %s", round, serial, parties, SERIAL_MISTAKE(serial));
}

START_TEST(nobody_leaves_before_all_parties_arrive)
{
    struct call c[PARTIES];

    cbarrier_init(&bar, PARTIES);
    for (int round = 1; round <= 3; round++) {
        spy_start();
        for (int i = 0; i < PARTIES - 1; i++) {
            call_start(&c[i], run_wait);
            if (!sleeps(&c[i], "cbarrier_wait"))
                left_early(round, i + 1, PARTIES);
            if (round == 1 && i == 0)
                pending_assert_waits(c[i].p, "cbarrier_wait with 1 of 3 parties there");
            /* Whoever this arrival woke has looked; all must be asleep still. */
            spy_settle(NULL);
            for (int j = 0; j < i; j++)
                if (!sleeps(&c[j], "cbarrier_wait"))
                    left_early(round, i + 1, PARTIES);
        }
        /* The others sleep in real waits. Whoever the last arrival wakes is
         * held in its wait, so every wake-up counted now is the last one's. */
        unsigned long signals = spy_signals(&bar.all_arrived);
        unsigned long broadcasts = spy_broadcasts(&bar.all_arrived);
        spy_hold_wakers(true);
        call_start(&c[PARTIES - 1], run_wait);
        bool last_went = !sleeps(&c[PARTIES - 1], "cbarrier_wait");
        signals = spy_signals(&bar.all_arrived) - signals;
        broadcasts = spy_broadcasts(&bar.all_arrived) - broadcasts;
        spy_hold_wakers(false);
        assert_round_ends(c, PARTIES, round);
        ck_assert_msg(!last_went || broadcasts > 0 || signals >= PARTIES - 1,
                      "round %d was full, its other %d parties asleep, and the last to arrive woke "
                      "%lu of them itself (%lu signal(s), no broadcast); the others were left to "
                      "the ones it woke, a chain of signals. A chain breaks: a signal can reach a "
                      "thread already waiting in the next round, which goes back to sleep without "
                      "passing it on, and POSIX lets a signal wake any waiter, the newest first. "
                      "The last to arrive must wake every waiter of its round itself: "
                      "pthread_cond_broadcast(&b->all_arrived)",
                      round, PARTIES - 1, signals, signals);
    }
    cbarrier_destroy(&bar);
}
END_TEST

START_TEST(one_party_never_waits)
{
    struct call c;

    cbarrier_init(&bar, 1);
    for (int round = 1; round <= 3; round++) {
        call_start(&c, run_wait);
        ck_assert_msg(quiesce(&c, 1, &bar.all_arrived, &bar.lock, "cbarrier_wait") == 0,
                      "with parties = 1, cbarrier_wait waited in round %d: its caller is the one "
                      "and only party, the last to arrive, so it must return at once", round);
        pending_join(c.p);
        ck_assert_msg(c.result, "with parties = 1, cbarrier_wait returned false in round %d: each "
                      "call is a whole round, and its caller the one that gets true", round);
        ck_assert_msg(bar.generation == (unsigned long)round,
                      "with parties = 1, generation is %lu after %d calls: each call completes a "
                      "round, so each counts one, as with more parties", bar.generation, round);
    }
    ck_assert_msg(spy_waits(&bar.all_arrived) == 0,
                  "with parties = 1, cbarrier_wait slept in a condition wait: its caller is the "
                  "last to arrive and must not wait");
    cbarrier_destroy(&bar);
}
END_TEST

static unsigned waiting_then;

static void note_waiting(void *unused)
{
    (void)unused;
    waiting_then = bar.waiting;
}

/* The count as the spies see it just before the call's first lock. */
START_TEST(parties_count_in_under_the_lock)
{
    cbarrier_init(&bar, 1);
    spy_interfere(&bar.lock, SPY_BEFORE_LOCK, 1, note_waiting, NULL);
    ck_assert_msg(cbarrier_wait(&bar), "with parties = 1, cbarrier_wait returned false");
    ck_assert_msg(spy_interfered(), "cbarrier_wait never took b->lock: count in, and look at the "
                  "round, under it");
    ck_assert_msg(waiting_then == 0,
                  "cbarrier_wait counted itself in before it took b->lock (waiting was already %u): "
                  "that count races with the last party, which sets waiting back to 0 under the "
                  "lock, and a party that counts in as one round ends and reads the generation "
                  "after it falls into the next round. Count in under the lock",
                  waiting_then);
    disarm();
    cbarrier_destroy(&bar);
}
END_TEST

START_TEST(a_fast_thread_cannot_trap_a_slow_one)
{
    /* Round 1: slow, then last. Round 2: fast, then other. */
    struct call c[4], *slow = &c[0], *fast = &c[1], *last = &c[2], *other = &c[3];

    cbarrier_init(&bar, 2);
    call_start(slow, run_wait);
    if (!sleeps(slow, "cbarrier_wait"))
        left_early(1, 1, 2);
    /* The slow party is woken, but looks only once a fast one is back for round 2. */
    freeze(slow, 1, &bar.lock);
    call_start(last, run_wait);
    ck_assert_msg(!sleeps(last, "cbarrier_wait"),
                  "the last of 2 parties to arrive in round 1 waited: it completes the round, and "
                  "must wake the other and return");
    unsigned long wake_ups = spy_broadcasts(&bar.all_arrived) + spy_signals(&bar.all_arrived);
    call_start(fast, run_wait);
    bool fast_waits = sleeps(fast, "cbarrier_wait");
    thaw(1);
    ck_assert_msg(fast_waits,
                  "a thread came back for round 2 while round 1's other party was still leaving, "
                  "and cbarrier_wait let it straight through, alone: the new round must start "
                  "with the count back at 0, and wait for its own 2 parties");
    unsigned asleep = quiesce(c, 2, &bar.all_arrived, &bar.lock, "cbarrier_wait");
    if (asleep & 1) {
        SPY_LOCK(&bar.lock);        /* every call is asleep: the lock is free */
        unsigned long generation = bar.generation;
        SPY_UNLOCK(&bar.lock);
        ck_assert_msg(wake_ups > 0,
                      "the last of 2 parties arrived in round 1 and returned without waking the "
                      "other (no broadcast on all_arrived), which now sleeps for good. The last "
                      "party must broadcast all_arrived, whatever the number of parties");
        ck_assert_msg(generation == 0,
                      "a fast thread lapped a slow one: round 1 was over (generation went to %lu) "
                      "and its slow party woken, but before it looked, a fast thread came back for "
                      "round 2. The slow party went back to sleep though generation had moved on, "
                      "so it did not compare generation with the round it arrived in: it waited "
                      "on the count, or kept its round where the fast thread's call overwrote it "
                      "(a static variable, a field of the barrier). Keep the round you arrived in "
                      "in a local variable, read under the lock, and wait while generation still "
                      "equals it", generation);
    }
    ck_assert_msg(!(asleep & 1),
                  "a fast thread lapped a slow one: round 1 was over and its slow party woken, but "
                  "before it looked, a fast thread came back for round 2 and counted itself in. "
                  "The slow party saw a round not over (the count was not 0 any more), went back "
                  "to sleep, and is now stuck in round 1 for good. Remember the round "
                  "(generation) you arrived in, and wait while it is still the current one, not "
                  "on the count");
    call_start(other, run_wait);
    ck_assert_msg(quiesce(fast, 3, &bar.all_arrived, &bar.lock, "cbarrier_wait") == 0,
                  "round 2 was full (2 of 2 parties), " ROUND_DID_NOT_END);
    for (int i = 0; i < 4; i++)
        pending_join(c[i].p);
    ck_assert_msg(slow->result + last->result == 1, "round 1: %d of 2 threads got true from "
                  "cbarrier_wait; exactly one per round must: %s", slow->result + last->result,
                  SERIAL_MISTAKE(slow->result + last->result));
    ck_assert_msg(fast->result + other->result == 1, "round 2: %d of 2 threads got true from "
                  "cbarrier_wait; exactly one per round must: %s", fast->result + other->result,
                  SERIAL_MISTAKE(fast->result + other->result));
    cbarrier_destroy(&bar);
}
END_TEST

/*
 * More callers than parties: four threads on a barrier of 2 go through two
 * at a time, round after round. Round 1 is a, then b; round 2 is c, then d.
 * The woken are held in their waits until both rounds are over: a waiter
 * that looks only then must still see its round over.
 */
START_TEST(more_callers_than_parties_go_through_parties_at_a_time)
{
    struct call c[4];

    cbarrier_init(&bar, 2);
    spy_start();
    call_start(&c[0], run_wait);
    if (!sleeps(&c[0], "cbarrier_wait"))
        left_early(1, 1, 2);
    spy_hold_wakers(true);
    call_start(&c[1], run_wait);
    bool b_waits = sleeps(&c[1], "cbarrier_wait");
    call_start(&c[2], run_wait);
    bool c_waits = sleeps(&c[2], "cbarrier_wait");
    call_start(&c[3], run_wait);
    bool d_waits = sleeps(&c[3], "cbarrier_wait");
    spy_hold_wakers(false);
    ck_assert_msg(!b_waits && !d_waits,
                  "four threads on a barrier of 2 parties: the %s of them, the last of round %d, "
                  "waited instead of ending its round. The last to arrive in each round, however "
                  "many have come before, must wake the others and return",
                  b_waits ? "second" : "fourth", b_waits ? 1 : 2);
    ck_assert_msg(c_waits,
                  "four threads on a barrier of 2 parties: round 1 had ended, and the third thread, "
                  "the first of round 2, went straight through, alone. Each round must start with "
                  "the count back at 0 and wait for its own 2 parties");
    unsigned asleep = quiesce(c, 4, &bar.all_arrived, &bar.lock, "cbarrier_wait");
    if (asleep != 0) {
        SPY_LOCK(&bar.lock);        /* every call is asleep or gone: the lock is free */
        unsigned long generation = bar.generation;
        SPY_UNLOCK(&bar.lock);
        if (asleep == 1 && generation == 2)
            ck_abort_msg("four threads on a barrier of 2 parties: the first waiter, of round 1, "
                         "looked only once round 2 had ended too (generation went from 0 to 2), "
                         "and went back to sleep for good. Did it wait for exactly the next round "
                         "(generation != round + 1)? A waiter's round is over as soon as "
                         "generation has moved on from the round it arrived in, by one round or "
                         "more: wait while (b->generation == round)");
        ck_abort_msg("four threads on a barrier of 2 parties: both rounds were full (generation "
                     "went to %lu), and %s still sleep%s for good. A barrier of 2 lets callers "
                     "through 2 at a time, round after round: a waiter leaves once the round it "
                     "arrived in is over, whatever came after",
                     generation, asleep == 1 ? "the first waiter" : "waiters",
                     asleep == 1 ? "s" : "");
    }
    for (int i = 0; i < 4; i++)
        pending_join(c[i].p);
    int one = c[0].result + c[1].result, two = c[2].result + c[3].result;
    ck_assert_msg(one == 1 && two == 1,
                  "four threads on a barrier of 2 parties: round 1 gave true to %d of its 2, round "
                  "2 to %d; exactly one per round must: %s", one, two,
                  SERIAL_MISTAKE(one != 1 ? one : two));
    cbarrier_destroy(&bar);
}
END_TEST

/* A whole round of two other threads, forced in just before a call's first lock. */
static struct call lap[2];
static atomic_bool lapped;

static void a_round_goes_by(void *unused)
{
    (void)unused;
    call_start(&lap[0], run_wait);
    if (!sleeps(&lap[0], "cbarrier_wait"))
        left_early(1, 1, 2);
    call_start(&lap[1], run_wait);
    ck_assert_msg(quiesce(lap, 2, &bar.all_arrived, &bar.lock, "cbarrier_wait") == 0,
                  "round 1 was full (2 of 2 parties), " ROUND_DID_NOT_END);
    pending_join(lap[0].p);
    pending_join(lap[1].p);
    atomic_store(&lapped, true);
}

START_TEST(a_round_that_ends_before_the_lock_is_not_the_callers)
{
    struct call c[2];

    cbarrier_init(&bar, 2);
    atomic_store(&lapped, false);
    spy_interfere(&bar.lock, SPY_BEFORE_LOCK, 1, a_round_goes_by, NULL);
    call_start(&c[0], run_wait);
    for (double give_up = timing_now() + 2 * patience(); !atomic_load(&lapped);) {
        ck_assert_msg(timing_now() < give_up && !pending_returned(c[0].p, 0),
                      "cbarrier_wait never took b->lock, or a round of two other threads forced in "
                      "before its lock did not end");
        timing_sleep_unscaled(0.0005);
    }
    ck_assert_msg(sleeps(&c[0], "cbarrier_wait"),
                  "a whole round of two other threads ended just before a third call took "
                  "b->lock, and that call, the first of round 2, went straight through, alone. "
                  "Did it read the generation before taking the lock? Then it remembered round 1, "
                  "already over, as its own. Read the round you arrive in under the lock, in the "
                  "same hold as counting yourself in");
    call_start(&c[1], run_wait);
    ck_assert_msg(quiesce(c, 2, &bar.all_arrived, &bar.lock, "cbarrier_wait") == 0,
                  "round 2 was full (2 of 2 parties), " ROUND_DID_NOT_END);
    pending_join(c[0].p);
    pending_join(c[1].p);
    int serial = c[0].result + c[1].result;
    ck_assert_msg(serial == 1, "round 2: %d of 2 threads got true from cbarrier_wait; exactly one "
                  "per round must: %s", serial, SERIAL_MISTAKE(serial));
    cbarrier_destroy(&bar);
}
END_TEST

/*
 * Two barriers in use at once, by different threads: each is on its own. A
 * party waits at the first while a whole round of the second comes and goes;
 * then it is woken for nothing (a spurious wake-up, as POSIX allows), and
 * must see its own round not over.
 */
START_TEST(two_barriers_keep_their_own_counts_and_rounds)
{
    struct call p[2], q[2];

    cbarrier_init(&bar, 2);
    cbarrier_init(&bar2, 2);
    spy_start();
    call_start_on(&p[0], run_wait, &bar);
    if (!sleeps(&p[0], "cbarrier_wait"))
        left_early(1, 1, 2);
    call_start_on(&q[0], run_wait, &bar2);
    ck_assert_msg(sleeps(&q[0], "cbarrier_wait"),
                  "two barriers of 2 parties: a thread waits at the first, and the first thread to "
                  "arrive at the second went straight through, alone. Is the count of arrivals "
                  "kept outside struct cbarrier (a static or global variable), shared by every "
                  "barrier? Each barrier counts its own, in b->waiting");
    call_start_on(&q[1], run_wait, &bar2);
    ck_assert_msg(quiesce(q, 2, &bar2.all_arrived, &bar2.lock, "cbarrier_wait") == 0,
                  "two barriers of 2 parties: a thread waits at the first, 2 arrived at the "
                  "second, and that round did not end. Is the count of arrivals kept outside "
                  "struct cbarrier (a static or global variable), shared by every barrier? Each "
                  "barrier counts its own, in b->waiting");
    SPY_WAKE_ALL(&bar.all_arrived);
    spy_settle(NULL);
    ck_assert_msg(sleeps(&p[0], "cbarrier_wait"),
                  "two barriers of 2 parties: a thread waited at the first, alone, while a round "
                  "of the second ended; woken for nothing, it left, its own round not full. Is "
                  "the round kept outside struct cbarrier (a static or global variable), shared "
                  "by every barrier? Each barrier counts its own rounds, in b->generation");
    call_start_on(&p[1], run_wait, &bar);
    ck_assert_msg(quiesce(p, 2, &bar.all_arrived, &bar.lock, "cbarrier_wait") == 0,
                  "two barriers of 2 parties: 2 arrived at the first, " ROUND_DID_NOT_END);
    for (int i = 0; i < 2; i++) {
        pending_join(p[i].p);
        pending_join(q[i].p);
    }
    int first = p[0].result + p[1].result, second = q[0].result + q[1].result;
    ck_assert_msg(first == 1 && second == 1,
                  "two barriers of 2 parties, a round of each: %d and %d threads got true from "
                  "cbarrier_wait; exactly one per round of each barrier must: %s", first, second,
                  SERIAL_MISTAKE(first != 1 ? first : second));
    cbarrier_destroy(&bar);
    cbarrier_destroy(&bar2);
}
END_TEST

/* Many rounds in a row: each thread notes the round it has arrived in. */
#define STEPS 300     /* past 255: a round number kept in a byte wraps */
#define MOST_PARTIES 8

static struct {
    unsigned parties;
    _Atomic(spy_thread_t *) spy[MOST_PARTIES];
    atomic_uint round[MOST_PARTIES];    /* the round each thread has arrived in */
    atomic_bool done[MOST_PARTIES];
    atomic_uint serial[STEPS + 1];      /* threads that got true, per round */
    atomic_uint off;                    /* 1 + the first thread found out of step, or 0 */
    atomic_uint off_round, off_seen, off_theirs;
} step;

static void *run_rounds(void *arg)
{
    unsigned me = (unsigned)(intptr_t)arg;

    atomic_store(&step.spy[me], spy_self());
    for (unsigned r = 1; r <= STEPS; r++) {
        atomic_store(&step.round[me], r);
        if (cbarrier_wait(&bar))
            atomic_fetch_add(&step.serial[r], 1);
        /* All have arrived in round r; none can be past round r + 1. */
        for (unsigned j = 0; j < step.parties; j++) {
            unsigned theirs = atomic_load(&step.round[j]);
            unsigned none = 0;
            if ((theirs < r || theirs > r + 1) && atomic_compare_exchange_strong(&step.off, &none, j + 1)) {
                atomic_store(&step.off_round, r);
                atomic_store(&step.off_seen, me);
                atomic_store(&step.off_theirs, theirs);
            }
        }
    }
    atomic_store(&step.done[me], true);
    return NULL;
}

/* Every thread has finished (true), or those left sleep for good (false; see quiesce()). */
static bool rounds_finish(void)
{
    for (;; timing_sleep_unscaled(0.001)) {
        unsigned long sent = wakeups(&bar.all_arrived);
        bool all_done = true, all_asleep = true;
        spy_settle(NULL);
        for (unsigned i = 0; i < step.parties; i++) {
            if (atomic_load(&step.done[i]))
                continue;
            all_done = false;
            spy_thread_t *t = atomic_load(&step.spy[i]);
            if (t == NULL || spy_doing(t) != SPY_WAITING)
                all_asleep = false;
        }
        if (all_done)
            return true;
        if (all_asleep && wakeups(&bar.all_arrived) == sent)
            return false;
    }
}

/* Why a thread left a round early, when the first rounds of the tests above went right. */
#define LEFT_EARLY "Did a waiter take a wake-up for the end of its round without looking again " \
    "(if instead of while), or compare the round it arrived in, kept in a type that wraps (an "  \
    "unsigned char wraps after 255 rounds, and 300 run here), with generation? Keep the round "  \
    "in an unsigned long, as generation is"

static void run_in_lock_step(unsigned parties)
{
    pthread_t t[MOST_PARTIES];
    char where[512];
    size_t len = 0;
    unsigned lo = STEPS + 1, hi = 0;

    memset(&step, 0, sizeof step);
    step.parties = parties;
    cbarrier_init(&bar, parties);
    spy_start();
    for (unsigned i = 0; i < parties; i++)
        PT(pthread_create(&t[i], NULL, run_rounds, (void *)(intptr_t)i));
    if (!rounds_finish()) {
        for (unsigned i = 0; i < parties && len < sizeof where; i++) {
            unsigned r = atomic_load(&step.round[i]);
            lo = r < lo ? r : lo;
            hi = r > hi ? r : hi;
            len += (size_t)snprintf(where + len, sizeof where - len, "%sthread %u in round %u",
                                    i ? ", " : "", i, r);
        }
        if (hi > lo)
            ck_abort_msg("with %u parties, the rounds stopped for good (%s): a fast thread lapped a "
                         "slow one. A party of round %u was woken but looked only after a faster "
                         "one had come back for round %u and counted itself in; to it the round "
                         "did not look over, and it went back to sleep. Remember the round "
                         "(generation) you arrived in, and wait while it is still the current one",
                         parties, where, lo, hi);
        ck_abort_msg("with %u parties, round %u never ended though all had arrived (%s), and all "
                     "sleep for good: the last arriver's wake-up did not reach every waiter. Did "
                     "it signal instead of broadcasting, or signal one waiter that was to pass it "
                     "on (a chain breaks when a signal reaches a thread of the next round)?",
                     parties, lo, where);
    }
    for (unsigned i = 0; i < parties; i++)
        PT(pthread_join(t[i], NULL));
    unsigned off = atomic_load(&step.off);
    if (off != 0) {
        unsigned r = atomic_load(&step.off_round), theirs = atomic_load(&step.off_theirs);
        if (theirs == 0)
            ck_abort_msg("with %u parties, thread %u left round %u before thread %u had even "
                         "called cbarrier_wait: nobody may leave a round before all have arrived "
                         "in it. %s", parties, atomic_load(&step.off_seen), r, off - 1,
                         r == 1 ? "Does cbarrier_wait wait at all, until the last party arrives?"
                                : LEFT_EARLY);
        if (theirs < r)
            ck_abort_msg("with %u parties, thread %u left round %u before thread %u had arrived "
                         "in it (it was in round %u): nobody may leave a round before all have "
                         "arrived in it. %s", parties, atomic_load(&step.off_seen), r, off - 1, theirs,
                         LEFT_EARLY);
        ck_abort_msg("with %u parties, thread %u was just leaving round %u when thread %u was "
                     "already in round %u, a round it could not have finished without thread %u: "
                     "it left a round before all had arrived. %s",
                     parties, atomic_load(&step.off_seen), r, off - 1, theirs,
                     atomic_load(&step.off_seen), LEFT_EARLY);
    }
    for (unsigned r = 1; r <= STEPS; r++)
        ck_assert_msg(atomic_load(&step.serial[r]) == 1,
                      "with %u parties, round %u: %u threads got true from cbarrier_wait; exactly "
                      "one per round must: %s", parties, r, atomic_load(&step.serial[r]),
                      SERIAL_MISTAKE(atomic_load(&step.serial[r])));
    cbarrier_destroy(&bar);
}

START_TEST(rounds_go_in_lock_step)
{
    run_in_lock_step(2);
    run_in_lock_step(3);
    run_in_lock_step(MOST_PARTIES);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("demos", 15);
    tcase_add_test(tc, never_more_than_three_connections_in_use);
    tcase_add_test(tc, a_cancelled_prompt_never_appears_and_a_late_cancel_does_nothing);
    tcase_add_test(tc, no_thread_starts_before_all_are_ready);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("csem", 10);
    tcase_add_checked_fixture(tc, show_state, NULL);
    tcase_add_test(tc, try_acquire_counts_the_permits);
    tcase_add_test(tc, try_acquire_waits_out_a_busy_lock);
    tcase_add_test(tc, acquire_waits_until_a_release);
    tcase_add_test(tc, permits_change_hands_under_the_lock);
    tcase_add_test(tc, the_wake_up_comes_after_the_permit);
    tcase_add_test(tc, a_permit_is_never_handed_out_twice);
    tcase_add_test(tc, each_release_wakes_a_waiter);
    tcase_add_test(tc, two_semaphores_keep_their_own_permits_and_sleepers);
    tcase_add_test(tc, never_more_holders_than_permits);
    tcase_add_test(tc, all_permits_can_be_held_at_once);
    suite_add_tcase(exercise, tc);
    tc = harness_tcase("cbarrier", 10);     /* 8 parties x 300 rounds on a loaded machine */
    tcase_add_checked_fixture(tc, show_state, NULL);
    tcase_add_test(tc, nobody_leaves_before_all_parties_arrive);
    tcase_add_test(tc, one_party_never_waits);
    tcase_add_test(tc, parties_count_in_under_the_lock);
    tcase_add_test(tc, a_fast_thread_cannot_trap_a_slow_one);
    tcase_add_test(tc, more_callers_than_parties_go_through_parties_at_a_time);
    tcase_add_test(tc, a_round_that_ends_before_the_lock_is_not_the_callers);
    tcase_add_test(tc, two_barriers_keep_their_own_counts_and_rounds);
    tcase_add_test(tc, rounds_go_in_lock_step);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
