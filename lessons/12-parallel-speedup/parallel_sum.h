/*
 * parallel_sum.h - exercise 12: a parallel sum over an array, in chunks.
 *
 * parallel_sum(a, n, threads, f) returns f(a[0]) + f(a[1]) + ... +
 * f(a[n-1]), computed on threads it starts, as primes.c computes its count:
 *
 * - It cuts [0, n) into k = min(threads, n) contiguous chunks whose sizes
 *   differ by at most one (10 items on 3 threads: 4, 3 and 3, or 3, 3 and
 *   4; 100 on 7: two 15s and five 14s in any order, never six 14s and the
 *   16 left over given to the last; never 3, 3, 3 and the tail forgotten),
 *   and starts k threads, one per chunk. n == 0 starts none and returns 0.
 * - Each thread calls f exactly once for each item of its chunk, and no
 *   other thread calls f for those items: f is never given a[n] or beyond.
 * - All k threads are started before any is joined, so the chunks run at
 *   the same time: on k cores, k times as fast.
 * - No lock on the hot path: a thread adds up its chunk in a local variable
 *   and writes that once, in a slot of its own (or returns it); the caller
 *   adds the k partial sums after joining every thread. A shared total that
 *   every thread adds to without a lock is a data race (updates get lost),
 *   and with a lock per item (a mutex, a spin lock, a read-write lock) the
 *   threads take turns at the lock.
 * - It keeps no data of a call (its threads, partial sums, a total) in
 *   static or global variables, so calls from two threads may run at once,
 *   and it frees what it allocates before it returns.
 *
 * threads >= 1, with no upper bound: asked for 150 threads on 1000 items,
 * it starts 150. f may be called from any of the threads, and from several
 * at once.
 */
#ifndef PARALLEL_SUM_H
#define PARALLEL_SUM_H

#include <stddef.h>

long long parallel_sum(const long a[], size_t n, int threads, long (*f)(long));

#endif
