/* harness.c - fork-mode runner, exit guard, hang report, child processes, waiting calls. */
#include "harness.h"

#include "alloc.h"
#include "event.h"
#include "pt.h"
#include "semaphore.h"
#include "timing.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef BIN_DIR
#error "BIN_DIR must name the directory of the built demos"
#endif

/* ---- the exit guard and the hang report ----------------------------------- */

static int forked_child;

/*
 * Registered with atexit() in the test's process. A test that reaches its
 * end never gets here: harness_test_end() ends the process with
 * HARNESS_PASSED. An exit() from the code under test lands here and fails
 * the test; an _exit() or a pthread_exit() of the test's thread never
 * reaches here and ends with a status Check reports as an early exit.
 */
static void exit_guard(void)
{
    if (forked_child)
        return;                 /* harness_fork()'s child: its exit is the point */
    ck_abort_msg("the process ended before the test did: the code under test "
                 "called exit() or pthread_exit() (or returned from main's thread)");
}

double harness_slowdown(void)
{
    const char *env = getenv("CK_TIMEOUT_MULTIPLIER");
    double m = env != NULL ? strtod(env, NULL) : 1;
    return m >= 1 ? m : 1;
}

static bool hung;       /* the hang report is failing the test */

_Noreturn void harness_assert_failed(const char *file, int line, const char *expr, const char *msg, ...)
{
    static char text[HARNESS_MESSAGE_MAX], steps[HARNESS_MESSAGE_MAX];
    va_list ap;

    if (msg == NULL) {
        snprintf(text, sizeof text, "%s", expr);
    } else {
        va_start(ap, msg);
        vsnprintf(text, sizeof text, msg, ap);
        va_end(ap);
    }
    static const char head[] = "\n\nThe last steps, a column per thread:\n";
    size_t used = strlen(text), room = sizeof text - used;
    int threads = spy_timeline_threads();
    if ((threads >= 2 || (hung && threads >= 1)) && room > 600) {
        spy_timeline(steps, room - sizeof head);
        if (steps[0] != '\0' && used + sizeof head + strlen(steps) <= sizeof text) {
            memcpy(text + used, head, sizeof head - 1);
            memcpy(text + used + sizeof head - 1, steps, strlen(steps) + 1);
        }
    }
    (_ck_assert_failed)(file, line, expr, "%s", text);
}

/* Fails the test a little before Check's own timer would, saying who waits where. */
static void *hang_report(void *arg)
{
    double seconds = *(double *)arg;
    static char threads[2400];

    timing_sleep_unscaled(seconds);
    spy_describe_all(threads, sizeof threads);
    hung = true;
    ck_abort_msg("the test did not finish within %g s. %s%s", seconds,
                 threads[0] != '\0' ? "What the threads of the code under test were doing:\n"
                                     : "(the code under test made no pthread call that could wait)",
                 threads);
    return NULL;
}

/* Runs when the test's thread ends by pthread_exit(), not when it returns. */
static void thread_guard(void *unused)
{
    (void)unused;
    if (!forked_child)
        ck_abort_msg("the test's thread ended before the test did: the code under test called "
                     "pthread_exit() in it");
}

/*
 * WORKBOOK_STOP_FILE names a file that makes a suite stop at its first
 * failure (make test proves that a wrong answer fails; one failure proves
 * it, and the tests after it would only wait out the same bug). Each test
 * appends 'S' when it starts and 'E' when it passes; a test that finds
 * more starts than ends is not run.
 */
static int stop_fd = -1;

