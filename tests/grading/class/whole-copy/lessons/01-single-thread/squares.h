/* squares.h, for the grader's self-test: a header the student changed; the grader uses its own. */
#ifndef SQUARES_H
#define SQUARES_H
#define SQUARES_MAX 1
void squares_by_threads(int n, long results[]);
#endif
