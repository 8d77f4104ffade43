/* linereader.c, wrong: the '\n' found with strchr, which stops at a NUL byte inside a line */
#include "linereader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define RECV_SIZE 4096

void reader_init(struct line_reader *r, int fd, size_t max_line)
{
    *r = (struct line_reader){ .fd = fd, .max_line = max_line };
}

/* Room for RECV_SIZE more bytes after the ones kept: drop what was handed back, then grow. */
static int make_room(struct line_reader *r)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->len);
        r->start = 0;
    }
    if (r->cap - r->len >= RECV_SIZE)
        return 1;
    char *bigger = realloc(r->buf, r->len + RECV_SIZE);
    if (bigger == NULL)
        return 0;
    r->buf = bigger;
    r->cap = r->len + RECV_SIZE;
    return 1;
}

enum reader_status reader_next(struct line_reader *r, char **line, size_t *len)
{
    for (;;) {
        char *at = r->buf + r->start;
        char *nl = NULL;
        if (r->len > 0) {
            at[r->len] = '\0';             /* (make_room leaves a byte free) */
            nl = strchr(at, '\n');
        }
        if (nl != NULL && (size_t)(nl - at) <= r->max_line) {
            *nl = '\0';
            *line = at;
            *len = (size_t)(nl - at);
            r->start += *len + 1;
            r->len -= *len + 1;
            return READER_LINE;
        }
        if (nl != NULL || r->len > r->max_line) {
            *len = r->len;
            return READER_TOO_LONG;
        }
        if (r->closed) {
            *len = r->len;
            return READER_CLOSED;
        }
        if (!make_room(r)) {
            errno = ENOMEM;
            return READER_ERROR;
        }
        ssize_t n = recv(r->fd, r->buf + r->len, r->cap - r->len - 1, 0);
        if (n > 0) {
            r->reads++;
            r->len += (size_t)n;
        } else if (n == 0) {
            r->closed = 1;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return READER_AGAIN;
        } else if (errno != EINTR) {
            return READER_ERROR;
        }
    }
}

void reader_free(struct line_reader *r)
{
    free(r->buf);
    r->buf = NULL;
    r->start = r->len = r->cap = 0;
}
