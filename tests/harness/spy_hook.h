/*
 * spy_hook.h - how the spies hook in: forced in front of every exercise
 * source by the build (cc -include spy_hook.h), never included by hand.
 *
 * It routes the exercise's own pthread calls, sleeps, ways of ending the
 * process, heap blocks (malloc, calloc, realloc, free), descriptors
 * (close, send, write) and atomic operations to spy.c, which checks each call, remembers it for
 * the tests (spy.h) and then makes the real call. Only code compiled with this file
 * is watched: common/, the harness and Check are not. The macros carry
 * __FILE__ and __LINE__, so a failure names the student's line. Each takes
 * its arguments as `...`, so whatever the real function accepts passes,
 * a compound literal with a comma in it too (&(struct timespec){ 0, 1 }
 * is one argument to C but two to a macro of fixed arity):
 * tests/spy_hook_calls.c makes every call here that way.
 *
 * The atomic operations of <stdatomic.h> (a load, store, exchange,
 * compare-and-swap, fetch-and-op, atomic_flag test-and-set or clear) are
 * macros over the compiler's built-ins, so it is the built-ins that are
 * hooked: each becomes a macro of its own name, a comma expression that
 * calls spy_atomic() and then the built-in, whose value and type it keeps
 * (a macro never expands itself, so the name inside is the real built-in).
 * That is gcc's and clang's <stdatomic.h>; with another compiler atomics
 * pass unseen. atomic_init is a relaxed store in gcc's header, and is
 * counted as one in both.
 *
 * It needs no linker feature, so it works with any C toolchain. To hook in
 * another way (a linker's --wrap, dlsym(RTLD_NEXT, ...)), change this file
 * and the definitions in spy.c; the tests and spy.h stay as they are.
 */
#ifndef WORKBOOK_SPY_HOOK_H
#define WORKBOOK_SPY_HOOK_H

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pt.h"
#include "timing.h"

#define SPY_AT const char *file, int line

int spy_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg,
                       SPY_AT);
int spy_pthread_join(pthread_t t, void **result, SPY_AT);
int spy_pthread_detach(pthread_t t, SPY_AT);
_Noreturn void spy_pthread_exit(void *result, SPY_AT);

int spy_pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr, SPY_AT);
int spy_pthread_mutex_destroy(pthread_mutex_t *m, SPY_AT);
int spy_pthread_mutex_lock(pthread_mutex_t *m, SPY_AT);
int spy_pthread_mutex_trylock(pthread_mutex_t *m, SPY_AT);
int spy_pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *deadline, SPY_AT);
int spy_pthread_mutex_unlock(pthread_mutex_t *m, SPY_AT);

int spy_pthread_cond_init(pthread_cond_t *cv, const pthread_condattr_t *attr, SPY_AT);
int spy_pthread_cond_destroy(pthread_cond_t *cv, SPY_AT);
int spy_pthread_cond_wait(pthread_cond_t *cv, pthread_mutex_t *m, SPY_AT);
int spy_pthread_cond_timedwait(pthread_cond_t *cv, pthread_mutex_t *m,
                               const struct timespec *deadline, SPY_AT);
int spy_pthread_cond_signal(pthread_cond_t *cv, SPY_AT);
int spy_pthread_cond_broadcast(pthread_cond_t *cv, SPY_AT);

void spy_pt_mutex_init_type(pthread_mutex_t *m, int type, SPY_AT);
void spy_pt_cond_init_monotonic(pthread_cond_t *cv, SPY_AT);
bool spy_pt_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *m,
                            const struct timespec *deadline, SPY_AT);
_Noreturn void spy_pt_fail(const char *file, int line, const char *call, int rc);

int spy_sched_yield(SPY_AT);
int spy_usleep(useconds_t usec, SPY_AT);
unsigned spy_sleep(unsigned seconds, SPY_AT);
int spy_nanosleep(const struct timespec *want, struct timespec *left, SPY_AT);
void spy_timing_sleep(double seconds, SPY_AT);
void spy_timing_sleep_unscaled(double seconds, SPY_AT);

_Noreturn void spy_exit(const char *how, int status, SPY_AT);

void *spy_malloc(size_t size, SPY_AT);
void *spy_calloc(size_t n, size_t size, SPY_AT);
void *spy_realloc(void *p, size_t size, SPY_AT);
void spy_free(void *p, SPY_AT);

