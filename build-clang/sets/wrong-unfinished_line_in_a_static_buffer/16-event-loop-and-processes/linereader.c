/* linereader.c, wrong: the unfinished line kept in a static buffer, so two readers at once mix their bytes */
#include "linereader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static char *pending;           /* bytes read, not handed back yet */
static size_t pending_len, pending_cap;

void reader_init(struct line_reader *r, int fd, size_t max_line)
{
    *r = (struct line_reader){ .fd = fd, .max_line = max_line };
}

enum reader_status reader_next(struct line_reader *r, char **line, size_t *len)
{
    static char out[1 << 18];
    for (;;) {
        char *nl = pending_len > 0 ? memchr(pending, '\n', pending_len) : NULL;
        if (nl != NULL && (size_t)(nl - pending) <= r->max_line) {
            *len = (size_t)(nl - pending);
            memcpy(out, pending, *len);
            out[*len] = '\0';
            *line = out;
            pending_len -= *len + 1;
            memmove(pending, nl + 1, pending_len);
            return READER_LINE;
        }
        if (nl != NULL || pending_len > r->max_line) {
            *len = pending_len;
            return READER_TOO_LONG;
        }
        if (r->closed) {
            *len = pending_len;
            return READER_CLOSED;
        }
        if (pending_cap - pending_len < 4096) {
            pending_cap = pending_len + 4096;
            pending = realloc(pending, pending_cap);
        }
        ssize_t n = recv(r->fd, pending + pending_len, pending_cap - pending_len, 0);
        if (n > 0) {
            r->reads++;
            pending_len += (size_t)n;
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
    (void)r;
}
