/* cli.c - one-line errors, exit status 2, for input a program cannot use. */
#include "cli.h"

#include "log.h"
#include "timing.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_fail(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fputs("error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void check_environment(void)
{
    timing_scale();
    log_get_level();
}

void cli_no_args(int argc, char **argv)
{
    check_environment();
    if (argc > 1)
        cli_fail("%s takes no arguments (got '%s'): run it without ARGS",
                 base_name(argv[0]), argv[1]);
}

long cli_number(int argc, char **argv, const char *what, long fallback,
                long min, long max)
{
    const char *name = base_name(argv[0]);
    char *end;

    check_environment();
    if (argc > 2)
        cli_fail("%s takes one number, %s (got %d arguments): try ARGS=%ld",
                 name, what, argc - 1, fallback);
    if (argc < 2)
        return fallback;
    errno = 0;
    long n = strtol(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0' || errno == ERANGE || n < min || n > max)
        cli_fail("%s: %s must be a whole number from %ld to %ld (got '%s'): try ARGS=%ld",
                 name, what, min, max, argv[1], fallback);
    return n;
}

double cli_env_number(const char *name, double fallback)
{
    const char *text = getenv(name);
    char *end;

    if (text == NULL || *text == '\0')
        return fallback;
    errno = 0;
    double x = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(x) || x < 0)
        cli_fail("%s must be a number >= 0, such as 0.05 (got '%s')", name, text);
    return x;
}