/* Locks that are not mutexes: only counted (spy_locks_total). Spin locks are
 * optional in POSIX (macOS has none). */
#if defined(_POSIX_SPIN_LOCKS) && _POSIX_SPIN_LOCKS > 0
#define SPY_SPIN_LOCKS 1
int spy_pthread_spin_lock(pthread_spinlock_t *l, SPY_AT);
int spy_pthread_spin_trylock(pthread_spinlock_t *l, SPY_AT);
#endif
int spy_pthread_rwlock_rdlock(pthread_rwlock_t *l, SPY_AT);
int spy_pthread_rwlock_wrlock(pthread_rwlock_t *l, SPY_AT);
int spy_pthread_rwlock_tryrdlock(pthread_rwlock_t *l, SPY_AT);
int spy_pthread_rwlock_trywrlock(pthread_rwlock_t *l, SPY_AT);

void spy_atomic(const char *kind, SPY_AT);

int spy_close(int fd, SPY_AT);
ssize_t spy_send(int fd, const void *buf, size_t size, int flags, SPY_AT);
ssize_t spy_write(int fd, const void *buf, size_t size, SPY_AT);

#ifndef SPY_NO_REDIRECT
#define pthread_create(...) spy_pthread_create(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_join(...) spy_pthread_join(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_detach(...) spy_pthread_detach(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_exit(...) spy_pthread_exit(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_mutex_init(...) spy_pthread_mutex_init(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_mutex_destroy(...) spy_pthread_mutex_destroy(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_mutex_lock(...) spy_pthread_mutex_lock(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_mutex_trylock(...) spy_pthread_mutex_trylock(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_mutex_timedlock(...) spy_pthread_mutex_timedlock(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_mutex_unlock(...) spy_pthread_mutex_unlock(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_cond_init(...) spy_pthread_cond_init(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_cond_destroy(...) spy_pthread_cond_destroy(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_cond_wait(...) spy_pthread_cond_wait(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_cond_timedwait(...) spy_pthread_cond_timedwait(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_cond_signal(...) spy_pthread_cond_signal(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_cond_broadcast(...) spy_pthread_cond_broadcast(__VA_ARGS__, __FILE__, __LINE__)
#define pt_mutex_init_type(...) spy_pt_mutex_init_type(__VA_ARGS__, __FILE__, __LINE__)
#define pt_cond_init_monotonic(...) spy_pt_cond_init_monotonic(__VA_ARGS__, __FILE__, __LINE__)
#define pt_cond_wait_until(...) spy_pt_cond_wait_until(__VA_ARGS__, __FILE__, __LINE__)
#define pt_fail spy_pt_fail
#define sched_yield() spy_sched_yield(__FILE__, __LINE__)
#define usleep(...) spy_usleep(__VA_ARGS__, __FILE__, __LINE__)
#define sleep(...) spy_sleep(__VA_ARGS__, __FILE__, __LINE__)
#define nanosleep(...) spy_nanosleep(__VA_ARGS__, __FILE__, __LINE__)
#define timing_sleep(...) spy_timing_sleep(__VA_ARGS__, __FILE__, __LINE__)
#define timing_sleep_unscaled(...) spy_timing_sleep_unscaled(__VA_ARGS__, __FILE__, __LINE__)
#define exit(...) spy_exit("exit", __VA_ARGS__, __FILE__, __LINE__)
#define _exit(...) spy_exit("_exit", __VA_ARGS__, __FILE__, __LINE__)
#define _Exit(...) spy_exit("_Exit", __VA_ARGS__, __FILE__, __LINE__)
#define quick_exit(...) spy_exit("quick_exit", __VA_ARGS__, __FILE__, __LINE__)
#define abort() spy_exit("abort", 0, __FILE__, __LINE__)
#define malloc(...) spy_malloc(__VA_ARGS__, __FILE__, __LINE__)
#define calloc(...) spy_calloc(__VA_ARGS__, __FILE__, __LINE__)
#define realloc(...) spy_realloc(__VA_ARGS__, __FILE__, __LINE__)
#define free(...) spy_free(__VA_ARGS__, __FILE__, __LINE__)
#ifdef SPY_SPIN_LOCKS
#define pthread_spin_lock(...) spy_pthread_spin_lock(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_spin_trylock(...) spy_pthread_spin_trylock(__VA_ARGS__, __FILE__, __LINE__)
#endif
#define pthread_rwlock_rdlock(...) spy_pthread_rwlock_rdlock(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_rwlock_wrlock(...) spy_pthread_rwlock_wrlock(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_rwlock_tryrdlock(...) spy_pthread_rwlock_tryrdlock(__VA_ARGS__, __FILE__, __LINE__)
#define pthread_rwlock_trywrlock(...) spy_pthread_rwlock_trywrlock(__VA_ARGS__, __FILE__, __LINE__)
#define close(...) spy_close(__VA_ARGS__, __FILE__, __LINE__)
#define send(...) spy_send(__VA_ARGS__, __FILE__, __LINE__)
#define write(...) spy_write(__VA_ARGS__, __FILE__, __LINE__)

