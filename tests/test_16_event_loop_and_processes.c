/*
 * test_16_event_loop_and_processes.c - lesson 16: the demos beside
 * event_server (whose interop and stress tests are lesson 11's, run on it
 * too: tests/test_11_socket_server.c); exercise 16 (linereader.c).
 *
 * The exercise tests give a reader one end of a socketpair(), non-blocking,
 * and play the client on the other end: every byte is there exactly when
 * the test has sent it, and nothing else is, so each recv() the reader
 * makes finds what the test says and EAGAIN after it. No threads: the event
 * loop has one, and so do these tests (but for the one that watches a call
 * that must not wait).
 */
#include "harness.h"
#include "linereader.h"

#include "alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- the demos ------------------------------------------------------------------ */

/*
 * make bench's figures. How fast is the bench's business, never a test's;
 * but a ceiling is arithmetic: n clients that each think 10 ms, none before
 * the window starts, finish at most n connections per 10 ms of window,
 * n * 100 a second, on any server, however idle the machine.
 */
START_TEST(loop_bench_measures_three_servers_in_one_run)
{
    struct run r = harness_run("loop_bench", (const char *[]){ "30", NULL }, 1, 25);
    const char *kinds[] = { "clients", "thinking" }, *names[] = { "event_server_", "event_over_threads_",
                                                                   "event_over_pool_" };
    const int counts[] = { 1, 10, 50, 200 };
    char line[96];

    ck_assert_msg(r.exit_code == 0, "loop_bench ended with status %d:\n%s", r.exit_code, r.out);
    ck_assert_msg(strstr(r.out, "a thread each  pool of two   event loop") != NULL,
                  "loop_bench printed no table of the three servers:\n%s", r.out);
    for (int k = 0; k < 2; k++)
        for (int c = 0; c < 4; c++)
            for (int n = 0; n < 3; n++) {
                snprintf(line, sizeof line, "bench: %s%s%d ", names[n], kinds[k], counts[c]);
                const char *at = strstr(r.out, line);
                ck_assert_msg(at != NULL, "loop_bench printed no '%s...' line:\n%s", line, r.out);
                double v = strtod(at + strlen(line), NULL);
                ck_assert_msg(n != 0 || k == 0 || v <= counts[c] * 100.0,
                              "%s%g conn/s: %d clients that think 10 ms finish at most %d connections a second",
                              line, v, counts[c], counts[c] * 100);
            }
    run_free(&r);
}
END_TEST

/* The number after `key` on the line holding `line_has` (-1: none). */
static long number_after(const char *out, const char *line_has, const char *key)
{
    const char *at = strstr(out, line_has);
    if (at == NULL)
        return -1;
    const char *end = strchr(at, '\n'), *k = strstr(at, key);
    return k != NULL && (end == NULL || k < end) ? strtol(k + strlen(key), NULL, 10) : -1;
}

