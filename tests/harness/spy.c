/*
 * spy.c - the spies behind spy_hook.h and spy.h.
 *
 * DESIGN. One plain mutex, `book`, guards every record here: the threads
 * (numbered in the order the spies first see them), the mutexes and the
 * condition variables (found by address in two open-addressed tables), the
 * counts and the interference plan. It is never held across a real call
 * that can block. A mutex is recorded as taken only after the real lock
 * returned and as free before the real unlock, so "the spies say thread T
 * holds m" implies T really holds it; that makes the deadlock-cycle check
 * sound: it fails a test only for a cycle that can never untangle.
 * Failures go through ck_abort_msg(), which in Check's fork mode ends the
 * test's process from whichever thread calls it.
 */
#define _DEFAULT_SOURCE     /* usleep(), for the spy that stands in for it */
#define SPY_NO_REDIRECT
#include "spy_hook.h"
#include "spy.h"
#include "harness.h"
#include "portable.h"

#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define THREADS 512
#define SLOTS 1024      /* per table; a power of two */
#define SITES 4

struct spy_thread {
    int number;                 /* 0: the test's own thread */
    pthread_t id;
    const char *origin;         /* where the code under test started it; NULL: a test's thread */
    int origin_line;
    enum spy_doing doing;
    bool timed;                 /* its LOCKING has a deadline */
    const void *object;         /* the mutex, cv or semaphore it waits for */
    const char *file;           /* its latest spied call */
    int line;
    unsigned long calls;
    bool calm;                  /* its next condition wait is a real one */
    bool in_hook;
    bool stepping_in;           /* running a test's spy_interfere function */
    bool joined;
    bool created_detached;      /* pthread_create()'s attributes made it detached */
    bool detached;              /* pthread_detach() was called on it */
    const char *detached_file;  /* where */
    int detached_line;
    struct spy_thread *joining; /* the thread it waits for in pthread_join */
    bool returned;              /* its start routine returned, or it called pthread_exit */
    void *result;               /* what it returned then */
    int held;                   /* spied mutexes it holds */
    spy_thread_t *starter;      /* the thread that started it (code under test only) */
    bool start_held;            /* waits to run its start routine (spy_hold_starts) */
    bool was_held;              /* was held so, and has been let go */
    bool started_held;          /* it started a thread while the test held starts */
    bool starts_open;           /* and has waited since: those threads may go */
    struct timespec past;       /* a timed wait's deadline already long past, */
    const char *past_file;      /* and where (NULL: none yet) */
    int past_line;
    unsigned long atomics;      /* atomic operations since spy_atomic_interfere(), */
    const char *atomic_kind;    /* and the latest: what, */
    const char *atomic_file;    /* and where */
    int atomic_line;
};

struct mrec {
    const void *addr;
    int type;
    spy_thread_t *owner;
    int depth;
    const char *file;           /* where the owner took it */
    int line;
    unsigned long locks, releases;
    bool destroyed;             /* since its last init */
};

struct crec {
    const void *addr;
    const void *mutex;
    struct { const char *file; int line; } site[SITES];
    int sites;
    unsigned long waits, signals, broadcasts;
    unsigned long timed_waits;  /* waits with a deadline, spurious or real, */
    struct timespec first_deadline, last_deadline;  /* and the earliest and latest they passed */
    bool monotonic;             /* its timed waits measure CLOCK_MONOTONIC (as initialised) */
    int sleeping;               /* threads inside the real wait */
    int owed;                   /* wake-ups sent and not yet taken */
    bool destroyed;             /* since its last init */
};

static pthread_mutex_t book = PTHREAD_MUTEX_INITIALIZER;
static spy_thread_t threads[THREADS];
static int nthreads;
static struct mrec mutexes[SLOTS];
static struct crec conds[SLOTS];
static size_t created, joined, joined_for_result, live, live_max;
static bool first_wait_real;      /* spy_first_wait_real() */
static bool holding;              /* spy_hold_wakers() */
static bool holding_starts;       /* spy_hold_starts() */
static bool parking_starts;       /* spy_park_starts() */
static bool start_returns_first;  /* spy_start_returns_first() */
static pthread_cond_t start_moved = PTHREAD_COND_INITIALIZER;
static int held;                  /* threads parked by it now */
static pthread_cond_t unheld = PTHREAD_COND_INITIALIZER;
static void *create_args[THREADS];
static spy_thread_t *started[THREADS];     /* by creation order, as create_args */
static int started_as[THREADS];            /* its number then (its record may serve again) */
static _Thread_local spy_thread_t *me_tls;

static struct {
    const void *m;
    enum spy_point at;
    int nth, seen;
    void (*fn)(void *);
    void *arg;
    bool armed, fired;
} plan;

/* spy_atomic_interfere(): atomics are looked at only while watching is set. */
static atomic_bool watching;
static struct {
    int nth, seen;
    spy_thread_t *thread;       /* the one that made the nth operation */
    void (*fn)(void *);
    void *arg;
    bool armed, fired;
} between;

/*
 * Under ThreadSanitizer the spies must be invisible: `book` would order the
 * threads that pass through it and hide the very races TSan is there to
 * find. Its lock, and the records it guards, are left out of TSan's view.
 */
#if defined(__SANITIZE_THREAD__)
#define SPY_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SPY_TSAN 1
#endif
#endif
#ifdef SPY_TSAN
void AnnotateIgnoreSyncBegin(const char *file, int line);
void AnnotateIgnoreSyncEnd(const char *file, int line);
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
void AnnotateIgnoreWritesBegin(const char *file, int line);
void AnnotateIgnoreWritesEnd(const char *file, int line);
static void hide(void)
{
    AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
    AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
    AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
}
static void unhide(void)
{
    AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
    AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
    AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
}
#else
static void hide(void) {}
static void unhide(void) {}
#endif

#define LOCK() (hide(), (void)pthread_mutex_lock(&book))
#define UNLOCK() ((void)pthread_mutex_unlock(&book), unhide())

static const char *base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

static const char *hint;

void spy_hint(const char *text)
{
    hint = text;
}

_Noreturn static void flunk(const char *fmt, ...)
{
    char msg[4096];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ck_abort_msg("%s%s%s", msg, hint != NULL ? ". " : "", hint != NULL ? hint : "");
    _exit(1);   /* not reached: Check ends the process */
}

/* The same, for callers that hold `book`. */
#define FAIL_LOCKED(...) do { UNLOCK(); flunk(__VA_ARGS__); } while (0)

/* ---- records -------------------------------------------------------------- */

/*
 * A record for a thread the spies have just met. Once all THREADS are in
 * use, the record of a thread of the code under test that is over (it
 * returned, and was joined or is detached) serves again, under a new
 * number: code may start any number of threads over time, as long as no
 * more than THREADS are alive at once.
 */
static int numbered;    /* threads met so far */

static spy_thread_t *over(void)
{
    static int next;    /* where the last search stopped */

    for (int n = 0; n < THREADS; n++, next = (next + 1) % THREADS) {
        const spy_thread_t *t = &threads[next];
        if (t->origin != NULL && t->returned && t->doing == SPY_DONE &&
            (t->joined || t->detached || t->created_detached))
            return &threads[next];
    }
    return NULL;
}

static spy_thread_t *new_thread(const char *origin, int line)
{
    spy_thread_t *t = nthreads < THREADS ? &threads[nthreads++] : over();

    if (t == NULL)
        FAIL_LOCKED("the spies can follow at most %d threads alive (or not yet joined) at once",
                    THREADS);
    *t = (spy_thread_t){ .number = numbered++, .origin = origin, .origin_line = line,
                         .calm = first_wait_real };
    return t;
}

static spy_thread_t *self(void)
{
    if (me_tls == NULL) {
        LOCK();
        me_tls = new_thread(NULL, 0);
        me_tls->id = pthread_self();
        UNLOCK();
    }
    return me_tls;
}

spy_thread_t *spy_self(void)
{
    return self();
}