#define SPY_ATOMIC(kind, builtin, ...) (spy_atomic(kind, __FILE__, __LINE__), builtin(__VA_ARGS__))
#if defined(__clang__)
#define __c11_atomic_init(...) SPY_ATOMIC("a store", __c11_atomic_init, __VA_ARGS__)
#define __c11_atomic_load(...) SPY_ATOMIC("a load", __c11_atomic_load, __VA_ARGS__)
#define __c11_atomic_store(...) SPY_ATOMIC("a store", __c11_atomic_store, __VA_ARGS__)
#define __c11_atomic_exchange(...) SPY_ATOMIC("an exchange", __c11_atomic_exchange, __VA_ARGS__)
#define __c11_atomic_compare_exchange_strong(...) \
    SPY_ATOMIC("a compare-and-swap", __c11_atomic_compare_exchange_strong, __VA_ARGS__)
#define __c11_atomic_compare_exchange_weak(...) \
    SPY_ATOMIC("a compare-and-swap", __c11_atomic_compare_exchange_weak, __VA_ARGS__)
#define __c11_atomic_fetch_add(...) SPY_ATOMIC("a fetch-and-add", __c11_atomic_fetch_add, __VA_ARGS__)
#define __c11_atomic_fetch_sub(...) SPY_ATOMIC("a fetch-and-sub", __c11_atomic_fetch_sub, __VA_ARGS__)
#define __c11_atomic_fetch_or(...) SPY_ATOMIC("a fetch-and-or", __c11_atomic_fetch_or, __VA_ARGS__)
#define __c11_atomic_fetch_xor(...) SPY_ATOMIC("a fetch-and-xor", __c11_atomic_fetch_xor, __VA_ARGS__)
#define __c11_atomic_fetch_and(...) SPY_ATOMIC("a fetch-and-and", __c11_atomic_fetch_and, __VA_ARGS__)
#elif defined(__GNUC__)
#define __atomic_load(...) SPY_ATOMIC("a load", __atomic_load, __VA_ARGS__)
#define __atomic_store(...) SPY_ATOMIC("a store", __atomic_store, __VA_ARGS__)
#define __atomic_exchange(...) SPY_ATOMIC("an exchange", __atomic_exchange, __VA_ARGS__)
#define __atomic_compare_exchange(...) \
    SPY_ATOMIC("a compare-and-swap", __atomic_compare_exchange, __VA_ARGS__)
#define __atomic_fetch_add(...) SPY_ATOMIC("a fetch-and-add", __atomic_fetch_add, __VA_ARGS__)
#define __atomic_fetch_sub(...) SPY_ATOMIC("a fetch-and-sub", __atomic_fetch_sub, __VA_ARGS__)
#define __atomic_fetch_or(...) SPY_ATOMIC("a fetch-and-or", __atomic_fetch_or, __VA_ARGS__)
#define __atomic_fetch_xor(...) SPY_ATOMIC("a fetch-and-xor", __atomic_fetch_xor, __VA_ARGS__)
#define __atomic_fetch_and(...) SPY_ATOMIC("a fetch-and-and", __atomic_fetch_and, __VA_ARGS__)
#define __atomic_test_and_set(...) SPY_ATOMIC("a test-and-set", __atomic_test_and_set, __VA_ARGS__)
#define __atomic_clear(...) SPY_ATOMIC("a clear", __atomic_clear, __VA_ARGS__)
#endif
#endif

#endif
