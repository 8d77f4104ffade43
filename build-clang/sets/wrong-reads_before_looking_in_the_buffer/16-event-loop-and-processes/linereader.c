/* linereader.c, wrong: recv() first on every call, and READER_AGAIN at EAGAIN though whole lines already wait in the buffer */
#include "linereader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void reader_init(struct line_reader *r, int fd, size_t max_line)
{
    *r = (struct line_reader){ .fd = fd, .max_line = max_line };
}

enum reader_status reader_next(struct line_reader *r, char **line, size_t *len)
{
    if (!r->closed) {
        if (r->start > 0) {
            memmove(r->buf, r->buf + r->start, r->len);
            r->start = 0;
        }
        if (r->cap - r->len < 4096) {
            r->cap = r->len + 4096;
            r->buf = realloc(r->buf, r->cap);
        }
        ssize_t n;
        do
            n = recv(r->fd, r->buf + r->len, r->cap - r->len, 0);
        while (n < 0 && errno == EINTR);
        if (n > 0) {
            r->reads++;
            r->len += (size_t)n;
        } else if (n == 0) {
            r->closed = 1;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return READER_AGAIN;
        } else {
            return READER_ERROR;
        }
    }
    char *at = r->buf + r->start;
    char *nl = r->len > 0 ? memchr(at, '\n', r->len) : NULL;
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
    return READER_AGAIN;
}

void reader_free(struct line_reader *r)
{
    free(r->buf);
    r->buf = NULL;
}
