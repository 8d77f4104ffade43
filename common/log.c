/*
 * log.c - whole, timestamped, flushed log lines.
 *
 * DESIGN: one mutex, `lock`, guards the capture array and orders output:
 * a line is formatted outside the lock, then written and captured inside
 * it, so the captured order is the printed order. The level is an atomic,
 * read without the lock; LOG_LEVEL is parsed once, on first use.
 */
#include "log.h"

#include "cli.h"
#include "pt.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 1024

static pthread_once_t level_once = PTHREAD_ONCE_INIT;
static atomic_int level = LOG_INFO;
static atomic_int level_set_in_code;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int capturing, quiet;
static char **captured;
static size_t ncaptured, capacity;

static void read_level(void)
{
    const char *text = getenv("LOG_LEVEL");

    if (text == NULL || *text == '\0' || atomic_load(&level_set_in_code))
        return;
    if (strcasecmp(text, "debug") == 0)
        atomic_store(&level, LOG_DEBUG);
    else if (strcasecmp(text, "info") == 0)
        atomic_store(&level, LOG_INFO);
    else if (strcasecmp(text, "warning") == 0)
        atomic_store(&level, LOG_WARNING);
    else
        cli_fail("LOG_LEVEL must be debug, info or warning (got '%s')", text);
}

void log_set_level(enum log_level l)
{
    atomic_store(&level_set_in_code, 1);
    atomic_store(&level, l);
}

enum log_level log_get_level(void)
{
    PT(pthread_once(&level_once, read_level));
    return (enum log_level)atomic_load(&level);
}

static void write_all(const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, buf, len);
        if (n <= 0)
            return;             /* stdout closed: logging must not kill the demo */
        buf += n;
        len -= (size_t)n;
    }
}

static void keep(const char *message)
{
    if (ncaptured == capacity) {
        capacity = capacity ? 2 * capacity : 64;
        captured = realloc(captured, capacity * sizeof *captured);
        if (captured == NULL)
            abort();
    }
    captured[ncaptured] = strdup(message);
    if (captured[ncaptured] == NULL)
        abort();
    ncaptured++;
}

static void emit(enum log_level l, const char *fmt, va_list ap)
{
    char line[LINE_MAX_BYTES];
    struct tm tm;
    time_t now;

    if (l < log_get_level())
        return;
    now = time(NULL);
    localtime_r(&now, &tm);
    size_t stamp = strftime(line, sizeof line, "%H:%M:%S: ", &tm);
    vsnprintf(line + stamp, sizeof line - stamp - 1, fmt, ap);
    size_t len = strlen(line);
    line[len++] = '\n';

    PT(pthread_mutex_lock(&lock));
    if (!(capturing && quiet))
        write_all(line, len);
    if (capturing) {
        line[len - 1] = '\0';
        keep(line + stamp);
    }
    PT(pthread_mutex_unlock(&lock));
}

#define DEFINE_LOG(name, lvl)                   \
    void name(const char *fmt, ...)             \
    {                                           \
        va_list ap;                             \
        va_start(ap, fmt);                      \
        emit(lvl, fmt, ap);                     \
        va_end(ap);                             \
    }
DEFINE_LOG(log_debug, LOG_DEBUG)
DEFINE_LOG(log_info, LOG_INFO)
DEFINE_LOG(log_warning, LOG_WARNING)

void log_capture_start(int be_quiet)
{
    PT(pthread_mutex_lock(&lock));
    capturing = 1;
    quiet = be_quiet;
    PT(pthread_mutex_unlock(&lock));
}

size_t log_capture_count(void)
{
    PT(pthread_mutex_lock(&lock));
    size_t n = ncaptured;
    PT(pthread_mutex_unlock(&lock));
    return n;
}

const char *log_capture_line(size_t i)
{
    PT(pthread_mutex_lock(&lock));
    const char *line = i < ncaptured ? captured[i] : NULL;
    PT(pthread_mutex_unlock(&lock));
    return line;
}

void log_capture_stop(void)
{
    PT(pthread_mutex_lock(&lock));
    for (size_t i = 0; i < ncaptured; i++)
        free(captured[i]);
    free(captured);
    captured = NULL;
    ncaptured = capacity = 0;
    capturing = quiet = 0;
    PT(pthread_mutex_unlock(&lock));
}
