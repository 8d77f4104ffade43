/*
 * spy_hook_calls.c - every call spy_hook.h routes to the spies, made the
 * way a student may write it: with an argument that holds a comma outside
 * parentheses (a compound literal such as &(struct timespec){ 0, 100000000 }).
 * Built like an exercise file (spy_hook.h forced in front, the Makefile's
 * spied rule), so a hook macro that takes fewer arguments than the real
 * function accepts breaks make test's build, not a student's; test_harness
 * runs the calls that leave the process running. The atomic operations
 * are hooked under the compiler's own macros (which gcc gives a fixed
 * arity), so they are made here by each name of <stdatomic.h>, each
 * checked for the value it gives.
 */
#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "pt.h"
#include "timing.h"

static void *thread_main(void *arg)
{
    if (arg == NULL)
        pthread_exit((void *[]){ NULL, NULL }[0]);
    return (void *[]){ arg, NULL }[0];
}

/* Make each hooked call (ending_too: those that block or end the process
 * too); returns how many of them failed. */
int spy_hook_calls(bool ending_too)
{
    pthread_mutex_t m, r;
    pthread_cond_t cv, mono;
    pthread_t t, d;
    void *result = NULL;
    int failures = 0, fds[2];

    failures += pthread_mutex_init((pthread_mutex_t *[]){ &m, &m }[0], (pthread_mutexattr_t *[]){ NULL, NULL }[0]) != 0;
    failures += pthread_mutex_lock((pthread_mutex_t *[]){ &m, &m }[0]) != 0;
    failures += pthread_mutex_unlock((pthread_mutex_t *[]){ &m, &m }[0]) != 0;
    failures += pthread_mutex_trylock((pthread_mutex_t *[]){ &m, &m }[0]) != 0;
    failures += pthread_mutex_unlock(&m) != 0;
    failures += pthread_mutex_timedlock(&m, &(struct timespec){ 0, 100000000 }) != 0;
    failures += pthread_cond_init((pthread_cond_t *[]){ &cv, &cv }[0], (pthread_condattr_t *[]){ NULL, NULL }[0]) != 0;
    /* 1970 plus 0.1 s: long past, so the wait ends at once. */
    int rc = pthread_cond_timedwait(&cv, &m, &(struct timespec){ 0, 100000000 });
    failures += rc != 0 && rc != ETIMEDOUT;
    failures += pthread_cond_signal((pthread_cond_t *[]){ &cv, &cv }[0]) != 0;
    failures += pthread_cond_broadcast((pthread_cond_t *[]){ &cv, &cv }[0]) != 0;
    pt_cond_init_monotonic((pthread_cond_t *[]){ &mono, &mono }[0]);
    pt_cond_wait_until(&mono, &m, &(struct timespec){ 0, 1 });
    failures += pthread_mutex_unlock(&m) != 0;
    failures += pthread_cond_destroy((pthread_cond_t *[]){ &mono, &mono }[0]) != 0;
    failures += pthread_cond_destroy(&cv) != 0;
    failures += pthread_mutex_destroy((pthread_mutex_t *[]){ &m, &m }[0]) != 0;
    pt_mutex_init_type((pthread_mutex_t *[]){ &r, &r }[0], (int[]){ PTHREAD_MUTEX_RECURSIVE, 0 }[0]);
    failures += pthread_mutex_destroy(&r) != 0;

    failures += pthread_create((pthread_t *[]){ &t, &t }[0], NULL, thread_main, (int[]){ 1, 2 }) != 0;
    failures += pthread_join((pthread_t[]){ t, t }[0], (void **[]){ &result, NULL }[0]) != 0;
    failures += result == NULL;
    failures += pthread_create(&d, NULL, thread_main, (int[]){ 1, 2 }) != 0;
    failures += pthread_detach((pthread_t[]){ d, d }[0]) != 0;

    void *p = malloc((size_t[]){ 16, 32 }[0]);
    p = realloc((void *[]){ p, NULL }[0], (size_t[]){ 32, 16 }[0]);
    free((void *[]){ p, NULL }[0]);
    free(calloc((size_t[]){ 2, 3 }[0], (size_t[]){ 8, 9 }[0]));

    failures += sched_yield() != 0;
    failures += usleep((useconds_t[]){ 0, 1 }[0]) != 0;
    failures += nanosleep(&(struct timespec){ 0, 0 }, (struct timespec *[]){ NULL, NULL }[0]) != 0;
    timing_sleep_unscaled((double[]){ 0.0, 1.0 }[0]);
    timing_sleep((double[]){ 0.0, 1.0 }[0]);

    pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
    failures += pthread_rwlock_rdlock((pthread_rwlock_t *[]){ &rw, &rw }[0]) != 0;
    failures += pthread_rwlock_unlock(&rw) != 0;
    failures += pthread_rwlock_wrlock((pthread_rwlock_t *[]){ &rw, &rw }[0]) != 0;
    failures += pthread_rwlock_unlock(&rw) != 0;
    failures += pthread_rwlock_tryrdlock((pthread_rwlock_t *[]){ &rw, &rw }[0]) != 0;
    failures += pthread_rwlock_unlock(&rw) != 0;
    failures += pthread_rwlock_trywrlock((pthread_rwlock_t *[]){ &rw, &rw }[0]) != 0;
    failures += pthread_rwlock_unlock(&rw) != 0;
#ifdef SPY_SPIN_LOCKS
    pthread_spinlock_t s;
    failures += pthread_spin_init(&s, PTHREAD_PROCESS_PRIVATE) != 0;
    failures += pthread_spin_lock((pthread_spinlock_t *[]){ &s, &s }[0]) != 0;
    failures += pthread_spin_unlock(&s) != 0;
    failures += pthread_spin_trylock((pthread_spinlock_t *[]){ &s, &s }[0]) != 0;
    failures += pthread_spin_unlock(&s) != 0;
    failures += pthread_spin_destroy(&s) != 0;
#endif

    atomic_uint u;
    atomic_flag f = ATOMIC_FLAG_INIT;
    unsigned expected = 1;
    atomic_init(&u, 1);
    atomic_store_explicit(&u, 2, memory_order_relaxed);
    failures += atomic_load_explicit(&u, memory_order_acquire) != 2;
    failures += atomic_fetch_add_explicit(&u, 1, memory_order_relaxed) != 2;
    failures += atomic_fetch_sub(&u, 1) != 3;
    failures += atomic_exchange(&u, 5) != 2;
    failures += atomic_compare_exchange_strong(&u, &expected, 6) || expected != 5;
    failures += !atomic_compare_exchange_weak_explicit(&u, &expected, 6,
                                                       memory_order_acq_rel, memory_order_relaxed) &&
                !atomic_compare_exchange_weak(&u, &expected, 6);
    failures += atomic_fetch_or(&u, 1) != 6 || atomic_fetch_and(&u, 3) != 7 || atomic_fetch_xor(&u, 3) != 3;
    failures += atomic_load(&u) != 0;
    failures += atomic_flag_test_and_set(&f) || !atomic_flag_test_and_set_explicit(&f, memory_order_acquire);
    atomic_flag_clear_explicit(&f, memory_order_release);
    atomic_flag_clear(&f);

    failures += socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0;
    failures += send((int[]){ fds[0], -1 }[0], (char[]){ 'a', 'b' }, 2, (int[]){ 0, 0 }[0]) != 2;
    failures += write((int[]){ fds[0], -1 }[0], (char[]){ 'c', 'd' }, (size_t[]){ 2, 0 }[0]) != 2;
    failures += close((int[]){ fds[0], -1 }[0]) != 0;
    failures += close(fds[1]) != 0;

    if (ending_too) {   /* compiled, never run: each waits or ends the process */
        pthread_mutex_lock(&m);
        pthread_cond_wait((pthread_cond_t *[]){ &cv, &cv }[0], (pthread_mutex_t *[]){ &m, &m }[0]);
        sleep(1);
        pt_fail(__FILE__, __LINE__, (const char *[]){ "call", NULL }[0], (int[]){ EINVAL, 0 }[0]);
        exit((int[]){ 0, 1 }[0]);
        _exit((int[]){ 0, 1 }[0]);
        _Exit((int[]){ 0, 1 }[0]);
        quick_exit((int[]){ 0, 1 }[0]);
        abort();
    }
    return failures;
}
