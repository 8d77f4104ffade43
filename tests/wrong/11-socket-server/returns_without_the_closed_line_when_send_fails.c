/* handler.c, wrong: when send fails it closes the socket and returns at once, without logging 'Closed connection' */
#include "handler.h"

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static void log_line(const char *peer, const char *p, size_t n)
{
    char out[HANDLER_LINE_MAX * 4 + 1];
    size_t o = 0;
    if (n > 0 && p[n - 1] == '\r')
        n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (ch < 0x20 || ch > 0x7e)
            o += (size_t)snprintf(out + o, sizeof out - o, "\\x%02x", ch);
        else
            out[o++] = (char)ch;
    }
    out[o] = '\0';
    log_info("%s says: %s", peer, out);
}

struct handler_result handle_client(struct client c, double timeout)
{
    struct handler_result r = { .end = HANDLER_CLOSED };

    log_info("Received connection: %s", c.peer);

    const char *p = LIST_PICKLE;
    size_t left = LIST_PICKLE_SIZE;
    while (left > 0) {
        ssize_t n = send(c.fd, p, left, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            log_warning("%s: %s", c.peer, strerror(errno));
            r.end = HANDLER_ERROR;
            close(c.fd);
            return r;
        }
        p += n;
        left -= (size_t)n;
    }

    if (timeout > 0) {
        struct timeval tv;
        tv.tv_sec = (time_t)timeout;
        tv.tv_usec = (suseconds_t)((timeout - (double)tv.tv_sec) * 1e6);
        if (tv.tv_sec == 0 && tv.tv_usec == 0)
            tv.tv_usec = 1;
        setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }

    char buf[HANDLER_LINE_MAX + 1];
    size_t have = 0;
    for (;;) {
        ssize_t n = recv(c.fd, buf + have, sizeof buf - have, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                log_warning("%s sent nothing for %g s: dropping it", c.peer, timeout);
                r.end = HANDLER_TIMEOUT;
            } else {
                log_warning("%s: %s", c.peer, strerror(errno));
                r.end = HANDLER_ERROR;
            }
            goto out;
        }
        if (n == 0) {
            if (have > 0)
                log_warning("%s closed in the middle of a line: dropped it", c.peer);
            r.end = HANDLER_CLOSED;
            goto out;
        }
        r.reads++;
        have += (size_t)n;
        size_t start = 0;
        for (;;) {
            char *nl = memchr(buf + start, '\n', have - start);
            if (!nl)
                break;
            size_t len = (size_t)(nl - (buf + start));
            log_line(c.peer, buf + start, len);
            r.messages++;
            start += len + 1;
            if (r.messages == HANDLER_MAX_MESSAGES) {
                r.end = HANDLER_DONE;
                goto out;
            }
        }
        memmove(buf, buf + start, have - start);
        have -= start;
        if (have > HANDLER_LINE_MAX) {
            log_warning("%s sent a line longer than %d bytes: dropping it", c.peer, HANDLER_LINE_MAX);
            r.end = HANDLER_TOO_LONG;
            goto out;
        }
    }

out:
    close(c.fd);
    log_info("Closed connection: %s (%d messages in %d reads)", c.peer, r.messages, r.reads);
    return r;
}
