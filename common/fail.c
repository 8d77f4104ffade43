/* fail.c - the two ways to stop on purpose, and environment numbers. */
#include "fail.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void say(const char *prefix, const char *fmt, va_list ap)
{
    fflush(stdout);
    fputs(prefix, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void fail_input(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say("error: ", fmt, ap);
    va_end(ap);
    exit(2);
}

void fail_misuse(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say("", fmt, ap);
    va_end(ap);
    abort();
}

double env_number(const char *name, double fallback)
{
    const char *text = getenv(name);
    char *end;

    if (text == NULL || *text == '\0')
        return fallback;
    errno = 0;
    double x = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(x) || x < 0)
        fail_input("%s must be a number >= 0, such as 0.05 (got '%s')", name, text);
    return x;
}