static void stop_at_first_failure(void)
{
    const char *path = getenv("WORKBOOK_STOP_FILE");
    char buf[256];
    long started = 0, ended = 0;
    ssize_t n;

    if (path == NULL || *path == '\0')
        return;
    stop_fd = open(path, O_RDWR | O_CREAT | O_APPEND, 0644);
    if (stop_fd < 0)
        return;
    while ((n = read(stop_fd, buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++)
            buf[i] == 'S' ? started++ : ended++;
    if (started > ended)
        ck_abort_msg("not run: an earlier test failed (WORKBOOK_STOP_FILE stops at the first failure)");
    if (write(stop_fd, "S", 1) != 1)
        ck_abort_msg("cannot write WORKBOOK_STOP_FILE %s", path);
}

/* Runs in the test's own process, before the test; limit is its case's time limit. */
static void arm_guard(double limit)
{
    static double seconds;
    static pthread_key_t key;
    pthread_t reporter;

    stop_at_first_failure();
    if (atexit(exit_guard) != 0 || at_quick_exit(exit_guard) != 0)
        ck_abort_msg("cannot register the exit guard");
    PT(pthread_key_create(&key, thread_guard));
    PT(pthread_setspecific(key, &key));
    spy_start();
    /* WORKBOOK_TEST_LIMIT caps every test's limit (the grader's "hangs cost little"). */
    const char *cap = getenv("WORKBOOK_TEST_LIMIT");
    if (cap != NULL && strtod(cap, NULL) > 0 && strtod(cap, NULL) < limit)
        limit = strtod(cap, NULL);
    seconds = limit * harness_slowdown();
    PT(pthread_create(&reporter, NULL, hang_report, &seconds));
    PT(pthread_detach(reporter));
}

/*
 * ThreadSanitizer calls this (when the test is built with -fsanitize=thread)
 * at the end of each report, with a line like "ThreadSanitizer: data race
 * /path/account.c:23 in account_deposit". The report itself is on stderr;
 * the test fails when it ends, in the student's terms.
 */
static char race[512];
static const char *race_hint;

void harness_race_hint(const char *text)
{
    race_hint = text;
}

void __sanitizer_report_error_summary(const char *summary);
void __sanitizer_report_error_summary(const char *summary)
{
    /* "SUMMARY: ThreadSanitizer: data race /a/b/file.c:21 in worker" */
    const char *kind = strstr(summary, "ThreadSanitizer: ");
    const char *in = strstr(summary, " in ");
    if (race[0] != '\0' || kind == NULL)
        return;
    kind += strlen("ThreadSanitizer: ");
    const char *path = in != NULL ? in : kind + strlen(kind);
    while (path > kind && path[-1] != ' ')
        path--;
    const char *file = path;
    for (const char *p = path; p < (in != NULL ? in : path + strlen(path)); p++)
        if (*p == '/')
            file = p + 1;
    snprintf(race, sizeof race, "ThreadSanitizer: %.*s at %.*s%s%s%s", (int)(path - kind) - 1, kind,
             (int)((in != NULL ? in : path + strlen(path)) - file), file,
             in != NULL ? ", in " : "", in != NULL ? in + 4 : "", in != NULL ? "()" : "");
}

/* Called by every test body when it returns: the one way a test passes. */
void harness_test_end(void)
{
    if (race[0] != '\0')
        ck_abort_msg("%s. ThreadSanitizer saw two threads touch the same memory, at least one of "
                     "them writing, with nothing ordering the two (no lock both held): the report "
                     "above names both lines. %s", race,
                     race_hint != NULL ? race_hint : "Guard that variable with its mutex everywhere");
    fflush(NULL);
    if (stop_fd >= 0 && write(stop_fd, "E", 1) != 1)
        ck_abort_msg("cannot write WORKBOOK_STOP_FILE");
    _exit(HARNESS_PASSED);
}

/*
 * Check's fixtures take no argument, so each test case gets a setup of its
 * own that knows the case's time limit: one of these, by index.
 */
#define CASES 16
static double limits[CASES];
static int ncases;
#define SETUP(i) static void setup_##i(void) { arm_guard(limits[i]); }
SETUP(0) SETUP(1) SETUP(2) SETUP(3) SETUP(4) SETUP(5) SETUP(6) SETUP(7)
SETUP(8) SETUP(9) SETUP(10) SETUP(11) SETUP(12) SETUP(13) SETUP(14) SETUP(15)
static void (*const setups[CASES])(void) = {
    setup_0, setup_1, setup_2, setup_3, setup_4, setup_5, setup_6, setup_7,
    setup_8, setup_9, setup_10, setup_11, setup_12, setup_13, setup_14, setup_15,
};

TCase *harness_tcase(const char *name, double seconds)
{
    TCase *tc = tcase_create(name);

    if (seconds <= 0)
        seconds = 5;
    if (ncases == CASES) {
        fprintf(stderr, "harness: at most %d test cases per test file\n", CASES);
        abort();
    }
    limits[ncases] = seconds;
    tcase_add_checked_fixture(tc, setups[ncases++], NULL);
    /* Check's own timer is the backstop, one second after the hang report. */
    tcase_set_timeout(tc, seconds + 1);
    return tc;
}

int harness_main(Suite *suites[])
{
    SRunner *sr = srunner_create(suites[0]);
    for (int i = 1; suites[i] != NULL; i++)
        srunner_add_suite(sr, suites[i]);
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_ENV);            /* CK_VERBOSITY, default normal */

    int run = srunner_ntests_run(sr), failures = 0, errors = 0;
    TestResult **bad = srunner_failures(sr);
    for (int i = 0; i < srunner_ntests_failed(sr); i++) {
        if (tr_rtype(bad[i]) == CK_ERROR)
            errors++;
        else
            failures++;
    }
    free(bad);
    srunner_free(sr);

    const char *path = getenv("WORKBOOK_RESULT_FILE");
    if (path != NULL) {
        FILE *f = fopen(path, "w");
        if (f != NULL) {
            fprintf(f, "%d %d %d\n", run, failures, errors);
            fclose(f);
        }
    }
    if (run == 0) {
        fprintf(stderr, "no test ran: check CK_RUN_SUITE / CK_RUN_CASE\n");
        return 1;
    }
    return failures + errors == 0 ? 0 : 1;
}

/* ---- child processes ----------------------------------------------------- */

static void append(struct run *r, size_t *len, size_t *cap, const char *buf, size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = 2 * (*len + n + 1);
        r->out = realloc(r->out, *cap);
        ck_assert_ptr_nonnull(r->out);
    }
    memcpy(r->out + *len, buf, n);
    *len += n;
    r->out[*len] = '\0';
}