static size_t slot_of(const void *addr)
{
    return ((uintptr_t)addr >> 3) * 2654435761u % SLOTS;
}

/* The slot of key in a table of SLOTS records, each with its addr at
 * addr_of(i): the slot that holds key, else (create) the first free one,
 * now key's; -1 when key has none and create is false. */
static long slot_find(const void *key, bool create, const void **(*addr_of)(size_t))
{
    for (size_t i = slot_of(key), n = 0; n < SLOTS; i = (i + 1) % SLOTS, n++) {
        const void **addr = addr_of(i);
        if (*addr == key)
            return (long)i;
        if (*addr == NULL) {
            if (!create)
                return -1;
            *addr = key;
            return (long)i;
        }
    }
    FAIL_LOCKED("the spies can follow at most %d mutexes and %d condition variables", SLOTS, SLOTS);
}

static const void **mutex_addr(size_t i) { return &mutexes[i].addr; }
static const void **cond_addr(size_t i) { return &conds[i].addr; }

static struct mrec *mutex_rec(const void *m, bool create)
{
    long i = slot_find(m, create, mutex_addr);
    return i < 0 ? NULL : &mutexes[i];
}

static struct crec *cond_rec(const void *cv, bool create)
{
    long i = slot_find(cv, create, cond_addr);
    return i < 0 ? NULL : &conds[i];
}

static const char *who(const spy_thread_t *t, char *buf, size_t size)
{
    if (t->number == 0)
        snprintf(buf, size, "the test's thread");
    else if (t->origin != NULL)
        snprintf(buf, size, "thread %d (started at %s:%d)", t->number, base(t->origin), t->origin_line);
    else
        snprintf(buf, size, "thread %d (a test's thread)", t->number);
    return buf;
}

/* Note a spied call; the caller holds `book`. */
static void enter(spy_thread_t *me, const char *file, int line)
{
    me->calls++;
    me->file = file;
    me->line = line;
}

static void took(spy_thread_t *me, struct mrec *r, const char *file, int line)
{
    if (r->owner == me) {
        r->depth++;
        return;
    }
    r->owner = me;
    r->depth = 1;
    r->file = file;
    r->line = line;
    me->held++;
}

static void let_go(spy_thread_t *me, struct mrec *r)
{
    if (--r->depth > 0)
        return;
    r->owner = NULL;
    r->releases++;
    me->held--;
}

/* ---- the journal: who did what, in order, for spy_timeline() ------------------ */

#define JOURNAL 40
#define NAMES 16

struct event {
    int column;                 /* the thread's number; -1: a test stepping in */
    char what[96];
    const char *file;           /* NULL for a test's note */
    int line;
};
static struct event journal[JOURNAL];
static unsigned long nevents;   /* since spy_start(); the last JOURNAL are kept */
static struct { const void *addr; char name[24]; } names[NAMES];
static struct {
    void (*describe)(const pthread_mutex_t *m, char *buf, size_t size);
    char last[48];
} watch;                        /* spy_watch() */

void spy_name(const void *object, const char *name)
{
    LOCK();
    size_t i = 0;
    while (i < NAMES && names[i].addr != NULL && names[i].addr != object)
        i++;
    if (i < NAMES) {
        names[i].addr = object;
        snprintf(names[i].name, sizeof names[i].name, "%s", name);
    }
    UNLOCK();
}

/* A mutex's or condition variable's name: the test's, or "mutex 1" ...
 * (numbered as the journal meets them); the caller holds `book`. */
static const char *name_of(const void *object, const char *kind)
{
    static char fallback[NAMES][24];
    size_t i = 0;
    while (i < NAMES && names[i].addr != NULL && names[i].addr != object)
        i++;
    if (i == NAMES)
        return kind;
    if (names[i].addr == NULL) {
        names[i].addr = object;
        snprintf(fallback[i], sizeof fallback[i], "%s %zu", kind, i + 1);
        snprintf(names[i].name, sizeof names[i].name, "%s", fallback[i]);
    }
    return names[i].name;
}

/* Note a step of `me` in the journal; the caller holds `book`. */
static void note_locked(const spy_thread_t *me, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    size_t at = nevents++ % JOURNAL;

    journal[at].column = me->stepping_in ? -1 : me->number;
    va_start(ap, fmt);
    vsnprintf(journal[at].what, sizeof journal[at].what, fmt, ap);
    va_end(ap);
    journal[at].file = file;
    journal[at].line = line;
}

/* After a step on m by a thread that holds it: the watched state, beside
 * that step, when it changed. The caller holds `book`. */
static void note_state(const pthread_mutex_t *m)
{
    char now[sizeof watch.last];
    if (watch.describe == NULL || nevents == 0)
        return;
    now[0] = '\0';
    watch.describe(m, now, sizeof now);
    if (now[0] == '\0' || strcmp(now, watch.last) == 0)
        return;
    snprintf(watch.last, sizeof watch.last, "%s", now);
    struct event *j = &journal[(nevents - 1) % JOURNAL];
    size_t used = strlen(j->what);
    snprintf(j->what + used, sizeof j->what - used, ": %s", now);
}

void spy_watch(void (*describe)(const pthread_mutex_t *m, char *buf, size_t size))
{
    LOCK();
    watch.describe = describe;
    watch.last[0] = '\0';
    UNLOCK();
}

void spy_note(const char *fmt, ...)
{
    spy_thread_t *me = self();
    char what[64];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    LOCK();
    note_locked(me, NULL, 0, "%s", what);
    UNLOCK();
}

/* Append to buf (of size size, filled up to *len) what fmt says. */
static void put(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
    va_list ap;
    if (*len + 1 >= size)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, size - *len, fmt, ap);
    va_end(ap);
    *len += n < 0 ? 0 : (size_t)n < size - *len ? (size_t)n : size - *len - 1;
}

/* Draw the journal from step `first` on into buf; false if it did not fit.
 * The caller holds `book`. */
static bool draw(unsigned long first, char *buf, size_t size)
{
    int cols[5], ncols = 0;
    size_t len = 0;

    buf[0] = '\0';
    for (unsigned long e = first; e < nevents; e++) {
        int c = journal[e % JOURNAL].column, k = 0;
        while (k < ncols && cols[k] != c)
            k++;
        if (k == ncols && ncols < 5)
            cols[ncols++] = c;
    }
    if (first > 0)
        put(buf, size, &len, "(the first %lu steps are not shown)\n", first);
    if (ncols <= 3) {
        int w = ncols > 0 ? (80 - 7) / ncols - 3 : 0;
        put(buf, size, &len, "  step |");
        for (int k = 0; k < ncols; k++) {
            char head[48];
            if (cols[k] == -1)
                snprintf(head, sizeof head, "another thread (the test's)");
            else if (cols[k] == 0)
                snprintf(head, sizeof head, "the test's thread");
            else
                snprintf(head, sizeof head, "thread %d", cols[k]);
            put(buf, size, &len, " %-*.*s |", w, w, head);
        }
        put(buf, size, &len, "\n");
        for (unsigned long e = first; e < nevents; e++) {
            const struct event *j = &journal[e % JOURNAL];
            char cell[160];
            if (j->file != NULL)
                snprintf(cell, sizeof cell, "%s (%s:%d)", j->what, base(j->file), j->line);
            else
                snprintf(cell, sizeof cell, "%s", j->what);
            /* The cell, wrapped at spaces inside its column. */
            const char *rest = cell;
            for (int row = 0; *rest != '\0' || row == 0; row++) {
                int n = (int)strlen(rest);
                if (n > w) {
                    n = w;
                    while (n > w / 2 && rest[n] != ' ')
                        n--;
                    if (rest[n] != ' ')
                        n = w;
                }
                row == 0 ? put(buf, size, &len, "%6lu |", e + 1) : put(buf, size, &len, "       |");
                for (int k = 0; k < ncols; k++)
                    put(buf, size, &len, " %-*.*s |", w, cols[k] == j->column ? n : 0, rest);
                put(buf, size, &len, "\n");
                rest += n;
                while (*rest == ' ')
                    rest++;
            }
        }
    } else {
        for (unsigned long e = first; e < nevents; e++) {
            const struct event *j = &journal[e % JOURNAL];
            char head[32];
            if (j->column == -1)
                snprintf(head, sizeof head, "another thread");
            else
                snprintf(head, sizeof head, "thread %d", j->column);
            put(buf, size, &len, "%6lu  %-15s %s", e + 1, head, j->what);
            if (j->file != NULL)
                put(buf, size, &len, " (%s:%d)", base(j->file), j->line);
            put(buf, size, &len, "\n");
        }
    }
    return len + 1 < size;
}

