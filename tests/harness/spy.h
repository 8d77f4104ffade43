/*
 * spy.h - what the tests can ask about the threads, mutexes and condition
 * variables of the code under test, and how they steer it.
 *
 * The exercise sources are compiled with spy_hook.h forced in front, so
 * every pthread call they make passes through spy.c first. The spies:
 *
 * - fail the test at once, with the student's file and line, on misuse
 *   that C leaves undefined or that can only hang: unlocking a mutex
 *   another thread holds or nobody holds, locking a normal mutex twice,
 *   a cycle of threads each waiting for a mutex the next one holds, a
 *   condition wait without its mutex, exit()/_exit()/abort()/pthread_exit()
 *   where a test's process must run on;
 * - make every other condition wait of a thread return at once, as POSIX
 *   allows (a spurious wake-up), so a wait written with `if` instead of
 *   `while` goes wrong on every run, not on an unlucky one;
 * - count what happened (threads started and joined, locks taken and let
 *   go, waits, signals, heap blocks not freed) and know what each thread
 *   is doing now, so a test can tell waiting from polling and a hang can
 *   be reported as "who waits for what, where";
 * - run a test's function at a chosen point of the code under test
 *   (before its n-th lock, after its n-th unlock, between two of its atomic
 *   operations): the interleaving that breaks a half-locked update, forced
 *   instead of hoped for.
 */
#ifndef WORKBOOK_SPY_H
#define WORKBOOK_SPY_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* Forget the counts (not the threads and mutexes known so far). */
void spy_start(void);

/* Threads the code under test started with pthread_create. */
size_t spy_created(void);           /* calls that succeeded */
void *spy_create_arg(size_t i);     /* the arg given to the i-th one */
size_t spy_joined(void);            /* pthread_join calls on those threads */
size_t spy_joined_for_result(void); /* those that asked for the return value (not NULL) */
size_t spy_live_max(void);          /* most started-and-not-yet-joined at once */
/* True when the i-th one has returned from its start routine (or called
 * pthread_exit); *result (when result is not NULL) is what it returned. */
bool spy_returned(size_t i, void **result);

/* A thread as the spies see it. spy_self() names the calling thread. */
typedef struct spy_thread spy_thread_t;
spy_thread_t *spy_self(void);
/* The i-th one the code under test started, or NULL: past the 512th, or once
 * it is over (returned, and joined or detached) and the spies, which follow
 * at most 512 threads alive at once, have given its record to a new thread
 * (spy_returned(i) is true then, with no result). */
spy_thread_t *spy_started(size_t i);
/* The thread t waits for in pthread_join now, or NULL. */
spy_thread_t *spy_joining(spy_thread_t *t);

/*
 * Detached threads. A join of one fails the test at once (undefined in
 * POSIX: glibc may return EINVAL, or hang), and so does a pthread_detach
 * of one (once it has ended, its pthread_t may name a newer thread). spy_created_detached(i): the
 * i-th thread started with PTHREAD_CREATE_DETACHED in its attributes;
 * spy_detached(i): pthread_detach() was called on it since.
 */
bool spy_created_detached(size_t i);
bool spy_detached(size_t i);

/*
 * Where a new thread starts. While a test parks starts (spy_park_starts(true)),
 * a thread the code under test starts does not run its start routine yet:
 * pthread_create returns and the new thread waits, as one no core has run
 * yet would, until spy_park_starts(false) (spy_hold_starts, below, lets
 * them go by themselves once their starter waits). After spy_start_returns_first(true),
 * the other way round: pthread_create returns only once the new thread's
 * start routine has returned (at most 2 s), as when the new thread runs
 * first and is quick. spy_start() puts that back to false.
 */
void spy_park_starts(bool park);
void spy_start_returns_first(bool first);

/* What a thread is doing, from the spies' point of view. */
enum spy_doing {
    SPY_RUNNING,    /* in code between spied calls */
    SPY_LOCKING,    /* blocked in pthread_mutex_lock */
    SPY_WAITING,    /* in a condition wait (a real one, not a spurious return) */
    SPY_JOINING,    /* in pthread_join */
    SPY_SEM,        /* in sem_wait */
    SPY_SLEEPING,   /* in sleep/usleep/nanosleep/timing_sleep */
    SPY_YIELDING,   /* in sched_yield */
    SPY_DONE,       /* its start routine returned */
};
enum spy_doing spy_doing(spy_thread_t *t);
unsigned long spy_calls(spy_thread_t *t);   /* spied calls it has made */
/* One line: "thread 2 waits on a condition variable at bqueue.c:31". */
void spy_describe(spy_thread_t *t, char *buf, size_t size);
/* Whether a timed wait of t was given a deadline already long past (a
 * duration passed as the time to stop): then a sentence saying so in buf. */
