/* linereader.c, wrong: a buffer of 4096 bytes, allocated once: a line longer than that can never come back */
#include "linereader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BUF_SIZE 4096

void reader_init(struct line_reader *r, int fd, size_t max_line)
{
    *r = (struct line_reader){ .fd = fd, .max_line = max_line };
}

enum reader_status reader_next(struct line_reader *r, char **line, size_t *len)
{
    if (r->buf == NULL) {
        r->buf = malloc(BUF_SIZE);
        r->cap = BUF_SIZE;
    }
    for (;;) {
        char *at = r->buf + r->start;
        char *nl = memchr(at, '\n', r->len);
        if (nl != NULL && (size_t)(nl - at) <= r->max_line) {
            *nl = '\0';
            *line = at;
            *len = (size_t)(nl - at);
            r->start += *len + 1;
            r->len -= *len + 1;
            return READER_LINE;
        }
        if (nl != NULL || r->len > r->max_line || r->len == r->cap) {
            *len = r->len;
            return READER_TOO_LONG;
        }
        if (r->closed) {
            *len = r->len;
            return READER_CLOSED;
        }
        memmove(r->buf, at, r->len);
        r->start = 0;
        ssize_t n = recv(r->fd, r->buf + r->len, r->cap - r->len, 0);
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
}