int spy_timeline_threads(void)
{
    int cols[8], ncols = 0;

    LOCK();
    for (unsigned long e = nevents > JOURNAL ? nevents - JOURNAL : 0; e < nevents; e++) {
        int c = journal[e % JOURNAL].column, k = 0;
        while (k < ncols && cols[k] != c)
            k++;
        if (k == ncols && ncols < 8)
            cols[ncols++] = c;
    }
    UNLOCK();
    return ncols;
}

/* The latest steps that fit in size (a failure message has room for 4 KB
 * in all: Check refuses a longer one). */
void spy_timeline(char *buf, size_t size)
{
    LOCK();
    unsigned long first = nevents > JOURNAL ? nevents - JOURNAL : 0;
    while (!draw(first, buf, size) && first < nevents)
        first++;
    UNLOCK();
}

/* ---- forced interleavings ------------------------------------------------- */

void spy_interfere(const pthread_mutex_t *m, enum spy_point at, int nth, void (*fn)(void *),
                   void *arg)
{
    LOCK();
    plan.m = m;
    plan.at = at;
    plan.nth = nth;
    plan.seen = 0;
    plan.fn = fn;
    plan.arg = arg;
    plan.armed = true;
    plan.fired = false;
    UNLOCK();
}

void spy_interfere_cancel(void)
{
    LOCK();
    plan.armed = false;
    UNLOCK();
}

bool spy_interfered(void)
{
    LOCK();
    bool fired = plan.fired;
    UNLOCK();
    return fired;
}

/* Run a test's function in the calling thread, as another thread scheduled there would. */
static void step_in(spy_thread_t *me, void (*fn)(void *), void *arg)
{
    if (fn == NULL)
        return;
    me->in_hook = true;
    me->stepping_in = true;
    fn(arg);
    me->stepping_in = false;
    me->in_hook = false;
}

static void maybe_interfere(spy_thread_t *me, const void *m, enum spy_point at)
{
    void (*fn)(void *) = NULL;
    void *arg = NULL;

    LOCK();
    if (plan.armed && plan.m == m && plan.at == at && !me->in_hook && me->held == 0 &&
        ++plan.seen == plan.nth) {
        plan.armed = false;
        plan.fired = true;
        fn = plan.fn;
        arg = plan.arg;
    }
    UNLOCK();
    step_in(me, fn, arg);
}

void spy_atomic_interfere(int nth, void (*fn)(void *), void *arg)
{
    LOCK();
    for (int i = 0; i < nthreads; i++)
        threads[i].atomics = 0;
    between.nth = nth;
    between.seen = 0;
    between.thread = NULL;
    between.fn = fn;
    between.arg = arg;
    between.armed = true;
    between.fired = false;
    atomic_store(&watching, true);
    UNLOCK();
}

bool spy_atomic_interfered(void)
{
    LOCK();
    bool fired = between.fired;
    UNLOCK();
    return fired;
}

/* Before each atomic operation of the code under test (spy_hook.h). */
void spy_atomic(const char *kind, SPY_AT)
{
    void (*fn)(void *) = NULL;
    void *arg = NULL;

    if (!atomic_load_explicit(&watching, memory_order_relaxed))
        return;         /* the usual case: one relaxed load, which orders nothing */
    spy_thread_t *me = self();
    LOCK();
    if (!me->in_hook) {
        me->atomics++;
        me->atomic_kind = kind;
        me->atomic_file = file;
        me->atomic_line = line;
        if (between.armed && between.thread == me) {
            between.armed = false;
            between.fired = true;
            fn = between.fn;
            arg = between.arg;
        } else if (between.armed && between.thread == NULL && ++between.seen == between.nth) {
            between.thread = me;
        }
    }
    UNLOCK();
    step_in(me, fn, arg);
}

void spy_settle(void *unused)
{
    (void)unused;
    for (double give_up = timing_now() + 2; timing_now() < give_up;) {
        int owed = 0;
        LOCK();
        for (size_t i = 0; i < SLOTS; i++)
            owed += conds[i].owed;
        UNLOCK();
        if (owed == 0)
            return;
        timing_sleep_unscaled(0.0005);
    }
}

/* ---- threads -------------------------------------------------------------- */

struct start {
    spy_thread_t *t;
    void *(*fn)(void *);
    void *arg;
};

/* Another thread of t's starter held by spy_hold_starts that runs, or is about to. */
static bool other_held_one_runs(const spy_thread_t *t)
{
    for (int i = 0; i < nthreads; i++) {
        const spy_thread_t *u = &threads[i];
        if (u != t && u->starter == t->starter &&
            (u->start_held || (u->was_held && !u->returned && u->doing == SPY_RUNNING)))
            return true;
    }
    return false;
}

/* Before its start routine, a thread started while the test holds starts
 * waits until its starter waits (see spy_hold_starts); the one the starter
 * waits to join goes after the starter's others. The caller holds `book`. */
static void wait_to_start(spy_thread_t *t)
{
    while (t->start_held) {
        bool last = t->starter->doing == SPY_JOINING && t->starter->object == t;
        if (!holding_starts || (t->starter->starts_open && !(last && other_held_one_runs(t)))) {
            t->start_held = false;
            break;
        }
        UNLOCK();
        timing_sleep_unscaled(0.0002);
        LOCK();
    }
}

/* The thread `me`, which may have started held threads, is about to wait:
 * let them go. The caller holds `book`. */
static void starter_waits(spy_thread_t *me)
{
    if (me->started_held)
        me->starts_open = true;
}

static void *trampoline(void *arg)
{
    struct start s = *(struct start *)arg;

    free(arg);
    me_tls = s.t;
    LOCK();
    while (parking_starts)      /* spy_park_starts(): not yet */
        pthread_cond_wait(&start_moved, &book);
    wait_to_start(s.t);
    UNLOCK();
    void *result = s.fn(s.arg);
    LOCK();
    s.t->doing = SPY_DONE;
    s.t->returned = true;
    s.t->result = result;
    pthread_cond_broadcast(&start_moved);
    UNLOCK();
    return result;
}

int spy_pthread_create(pthread_t *id, const pthread_attr_t *attr, void *(*fn)(void *), void *arg,
                       SPY_AT)
{
    spy_thread_t *me = self();
    struct start *s = malloc(sizeof *s);

    if (s == NULL)
        flunk("out of memory in the thread spy");
    LOCK();
    enter(me, file, line);
    spy_thread_t *t = new_thread(file, line);
    t->starter = me;
    t->start_held = t->was_held = holding_starts;
    me->started_held |= holding_starts;
    *s = (struct start){ t, fn, arg };
    UNLOCK();
    int detach_state = PTHREAD_CREATE_JOINABLE;
    if (attr != NULL)
        pthread_attr_getdetachstate(attr, &detach_state);
    int rc = pthread_create(id, attr, trampoline, s);   /* s is the new thread's now */
    LOCK();
    if (rc == 0) {
        t->id = *id;
        t->created_detached = detach_state == PTHREAD_CREATE_DETACHED;
        if (created < THREADS) {
            create_args[created] = arg;
            started[created] = t;
            started_as[created] = t->number;
        }
        created++;
        if (!t->created_detached && ++live > live_max)     /* one to join, some day */
            live_max = live;
    } else {
        t->doing = SPY_DONE;
        free(s);
    }
    /* spy_start_returns_first(): not before the new thread is done (2 s at most) */
    for (double give_up = timing_now() + 2; rc == 0 && start_returns_first && !t->returned &&
                                            !parking_starts && timing_now() < give_up;) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 10000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&start_moved, &book, &until);
    }
    UNLOCK();
    return rc;
}

