/*
 * harness.h - what every test file shares.
 *
 * - harness_tcase(): a Check test case that runs each test in its own
 *   forked process with a time limit. A test passes only when its process
 *   ends the way the harness ends it after the test function returned (an
 *   exit status of its own, HARNESS_PASSED): code under test that calls
 *   exit(), _exit() or pthread_exit() in the test's thread cannot pass a
 *   test that way. A test that runs out of time fails with what each
 *   thread was doing (spy.h), never with a bare "timeout".
 * - harness_main(): runs the suites in fork mode, prints one line per test,
 *   and records the counts for scripts/workbook.sh.
 * - harness_run(): runs a built demo as a child process with scaled time
 *   and a deadline, and returns what it printed.
 * - spy.h: what the exercise's own pthread calls did.
 */
#ifndef WORKBOOK_HARNESS_H
#define WORKBOOK_HARNESS_H

#include "spy.h"

#include <check.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Every failure (ck_assert_msg, ck_abort_msg, the spies' own) passes
 * through harness_assert_failed(), which ends the message with the spies'
 * journal drawn a column per thread (spy_timeline) when two or more threads
 * took part in it, or when the test hung: the schedule that broke the
 * answer, not only its outcome. It then fails the test as Check does.
 * (Check's macros call _ck_assert_failed(); this name is Check's, kept.)
 */
_Noreturn void harness_assert_failed(const char *file, int line, const char *expr, const char *msg, ...)
    __attribute__((format(printf, 4, 5)));
#define _ck_assert_failed(...) harness_assert_failed(__VA_ARGS__)

/* A test case whose tests get `seconds` each (0: the default, 5 s). The
 * environment variable WORKBOOK_TEST_LIMIT, when set, caps every limit;
 * WORKBOOK_STOP_FILE, when set, names a file through which a suite stops at
 * its first failure (the tests after it fail as "not run"). */
TCase *harness_tcase(const char *name, double seconds);

/*
 * The exit status of a test process that reached the end of its test:
 * every test body is followed by harness_test_end(), which ends the process
 * with it, and every test is added so that only that status passes it.
 */
#define HARNESS_PASSED 61
void harness_test_end(void);
#undef START_TEST
#define START_TEST(name)                                                       \
    static void name##_body(int _i);                                           \
    static void name##_fn(int _i)                                              \
    {                                                                          \
        name##_body(_i);                                                       \
        harness_test_end();                                                    \
    }                                                                          \
    static const TTest name##_ttest = { "" #name, name##_fn, __FILE__, __LINE__ }; \
    static const TTest *name = &name##_ttest;                                  \
    static void name##_body(int _i CK_ATTRIBUTE_UNUSED)
#undef tcase_add_test
#define tcase_add_test(tc, tf) tcase_add_exit_test((tc), (tf), HARNESS_PASSED)

/* The longest failure message Check passes on (CK_MAX_MSG_SIZE, 4 KB by
 * default; a longer one ends the test's process), with room to spare. */
#define HARNESS_MESSAGE_MAX 3600

/*
 * What to do about a data race ThreadSanitizer reports in this test, in the
 * lesson's terms (NULL: the default, "Guard that variable with its mutex
 * everywhere"), for a test whose race means something else (a lock built
 * from atomics with too weak a memory order).
 */
void harness_race_hint(const char *text);

/* CK_TIMEOUT_MULTIPLIER (default 1): slower builds (sanitizers) raise it,
 * and every time limit of the harness grows with it. */
double harness_slowdown(void);

/* Run the NULL-terminated suites; the process's exit status. */
int harness_main(Suite *suites[]);

/* What a child process printed and how it ended. */
struct run {
    char *out;          /* stdout and stderr, NUL-terminated */
    int exit_code;      /* its exit status, or -1 when a signal ended it */
    int signal;         /* the signal that ended it, or 0 */
    bool timed_out;     /* harness_run() killed it at the deadline */
    double seconds;     /* how long it ran */
};

/*
 * Run build/bin/<program> with args (a NULL-terminated list, or NULL),
 * WORKBOOK_TIME_SCALE set to time_scale, and kill it after timeout seconds.
 * Free the result with run_free().
 */
struct run harness_run(const char *program, const char *const args[],
                       double time_scale, double timeout);
/* The same with LOG_LEVEL=debug, for the article's debug lines. */
struct run harness_run_debug(const char *program, const char *const args[],
                             double time_scale, double timeout);
void run_free(struct run *r);

