/* squares.c, for the grader's self-test: does not compile (a missing semicolon, an unknown name);
 * the compiler quotes line 7, whose comment the reports must escape: quotes, a backslash, <&>, a
 * control character and a byte that is not UTF-8. */
#include "squares.h"

void squares_by_threads(int n, long results[])
{
    for (int i = 0; i < n; i++)
        results[i] = i * i /* "q" \ <b>&amp;  é */
    undefined_helper(results);
}