/* The newest thread with that id (an id may be given again once its thread is joined). */
static spy_thread_t *created_thread(pthread_t id)
{
    spy_thread_t *found = NULL;

    for (int i = nthreads - 1; i >= 0; i--)
        if (threads[i].origin != NULL && pthread_equal(threads[i].id, id) &&
            (found == NULL || threads[i].number > found->number))
            found = &threads[i];
    return found;
}

int spy_pthread_join(pthread_t id, void **result, SPY_AT)
{
    spy_thread_t *me = self();
    char a[96];

    LOCK();
    enter(me, file, line);
    spy_thread_t *t = created_thread(id);
    if (t != NULL && t->created_detached)
        FAIL_LOCKED("%s:%d: %s joins a thread that was created detached: nobody may join a detached "
                    "thread (POSIX leaves it undefined; glibc may say EINVAL, or hang)", base(file), line,
                    who(me, a, sizeof a));
    if (t != NULL && t->detached)
        FAIL_LOCKED("%s:%d: %s joins a thread that %s:%d detached: nobody may join a detached thread "
                    "(POSIX leaves it undefined; glibc may say EINVAL, or hang). If that detach meant "
                    "an older thread, created detached and ended since, its pthread_t named this one "
                    "by then: never detach a thread created detached", base(file), line,
                    who(me, a, sizeof a), base(t->detached_file), t->detached_line);
    if (t != NULL && t->joined)
        FAIL_LOCKED("%s:%d: %s joins a thread that was already joined: a thread can be joined once "
                    "(joining it again is undefined behaviour)", base(file), line, who(me, a, sizeof a));
    me->doing = SPY_JOINING;
    starter_waits(me);
    me->object = t;
    me->joining = t;
    UNLOCK();
    int rc = pthread_join(id, result);
    LOCK();
    me->doing = SPY_RUNNING;
    me->joining = NULL;
    if (rc == 0 && t != NULL) {
        t->joined = true;
        joined++;
        if (result != NULL)
            joined_for_result++;
        live--;
    }
    UNLOCK();
    return rc;
}

int spy_pthread_detach(pthread_t id, SPY_AT)
{
    spy_thread_t *me = self();
    LOCK();
    enter(me, file, line);
    spy_thread_t *t = created_thread(id);
    char a[96];
    if (t != NULL && (t->created_detached || t->detached))
        FAIL_LOCKED("%s:%d: %s detaches a thread that was %s: a thread can be detached once, and only "
                    "if it is joinable (POSIX leaves the rest undefined: once a detached thread has "
                    "ended, its pthread_t may name a newer thread, which the detach would make "
                    "unjoinable)", base(file), line, who(me, a, sizeof a),
                    t->created_detached ? "created detached" : "detached already");
    if (t != NULL && !t->joined)
        live--;                 /* nobody may join it now */
    if (t != NULL) {
        t->detached = true;
        t->detached_file = file;
        t->detached_line = line;
    }
    starter_waits(me);          /* it will not join: its threads must not wait for that */
    UNLOCK();
    return pthread_detach(id);
}

_Noreturn void spy_pthread_exit(void *result, SPY_AT)
{
    spy_thread_t *me = self();
    char a[96];

    if (me->origin == NULL)
        flunk("%s:%d: pthread_exit() in %s, which the test started and is waiting for: return from "
             "the function instead", base(file), line, who(me, a, sizeof a));
    LOCK();
    enter(me, file, line);
    me->doing = SPY_DONE;
    me->returned = true;
    me->result = result;
    UNLOCK();
    pthread_exit(result);
}

/* ---- mutexes -------------------------------------------------------------- */

static void reset_mutex(struct mrec *r, int type, SPY_AT)
{
    char a[96];
    if (r->owner != NULL)
        FAIL_LOCKED("%s:%d: a mutex is initialised or destroyed while %s holds it (it took it at "
                    "%s:%d)", base(file), line, who(r->owner, a, sizeof a), base(r->file), r->line);
    r->type = type;
    r->depth = 0;
    r->destroyed = false;
}

int spy_pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr, SPY_AT)
{
    int type = PTHREAD_MUTEX_DEFAULT;

    if (attr != NULL)
        pthread_mutexattr_gettype(attr, &type);
    spy_thread_t *me = self();  /* before LOCK(): self() may take it */

    LOCK();
    enter(me, file, line);
    reset_mutex(mutex_rec(m, true), type, file, line);
    UNLOCK();
    return pthread_mutex_init(m, attr);
}

void spy_pt_mutex_init_type(pthread_mutex_t *m, int type, SPY_AT)
{
    spy_thread_t *me = self();  /* before LOCK(): self() may take it */

    LOCK();
    enter(me, file, line);
    reset_mutex(mutex_rec(m, true), type, file, line);
    UNLOCK();
    pt_mutex_init_type(m, type);
}

int spy_pthread_mutex_destroy(pthread_mutex_t *m, SPY_AT)
{
    spy_thread_t *me = self();  /* before LOCK(): self() may take it */

    LOCK();
    enter(me, file, line);
    struct mrec *r = mutex_rec(m, true);
    reset_mutex(r, PTHREAD_MUTEX_DEFAULT, file, line);
    r->destroyed = true;
    UNLOCK();
    return pthread_mutex_destroy(m);
}

static bool relocks_itself(const struct mrec *r)
{
    return r->type != PTHREAD_MUTEX_RECURSIVE && r->type != PTHREAD_MUTEX_ERRORCHECK;
}

/* Fail when me waiting for r closes a cycle of threads waiting for each other. */
static void check_cycle(spy_thread_t *me, struct mrec *r, SPY_AT)
{
    const struct mrec *wanted = r;

    for (int hops = 0; hops < THREADS; hops++) {
        spy_thread_t *holder = wanted->owner;
        if (holder == NULL)
            return;
        if (holder == me)
            break;
        if (holder->doing != SPY_LOCKING || holder->timed)
            return;
        wanted = mutex_rec(holder->object, false);
        if (wanted == NULL)
            return;
    }
    if (wanted->owner != me)
        return;

    char msg[2048], a[96], b[96];
    size_t len = (size_t)snprintf(msg, sizeof msg, "deadlock: threads wait for each other in a cycle:\n");
    const char *at_file = file;
    int at_line = line;
    spy_thread_t *t = me;
    wanted = r;
    for (int hops = 0; hops < THREADS && len < sizeof msg; hops++) {
        len += (size_t)snprintf(msg + len, sizeof msg - len,
                                "  %s waits at %s:%d for a mutex that %s took at %s:%d\n",
                                who(t, a, sizeof a), base(at_file), at_line,
                                who(wanted->owner, b, sizeof b), base(wanted->file), wanted->line);
        t = wanted->owner;
        if (t == me)
            break;
        at_file = t->file;
        at_line = t->line;
        wanted = mutex_rec(t->object, false);
    }
    FAIL_LOCKED("%sEach holds what the next one waits for, so none can go on (lesson 6): take "
                "the locks in one global order", msg);
}