/* Run fn() in a child process (output captured, killed after timeout). */
struct run harness_fork(void (*fn)(void), double timeout);

/*
 * The demos of every lesson, in lesson order, and each lesson's in the
 * order its lessons/NN-slug/lesson.mk names them ("demos := a b c", on one
 * line): their paths without ".c", "lessons/NN-slug/a", at most max of
 * them (the test fails at more). Returns how many.
 */
size_t harness_demos(char paths[][128], size_t max);

/*
 * Where log line `message` stands in out (0 for the first line), looking
 * at the text after the "HH:MM:SS: " stamp; -1 when it is not there.
 */
int output_index(const char *out, const char *message);
/* How many lines of out carry exactly this message. */
int output_count(const char *out, const char *message);
/*
 * The numbers that follow `prefix` at the start of out's messages, in
 * order: "Consumer storing message: " finds 43 in "...: Consumer storing
 * message: 43 (size=3)". At most max of them; lines[i] (when lines is not
 * NULL) is the line where values[i] stands. Returns how many it found.
 */
size_t output_numbers(const char *out, const char *prefix, long values[], int lines[], size_t max);

/*
 * Measuring concurrency from inside tasks. concurrency_enter() and _leave()
 * bracket a critical stretch and keep the high-water mark of threads inside
 * at once. concurrency_measured() is a task that does that around a 1 ms
 * stay. concurrency_rendezvous((void *)n) is a task that waits (at most 1 s)
 * until n tasks have arrived, and returns (void *)1 when it saw them all:
 * proof that n tasks ran at the same time, with no timing luck involved.
 */
void concurrency_reset(void);
void concurrency_enter(void);
void concurrency_leave(void);
int concurrency_high_water(void);
int concurrency_arrived(void);
void *concurrency_measured(void *arg);
void *concurrency_rendezvous(void *want);

/*
 * Run fn(args[i]) (fn(NULL) when args is NULL) on n threads at once, and
 * wait at most timeout seconds for all of them to return. True: all did,
 * all are joined, and results[i] (when results is not NULL) holds what
 * thread i returned. False: some thread is still running, stuck in a
 * deadlock say; it is left behind, so fail the test, which ends it.
 */
bool harness_threads(void *(*fn)(void *), void *const args[], void *results[], int n,
                     double timeout);

/*
 * A call that must wait. pending_start() runs fn(arg) on a new thread;
 * pending_returned() waits at most `seconds` for fn to return and says
 * whether it did; pending_join() waits for it without limit (the test's
 * own time limit bounds it), returns what fn returned and frees p.
 * The usual test: start the call, check that it has not returned within
 * 0.2 s, do what should release it, join. A right answer waits however
 * long it is watched, so that check never fails it by bad timing.
 */
typedef struct pending pending_t;
pending_t *pending_start(void *(*fn)(void *), void *arg);
bool pending_returned(pending_t *p, double seconds);
void *pending_join(pending_t *p);
/*
 * Assert that the pending call is asleep in a wait (a condition wait, a
 * lock, a join) and stays asleep, making no pthread call for 0.1 s, while
 * nothing it waits for happens. `what` names the call in the message. A
 * call that returns, sleeps and looks again, or spins, fails it.
 */
void pending_assert_waits(pending_t *p, const char *what);
/*
 * Watch a pending call until it returns (true), or sleeps, polls or spins
 * (false: pending_assert_waits() tells which), for at most 2 s.
 */
bool pending_returns_at_once(pending_t *p);
/* The pending call's thread, as the spies see it. */
spy_thread_t *pending_thread(pending_t *p);
/* Whether the pending call returns: false only once it sleeps for good. */
bool pending_comes_back(pending_t *p);

/*
 * Whether the threads (NULL: one that has finished) sleep for good: each in
 * a condition wait, still there after every wake-up already sent has been
 * taken (spy_settle) and `hold` seconds more, and not one pthread call made
 * meanwhile.
 */
bool harness_asleep_for_good(spy_thread_t *const threads[], int n, double hold);

/*
 * Wait until n workers have finished (each sets done[i] last, and
 * workers[i] to spy_self() first). Whenever *taken (items out so far) has
 * not moved for 0.2 s and every worker still at work sleeps for good, fail:
 * "<who> stopped after <taken> of <total> items came out", then what each
 * thread was doing. For the many-producers, many-consumers tests.
 */
void harness_watch_workers(_Atomic(spy_thread_t *) workers[], atomic_bool done[], int n,
                           atomic_int *taken, int total, const char *who);

#endif
