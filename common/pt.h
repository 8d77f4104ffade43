/*
 * pt.h - checked pthread calls: the one wrapper family every file uses.
 *
 * PT(pthread_mutex_lock(&m)) runs the call; a non-zero return is a bug in
 * the program (misuse, not an outcome to handle), so it prints file, line,
 * the call and strerror() of the *returned* code, then aborts. It is a plain
 * statement, never an assert(), so it stays in -DNDEBUG builds.
 */
#ifndef WORKBOOK_PT_H
#define WORKBOOK_PT_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#define PT(call)                                                   \
    do {                                                           \
        int pt_rc_ = (call);                                       \
        if (pt_rc_ != 0)                                           \
            pt_fail(__FILE__, __LINE__, #call, pt_rc_);            \
    } while (0)

/* Report a failed call (rc is the error number it returned) and abort. */
_Noreturn void pt_fail(const char *file, int line, const char *call, int rc);

/*
 * Initialise m as a mutex of this type: PTHREAD_MUTEX_NORMAL (a second lock
 * by the owner hangs), _ERRORCHECK (it returns EDEADLK; an unlock by a
 * non-owner returns EPERM) or _RECURSIVE (the owner may lock it again and
 * must unlock it as many times). PTHREAD_MUTEX_INITIALIZER gives _DEFAULT,
 * whose relock and foreign unlock POSIX leaves undefined.
 */
void pt_mutex_init_type(pthread_mutex_t *m, int type);

/* Initialise cv so that its timed waits measure CLOCK_MONOTONIC, which
 * never jumps when someone sets the wall clock. */
void pt_cond_init_monotonic(pthread_cond_t *cv);

/*
 * Wait on cv (initialised with pt_cond_init_monotonic) with m held, until
 * woken or until deadline, a CLOCK_MONOTONIC time from timing_deadline().
 * A NULL deadline waits without limit. Returns false only when the deadline
 * passed. Like every condition wait it may wake spuriously: call it in a
 * loop that re-checks the condition.
 */
bool pt_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *m,
                        const struct timespec *deadline);

#endif