static int lock_common(pthread_mutex_t *m, const struct timespec *deadline, bool try, SPY_AT)
{
    spy_thread_t *me = self();
    char a[96];

    if (!try)
        maybe_interfere(me, m, SPY_BEFORE_LOCK);
    LOCK();
    enter(me, file, line);
    struct mrec *r = mutex_rec(m, true);
    if (!try && deadline == NULL && r->owner == me && relocks_itself(r))
        FAIL_LOCKED("%s:%d: %s locks a mutex it already holds (it took it at %s:%d). A normal "
                    "mutex makes its owner wait for itself, forever (deadlock.c, lesson 6). Unlock "
                    "it first, or call a function that expects it held (lesson 7)",
                    base(file), line, who(me, a, sizeof a), base(r->file), r->line);
    if (!try && deadline == NULL && r->owner != NULL && r->owner != me)
        check_cycle(me, r, file, line);
    if (!try) {
        me->doing = SPY_LOCKING;
        starter_waits(me);
        me->timed = deadline != NULL;
        me->object = m;
    }
    UNLOCK();
    int rc = try ? pthread_mutex_trylock(m)
             : deadline != NULL ? pthread_mutex_timedlock(m, deadline) : pthread_mutex_lock(m);
    LOCK();
    me->doing = SPY_RUNNING;
    if (rc == 0) {
        took(me, r, file, line);
        r->locks++;
        note_locked(me, file, line, "locks %s", name_of(m, "mutex"));
        note_state(m);
    }
    UNLOCK();
    return rc;
}

int spy_pthread_mutex_lock(pthread_mutex_t *m, SPY_AT)
{
    return lock_common(m, NULL, false, file, line);
}

int spy_pthread_mutex_trylock(pthread_mutex_t *m, SPY_AT)
{
    return lock_common(m, NULL, true, file, line);
}

int spy_pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *deadline, SPY_AT)
{
    return lock_common(m, deadline, false, file, line);
}

int spy_pthread_mutex_unlock(pthread_mutex_t *m, SPY_AT)
{
    spy_thread_t *me = self();
    char a[96], b[96];

    LOCK();
    enter(me, file, line);
    struct mrec *r = mutex_rec(m, true);
    if (r->owner != me)
        note_locked(me, file, line, "unlocks %s, which it does not hold", name_of(m, "mutex"));
    if (r->owner == NULL)
        FAIL_LOCKED("%s:%d: %s unlocks a mutex that nobody holds: every unlock must match a lock "
                    "this thread made (was it unlocked twice, or its lock's error ignored?)",
                    base(file), line, who(me, a, sizeof a));
    if (r->owner != me)
        FAIL_LOCKED("%s:%d: %s unlocks a mutex that %s locked at %s:%d. In C only the thread that "
                    "locked a mutex may unlock it (lesson 8): hand over with a condition variable",
                    base(file), line, who(me, a, sizeof a), who(r->owner, b, sizeof b),
                    base(r->file), r->line);
    let_go(me, r);
    note_locked(me, file, line, "unlocks %s", name_of(m, "mutex"));
    note_state(m);
    UNLOCK();
    int rc = pthread_mutex_unlock(m);
    maybe_interfere(me, m, SPY_AFTER_UNLOCK);
    return rc;
}

void spy_test_lock(pthread_mutex_t *m, const char *file, int line)
{
    spy_thread_t *me = self();
    bool hook = me->in_hook;

    me->in_hook = true;         /* the test's own locks are no interference points */
    int rc = lock_common(m, NULL, false, file, line);
    me->in_hook = hook;
    if (rc != 0)
        flunk("%s:%d: the test could not lock a mutex: %s", base(file), line, strerror(rc));
}

void spy_test_unlock(pthread_mutex_t *m, const char *file, int line)
{
    spy_thread_t *me = self();
    bool hook = me->in_hook;

    me->in_hook = true;
    int rc = spy_pthread_mutex_unlock(m, file, line);
    me->in_hook = hook;
    if (rc != 0)
        flunk("%s:%d: the test could not unlock a mutex: %s", base(file), line, strerror(rc));
}

/* ---- condition variables -------------------------------------------------- */

int spy_pthread_cond_init(pthread_cond_t *cv, const pthread_condattr_t *attr, SPY_AT)
{
    spy_thread_t *me = self();  /* before LOCK(): self() may take it */

    LOCK();
    enter(me, file, line);
    struct crec *c = cond_rec(cv, true);
    if (c->sleeping > 0)
        FAIL_LOCKED("%s:%d: a condition variable is initialised while threads wait on it",
                    base(file), line);
    c->mutex = NULL;
    c->destroyed = false;
    clockid_t clock = CLOCK_REALTIME;
#ifdef HAVE_CLOCK_SELECTION
    if (attr != NULL)
        pthread_condattr_getclock(attr, &clock);
#endif
    c->monotonic = clock == CLOCK_MONOTONIC;
    UNLOCK();
    return pthread_cond_init(cv, attr);
}

void spy_pt_cond_init_monotonic(pthread_cond_t *cv, SPY_AT)
{
    spy_thread_t *me = self();  /* before LOCK(): self() may take it */

    LOCK();
    enter(me, file, line);
    struct crec *c = cond_rec(cv, true);
    c->mutex = NULL;
    c->destroyed = false;
    c->monotonic = true;
    UNLOCK();
    pt_cond_init_monotonic(cv);
}

int spy_pthread_cond_destroy(pthread_cond_t *cv, SPY_AT)
{
    spy_thread_t *me = self();  /* before LOCK(): self() may take it */

    LOCK();
    enter(me, file, line);
    struct crec *c = cond_rec(cv, true);
    if (c->sleeping > 0)
        FAIL_LOCKED("%s:%d: a condition variable is destroyed while %d thread(s) wait on it",
                    base(file), line, c->sleeping);
    c->mutex = NULL;
    c->destroyed = true;
    UNLOCK();
    return pthread_cond_destroy(cv);
}

static void add_site(struct crec *c, SPY_AT)
{
    for (int i = 0; i < c->sites; i++)
        if (c->site[i].line == line && strcmp(c->site[i].file, file) == 0)
            return;
    if (c->sites < SITES) {
        c->site[c->sites].file = file;
        c->site[c->sites].line = line;
        c->sites++;
    }
}

/*
 * Every other wait of a thread returns at once without sleeping, as POSIX
 * allows; the first one does. A caller that waits in `while` just looks
 * again; one that waits in `if` goes on as if woken for a reason.
 */
/* pt is true for pt_cond_wait_until: its deadline is on CLOCK_MONOTONIC, and
 * pt.c, not pthread_cond_timedwait, knows how this system waits for one. */
/* A woken thread, while a test holds wakers: let go of m and wait until
 * the test lets it go on, then lock m again (as a thread no core runs). */
static void park_while_held(pthread_mutex_t *m)
{
    LOCK();
    bool park = holding;
    UNLOCK();
    if (!park)
        return;
    pthread_mutex_unlock(m);
    LOCK();
    held++;
    while (holding)
        pthread_cond_wait(&unheld, &book);
    held--;
    UNLOCK();
    pthread_mutex_lock(m);
}

void spy_hold_wakers(bool hold)
{
    LOCK();
    holding = hold;
    if (!hold)
        pthread_cond_broadcast(&unheld);
    UNLOCK();
}

void spy_hold_starts(bool hold)
{
    LOCK();
    holding_starts = hold;
    for (int i = 0; i < nthreads; i++)
        threads[i].started_held = threads[i].starts_open = false;
    UNLOCK();
}

int spy_held(void)
{
    LOCK();
    int n = held;
    UNLOCK();
    return n;
}

static bool timespec_before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* A deadline more than a second before now on CLOCK_REALTIME and on
 * CLOCK_MONOTONIC both, so before now whichever clock the wait measures:
 * a duration ({ 0, 100000000 } for 0.1 s) passed as the time to stop. */
static bool long_past(const struct timespec *deadline)
{
    static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC };
    for (size_t i = 0; i < 2; i++) {
        struct timespec now;
        clock_gettime(clocks[i], &now);
        if (deadline->tv_sec + 1 >= now.tv_sec)
            return false;
    }
    return true;
}

