/*
 * spy_hook.h - how the spies hook in: forced in front of every exercise
 * source by the build (cc -include spy_hook.h), never included by hand.
 *
 * It routes the exercise's own pthread calls, sleeps, ways of ending the
 * process, heap blocks (malloc, calloc, realloc, free) and descriptors
 * (close, send, write) to spy.c, which checks each call, remembers it for
 * the tests (spy.h) and then makes the real call. Only code compiled with this file
 * is watched: common/, the harness and Check are not. The macros carry
 * __FILE__ and __LINE__, so a failure names the student's line.
 *
 * It needs no linker feature, so it works with any C toolchain. To hook in
 * another way (a linker's --wrap, dlsym(RTLD_NEXT, ...)), change this file
 * and the definitions in spy.c; the tests and spy.h stay as they are.
 */
#ifndef WORKBOOK_SPY_HOOK_H
#define WORKBOOK_SPY_HOOK_H

#include <pthread.h>
#include <sched.h>
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

int spy_close(int fd, SPY_AT);
ssize_t spy_send(int fd, const void *buf, size_t size, int flags, SPY_AT);
ssize_t spy_write(int fd, const void *buf, size_t size, SPY_AT);

#ifndef SPY_NO_REDIRECT
#define pthread_create(t, a, f, x) spy_pthread_create((t), (a), (f), (x), __FILE__, __LINE__)
#define pthread_join(t, r) spy_pthread_join((t), (r), __FILE__, __LINE__)
#define pthread_detach(t) spy_pthread_detach((t), __FILE__, __LINE__)
#define pthread_exit(r) spy_pthread_exit((r), __FILE__, __LINE__)
#define pthread_mutex_init(m, a) spy_pthread_mutex_init((m), (a), __FILE__, __LINE__)
#define pthread_mutex_destroy(m) spy_pthread_mutex_destroy((m), __FILE__, __LINE__)
#define pthread_mutex_lock(m) spy_pthread_mutex_lock((m), __FILE__, __LINE__)
#define pthread_mutex_trylock(m) spy_pthread_mutex_trylock((m), __FILE__, __LINE__)
#define pthread_mutex_timedlock(m, d) spy_pthread_mutex_timedlock((m), (d), __FILE__, __LINE__)
#define pthread_mutex_unlock(m) spy_pthread_mutex_unlock((m), __FILE__, __LINE__)
#define pthread_cond_init(c, a) spy_pthread_cond_init((c), (a), __FILE__, __LINE__)
#define pthread_cond_destroy(c) spy_pthread_cond_destroy((c), __FILE__, __LINE__)
#define pthread_cond_wait(c, m) spy_pthread_cond_wait((c), (m), __FILE__, __LINE__)
#define pthread_cond_timedwait(c, m, d) spy_pthread_cond_timedwait((c), (m), (d), __FILE__, __LINE__)
#define pthread_cond_signal(c) spy_pthread_cond_signal((c), __FILE__, __LINE__)
#define pthread_cond_broadcast(c) spy_pthread_cond_broadcast((c), __FILE__, __LINE__)
#define pt_mutex_init_type(m, t) spy_pt_mutex_init_type((m), (t), __FILE__, __LINE__)
#define pt_cond_init_monotonic(c) spy_pt_cond_init_monotonic((c), __FILE__, __LINE__)
#define pt_cond_wait_until(c, m, d) spy_pt_cond_wait_until((c), (m), (d), __FILE__, __LINE__)
#define pt_fail spy_pt_fail
#define sched_yield() spy_sched_yield(__FILE__, __LINE__)
#define usleep(u) spy_usleep((u), __FILE__, __LINE__)
#define sleep(s) spy_sleep((s), __FILE__, __LINE__)
#define nanosleep(w, l) spy_nanosleep((w), (l), __FILE__, __LINE__)
#define timing_sleep(s) spy_timing_sleep((s), __FILE__, __LINE__)
#define timing_sleep_unscaled(s) spy_timing_sleep_unscaled((s), __FILE__, __LINE__)
#define exit(s) spy_exit("exit", (s), __FILE__, __LINE__)
#define _exit(s) spy_exit("_exit", (s), __FILE__, __LINE__)
#define _Exit(s) spy_exit("_Exit", (s), __FILE__, __LINE__)
#define quick_exit(s) spy_exit("quick_exit", (s), __FILE__, __LINE__)
#define abort() spy_exit("abort", 0, __FILE__, __LINE__)
#define malloc(n) spy_malloc((n), __FILE__, __LINE__)
#define calloc(n, s) spy_calloc((n), (s), __FILE__, __LINE__)
#define realloc(p, n) spy_realloc((p), (n), __FILE__, __LINE__)
#define free(p) spy_free((p), __FILE__, __LINE__)
#ifdef SPY_SPIN_LOCKS
#define pthread_spin_lock(l) spy_pthread_spin_lock((l), __FILE__, __LINE__)
#define pthread_spin_trylock(l) spy_pthread_spin_trylock((l), __FILE__, __LINE__)
#endif
#define pthread_rwlock_rdlock(l) spy_pthread_rwlock_rdlock((l), __FILE__, __LINE__)
#define pthread_rwlock_wrlock(l) spy_pthread_rwlock_wrlock((l), __FILE__, __LINE__)
#define pthread_rwlock_tryrdlock(l) spy_pthread_rwlock_tryrdlock((l), __FILE__, __LINE__)
#define pthread_rwlock_trywrlock(l) spy_pthread_rwlock_trywrlock((l), __FILE__, __LINE__)
#define close(fd) spy_close((fd), __FILE__, __LINE__)
#define send(fd, b, n, f) spy_send((fd), (b), (n), (f), __FILE__, __LINE__)
#define write(fd, b, n) spy_write((fd), (b), (n), __FILE__, __LINE__)
#endif

#endif
