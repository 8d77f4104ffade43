/*
 * interleave.h - exercise 4: replay the race one machine step at a time.
 *
 * Two threads, A and B, each run `counter += 1` some number of times on a
 * shared counter that starts at 0. In C (and on the CPU) one `+= 1` is
 * three steps, each with the thread's own register:
 *
 *   load   reg = counter
 *   add    reg = reg + 1
 *   store  counter = reg
 *
 * A schedule says which thread takes its next step: "AAABBB" runs all of
 * A's increment, then all of B's (the counter ends at 2); "AABABB" lets B
 * load before A has stored (it ends at 1: the demo's lost update).
 */
#ifndef INTERLEAVE_H
#define INTERLEAVE_H

/*
 * Run `schedule` (a C string, never NULL) and return the counter's final
 * value. A valid schedule holds only 'A' and 'B', and gives each of them the
 * same number of steps, a multiple of 3 (whole increments), of any length.
 * The empty schedule "" is valid (0 steps each) and ends at 0. Return -1
 * for anything else: another character (lower case too), more steps for one
 * thread than the other, or a part of an increment ("ABAB": 2 steps each).
 */
int interleave_run(const char *schedule);

/*
 * Count, over every valid schedule in which each thread does `increments`
 * increments (0 to 4), how many end below 2 * increments: the schedules
 * that lose an update (each counted once, however many updates it loses).
 * Store in *total how many schedules there are. With 0 increments there is
 * one schedule, "", and it loses nothing: return 0 with *total = 1. For
 * increments below 0 or above 4, return -1 and set *total to 0.
 * Hint: build each schedule (there are C(6n, 3n) of them) and replay it
 * with interleave_run().
 */
long interleave_count_lost(int increments, long *total);

#endif