static int wait_common(pthread_cond_t *cv, pthread_mutex_t *m, const struct timespec *deadline,
                       bool pt, SPY_AT)
{
    spy_thread_t *me = self();
    char a[96];
    bool past = deadline != NULL && long_past(deadline);

    LOCK();
    enter(me, file, line);
    if (past) {
        me->past = *deadline;
        me->past_file = file;
        me->past_line = line;
    }
    struct mrec *r = mutex_rec(m, true);
    if (r->owner != me)
        FAIL_LOCKED("%s:%d: %s waits on a condition variable without holding the mutex it passes "
                    "to the wait: lock it first (the wait unlocks it while it sleeps, and locks it "
                    "again before it returns)", base(file), line, who(me, a, sizeof a));
    struct crec *c = cond_rec(cv, true);
    if (c->mutex != NULL && c->mutex != m)
        FAIL_LOCKED("%s:%d: %s waits on one condition variable with two different mutexes: "
                    "each condition variable goes with the one mutex that guards its condition",
                    base(file), line, who(me, a, sizeof a));
    c->mutex = m;
    add_site(c, file, line);
    if (deadline != NULL && (deadline->tv_nsec < 0 || deadline->tv_nsec >= 1000000000L))
        FAIL_LOCKED("%s:%d: %s waits with the deadline { %lld s, %ld ns }: tv_nsec must be 0 to "
                    "999999999 (a wait given more fails with EINVAL). When the nanoseconds reach a "
                    "second, carry it into tv_sec, as timing_deadline() does", base(file), line,
                    who(me, a, sizeof a), (long long)deadline->tv_sec, (long)deadline->tv_nsec);
    if (deadline != NULL) {
        if (c->timed_waits == 0 || timespec_before(deadline, &c->first_deadline))
            c->first_deadline = *deadline;
        if (c->timed_waits == 0 || timespec_before(&c->last_deadline, deadline))
            c->last_deadline = *deadline;
        c->timed_waits++;
    }
    bool spurious = !me->calm;
    me->calm = !me->calm;
    let_go(me, r);
    if (!spurious) {
        note_locked(me, file, line, "waits on %s, unlocking %s", name_of(cv, "condition"),
                    name_of(m, "mutex"));
        note_state(m);
    }
    if (!spurious) {
        me->doing = SPY_WAITING;
        starter_waits(me);
        me->object = cv;
        c->sleeping++;
        c->waits++;
    }
    UNLOCK();

    int rc = 0;
    if (spurious) {
        pthread_mutex_unlock(m);
        sched_yield();
        pthread_mutex_lock(m);
    } else if (deadline != NULL && pt) {
        rc = pt_cond_wait_until(cv, m, deadline) ? 0 : ETIMEDOUT;
    } else if (deadline != NULL) {
        rc = pthread_cond_timedwait(cv, m, deadline);
    } else {
        rc = pthread_cond_wait(cv, m);
    }
    if (!spurious)
        park_while_held(m);

    LOCK();
    if (!spurious) {
        c->sleeping--;
        if (c->owed > 0)
            c->owed--;
    }
    me->doing = SPY_RUNNING;
    took(me, r, file, line);
    note_locked(me, file, line, spurious ? "wakes early (the spies' doing), locks %s"
                                         : "wakes up, locks %s again", name_of(m, "mutex"));
    note_state(m);
    UNLOCK();
    return rc;
}

int spy_pthread_cond_wait(pthread_cond_t *cv, pthread_mutex_t *m, SPY_AT)
{
    return wait_common(cv, m, NULL, false, file, line);
}

int spy_pthread_cond_timedwait(pthread_cond_t *cv, pthread_mutex_t *m,
                               const struct timespec *deadline, SPY_AT)
{
    return wait_common(cv, m, deadline, false, file, line);
}

bool spy_pt_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *m,
                            const struct timespec *deadline, SPY_AT)
{
    int rc = wait_common(cv, m, deadline, true, file, line);
    if (rc == ETIMEDOUT)
        return false;
    if (rc != 0)
        spy_pt_fail(file, line, "pt_cond_wait_until(cv, m, deadline)", rc);
    return true;
}

static int wake(pthread_cond_t *cv, bool all, SPY_AT)
{
    spy_thread_t *me = self();  /* before LOCK(): self() may take it */

    LOCK();
    enter(me, file, line);
    struct crec *c = cond_rec(cv, true);
    note_locked(me, file, line, "%s %s", all ? "broadcasts" : "signals", name_of(cv, "condition"));
    if (all) {
        c->broadcasts++;
        c->owed = c->sleeping;
    } else {
        c->signals++;
        if (c->sleeping > c->owed)
            c->owed++;
    }
    UNLOCK();
    return all ? pthread_cond_broadcast(cv) : pthread_cond_signal(cv);
}

int spy_pthread_cond_signal(pthread_cond_t *cv, SPY_AT) { return wake(cv, false, file, line); }
int spy_pthread_cond_broadcast(pthread_cond_t *cv, SPY_AT) { return wake(cv, true, file, line); }

void spy_test_wake_all(pthread_cond_t *cv, const char *file, int line)
{
    int rc = wake(cv, true, file, line);
    if (rc != 0)
        flunk("%s:%d: the test could not wake the waiters: %s", base(file), line, strerror(rc));
}

/* ---- sleeps, the end of the process --------------------------- */

static void set_doing(spy_thread_t *me, enum spy_doing doing, const void *object, SPY_AT)
{
    LOCK();
    enter(me, file, line);
    me->doing = doing;
    me->object = object;
    if (doing != SPY_RUNNING)
        starter_waits(me);
    UNLOCK();
}


int spy_sched_yield(SPY_AT)
{
    spy_thread_t *me = self();
    set_doing(me, SPY_YIELDING, NULL, file, line);
    int result = sched_yield();
    set_doing(me, SPY_RUNNING, NULL, file, line);
    return result;
}
int spy_usleep(useconds_t usec, SPY_AT)
{
    spy_thread_t *me = self();
    set_doing(me, SPY_SLEEPING, NULL, file, line);
    int result = usleep(usec);
    set_doing(me, SPY_RUNNING, NULL, file, line);
    return result;
}
unsigned spy_sleep(unsigned seconds, SPY_AT)
{
    spy_thread_t *me = self();
    set_doing(me, SPY_SLEEPING, NULL, file, line);
    unsigned result = sleep(seconds);
    set_doing(me, SPY_RUNNING, NULL, file, line);
    return result;
}
int spy_nanosleep(const struct timespec *w, struct timespec *l, SPY_AT)
{
    spy_thread_t *me = self();
    set_doing(me, SPY_SLEEPING, NULL, file, line);
    int result = nanosleep(w, l);
    set_doing(me, SPY_RUNNING, NULL, file, line);
    return result;
}

void spy_timing_sleep(double seconds, SPY_AT)
{
    spy_thread_t *me = self();
    set_doing(me, SPY_SLEEPING, NULL, file, line);
    timing_sleep(seconds);
    set_doing(me, SPY_RUNNING, NULL, file, line);
}

void spy_timing_sleep_unscaled(double seconds, SPY_AT)
{
    spy_thread_t *me = self();
    set_doing(me, SPY_SLEEPING, NULL, file, line);
    timing_sleep_unscaled(seconds);
    set_doing(me, SPY_RUNNING, NULL, file, line);
}

_Noreturn void spy_pt_fail(const char *file, int line, const char *call, int rc)
{
    const char *why = rc == EPERM ? " (this thread does not hold that mutex)"
                    : rc == EDEADLK ? " (this thread already holds that mutex)" : "";
    flunk("%s:%d: %s failed: %s%s", base(file), line, call, strerror(rc), why);
}

_Noreturn void spy_exit(const char *how, int status, SPY_AT)
{
    if (strcmp(how, "abort") == 0)
        flunk("%s:%d: the code under test called abort()", base(file), line);
    flunk("%s:%d: the code under test called %s(%d), which ends the whole process, the test's "
         "thread too: return from the function instead", base(file), line, how, status);
}

/* ---- memory --------------------------------------------------------------- */

/* The blocks the code under test holds, from spy_start() on: a short list,
 * searched from the end (a block is most often freed soon after). */
#define BLOCKS 4096
static struct block {
    void *p;
    size_t size;
    const char *file;
    int line;
} blocks[BLOCKS];
static size_t nblocks, blocks_lost;     /* lost: held, but beyond the list */

