/*
 * linereader.h - exercise 16: the event loop's reader of one connection.
 *
 * A thread per client can wait in recv() until a line is whole. An event
 * loop cannot: one thread serves every client, so it reads only what has
 * come, on a non-blocking socket, and goes back to poll(). The unfinished
 * line must wait in the connection's own struct until the rest comes, and
 * whole lines that came together must be handed back one by one.
 *
 * reader_next() hands back the next whole line of r's connection:
 *
 *   - READER_LINE: *line points at the line's bytes, without its '\n', and
 *     *len says how many; (*line)[*len] is '\0'. A line may hold any byte
 *     but '\n' (a NUL, a '\r': they are the client's, kept). The line stays
 *     valid until the next call on r.
 *   - READER_AGAIN: no whole line has come and recv() said there is nothing
 *     more now (EAGAIN or EWOULDBLOCK): return at once. Never wait, never
 *     try again in a loop: the event loop calls again when poll() says
 *     there is more to read.
 *   - READER_CLOSED: the peer closed the connection (recv() returned 0) and
 *     every whole line before the close was handed back. *len is the
 *     number of bytes of an unfinished line that the close cut off (0: a
 *     clean close); they are no message, never hand them back as one. Every
 *     call after that returns READER_CLOSED again.
 *   - READER_TOO_LONG: more than r->max_line bytes have come without a '\n'
 *     (a line of max_line bytes is allowed, the '\n' not counted). Say so as
 *     soon as the bytes are there, without waiting for a '\n' that may never
 *     come. The caller then drops the connection.
 *   - READER_ERROR: recv() failed otherwise (ECONNRESET, ...); errno is
 *     recv()'s. (EINTR is no failure: call recv() again.)
 *
 * Lines that came before a close, an error or a too-long line are handed
 * back first, in order. A whole line already in the buffer is handed back
 * without another recv(). Each recv() that returns bytes adds 1 to
 * r->reads.
 *
 * The rules of an event loop: everything a connection needs between calls
 * lives in its struct line_reader (one thread serves many connections, so
 * two readers are in use at once: nothing in a static); there is no fixed
 * bound on max_line or on how many lines come at once (grow buf with
 * realloc); and the bytes handed back are dropped, so however many lines
 * pass through, buf never grows past 2 * (max_line + 1) + 65536 bytes.
 */
#ifndef LINEREADER_H
#define LINEREADER_H

#include <stddef.h>

enum reader_status {
    READER_LINE,        /* a whole line: *line, *len */
    READER_AGAIN,       /* nothing more now: poll, then call again */
    READER_CLOSED,      /* the peer closed; *len: bytes of an unfinished line lost */
    READER_TOO_LONG,    /* more than max_line bytes without a '\n' */
    READER_ERROR,       /* recv() failed; errno says why */
};

struct line_reader {
    int fd;             /* a connected stream socket, O_NONBLOCK set by the caller */
    size_t max_line;    /* the longest line accepted, its '\n' not counted */
    char *buf;          /* bytes received and not handed back yet (NULL: none so far) */
    size_t start;       /* where in buf they begin (what is before was handed back) */
    size_t len;         /* how many there are, from buf + start */
    size_t cap;         /* buf's size */
    int closed;         /* the peer closed (recv() returned 0) */
    int reads;          /* recv() calls that returned bytes */
};

/* A reader of fd with nothing read yet; it never closes fd. */
void reader_init(struct line_reader *r, int fd, size_t max_line);

/* The next whole line, or why there is none: see above. */
enum reader_status reader_next(struct line_reader *r, char **line, size_t *len);

/* Free what r holds (not fd). */
void reader_free(struct line_reader *r);

#endif