bool spy_past_deadline(spy_thread_t *t, char *buf, size_t size);
/* Every thread the spies know, one line each (for hang reports). */
void spy_describe_all(char *buf, size_t size);

/* Per mutex, from spy_start() on. */
unsigned long spy_locks(const pthread_mutex_t *m);     /* lock/trylock/timedlock that took it */
unsigned long spy_releases(const pthread_mutex_t *m);  /* times it became free (unlock, wait) */
unsigned long spy_locks_total(void);    /* the same, over every mutex, spin lock and rwlock */
/* The thread that holds m now, as far as the spies saw it taken; NULL: none. */
spy_thread_t *spy_owner(const pthread_mutex_t *m);
/* Destroyed since it was last initialised (a mutex or condition variable). */
bool spy_mutex_destroyed(const pthread_mutex_t *m);

/* Per condition variable, from spy_start() on. */
unsigned long spy_waits(const pthread_cond_t *cv);     /* condition waits that really slept */
unsigned long spy_signals(const pthread_cond_t *cv);
unsigned long spy_broadcasts(const pthread_cond_t *cv);
/* Waits with a deadline (pthread_cond_timedwait, pt_cond_wait_until), each
 * counted as it begins, spurious or real: a call whose contract has no
 * timeout can be caught giving up without anyone waiting for it to. */
unsigned long spy_timed_waits(const pthread_cond_t *cv);
/* How many different lines of code have waited on cv (a cv used for two
 * conditions shows 2 or more). */
int spy_wait_sites(const pthread_cond_t *cv);
bool spy_cond_destroyed(const pthread_cond_t *cv);
/* The earliest deadline a timed wait on cv passed, in seconds as timing_now()
 * counts them (tv_sec + tv_nsec / 1e9); 0 when none did. */
double spy_earliest_deadline(const pthread_cond_t *cv);
/* Initialised to measure CLOCK_MONOTONIC: by pt_cond_init_monotonic(), or by
 * pthread_cond_init() with an attribute set so (else CLOCK_REALTIME). */
bool spy_cond_monotonic(const pthread_cond_t *cv);
/* Seconds between the earliest and the latest deadline that timed waits on
 * cv passed (pthread_cond_timedwait, pt_cond_wait_until); 0 with fewer than two. */
double spy_deadline_spread(const pthread_cond_t *cv);

/*
 * Forced interleavings. At the nth time (1 for the first) any thread
 * arrives at pthread_mutex_lock(m) (SPY_BEFORE_LOCK), or returns from
 * pthread_mutex_unlock(m) (SPY_AFTER_UNLOCK), counting from this call, that
 * thread runs fn(arg) first, holding no spied mutex, as if the scheduler
 * had switched to another thread there. Calls made inside fn are spied but
 * not counted. spy_interfered() says whether fn ran.
 */
enum spy_point { SPY_BEFORE_LOCK, SPY_AFTER_UNLOCK };
void spy_interfere(const pthread_mutex_t *m, enum spy_point at, int nth, void (*fn)(void *),
                   void *arg);
bool spy_interfered(void);
/* A plan that has not fired stays armed until this, spy_start() or the next spy_interfere(). */
void spy_interfere_cancel(void);

/*
 * Between two atomic operations. The atomic operations of the code under
 * test pass through the spies too (spy_hook.h), and from a call of
 * spy_atomic_interfere() on they are counted: the thread that makes the
 * nth of them (1 for the first) runs fn(arg) just before its next one, as
 * if the scheduler had switched to another thread between the two. So a
 * step made of two atomic operations (a load, then a store of what it read
 * plus 1) has another thread's step in the middle, on every run.
 * spy_atomic_interfered() says whether fn ran. spy_atomics(t) counts t's
 * atomic operations since that call; spy_last_atomic() writes the latest
 * ("a compare-and-swap at ticket.c:17") and is false when there is none.
 * spy_start() ends the plan and the counting.
 */
void spy_atomic_interfere(int nth, void (*fn)(void *), void *arg);
bool spy_atomic_interfered(void);
unsigned long spy_atomics(spy_thread_t *t);
bool spy_last_atomic(spy_thread_t *t, char *buf, size_t size);

/*
 * Which of a thread's condition waits return at once. By default its 1st,
 * 3rd, 5th ... wait is spurious and the 2nd, 4th ... real. After
 * spy_first_wait_real(true) a thread the spies meet from then on has its
 * first wait real (then spurious, real ...): code that treats the first
 * wait of a call apart from the rest cannot hide behind the spies' choice.
 * spy_start() puts the default back.
 */
void spy_first_wait_real(bool real);