/* Read the child's output until it closes the pipe or the deadline passes. */
static struct run collect(pid_t pid, int fd, double start, double timeout)
{
    struct run r = { .out = NULL, .exit_code = -1 };
    size_t len = 0, cap = 0;

    append(&r, &len, &cap, "", 0);
    for (;;) {
        double left = timeout - (timing_now() - start);
        if (left <= 0) {
            r.timed_out = true;
            kill(pid, SIGKILL);
            break;
        }
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
            continue;           /* EINTR or the deadline: the loop decides */
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            break;              /* every writer closed: the program ended */
        append(&r, &len, &cap, buf, (size_t)n);
    }
    close(fd);

    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    r.seconds = timing_now() - start;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return r;
}

/* Fork with stdout and stderr going to a pipe; *fd is the reading end. */
static pid_t fork_piped(int *fd)
{
    int p[2];

    ck_assert_int_eq(pipe(p), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(p[1], STDOUT_FILENO);
        dup2(p[1], STDERR_FILENO);
        close(p[0]);
        close(p[1]);
        return 0;
    }
    close(p[1]);
    *fd = p[0];
    return pid;
}

/* Run build/bin/<program>; log_level NULL leaves LOG_LEVEL unset. */
static struct run run_program(const char *program, const char *const args[],
                              const char *log_level, double time_scale, double timeout)
{
    char path[4096], scale[64];
    const char *argv[16] = { path };
    int fd;

    snprintf(path, sizeof path, "%s/%s", BIN_DIR, program);
    snprintf(scale, sizeof scale, "%g", time_scale);
    for (int i = 0; args != NULL && args[i] != NULL && i < 14; i++)
        argv[i + 1] = args[i];

    double start = timing_now();
    pid_t pid = fork_piped(&fd);
    if (pid == 0) {
        setenv("WORKBOOK_TIME_SCALE", scale, 1);
        if (log_level != NULL)
            setenv("LOG_LEVEL", log_level, 1);
        else
            unsetenv("LOG_LEVEL");
        execv(path, (char *const *)argv);
        fprintf(stderr, "cannot run %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    return collect(pid, fd, start, timeout);
}

struct run harness_run(const char *program, const char *const args[],
                       double time_scale, double timeout)
{
    return run_program(program, args, NULL, time_scale, timeout);
}

struct run harness_run_debug(const char *program, const char *const args[],
                             double time_scale, double timeout)
{
    return run_program(program, args, "debug", time_scale, timeout);
}

struct run harness_fork(void (*fn)(void), double timeout)
{
    int fd;
    double start = timing_now();
    pid_t pid = fork_piped(&fd);

    if (pid == 0) {
        forked_child = 1;       /* the child's exit is the point here */
        fn();
        _exit(0);
    }
    return collect(pid, fd, start, timeout);
}

void run_free(struct run *r)
{
    free(r->out);
    r->out = NULL;
}

size_t harness_demos(char paths[][128], size_t max)
{
    glob_t models;
    char line[4096];
    size_t n = 0;

    ck_assert_int_eq(glob("lessons/[0-9][0-9]-*/lesson.mk", 0, NULL, &models), 0);
    for (size_t i = 0; i < models.gl_pathc; i++) {
        const char *model = models.gl_pathv[i];
        int folder = (int)(strrchr(model, '/') - model);
        FILE *f = fopen(model, "r");

        ck_assert_msg(f != NULL, "cannot read %s", model);
        while (fgets(line, sizeof line, f) != NULL) {
            char *rest = line + strspn(line, " \t");
            if (strncmp(rest, "demos", 5) != 0)
                continue;
            rest += 5 + strspn(rest + 5, " \t");
            rest += strncmp(rest, ":=", 2) == 0 ? 2 : strncmp(rest, "=", 1) == 0 ? 1 : 0;
            for (char *name = strtok(rest, " \t\n"); name != NULL; name = strtok(NULL, " \t\n")) {
                ck_assert_msg(n < max, "more than %zu demos in lessons/*/lesson.mk", max);
                snprintf(paths[n++], sizeof paths[0], "%.*s/%s", folder, model, name);
            }
        }
        fclose(f);
    }
    globfree(&models);
    return n;
}

/* The message of a log line: the text after "HH:MM:SS: ", or the line. */
static const char *message_of(const char *line)
{
    if (strlen(line) >= 10 && line[2] == ':' && line[5] == ':' && line[8] == ':' && line[9] == ' ')
        return line + 10;
    return line;
}

static int scan(const char *out, const char *message, int want_count)
{
    int index = 0, count = 0;
    size_t mlen = strlen(message);

    for (const char *line = out; *line != '\0'; index++) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *m = message_of(line);
        size_t skip = (size_t)(m - line);
        if (len >= skip && len - skip == mlen && memcmp(m, message, mlen) == 0) {
            if (!want_count)
                return index;
            count++;
        }
        line += len + (end != NULL);
    }
    return want_count ? count : -1;
}

int output_index(const char *out, const char *message)
{
    return scan(out, message, 0);
}

int output_count(const char *out, const char *message)
{
    return scan(out, message, 1);
}

size_t output_numbers(const char *out, const char *prefix, long values[], int lines[], size_t max)
{
    size_t n = 0, plen = strlen(prefix);
    int index = 0;

    for (const char *line = out; *line != '\0' && n < max; index++) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *m = message_of(line);
        char *after;
        if ((size_t)(m - line) + plen <= len && memcmp(m, prefix, plen) == 0) {
            long v = strtol(m + plen, &after, 10);
            if (after != m + plen) {
                values[n] = v;
                if (lines != NULL)
                    lines[n] = index;
                n++;
            }
        }
        line += len + (end != NULL);
    }
    return n;
}

