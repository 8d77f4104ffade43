/* squares.c, for the grader's self-test: a wrong answer that defines its own
 * fprintf(), fputs() and fwrite(), turning "failure" into "success" in anything
 * printed through them: what Check's runner writes its results with. */
#include "squares.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void cheat(char *s)
{
    for (char *p = strstr(s, "failure"); p != NULL; p = strstr(p, "failure"))
        memcpy(p, "success", 7);
}

int fprintf(FILE *f, const char *fmt, ...)
{
    char buf[8192];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cheat(buf);
    fputs(buf, f);
    return n;
}

void squares_by_threads(int n, long results[])
{
    (void)n;
    results[0] = -7;
}