/*
 * While a test holds wakers (spy_hold_wakers(true)), a thread woken from a
 * real condition wait does not return from it yet: it lets go of the mutex
 * and waits, as a woken thread no core runs would, until
 * spy_hold_wakers(false); then it locks the mutex again and returns. So a
 * test can make two puts run back to back before the get the first one
 * woke has looked: the schedule that loses a wake-up when a put signals
 * only when the queue was empty. spy_held() counts the threads parked now.
 */
void spy_hold_wakers(bool hold);
int spy_held(void);

/*
 * While a test holds starts (spy_hold_starts(true)), a thread the code
 * under test starts does not run its start routine yet: it waits until the
 * thread that started it waits (in pthread_join, a lock, a condition wait,
 * a sleep) or detaches a thread. Then they all go, except the one it waits
 * to join, which goes once every other thread held so has returned or
 * waits. So every thread reads its argument as late as a scheduler may
 * make it: after the starting loop is over, and while the starter still
 * waits for its first join. An argument that loop goes on changing (&i of
 * the loop variable, one struct filled anew for each thread) is the same
 * stale value in every thread, on every run. spy_hold_starts(false), and
 * spy_start(), let every held thread go and end it.
 */
void spy_hold_starts(bool hold);

/*
 * Heap blocks the code under test took with malloc, calloc or realloc from
 * spy_start() on and has not given back with free (or realloc), and the
 * first of them, for a message ("2 block(s), the first 48 bytes from
 * parallel_sum.c:37"). Blocks from elsewhere (strdup, a library) are not seen.
 */
size_t spy_blocks_held(void);
void spy_describe_blocks(char *buf, size_t size);

/*
 * Descriptors. spy_closes(fd): close() calls on fd from spy_start() on (a
 * close of a descriptor that is not open fails the test at once). After
 * spy_short_sends(n), each send() or write() passes on at most n bytes and
 * returns that, as a stream socket may: code that does not loop sends only
 * part of its data. spy_start() puts it back to 0, no limit.
 */
unsigned spy_closes(int fd);
void spy_short_sends(size_t most);

/* The mutex t is blocked on in pthread_mutex_lock, or NULL. */
const pthread_mutex_t *spy_waits_for(spy_thread_t *t);

/*
 * A sentence the spies add to any failure they report from now on (NULL:
 * none), for what the lesson at hand makes of it: "a transfer from an
 * account to itself must lock its lock once".
 */
void spy_hint(const char *text);

/*
 * A function for spy_interfere: wait (at most 2 s) until every thread that a
 * signal or broadcast has woken so far has come back from its wait and
 * looked at its condition. Used before a lock, it lets a waiter that was
 * woken too early see the state before the change it was woken for.
 */
void spy_settle(void *unused);

/*
 * The journal: each lock, unlock, wait, wake-up, signal and broadcast of the
 * code under test, in order, with its thread and line, from spy_start() on
 * (the last 40 steps). spy_note() adds a test's own step ("calls
 * account_deposit(1)") to the calling thread's column; spy_name() names a
 * mutex or condition variable there ("a->lock"; else "mutex 1", ...).
 * spy_timeline() draws it as the article draws its race: a column per
 * thread, a row per step, in 80 columns (a listing beyond three threads),
 * for a failure message to end with.
 */
void spy_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void spy_name(const void *object, const char *name);
/*
 * The state the timeline shows: after spy_watch(describe), each time a
 * thread of the code under test has locked a mutex m, or is about to unlock
 * it or wait with it, the spies call describe(m, buf, size); what it writes
 * (nothing: m guards nothing the test shows) goes beside that step when it
 * changed ("locks s->lock: value 1"). It runs while that thread holds m, so
 * it may read the state m guards, and only that; and it runs inside the
 * spies: no pthread call, no lock. A test sets it once (in a fixture); it
 * lasts as long as the test's process.
 */
void spy_watch(void (*describe)(const pthread_mutex_t *m, char *buf, size_t size));
void spy_timeline(char *buf, size_t size);
/* How many threads (columns) the journal holds now. */
int spy_timeline_threads(void);

/* Lock and unlock through the spies, for tests that hold a student's mutex. */
#define SPY_LOCK(m) spy_test_lock((m), __FILE__, __LINE__)
#define SPY_UNLOCK(m) spy_test_unlock((m), __FILE__, __LINE__)
void spy_test_lock(pthread_mutex_t *m, const char *file, int line);
void spy_test_unlock(pthread_mutex_t *m, const char *file, int line);
/* A wake-up the test sends to every waiter on cv, seen by the spies as a
 * broadcast (spy_settle waits for it to be taken): a spurious wake-up, as
 * POSIX allows, at the moment the test chooses. */
#define SPY_WAKE_ALL(cv) spy_test_wake_all((cv), __FILE__, __LINE__)
void spy_test_wake_all(pthread_cond_t *cv, const char *file, int line);

#endif
