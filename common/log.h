/*
 * log.h - the article's logging set-up, in C:
 *
 *   logging.basicConfig(format="%(asctime)s: %(message)s",
 *                       level=logging.INFO, datefmt="%H:%M:%S")
 *
 * log_info("Thread %d: starting", 1) prints "08:51:02: Thread 1: starting".
 * Each line goes out whole with one write() to standard output, so lines
 * from different threads never mix, and nothing waits in a buffer: a pipe,
 * a redirect or a killed process keeps every line already logged.
 * (Python's logging writes to stderr; stdout lets `make lesson-N | less` work.)
 *
 * The level comes from the environment variable LOG_LEVEL (debug, info or
 * warning; default info) or from log_set_level(), which wins.
 */
#ifndef WORKBOOK_LOG_H
#define WORKBOOK_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG = 10, LOG_INFO = 20, LOG_WARNING = 30 };

void log_set_level(enum log_level level);
enum log_level log_get_level(void);

#define LOG_PRINTF(f, a) __attribute__((format(printf, f, a)))
void log_debug(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_warning(const char *fmt, ...) LOG_PRINTF(1, 2);

/*
 * For tests: from log_capture_start() on, every message that passes the
 * level is also kept in memory (its text, without the time), in the order
 * the lines were written; quiet stops printing meanwhile. Read the lines
 * after joining the threads that log; log_capture_level() says which of
 * log_debug, log_info and log_warning wrote line i (0 past the last).
 * log_capture_stop() frees them.
 */
void log_capture_start(int quiet);
size_t log_capture_count(void);
const char *log_capture_line(size_t i);
enum log_level log_capture_level(size_t i);
void log_capture_stop(void);

#endif