static void block_add(void *p, size_t size, const char *file, int line)
{
    if (nblocks < BLOCKS)
        blocks[nblocks++] = (struct block){ p, size, file, line };
    else
        blocks_lost++;
}

static struct block *block_find(const void *p)
{
    for (size_t i = nblocks; i-- > 0;)
        if (blocks[i].p == p)
            return &blocks[i];
    return NULL;
}

void *spy_malloc(size_t size, SPY_AT)
{
    void *p = malloc(size);
    if (p != NULL) {
        LOCK();
        block_add(p, size, file, line);
        UNLOCK();
    }
    return p;
}

void *spy_calloc(size_t n, size_t size, SPY_AT)
{
    void *p = calloc(n, size);
    if (p != NULL) {
        LOCK();
        block_add(p, n * size, file, line);
        UNLOCK();
    }
    return p;
}

void *spy_realloc(void *old, size_t size, SPY_AT)
{
    /* The record of old goes first: old may not be looked at after realloc. */
    struct block was = { NULL, 0, NULL, 0 };
    if (old != NULL) {
        LOCK();
        struct block *b = block_find(old);
        if (b != NULL) {
            was = *b;
            *b = blocks[--nblocks];
        }
        UNLOCK();
    }
    void *p = realloc(old, size);
    LOCK();
    if (p != NULL)
        block_add(p, size, file, line);
    else if (size != 0 && was.p != NULL)
        block_add(was.p, was.size, was.file, was.line);  /* it failed: old is still held */
    UNLOCK();
    return p;
}

void spy_free(void *p, SPY_AT)
{
    (void)file, (void)line;
    if (p != NULL) {
        LOCK();
        struct block *b = block_find(p);
        if (b != NULL)
            *b = blocks[--nblocks];
        UNLOCK();
    }
    free(p);
}

size_t spy_blocks_held(void)
{
    LOCK();
    size_t n = nblocks + blocks_lost;
    UNLOCK();
    return n;
}

void spy_describe_blocks(char *buf, size_t size)
{
    LOCK();
    if (nblocks == 0)
        snprintf(buf, size, "%zu block(s)", blocks_lost);
    else
        snprintf(buf, size, "%zu block(s), the first %zu bytes from %s:%d", nblocks + blocks_lost,
                 blocks[0].size, base(blocks[0].file), blocks[0].line);
    UNLOCK();
}

/* ---- other locks: counted only -------------------------------------------- */

static unsigned long other_locks;       /* spin and read-write locks taken, from spy_start() on */

static int count_lock(int rc, const char *file, int line)
{
    spy_thread_t *me = self();
    LOCK();
    enter(me, file, line);
    if (rc == 0)
        other_locks++;
    UNLOCK();
    return rc;
}

#define COUNTED(name, type)                                 \
    int spy_##name(type *l, SPY_AT)                         \
    {                                                       \
        return count_lock(name(l), file, line);             \
    }
#ifdef SPY_SPIN_LOCKS
COUNTED(pthread_spin_lock, pthread_spinlock_t)
COUNTED(pthread_spin_trylock, pthread_spinlock_t)
#endif
COUNTED(pthread_rwlock_rdlock, pthread_rwlock_t)
COUNTED(pthread_rwlock_wrlock, pthread_rwlock_t)
COUNTED(pthread_rwlock_tryrdlock, pthread_rwlock_t)
COUNTED(pthread_rwlock_trywrlock, pthread_rwlock_t)

/* ---- descriptors ---------------------------------------------------------- */

#define FDS 1024
static unsigned closes[FDS];    /* close() calls per descriptor, from spy_start() on */
static size_t short_sends;      /* 0, or the most bytes one send or write passes on */

int spy_close(int fd, SPY_AT)
{
    spy_thread_t *me = self();
    char a[96];
    int rc = close(fd);
    int e = errno;

    LOCK();
    enter(me, file, line);
    if (fd >= 0 && fd < FDS)
        closes[fd]++;
    if (rc < 0 && e == EBADF && (fd < 0 || fd >= FDS))
        FAIL_LOCKED("%s:%d: %s closes descriptor %d, which was never open: was the variable that "
                    "held the descriptor overwritten (a buffer written past its end)?",
                    base(file), line, who(me, a, sizeof a), fd);
    if (rc < 0 && e == EBADF)
        FAIL_LOCKED("%s:%d: %s closes descriptor %d, which is not open: it was closed already? "
                    "Close each descriptor once, on one path; a second close can close another "
                    "client's socket, opened meanwhile under the same number",
                    base(file), line, who(me, a, sizeof a), fd);
    UNLOCK();
    errno = e;
    return rc;
}

static size_t send_size(size_t size)
{
    LOCK();
    if (short_sends > 0 && size > short_sends)
        size = short_sends;
    UNLOCK();
    return size;
}

ssize_t spy_send(int fd, const void *buf, size_t size, int flags, SPY_AT)
{
    (void)file, (void)line;
    return send(fd, buf, send_size(size), flags);
}

ssize_t spy_write(int fd, const void *buf, size_t size, SPY_AT)
{
    (void)file, (void)line;
    return write(fd, buf, send_size(size));
}

unsigned spy_closes(int fd)
{
    LOCK();
    unsigned n = fd >= 0 && fd < FDS ? closes[fd] : 0;
    UNLOCK();
    return n;
}

void spy_short_sends(size_t most)
{
    LOCK();
    short_sends = most;
    UNLOCK();
}

/* ---- what the tests ask ----------------------------------------------------- */

void spy_start(void)
{
    self();
    LOCK();
    created = joined = joined_for_result = live = live_max = 0;
    first_wait_real = false;
    start_returns_first = false;
    holding_starts = parking_starts = false;
    plan.armed = plan.fired = false;
    between.armed = between.fired = false;
    atomic_store(&watching, false);
    nevents = 0;
    nblocks = blocks_lost = 0;
    memset(closes, 0, sizeof closes);
    other_locks = 0;
    short_sends = 0;
    watch.last[0] = '\0';
    for (size_t i = 0; i < SLOTS; i++) {
        mutexes[i].locks = mutexes[i].releases = 0;
        conds[i].waits = conds[i].signals = conds[i].broadcasts = conds[i].timed_waits = 0;
        conds[i].sites = 0;
    }
    UNLOCK();
}


void spy_first_wait_real(bool real)
{
    LOCK();
    first_wait_real = real;
    UNLOCK();
}

size_t spy_created(void) { LOCK(); size_t v = created; UNLOCK(); return v; }
size_t spy_joined(void) { LOCK(); size_t v = joined; UNLOCK(); return v; }
size_t spy_joined_for_result(void) { LOCK(); size_t v = joined_for_result; UNLOCK(); return v; }
size_t spy_live_max(void) { LOCK(); size_t v = live_max; UNLOCK(); return v; }
void *spy_create_arg(size_t i)
{
    LOCK();
    void *v = i < created && i < THREADS ? create_args[i] : NULL;
    UNLOCK();
    return v;
}

bool spy_returned(size_t i, void **result)
{
    LOCK();
    const spy_thread_t *t = i < created && i < THREADS ? started[i] : NULL;
    bool over = t != NULL && t->number != started_as[i];   /* its record serves another now */
    bool returned = over || (t != NULL && t->returned);
    if (returned && result != NULL)
        *result = over ? NULL : t->result;
    UNLOCK();
    return returned;
}
enum spy_doing spy_doing(spy_thread_t *t) { LOCK(); enum spy_doing v = t->doing; UNLOCK(); return v; }
unsigned long spy_calls(spy_thread_t *t) { LOCK(); unsigned long v = t->calls; UNLOCK(); return v; }
unsigned long spy_atomics(spy_thread_t *t) { LOCK(); unsigned long v = t->atomics; UNLOCK(); return v; }

