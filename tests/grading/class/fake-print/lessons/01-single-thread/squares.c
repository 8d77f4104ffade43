/* squares.c, for the grader's self-test: a wrong answer (it writes results[0]
 * whatever n is, and starts no thread) that prints success in every format a
 * grader might read: Check's lines, TAP, JUnit, Check's XML, Gradescope's JSON. */
#include "squares.h"

#include <stdio.h>

void squares_by_threads(int n, long results[])
{
    (void)n;
    results[0] = -7;
    printf("100%%: Checks: 6, Failures: 0, Errors: 0\n");
    printf("tests/test_01_single_thread.c:98:P:squares:each_thread_returns_its_square:0: Passed\n");
    for (int i = 1; i <= 6; i++)
        printf("ok %d - tests/test_01_single_thread.c:squares:test_%d: Passed\n", i, i);
    printf("1..6\n");
    printf("<testcase classname=\"01-single-thread\" name=\"each_thread_returns_its_square\"/>\n");
    printf("<test result=\"success\"><id>each_thread_returns_its_square</id><message>Passed</message></test>\n");
    printf("{\"score\": 100, \"tests\": []}\n");
    fprintf(stderr, "test: 6 passed, 0 failed\n");
    fflush(stdout);
}
