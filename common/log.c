/*
 * log.c - whole, timestamped, flushed log lines.
 *
 * DESIGN: one mutex, `lock`, guards the level, the capture array and the
 * output. The message is formatted outside the lock; the time stamp is
 * taken, and the line written and captured, inside it, so the captured
 * order is the printed order and stamps never go backwards. LOG_LEVEL is
 * parsed on first use, outside the lock (a bad value exits). A plain mutex
 * rather than pthread_once and atomics: helgrind and ThreadSanitizer both
 * understand it.
 *
 * TIMELINE=1 in the environment changes each line's stamp to what
 * scripts/timeline.sh draws as one column per thread: "@T <ms> <thread>\t"
 * (milliseconds since the first line, and the thread: 0 for the one that
 * ran main, then 1, 2, ... in the order of their first lines).
 */
#include "log.h"

#include "alloc.h"
#include "fail.h"
#include "pt.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 1024
#define STAMP_BYTES 10          /* "HH:MM:SS: " */
#define TIMELINE_STAMP_BYTES 32 /* "@T <ms> <thread>\t" */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool level_known;        /* level came from LOG_LEVEL or log_set_level() */
static enum log_level level = LOG_INFO;
static int capturing, quiet;
static char **captured;
static size_t ncaptured, capacity;

/* TIMELINE: the first line's time, and the threads numbered so far. */
static int timeline = -1;       /* -1: not read yet */
static double first_line = -1;
static unsigned nthreads;
static _Thread_local unsigned thread_no;        /* 0: not numbered yet */
static pthread_t main_thread;

/* The thread that runs main(): it runs the constructors. */
__attribute__((constructor)) static void note_main_thread(void)
{
    main_thread = pthread_self();
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* The stamp of a timeline line, into stamp; called with the lock held. */
static size_t timeline_stamp(char *stamp, size_t size)
{
    double now = now_ms();

    if (first_line < 0)
        first_line = now;
    if (thread_no == 0)
        thread_no = pthread_equal(pthread_self(), main_thread) ? 1 : ++nthreads + 1;
    return (size_t)snprintf(stamp, size, "@T %.0f %u\t", now - first_line, thread_no - 1);
}

/* LOG_LEVEL's value. Called without the lock: a bad value exits. */
static enum log_level parse_level(void)
{
    const char *text = getenv("LOG_LEVEL");

    if (text == NULL || *text == '\0' || strcasecmp(text, "info") == 0)
        return LOG_INFO;
    if (strcasecmp(text, "debug") == 0)
        return LOG_DEBUG;
    if (strcasecmp(text, "warning") == 0)
        return LOG_WARNING;
    fail_input("LOG_LEVEL must be debug, info or warning (got '%s')", text);
}

void log_set_level(enum log_level l)
{
    PT(pthread_mutex_lock(&lock));
    level = l;
    level_known = true;
    PT(pthread_mutex_unlock(&lock));
}

enum log_level log_get_level(void)
{
    PT(pthread_mutex_lock(&lock));
    bool known = level_known;
    enum log_level l = level;
    PT(pthread_mutex_unlock(&lock));
    if (known)
        return l;

    l = parse_level();
    PT(pthread_mutex_lock(&lock));
    if (!level_known) {         /* log_set_level() may have come first */
        level = l;
        level_known = true;
    }
    l = level;
    PT(pthread_mutex_unlock(&lock));
    return l;
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

/* A captured line is its level, one byte, then its text. */
static void keep(enum log_level l, const char *message)
{
    if (ncaptured == capacity) {
        capacity = capacity ? 2 * capacity : 64;
        captured = alloc_resize(captured, capacity, sizeof *captured);
    }
    size_t len = strlen(message) + 1;
    captured[ncaptured] = alloc_zeroed(len + 1, 1);
    captured[ncaptured][0] = (char)l;
    memcpy(captured[ncaptured] + 1, message, len);
    ncaptured++;
}

static void emit(enum log_level l, const char *fmt, va_list ap)
{
    char line[TIMELINE_STAMP_BYTES + LINE_MAX_BYTES], *text = line + TIMELINE_STAMP_BYTES;
    char stamp[TIMELINE_STAMP_BYTES + 1];
    size_t slen;
    struct tm tm;

    if (l < log_get_level())
        return;
    vsnprintf(text, LINE_MAX_BYTES - 1, fmt, ap);
    size_t len = strlen(text);
    text[len++] = '\n';

    PT(pthread_mutex_lock(&lock));
    if (timeline < 0) {
        const char *env = getenv("TIMELINE");
        timeline = env != NULL && strcmp(env, "1") == 0;
    }
    if (timeline) {
        slen = timeline_stamp(stamp, sizeof stamp);
    } else {
        time_t now = time(NULL);
        localtime_r(&now, &tm); /* glibc's time-zone state is not ours to race on */
        slen = strftime(stamp, sizeof stamp, "%H:%M:%S: ", &tm);
    }
    memcpy(text - slen, stamp, slen);
    if (!(capturing && quiet))
        write_all(text - slen, slen + len);
    if (capturing) {
        text[len - 1] = '\0';
        keep(l, text);
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
    const char *line = i < ncaptured ? captured[i] + 1 : NULL;
    PT(pthread_mutex_unlock(&lock));
    return line;
}

enum log_level log_capture_level(size_t i)
{
    PT(pthread_mutex_lock(&lock));
    enum log_level l = i < ncaptured ? (enum log_level)captured[i][0] : 0;
    PT(pthread_mutex_unlock(&lock));
    return l;
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