/* ---- measuring concurrency ----------------------------------------------- */

static atomic_int inside, high_water, arrived;

void concurrency_reset(void)
{
    atomic_store(&inside, 0);
    atomic_store(&high_water, 0);
    atomic_store(&arrived, 0);
}

void concurrency_enter(void)
{
    int now = atomic_fetch_add(&inside, 1) + 1;
    int seen = atomic_load(&high_water);
    while (now > seen && !atomic_compare_exchange_weak(&high_water, &seen, now))
        ;
}

void concurrency_leave(void)
{
    atomic_fetch_sub(&inside, 1);
}

int concurrency_high_water(void) { return atomic_load(&high_water); }
int concurrency_arrived(void) { return atomic_load(&arrived); }

void *concurrency_measured(void *arg)
{
    concurrency_enter();
    timing_sleep_unscaled(0.001);
    concurrency_leave();
    return arg;
}

void *concurrency_rendezvous(void *want)
{
    int n = (int)(intptr_t)want;
    atomic_fetch_add(&arrived, 1);
    double give_up = timing_now() + 1;
    while (atomic_load(&arrived) < n && timing_now() < give_up)
        timing_sleep_unscaled(0.0005);
    return (void *)(intptr_t)(atomic_load(&arrived) >= n);
}

/* ---- threads that may never return --------------------------------------- */

struct bounded {
    void *(*fn)(void *);
    void *arg;
    void *result;
    semaphore_t *returned;
};

static void *run_bounded(void *arg)
{
    struct bounded *b = arg;

    b->result = b->fn(b->arg);
    semaphore_release(b->returned);
    return NULL;
}

