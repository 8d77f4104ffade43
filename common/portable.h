/*
 * portable.h - the optional POSIX features common/ uses where the system
 * has them, chosen by feature test, not by the system's name.
 *
 * HAVE_CLOCK_SELECTION: clock_nanosleep() and pthread_condattr_setclock()
 * (POSIX's Clock Selection option: Linux and the BSDs have it, macOS does
 * not). Without it, timing.c sleeps with nanosleep() and pt.c's condition
 * variables wait on CLOCK_REALTIME, each wait's deadline converted from
 * the CLOCK_MONOTONIC one the caller gave (pt.c says what that costs).
 *
 * HAVE_GETTID: gettid(), the kernel's id of the calling thread (Linux, in
 * glibc since 2.30; declared with _GNU_SOURCE). Only lesson 1's thread_ids
 * uses it; without it, that demo shows pthread_self() alone.
 *
 * HAVE_RWLOCK_PREFER_WRITER: pthread_rwlockattr_setkind_np() with
 * PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP, glibc's writer-preferring
 * reader-writer lock (declared with _GNU_SOURCE). Only lesson 15's
 * starvation demo uses it; without it, that part of the demo is skipped.
 *
 * `make PORTABLE=1` defines WORKBOOK_PORTABLE, which turns every optional
 * feature off: the Linux build then takes the paths macOS would.
 */
#ifndef WORKBOOK_PORTABLE_H
#define WORKBOOK_PORTABLE_H

#include <unistd.h>

#if !defined(WORKBOOK_PORTABLE) && defined(_POSIX_CLOCK_SELECTION) && _POSIX_CLOCK_SELECTION > 0
#define HAVE_CLOCK_SELECTION 1
#endif

#if !defined(WORKBOOK_PORTABLE) && defined(__linux__) && defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 30))
#define HAVE_GETTID 1
#endif

#if !defined(WORKBOOK_PORTABLE) && defined(__GLIBC__)
#define HAVE_RWLOCK_PREFER_WRITER 1
#endif

#endif
