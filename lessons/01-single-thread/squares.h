/*
 * squares.h - exercise 1: one thread per index, a result from each.
 *
 * squares_by_threads(n, results) starts n threads at once. Thread i gets
 * its index i and hands back i * i as its return value; you collect it with
 * pthread_join() and store it in results[i]. Join every thread you start.
 *
 * The trap: pthread_create(&t, NULL, square, &i) in a loop gives every
 * thread the address of the same i, which the loop keeps changing. Pass the
 * index by value instead: (void *)(intptr_t)i, and back: (intptr_t)arg.
 */
#ifndef SQUARES_H
#define SQUARES_H

#define SQUARES_MAX 64

/* 0 <= n <= SQUARES_MAX. */
void squares_by_threads(int n, long results[]);

#endif