bool harness_threads(void *(*fn)(void *), void *const args[], void *results[], int n,
                     double timeout)
{
    struct bounded *b = alloc_zeroed((size_t)n, sizeof *b);
    pthread_t *t = alloc_zeroed((size_t)n, sizeof *t);
    semaphore_t *returned = semaphore_create(0);
    double deadline = timing_now() + timeout;

    for (int i = 0; i < n; i++) {
        b[i] = (struct bounded){ fn, args != NULL ? args[i] : NULL, NULL, returned };
        PT(pthread_create(&t[i], NULL, run_bounded, &b[i]));
    }
    for (int i = 0; i < n; i++) {
        double left = deadline - timing_now();
        if (!semaphore_acquire_timed(returned, left > 0 ? left : 0))
            return false;   /* stuck threads use b, t and returned: leave them be */
    }
    for (int i = 0; i < n; i++) {
        PT(pthread_join(t[i], NULL));
        if (results != NULL)
            results[i] = b[i].result;
    }
    semaphore_destroy(returned);
    free(t);
    free(b);
    return true;
}

/* ---- calls that must wait ------------------------------------------------ */

struct pending {
    pthread_t thread;
    void *(*fn)(void *);
    void *arg;
    spy_thread_t *spy;
    event_t *started, *returned;
};

static void *run_pending(void *arg)
{
    pending_t *p = arg;

    p->spy = spy_self();
    event_set(p->started);
    void *result = p->fn(p->arg);
    event_set(p->returned);
    return result;
}

pending_t *pending_start(void *(*fn)(void *), void *arg)
{
    pending_t *p = alloc_zeroed(1, sizeof *p);

    *p = (pending_t){ .fn = fn, .arg = arg, .started = event_create(), .returned = event_create() };
    PT(pthread_create(&p->thread, NULL, run_pending, p));
    event_wait(p->started);
    return p;
}

bool pending_returned(pending_t *p, double seconds)
{
    return event_wait_timed(p->returned, seconds);
}

void *pending_join(pending_t *p)
{
    void *result;

    PT(pthread_join(p->thread, &result));
    event_destroy(p->started);
    event_destroy(p->returned);
    free(p);
    return result;
}

static bool asleep(enum spy_doing doing)
{
    return doing == SPY_WAITING || doing == SPY_LOCKING || doing == SPY_JOINING || doing == SPY_SEM;
}

/* A correct wait makes a handful of calls before it sleeps: lock, a
 * spurious wake-up, the real wait. Far more, and it is looking again and again. */
#define SETTLING_CALLS 50

/* A wait that returns at once, again and again, because its deadline was
 * long past before it began: say so, not just that it polls. */
static void assert_no_past_deadline(pending_t *p, const char *what)
{
    char past[400];
    if (spy_past_deadline(p->spy, past, sizeof past))
        ck_abort_msg("%s never stays asleep: %s. Add the timeout to the time now "
                     "(clock_gettime(CLOCK_REALTIME, ...)) to get the deadline; or, where nothing "
                     "needs a timeout, wait with pthread_cond_wait until another thread signals",
                     what, past);
}

void pending_assert_waits(pending_t *p, const char *what)
{
    char now[512];
    double give_up = timing_now() + 2 * harness_slowdown();

    for (;;) {
        if (pending_returned(p, 0))
            ck_abort_msg("%s returned, but nothing it waits for had happened: it must wait", what);
        enum spy_doing doing = spy_doing(p->spy);
        if (asleep(doing)) {
            /* Still so a moment later, with no call in between: not a lock
             * taken on the way to the wait (uncontended, but slow under
             * ThreadSanitizer on a busy machine), which looks the same. */
            unsigned long before = spy_calls(p->spy);
            timing_sleep_unscaled((doing == SPY_LOCKING ? 0.02 : 0.002) * harness_slowdown());
            if (asleep(spy_doing(p->spy)) && spy_calls(p->spy) == before)
                break;
            continue;
        }
        spy_describe(p->spy, now, sizeof now);
        if (doing == SPY_SLEEPING || doing == SPY_YIELDING || spy_calls(p->spy) > SETTLING_CALLS)
            assert_no_past_deadline(p, what);
        if (doing == SPY_SLEEPING || doing == SPY_YIELDING || spy_calls(p->spy) > SETTLING_CALLS)
            ck_abort_msg("%s polls instead of waiting (%s; %lu pthread calls so far): a thread "
                         "that waits for another should sleep in pthread_cond_wait, in a while "
                         "loop, until that thread signals", what, now, spy_calls(p->spy));
        if (timing_now() > give_up)
            ck_abort_msg("%s never went to sleep in a wait within %g s (%s): it spins. Wait on a "
                         "condition variable instead", what, 2 * harness_slowdown(), now);
        timing_sleep_unscaled(0.001);
    }
    unsigned long calls = spy_calls(p->spy);
    timing_sleep_unscaled(0.1);
    if (pending_returned(p, 0))
        ck_abort_msg("%s returned, but nothing it waits for had happened: it must wait", what);
    unsigned long more = spy_calls(p->spy) - calls;
    spy_describe(p->spy, now, sizeof now);
    if (more > 0 || !asleep(spy_doing(p->spy)))
        assert_no_past_deadline(p, what);
    if (more > 0 || !asleep(spy_doing(p->spy)))
        ck_abort_msg("%s does not stay asleep: it made %lu pthread calls in 0.1 s while nothing "
                     "changed (now %s). It polls: wait on a condition variable until another "
                     "thread signals it", what, more, now);
}