bool spy_last_atomic(spy_thread_t *t, char *buf, size_t size)
{
    LOCK();
    bool any = t->atomics > 0;
    if (any)
        snprintf(buf, size, "%s at %s:%d", t->atomic_kind, base(t->atomic_file), t->atomic_line);
    UNLOCK();
    return any;
}

static const struct mrec *mutex_seen(const void *m)
{
    static const struct mrec none;
    const struct mrec *r = mutex_rec(m, false);
    return r != NULL ? r : &none;
}

static const struct crec *cond_seen(const void *cv)
{
    static const struct crec none;
    const struct crec *c = cond_rec(cv, false);
    return c != NULL ? c : &none;
}

unsigned long spy_locks(const pthread_mutex_t *m)
{
    LOCK();
    unsigned long v = mutex_seen(m)->locks;
    UNLOCK();
    return v;
}
unsigned long spy_releases(const pthread_mutex_t *m)
{
    LOCK();
    unsigned long v = mutex_seen(m)->releases;
    UNLOCK();
    return v;
}
spy_thread_t *spy_owner(const pthread_mutex_t *m)
{
    LOCK();
    spy_thread_t *v = mutex_seen(m)->owner;
    UNLOCK();
    return v;
}
const pthread_mutex_t *spy_waits_for(spy_thread_t *t)
{
    LOCK();
    const pthread_mutex_t *v = t->doing == SPY_LOCKING ? (const pthread_mutex_t *)t->object : NULL;
    UNLOCK();
    return v;
}
bool spy_mutex_destroyed(const pthread_mutex_t *m)
{
    LOCK();
    bool v = mutex_seen(m)->destroyed;
    UNLOCK();
    return v;
}

unsigned long spy_locks_total(void)
{
    unsigned long n = 0;
    LOCK();
    n = other_locks;
    for (size_t i = 0; i < SLOTS; i++)
        n += mutexes[i].locks;
    UNLOCK();
    return n;
}
unsigned long spy_waits(const pthread_cond_t *cv)
{
    LOCK();
    unsigned long v = cond_seen(cv)->waits;
    UNLOCK();
    return v;
}
unsigned long spy_signals(const pthread_cond_t *cv)
{
    LOCK();
    unsigned long v = cond_seen(cv)->signals;
    UNLOCK();
    return v;
}
unsigned long spy_broadcasts(const pthread_cond_t *cv)
{
    LOCK();
    unsigned long v = cond_seen(cv)->broadcasts;
    UNLOCK();
    return v;
}
unsigned long spy_timed_waits(const pthread_cond_t *cv)
{
    LOCK();
    unsigned long v = cond_seen(cv)->timed_waits;
    UNLOCK();
    return v;
}
int spy_wait_sites(const pthread_cond_t *cv) { LOCK(); int v = cond_seen(cv)->sites; UNLOCK(); return v; }
bool spy_cond_destroyed(const pthread_cond_t *cv)
{
    LOCK();
    bool v = cond_seen(cv)->destroyed;
    UNLOCK();
    return v;
}

bool spy_cond_monotonic(const pthread_cond_t *cv)
{
    LOCK();
    bool v = cond_seen(cv)->monotonic;
    UNLOCK();
    return v;
}

double spy_earliest_deadline(const pthread_cond_t *cv)
{
    LOCK();
    const struct crec *c = cond_seen(cv);
    double at = c->timed_waits == 0 ? 0 : (double)c->first_deadline.tv_sec + c->first_deadline.tv_nsec / 1e9;
    UNLOCK();
    return at;
}

double spy_deadline_spread(const pthread_cond_t *cv)
{
    LOCK();
    const struct crec *c = cond_seen(cv);
    double spread = c->timed_waits < 2 ? 0 : (double)(c->last_deadline.tv_sec - c->first_deadline.tv_sec) +
                                       (c->last_deadline.tv_nsec - c->first_deadline.tv_nsec) / 1e9;
    UNLOCK();
    return spread;
}

/* The i-th thread the code under test started, or NULL. */
static spy_thread_t *started_thread(size_t i)
{
    return i < created && i < THREADS && started[i]->number == started_as[i] ? started[i] : NULL;
}

spy_thread_t *spy_started(size_t i) { LOCK(); spy_thread_t *v = started_thread(i); UNLOCK(); return v; }
bool spy_created_detached(size_t i)
{
    LOCK(); bool v = started_thread(i) != NULL && started_thread(i)->created_detached; UNLOCK(); return v;
}
bool spy_detached(size_t i)
{
    LOCK();
    bool v = started_thread(i) != NULL && started_thread(i)->detached;
    UNLOCK();
    return v;
}
spy_thread_t *spy_joining(spy_thread_t *t) { LOCK(); spy_thread_t *v = t->joining; UNLOCK(); return v; }

void spy_park_starts(bool park)
{
    LOCK();
    parking_starts = park;
    if (!park)
        pthread_cond_broadcast(&start_moved);
    UNLOCK();
}

void spy_start_returns_first(bool first)
{
    LOCK();
    start_returns_first = first;
    UNLOCK();
}

/* The caller holds `book`. */
static void describe(const spy_thread_t *t, char *buf, size_t size)
{
    char a[96], b[96];
    const char *at = t->file != NULL ? base(t->file) : "?";
    const struct mrec *r;

    who(t, a, sizeof a);
    switch (t->doing) {
    case SPY_LOCKING:
        r = mutex_seen(t->object);
        if (r->owner != NULL)
            snprintf(buf, size, "%s waits at %s:%d for a mutex that %s took at %s:%d", a, at, t->line,
                     who(r->owner, b, sizeof b), base(r->file), r->line);
        else
            snprintf(buf, size, "%s waits at %s:%d for a mutex", a, at, t->line);
        break;
    case SPY_WAITING:
        snprintf(buf, size, "%s waits on a condition variable at %s:%d", a, at, t->line);
        break;
    case SPY_JOINING:
        snprintf(buf, size, "%s waits at %s:%d to join a thread", a, at, t->line);
        break;
    case SPY_SEM:
        snprintf(buf, size, "%s waits on a semaphore at %s:%d", a, at, t->line);
        break;
    case SPY_SLEEPING:
        snprintf(buf, size, "%s sleeps at %s:%d", a, at, t->line);
        break;
    case SPY_YIELDING:
        snprintf(buf, size, "%s yields at %s:%d", a, at, t->line);
        break;
    case SPY_DONE:
        snprintf(buf, size, "%s has finished", a);
        break;
    default:
        if (t->start_held)
            snprintf(buf, size, "%s has not started yet (the test holds it until the thread that "
                     "started it waits)", a);
        else if (t->file != NULL)
            snprintf(buf, size, "%s runs (its latest pthread call was at %s:%d)", a, at, t->line);
        else
            snprintf(buf, size, "%s runs", a);
    }
}

bool spy_past_deadline(spy_thread_t *t, char *buf, size_t size)
{
    LOCK();
    bool past = t->past_file != NULL;
    if (past)
        snprintf(buf, size, "its timed wait at %s:%d was given the deadline { %lld, %ld }, %.9f s "
                 "after the clock's zero (1 January 1970 for CLOCK_REALTIME), long past: a timed "
                 "wait takes the time to stop waiting, not how long to wait, so each one returns "
                 "at once (ETIMEDOUT)", base(t->past_file), t->past_line,
                 (long long)t->past.tv_sec, (long)t->past.tv_nsec,
                 (double)t->past.tv_sec + t->past.tv_nsec / 1e9);
    UNLOCK();
    return past;
}

void spy_describe(spy_thread_t *t, char *buf, size_t size)
{
    LOCK();
    describe(t, buf, size);
    UNLOCK();
}

void spy_describe_all(char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    LOCK();
    for (int i = 0; i < nthreads && len + 1 < size; i++) {
        if (threads[i].doing == SPY_DONE || threads[i].calls == 0)
            continue;
        char line[512];
        describe(&threads[i], line, sizeof line);
        len += (size_t)snprintf(buf + len, size - len, "  %s\n", line);
    }
    UNLOCK();
}
