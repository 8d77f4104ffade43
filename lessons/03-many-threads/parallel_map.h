/*
 * parallel_map.h - exercise 3: the heart of executor.map(), by hand.
 *
 * parallel_map(fn, args, results, n, max_workers) computes
 * results[i] = fn(args[i]) for every i < n, calling fn exactly once per item
 * and never with args[n] or beyond. It calls fn on threads it starts: at
 * least one when n > 0, none when n == 0, never more than there are items,
 * and never more than max_workers started and not yet joined at once; so
 * never more than max_workers calls of fn run at the same time, and when
 * there are that many items, that many calls do run together. It returns
 * only when every call has finished and every thread it started has been
 * joined. results[i] belongs to args[i] whatever order the calls finish in.
 *
 * One good shape: start min(n, max_workers) threads that share a struct
 * holding fn, args, results, n and `next`, the index of the next item to
 * take. Each thread, in a loop: take `next` and advance it under a mutex,
 * stop when it reached n, otherwise call fn with the mutex released and
 * store the result. Then join them all.
 */
#ifndef PARALLEL_MAP_H
#define PARALLEL_MAP_H

#include <stddef.h>

/* max_workers >= 1. */
void parallel_map(void *(*fn)(void *), void *const args[], void *results[],
                  size_t n, int max_workers);

#endif