spy_thread_t *pending_thread(pending_t *p)
{
    return p->spy;
}

/* A correct wait, watched from its start: SETTLING_CALLS at most before it sleeps. */
bool pending_returns_at_once(pending_t *p)
{
    for (double give_up = timing_now() + 2 * harness_slowdown(); timing_now() < give_up;) {
        if (pending_returned(p, 0))
            return true;
        enum spy_doing doing = spy_doing(p->spy);
        if (doing == SPY_WAITING || doing == SPY_SLEEPING || doing == SPY_YIELDING ||
            spy_calls(p->spy) > SETTLING_CALLS)
            return false;
        timing_sleep_unscaled(0.001);
    }
    return pending_returned(p, 0);
}

bool pending_comes_back(pending_t *p)
{
    while (!pending_returned(p, 0.01))
        if (harness_asleep_for_good(&p->spy, 1, 0))
            return false;
    return true;
}

/*
 * A proof, not a timeout: a slow machine only makes it answer "not yet"
 * more often. `hold` covers what the spies cannot see: a thread woken by
 * its wait's own accord, as POSIX allows, taking the count of a wake-up
 * meant for another thread that has not run yet.
 */
bool harness_asleep_for_good(spy_thread_t *const threads[], int n, double hold)
{
    unsigned long before = 0, after = 0;
    for (int i = 0; i < n; i++) {
        if (threads[i] == NULL)
            continue;
        before += spy_calls(threads[i]);
        if (spy_doing(threads[i]) != SPY_WAITING)
            return false;
    }
    double settling = timing_now();
    spy_settle(NULL);
    if (timing_now() - settling > 1.5)  /* it gave up (at 2 s): a woken thread has not run yet */
        return false;
    timing_sleep_unscaled(hold);
    for (int i = 0; i < n; i++) {
        if (threads[i] == NULL)
            continue;
        if (spy_doing(threads[i]) != SPY_WAITING)
            return false;
        after += spy_calls(threads[i]);
    }
    return after == before;
}

void harness_watch_workers(_Atomic(spy_thread_t *) workers[], atomic_bool done[], int n,
                           atomic_int *taken, int total, const char *who)
{
    spy_thread_t **at_work = alloc_zeroed((size_t)n, sizeof *at_work);
    int finished = 0, last = -1;

    for (double moved_at = timing_now(); finished < n;) {
        timing_sleep_unscaled(0.01);
        int now = atomic_load(taken);
        if (now != last) {
            last = now;
            moved_at = timing_now();
        } else if (timing_now() - moved_at > 0.2) {
            bool started = true;
            for (int i = 0; i < n; i++) {
                at_work[i] = atomic_load(&done[i]) ? NULL : atomic_load(&workers[i]);
                started = started && (at_work[i] != NULL || atomic_load(&done[i]));
            }
            if (started && harness_asleep_for_good(at_work, n, 0.5)) {
                static char doing[1600];
                spy_describe_all(doing, sizeof doing);
                ck_abort_msg("%s stopped after %d of %d items came out: every one still at work "
                             "sleeps in a condition wait and no wake-up is on its way (a lost "
                             "wake-up, or items lost):\n%s", who, now, total, doing);
            }
        }
        finished = 0;
        for (int i = 0; i < n; i++)
            finished += atomic_load(&done[i]);
    }
    free(at_work);
}
