/*
 * parallel_map.h - exercise 3: the heart of executor.map(), by hand.
 *
 * parallel_map(fn, args, results, n, max_workers) computes
 * results[i] = fn(args[i]) for every i < n, calling fn exactly once per item
 * and never with args[n] or beyond. It calls fn only on threads it starts,
 * never on the thread that called it: at least one thread when n > 0, none
 * when n == 0, never more than there are items, and never more than
 * max_workers started and not yet joined at once. So never more than
 * max_workers calls of fn run at the same time, and min(n, max_workers)
 * calls do run together (5 items and max_workers 4: 4 calls at once). It
 * returns only when every call has finished, every thread it started has
 * been joined and what it allocated is freed. results[i] belongs to args[i]
 * whatever order the calls finish in.
 * Neither n nor max_workers has a bound, and two calls may run at the same
 * time (fn may call parallel_map itself): each call keeps what it needs in
 * memory of its own, never in static or global variables.
 *
 * One good shape, a static split: start k = min(n, max_workers) threads,
 * and let thread j do items j, j + k, j + 2k, ... while below n. Each thread
 * gets its own struct (fn, args, results, n, its first item and the step k)
 * from an array that outlives the threads, as in lesson 1: never &j of the
 * loop variable, never one struct filled anew for each thread. Start them
 * all, then join them all. The threads share nothing they write but their
 * own results[i].
 */
#ifndef PARALLEL_MAP_H
#define PARALLEL_MAP_H

#include <stddef.h>

/* max_workers >= 1. */
void parallel_map(void *(*fn)(void *), void *const args[], void *results[],
                  size_t n, int max_workers);

#endif