START_TEST(fork_vs_thread_shows_what_a_child_process_does_not_share)
{
    struct run r = harness_run("fork_vs_thread", NULL, 1, 10);
    ck_assert_msg(r.exit_code == 0, "fork_vs_thread ended with status %d:\n%s", r.exit_code, r.out);
    ck_assert_msg(output_count(r.out, "Main    : after the thread: counter 1, heap 1, shared 1, file offset 1") == 1,
                  "a thread's changes must all be main's too:\n%s", r.out);
    ck_assert_msg(output_count(r.out, "Main    : after the child: counter 1, heap 1, shared 2, file offset 2") == 1,
                  "a child's changes to its copies (the global, the heap) must not reach the parent; the shared "
                  "mapping and the file's offset must:\n%s", r.out);
    long main_pid = number_after(r.out, "Thread  : pid", "pid ");
    long child_pid = number_after(r.out, "Child   : pid", "pid "), parent = number_after(r.out, "Child   :", "parent ");
    ck_assert_msg(main_pid > 0 && child_pid > 0 && child_pid != main_pid && parent == main_pid,
                  "the thread runs in main's process, the child in its own, whose parent is main's:\n%s", r.out);
    ck_assert_msg(strstr(r.out, "3 threads here") != NULL && strstr(r.out, "1 thread here") != NULL,
                  "main's process has three threads at the fork (main, the sleeper, the thread), the child "
                  "only the one that forked:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(primes_procs_counts_the_same_primes_in_every_row)
{
    struct run r = harness_run("primes_procs", (const char *[]){ "2", NULL }, 0.01, 30);
    ck_assert_msg(r.exit_code == 0 && strstr(r.out, "a bug") == NULL, "primes_procs ended with status %d:\n%s",
                  r.exit_code, r.out);
    ck_assert_msg(strstr(r.out, "(7837 primes below 80000 in every row)") != NULL &&
                  strstr(r.out, "bench: speedup_cpu_2processes ") != NULL,
                  "primes_procs on two processes must count the 7837 primes below 80000 each time and print "
                  "its bench line:\n%s", r.out);
    ck_assert_msg((strstr(r.out, "(669 primes below 5000 in every row)") != NULL &&
                   strstr(r.out, "bench: speedup_cpu_python_2processes ") != NULL) ||
                  strstr(r.out, "Python: skipped, python3 cannot be run here") != NULL,
                  "primes_procs must run primes_mp.py (multiprocessing) or say why it did not:\n%s", r.out);
    run_free(&r);
}
END_TEST

/* ---- exercise 16: a reader on one end of a socketpair ---------------------------- */

struct conn {
    int peer;                   /* the test's end: the client */
    struct line_reader r;       /* on the other end, non-blocking */
};

static void conn_open(struct conn *c, size_t max_line)
{
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
    c->peer = sv[1];
    reader_init(&c->r, sv[0], max_line);
}

static void conn_close(struct conn *c)
{
    int fd = c->r.fd;
    reader_free(&c->r);
    close(fd);
    if (c->peer >= 0)
        close(c->peer);
}

/* The client sends these bytes, never waiting: the tests drain the reader after each piece, so
 * the socket fills only when the reader does not read what came. */
static void put(struct conn *c, const char *bytes, size_t n)
{
    while (n > 0) {
        ssize_t sent = send(c->peer, bytes, n, MSG_DONTWAIT);
        ck_assert_msg(sent > 0 || errno != EAGAIN, "the socket to the reader is full (%d recv() calls so far "
                      "returned bytes): reader_next must recv() what has come when it holds no whole line",
                      c->r.reads);
        ck_assert_msg(sent > 0, "the test could not send: %s", strerror(errno));
        bytes += sent;
        n -= (size_t)sent;
    }
}

static const char *status_name(enum reader_status s)
{
    static const char *const names[] = { "READER_LINE", "READER_AGAIN", "READER_CLOSED", "READER_TOO_LONG",
                                         "READER_ERROR" };
    return (unsigned)s < 5 ? names[s] : "a status linereader.h does not have";
}

/* What the reader handed back so far: each line and its '\n', and how many. */
struct got {
    char *text;
    size_t len, cap;
    int lines;
};

static void got_add(struct got *g, const char *line, size_t len)
{
    if (g->len + len + 2 > g->cap)
        g->text = alloc_resize(g->text, g->cap = 2 * (g->len + len) + 64, 1);
    memcpy(g->text + g->len, line, len);
    g->len += len;
    g->text[g->len++] = '\n';
    g->text[g->len] = '\0';
    g->lines++;
}

/* Call reader_next until it hands back no line; every line goes to g (when not NULL), checked. */
static enum reader_status drain(struct conn *c, struct got *g, size_t *len)
{
    for (int calls = 0;; calls++) {
        char *line = NULL;
        size_t n = (size_t)-1;
        enum reader_status s = reader_next(&c->r, &line, &n);
        ck_assert_msg(calls < 10000000, "reader_next handed back ten million lines in a row");
        if (s != READER_LINE) {
            if (len != NULL)
                *len = n;
            return s;
        }
        ck_assert_msg(line != NULL && n != (size_t)-1, "reader_next said READER_LINE but set no line or length");
        ck_assert_msg(n <= c->r.max_line, "reader_next handed back a line of %zu bytes; max_line is %zu", n,
                      c->r.max_line);
        ck_assert_msg(line[n] == '\0', "reader_next handed back a line of %zu bytes whose byte %zu is 0x%02x, "
                      "not the '\\0' linereader.h promises after it", n, n, (unsigned char)line[n]);
        ck_assert_msg(memchr(line, '\n', n) == NULL, "reader_next handed back a line with a '\\n' inside its "
                      "%zu bytes: a line ends at the first '\\n', which is not part of it", n);
        if (g != NULL)
            got_add(g, line, n);
    }
}

/* Drain, expecting READER_AGAIN: all there is has been handed back. */
static void drain_to_again(struct conn *c, struct got *g, const char *after)
{
    size_t n;
    enum reader_status s = drain(c, g, &n);
    ck_assert_msg(s != READER_TOO_LONG || n > c->r.max_line, "after %s, reader_next returned READER_TOO_LONG "
                  "with %zu bytes, and max_line is %zu: a line of up to max_line bytes is allowed, however "
                  "long (no fixed-size buffer: grow it with realloc)", after, n, c->r.max_line);
    ck_assert_msg(s == READER_AGAIN, "after %s, reader_next returned %s (len %zu) where READER_AGAIN was due "
                  "(a whole line, or nothing more to read now)", after, status_name(s), n);
}

/* The text of the lines handed back must be `want` (each line with its '\n'). */
static void assert_got(const struct got *g, const char *want, size_t want_len, const char *how)
{
    size_t same = 0, start = 0;
    int line = 1;
    while (same < g->len && same < want_len && g->text[same] == want[same])
        if (want[same++] == '\n')
            start = same, line++;
    if (same == want_len && same == g->len)
        return;
    const char *w = want + start, *wend = memchr(w, '\n', want_len - start);
    int wlen = wend != NULL ? (int)(wend - w) : (int)(want_len - start);
    if (start >= g->len)
        ck_abort_msg("%s: the reader handed back %d lines, then no more; line %d, '%.*s', was due", how,
                     g->lines, line, wlen > 200 ? 200 : wlen, w);
    const char *h = g->text + start, *hend = memchr(h, '\n', g->len - start);
    int hlen = hend != NULL ? (int)(hend - h) : (int)(g->len - start);
    ck_abort_msg("%s: line %d handed back is '%.*s' (%d bytes), where '%.*s' (%d bytes) was due", how, line,
                 hlen > 200 ? 200 : hlen, h, hlen, wlen > 200 ? 200 : wlen, w, wlen);
}

static void got_free(struct got *g)
{
    free(g->text);
    *g = (struct got){ 0 };
}

#define TEN "Hey. 0\nHey. 1\nHey. 2\nHey. 3\nHey. 4\nHey. 5\nHey. 6\nHey. 7\nHey. 8\nHey. 9\n"

START_TEST(one_line_comes_back_without_its_newline)
{
    struct conn c;
    struct got g = { 0 };
    conn_open(&c, 64);
    put(&c, "Hey. 0\n", 7);
    drain_to_again(&c, &g, "one line, 'Hey. 0\\n'");
    assert_got(&g, "Hey. 0\n", 7, "the client sent 'Hey. 0\\n'");
    ck_assert_msg(c.r.reads == 1, "one recv() brought 'Hey. 0\\n', and r->reads says %d: count each recv() "
                  "that returns bytes, and nothing else", c.r.reads);
    got_free(&g);
    conn_close(&c);
}
END_TEST

struct call {
    struct conn *c;
    enum reader_status s;
};

static void *call_next(void *arg)
{
    struct call *k = arg;
    char *line;
    size_t n;
    k->s = reader_next(&k->c->r, &line, &n);
    return NULL;
}

/* reader_next with no whole line there must come back at once with READER_AGAIN. */
static void assert_again_at_once(struct conn *c, const char *when)
{
    struct call k = { .c = c, .s = READER_LINE };
    pending_t *p = pending_start(call_next, &k);
    ck_assert_msg(pending_returned(p, 2), "reader_next did not return within 2 s when %s: when recv() says "
                  "EAGAIN, return READER_AGAIN at once; never wait for more or try again in a loop (one "
                  "thread serves every client: the event loop calls again when poll() says there is more)", when);
    pending_join(p);
    ck_assert_msg(k.s == READER_AGAIN, "reader_next returned %s when %s: READER_AGAIN was due", status_name(k.s),
                  when);
}

START_TEST(nothing_there_returns_again_at_once)
{
    struct conn c;
    struct got g = { 0 };
    conn_open(&c, 64);
    assert_again_at_once(&c, "the client had sent nothing");
    put(&c, "Hey", 3);
    assert_again_at_once(&c, "the client had sent half a line, 'Hey'");
    put(&c, ". 0\n", 4);
    drain_to_again(&c, &g, "'Hey', AGAIN, then '. 0\\n'");
    assert_got(&g, "Hey. 0\n", 7, "the client sent 'Hey' then '. 0\\n'");
    got_free(&g);
    conn_close(&c);
}
END_TEST

START_TEST(lines_that_come_together_come_back_one_by_one)
{
    struct conn c;
    struct got g = { 0 };
    conn_open(&c, 64);
    put(&c, TEN, sizeof TEN - 1);
    enum reader_status s = drain(&c, &g, NULL);
    ck_assert_msg(s == READER_AGAIN && g.lines == 10, "the client sent ten lines in one piece; reader_next handed "
                  "back %d of them, then %s with %d whole lines still read and waiting: look for a whole line "
                  "in the buffer before you recv() (poll() will not wake the loop for bytes already read)",
                  g.lines, status_name(s), 10 - g.lines);
    assert_got(&g, TEN, sizeof TEN - 1, "ten lines in one piece");
    got_free(&g);
    conn_close(&c);
}
END_TEST

/* The stream sent in three pieces, cut at i and j, the reader drained after each. */
static void three_pieces(const char *s, size_t n, size_t i, size_t j, size_t max_line)
{
    struct conn c;
    struct got g = { 0 };
    char how[96];
    snprintf(how, sizeof how, "the stream cut after bytes %zu and %zu", i, j);
    conn_open(&c, max_line);
    put(&c, s, i);
    drain_to_again(&c, &g, how);
    put(&c, s + i, j - i);
    drain_to_again(&c, &g, how);
    put(&c, s + j, n - j);
    drain_to_again(&c, &g, how);
    assert_got(&g, s, n, how);
    got_free(&g);
    conn_close(&c);
}

START_TEST(every_split_of_the_stream_gives_the_same_lines)
{
    static const char s[] = "Hey. 0\n\nx\nHey. 3 is longer\n";
    size_t n = sizeof s - 1;
    for (size_t i = 0; i <= n; i++)
        for (size_t j = i; j <= n; j++)
            three_pieces(s, n, i, j, 64);

    /* One byte at a time: each recv() finds one byte. */
    struct conn c;
    struct got g = { 0 };
    conn_open(&c, 64);
    for (size_t i = 0; i < n; i++) {
        put(&c, s + i, 1);
        drain_to_again(&c, &g, "one byte at a time");
    }
    assert_got(&g, s, n, "one byte at a time");
    ck_assert_msg(c.r.reads == (int)n, "%zu bytes came one at a time, so %zu recv() calls returned bytes; "
                  "r->reads says %d", n, n, c.r.reads);
    got_free(&g);
    conn_close(&c);
}
END_TEST

START_TEST(two_connections_interleaved_keep_their_own_lines)
{
    static const char a[] = "alpha 1\nalpha 22\nalpha 333\n", b[] = "beta one\nbeta two two\nb\n";
    struct conn ca, cb;
    struct got ga = { 0 }, gb = { 0 };
    conn_open(&ca, 64);
    conn_open(&cb, 64);
    for (size_t i = 0; i < sizeof a - 1 || i < sizeof b - 1; i++) {
        if (i < sizeof a - 1) {
            put(&ca, a + i, 1);
            drain_to_again(&ca, &ga, "a byte for connection A");
        }
        if (i < sizeof b - 1) {
            put(&cb, b + i, 1);
            drain_to_again(&cb, &gb, "a byte for connection B");
        }
    }
    assert_got(&ga, a, sizeof a - 1, "two connections, a byte each in turn (connection A; nothing may be "
               "shared between two readers, no static buffer, length or position)");
    assert_got(&gb, b, sizeof b - 1, "two connections, a byte each in turn (connection B; nothing may be "
               "shared between two readers, no static buffer, length or position)");
    got_free(&ga);
    got_free(&gb);
    conn_close(&ca);
    conn_close(&cb);
}
END_TEST

START_TEST(a_close_hands_back_the_whole_lines_first_then_says_closed)
{
    struct conn c;
    struct got g = { 0 };
    size_t n;
    conn_open(&c, 64);
    put(&c, "Hey. 0\nHey. 1\nhalf", 18);
    shutdown(c.peer, SHUT_WR);
    enum reader_status s = drain(&c, &g, &n);
    assert_got(&g, "Hey. 0\nHey. 1\n", 14, "'Hey. 0\\nHey. 1\\nhalf', then the client closed (the 4 bytes "
               "'half' are no line: no '\\n' came)");
    ck_assert_msg(s == READER_CLOSED && n == 4, "'Hey. 0\\nHey. 1\\nhalf', then a close: after the two lines, "
                  "READER_CLOSED with *len 4 (the unfinished line cut off) was due, not %s with *len %zu",
                  status_name(s), n);
    s = drain(&c, &g, &n);
    ck_assert_msg(s == READER_CLOSED, "a call after READER_CLOSED returned %s: READER_CLOSED again was due",
                  status_name(s));
    got_free(&g);
    conn_close(&c);

    conn_open(&c, 64);
    put(&c, "Hey. 9\n", 7);
    close(c.peer);
    c.peer = -1;
    s = drain(&c, &g, &n);
    assert_got(&g, "Hey. 9\n", 7, "'Hey. 9\\n', then the client closed");
    ck_assert_msg(s == READER_CLOSED && n == 0, "after 'Hey. 9\\n' and a clean close, READER_CLOSED with *len 0 "
                  "was due, not %s with *len %zu", status_name(s), n);
    got_free(&g);
    conn_close(&c);
}
END_TEST

/* A line of n bytes, 'a' to 'z' over and over, and its '\n'. */
static char *long_line(size_t n)
{
    char *s = alloc_zeroed(n + 2, 1);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)('a' + i % 26);
    s[n] = '\n';
    return s;
}

/* Send s in pieces of `piece` bytes, draining after each (the socket never fills). */
static void put_in_pieces(struct conn *c, struct got *g, const char *s, size_t n, size_t piece, const char *how)
{
    for (size_t at = 0; at < n; at += piece) {
        put(c, s + at, n - at < piece ? n - at : piece);
        drain_to_again(c, g, how);
    }
}

START_TEST(lines_past_any_fixed_bound_come_back_whole)
{
    struct conn c;
    struct got g = { 0 };
    size_t big = 150000;
    char *s = long_line(big);
    conn_open(&c, big);
    put_in_pieces(&c, &g, s, big + 1, 7000, "a line of 150000 bytes (max_line 150000), in pieces of 7000");
    ck_assert_msg(g.lines == 1 && g.len == big + 1 && memcmp(g.text, s, big + 1) == 0,
                  "a line of 150000 bytes (max_line 150000) came in pieces of 7000 bytes; reader_next handed "
                  "back %d lines, %zu bytes in all: it must come back whole, however long (no fixed-size "
                  "buffer: grow it with realloc)", g.lines, g.len > 0 ? g.len - (size_t)g.lines : 0);
    got_free(&g);

    /* 20000 short lines, 400 at a time. */
    size_t n = 0, cap = 20000 * 12;
    char *many = alloc_zeroed(cap, 1);
    for (int i = 0; i < 20000; i++)
        n += (size_t)snprintf(many + n, cap - n, "line %d\n", i);
    put_in_pieces(&c, &g, many, n, 400 * 10, "20000 short lines, about 400 at a time");
    assert_got(&g, many, n, "20000 short lines, about 400 at a time");
    got_free(&g);
    free(many);
    free(s);
    conn_close(&c);
}
END_TEST

START_TEST(a_line_longer_than_max_line_is_refused_before_its_newline)
{
    struct conn c;
    struct got g = { 0 };
    size_t n;
    conn_open(&c, 10);
    put(&c, "0123456789\n", 11);
    drain_to_again(&c, &g, "a line of exactly max_line (10) bytes, '0123456789\\n'");
    assert_got(&g, "0123456789\n", 11, "a line of exactly max_line (10) bytes is allowed");
    put(&c, "0123456789x", 11);
    enum reader_status s = drain(&c, &g, &n);
    ck_assert_msg(s == READER_TOO_LONG, "11 bytes without a '\\n' came with max_line 10: READER_TOO_LONG was due "
                  "at once, without waiting for a '\\n' that may never come; reader_next returned %s",
                  status_name(s));
    got_free(&g);
    conn_close(&c);

    size_t big = 100000;            /* past any fixed buffer: the bytes must still be counted */
    char *s2 = long_line(big + 50);
    conn_open(&c, big);
    for (size_t at = 0; at < big + 50; at += 5000) {
        put(&c, s2 + at, 5000);
        s = drain(&c, &g, &n);
        if (at + 5000 <= big)
            ck_assert_msg(s == READER_AGAIN, "%zu bytes of a line with max_line %zu: reader_next returned %s, "
                          "READER_AGAIN was due (a line may be as long as max_line: no fixed-size buffer, grow it with "
                          "realloc)", at + 5000, big, status_name(s));
    }
    ck_assert_msg(s == READER_TOO_LONG, "%zu bytes without a '\\n' with max_line %zu: READER_TOO_LONG was due, "
                  "reader_next returned %s", big + 50, big, status_name(s));
    free(s2);
    got_free(&g);
    conn_close(&c);

    conn_open(&c, 0);               /* max_line 0: only empty lines */
    put(&c, "\nx", 2);
    s = drain(&c, &g, &n);
    assert_got(&g, "\n", 1, "max_line 0, '\\nx': one empty line");
    ck_assert_msg(s == READER_TOO_LONG, "max_line 0, '\\nx': after the empty line, READER_TOO_LONG was due, "
                  "not %s", status_name(s));
    got_free(&g);
    conn_close(&c);
}
END_TEST

START_TEST(any_byte_but_newline_is_part_of_a_line)
{
    static const char s[] = "a\0b\r\n\n\t x \n%s%d\n\x01\xff\n";
    struct conn c;
    struct got g = { 0 };
    conn_open(&c, 64);
    put(&c, s, sizeof s - 1);
    drain_to_again(&c, &g, "lines holding a NUL, a '\\r', blanks, '%' signs, bytes 0x01 and 0xff");
    assert_got(&g, s, sizeof s - 1, "'a\\0b\\r\\n', an empty line, '\\t x ', '%s%d', '\\x01\\xff' (a NUL, a "
               "'\\r', blanks are the client's bytes: find the '\\n' with memchr, not strchr, and keep the rest)");
    got_free(&g);
    conn_close(&c);
}
END_TEST

START_TEST(the_buffer_stays_bounded_however_many_lines_pass)
{
    struct conn c;
    size_t piece = 8192, total = 1 << 20, bound = 2 * (100 + 1) + 65536;
    char *s = alloc_zeroed(piece, 1);
    for (size_t i = 0; i < piece; i++)
        s[i] = i % 64 == 63 ? '\n' : 'a' + (char)(i % 26);
    conn_open(&c, 100);
    for (size_t sent = 0; sent < total; sent += piece) {
        put(&c, s, piece);
        drain_to_again(&c, NULL, "pieces of 8192 bytes of 63-byte lines");
        ck_assert_msg(c.r.cap <= bound, "after %zu bytes of 63-byte lines (max_line 100), r->cap is %zu: the "
                      "buffer must not grow past 2 * (max_line + 1) + 65536 = %zu; drop the bytes you handed "
                      "back (move what is left to the front) instead of adding after them for ever",
                      sent + piece, c.r.cap, bound);
    }
    free(s);
    conn_close(&c);
}
END_TEST

START_TEST(a_reset_connection_is_an_error)
{
    struct conn c;
    size_t n;
    conn_open(&c, 64);
    ck_assert_int_eq(send(c.r.fd, "x", 1, 0), 1);   /* the client leaves this byte unread ... */
    close(c.peer);                                   /* ... and goes: the connection is reset */
    c.peer = -1;
    errno = 0;
    enum reader_status s = drain(&c, NULL, &n);
    int e = errno;
    ck_assert_msg(s == READER_ERROR && e == ECONNRESET, "recv() failed with ECONNRESET; reader_next returned %s "
                  "with errno %d (%s): READER_ERROR with recv()'s errno was due (only EAGAIN or EWOULDBLOCK "
                  "means 'nothing now'; 0 from recv() is a close)", status_name(s), e, strerror(e));
    conn_close(&c);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *dc = harness_tcase("demos", 30);
    tcase_add_test(dc, loop_bench_measures_three_servers_in_one_run);
    tcase_add_test(dc, fork_vs_thread_shows_what_a_child_process_does_not_share);
    tcase_add_test(dc, primes_procs_counts_the_same_primes_in_every_row);
    suite_add_tcase(demo, dc);

    Suite *exercise = suite_create("exercise");
    TCase *tc = harness_tcase("reader", 10);     /* room for a loaded machine */
    tcase_add_test(tc, nothing_there_returns_again_at_once);     /* first: a call that never returns */
    tcase_add_test(tc, one_line_comes_back_without_its_newline);
    tcase_add_test(tc, lines_that_come_together_come_back_one_by_one);
    tcase_add_test(tc, every_split_of_the_stream_gives_the_same_lines);
    tcase_add_test(tc, two_connections_interleaved_keep_their_own_lines);
    tcase_add_test(tc, a_close_hands_back_the_whole_lines_first_then_says_closed);
    tcase_add_test(tc, a_line_longer_than_max_line_is_refused_before_its_newline);
    tcase_add_test(tc, lines_past_any_fixed_bound_come_back_whole);
    tcase_add_test(tc, any_byte_but_newline_is_part_of_a_line);
    tcase_add_test(tc, the_buffer_stays_bounded_however_many_lines_pass);
    tcase_add_test(tc, a_reset_connection_is_an_error);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
