/* test_log.c - common/log: the article's format, levels, whole lines, capture. */
#include "harness.h"
#include "log.h"
#include "pt.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Point stdout at a temporary file for the rest of this test's process. */
static FILE *stdout_to_file(void)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    ck_assert_int_ge(dup2(fileno(f), STDOUT_FILENO), 0);
    return f;
}

static char *contents(FILE *f)
{
    static char buf[1 << 20];
    rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    return buf;
}

START_TEST(a_line_is_time_colon_message)
{
    FILE *f = stdout_to_file();
    regex_t re;

    log_info("Thread %d: starting", 1);
    ck_assert_int_eq(regcomp(&re, "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]: Thread 1: starting\n$", REG_EXTENDED), 0);
    char *out = contents(f);
    ck_assert_msg(regexec(&re, out, 0, NULL, 0) == 0, "unexpected line: '%s'", out);
    regfree(&re);
}
END_TEST

START_TEST(info_is_the_default_level)
{
    log_capture_start(1);
    log_debug("hidden");
    log_info("shown");
    log_warning("also shown");
    ck_assert_uint_eq(log_capture_count(), 2);
    ck_assert_str_eq(log_capture_line(0), "shown");
    ck_assert_str_eq(log_capture_line(1), "also shown");
    ck_assert_int_eq(log_capture_level(0), LOG_INFO);
    ck_assert_int_eq(log_capture_level(1), LOG_WARNING);
    ck_assert_int_eq(log_capture_level(2), 0);
    log_capture_stop();
}
END_TEST

START_TEST(log_level_debug_from_the_environment)
{
    setenv("LOG_LEVEL", "DEBUG", 1);
    log_capture_start(1);
    log_debug("Thread %d about to lock", 0);
    ck_assert_uint_eq(log_capture_count(), 1);
    ck_assert_str_eq(log_capture_line(0), "Thread 0 about to lock");
    log_capture_stop();
}
END_TEST

START_TEST(a_level_set_in_code_wins_over_the_environment)
{
    setenv("LOG_LEVEL", "debug", 1);
    log_set_level(LOG_WARNING);
    log_capture_start(1);
    log_debug("no");
    log_info("no");
    log_warning("yes");
    ck_assert_uint_eq(log_capture_count(), 1);
    ck_assert_int_eq(log_get_level(), LOG_WARNING);
    log_capture_stop();
}
END_TEST

static void log_with_bad_level(void)
{
    setenv("LOG_LEVEL", "loud", 1);
    log_info("never printed");
}

START_TEST(a_bad_log_level_is_one_line_and_status_2)
{
    struct run r = harness_fork(log_with_bad_level, 5);
    ck_assert_int_eq(r.exit_code, 2);
    ck_assert_str_eq(r.out, "error: LOG_LEVEL must be debug, info or warning (got 'loud')\n");
    run_free(&r);
}
END_TEST

enum { WRITERS = 4, LINES = 2000 };

static void *write_lines(void *arg)
{
    /* Threads write lines of different lengths, so a torn line would show. */
    int id = (int)(intptr_t)arg;
    char pad[64];
    memset(pad, 'a' + id, sizeof pad - 1);
    pad[8 + 12 * id] = '\0';
    for (int i = 0; i < LINES; i++)
        log_info("writer %d line %d %s", id, i, pad);
    return NULL;
}

START_TEST(lines_from_many_threads_never_mix)
{
    FILE *f = stdout_to_file();
    pthread_t t[WRITERS];
    int per_writer[WRITERS] = { 0 };

    for (int i = 0; i < WRITERS; i++)
        PT(pthread_create(&t[i], NULL, write_lines, (void *)(intptr_t)i));
    for (int i = 0; i < WRITERS; i++)
        PT(pthread_join(t[i], NULL));

    char *out = contents(f), *save = NULL;
    int total = 0;
    for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int id, n, used = 0;
        ck_assert_msg(sscanf(line + 10, "writer %d line %d %n", &id, &n, &used) == 2 && used > 0,
                      "a torn line: '%s'", line);
        const char *pad = line + 10 + used;
        ck_assert_msg(id >= 0 && id < WRITERS && strlen(pad) == (size_t)(8 + 12 * id) &&
                      strspn(pad, (char[]){ (char)('a' + id), 0 }) == strlen(pad),
                      "a torn line: '%s'", line);
        ck_assert_int_eq(n, per_writer[id]);    /* each thread's lines stay in its order */
        per_writer[id]++;
        total++;
    }
    ck_assert_int_eq(total, WRITERS * LINES);
}
END_TEST

START_TEST(capture_keeps_the_order_lines_were_written)
{
    char want[32];

    log_capture_start(1);
    for (int i = 0; i < 100; i++)
        log_info("line %d", i);
    ck_assert_uint_eq(log_capture_count(), 100);
    for (int i = 0; i < 100; i++) {
        snprintf(want, sizeof want, "line %d", i);
        ck_assert_str_eq(log_capture_line((size_t)i), want);
    }
    ck_assert_ptr_null(log_capture_line(100));
    log_capture_stop();
    ck_assert_uint_eq(log_capture_count(), 0);
}
END_TEST

int main(void)
{
    unsetenv("LOG_LEVEL");
    Suite *s = suite_create("log");
    TCase *tc = harness_tcase("log", 0);
    tcase_add_test(tc, a_line_is_time_colon_message);
    tcase_add_test(tc, info_is_the_default_level);
    tcase_add_test(tc, log_level_debug_from_the_environment);
    tcase_add_test(tc, a_level_set_in_code_wins_over_the_environment);
    tcase_add_test(tc, a_bad_log_level_is_one_line_and_status_2);
    tcase_add_test(tc, lines_from_many_threads_never_mix);
    tcase_add_test(tc, capture_keeps_the_order_lines_were_written);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
