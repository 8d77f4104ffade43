/* cli.c - one-line errors, exit status 2, for input a program cannot use. */
#include "cli.h"

#include "fail.h"
#include "log.h"
#include "timing.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
        fail_input("%s takes no arguments (got '%s'): run it without ARGS",
                 base_name(argv[0]), argv[1]);
}

long cli_number(int argc, char **argv, const char *what, long fallback,
                long min, long max)
{
    const char *name = base_name(argv[0]);
    char *end;

    check_environment();
    if (argc > 2)
        fail_input("%s takes one number, %s (got %d arguments): try ARGS=%ld",
                 name, what, argc - 1, fallback);
    if (argc < 2)
        return fallback;
    errno = 0;
    long n = strtol(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0' || errno == ERANGE || n < min || n > max)
        fail_input("%s: %s must be a whole number from %ld to %ld (got '%s'): try ARGS=%ld",
                 name, what, min, max, argv[1], fallback);
    return n;
}
