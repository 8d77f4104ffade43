/* handler.c, wrong: reads into a 4096-byte buffer and checks the length only of whole lines: a long line with no newline yet is kept waiting */
#include "handler.h"

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* Write the n bytes of s into out (at least 4 * n + 1 bytes), escaped. */
static void escape(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch > 0x7e)
            o += (size_t)sprintf(out + o, "\\x%02x", ch);
        else
            out[o++] = (char)ch;
    }
    out[o] = '\0';
}

struct handler_result handle_client(struct client c, double timeout)
{
    struct handler_result r = { .end = HANDLER_CLOSED };

    log_info("Received connection: %s", c.peer);

    const char *p = LIST_PICKLE;
    size_t left = LIST_PICKLE_SIZE;
    while (left > 0) {
        ssize_t sent = send(c.fd, p, left, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            log_warning("%s: %s", c.peer, strerror(errno));
            r.end = HANDLER_ERROR;
            goto out;
        }
        p += sent;
        left -= (size_t)sent;
    }

    if (timeout > 0) {
        struct timeval tv;
        tv.tv_sec = (time_t)timeout;
        tv.tv_usec = (suseconds_t)((timeout - (double)tv.tv_sec) * 1e6);
        if (tv.tv_usec >= 1000000)
            tv.tv_usec = 999999;
        if (setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) {
            log_warning("%s: %s", c.peer, strerror(errno));
            r.end = HANDLER_ERROR;
            goto out;
        }
    }

    char buf[4096];
    size_t len = 0;
    while (r.messages < HANDLER_MAX_MESSAGES) {
        char *nl = memchr(buf, '\n', len);
        if (nl) {
            size_t n = (size_t)(nl - buf);
            if (n > HANDLER_LINE_MAX) {
                log_warning("%s sent a line longer than %d bytes: dropping it", c.peer, HANDLER_LINE_MAX);
                r.end = HANDLER_TOO_LONG;
                break;
            }
            size_t textlen = n;
            if (textlen > 0 && buf[textlen - 1] == '\r')
                textlen--;
            char text[4 * HANDLER_LINE_MAX + 1];
            escape(buf, textlen, text);
            log_info("%s says: %s", c.peer, text);
            r.messages++;
            memmove(buf, nl + 1, len - n - 1);
            len -= n + 1;
            continue;
        }
        if (len == sizeof buf) {
            log_warning("%s sent a line longer than %d bytes: dropping it", c.peer, HANDLER_LINE_MAX);
            r.end = HANDLER_TOO_LONG;
            break;
        }
        ssize_t got = recv(c.fd, buf + len, sizeof buf - len, 0);
        if (got > 0) {
            r.reads++;
            len += (size_t)got;
            continue;
        }
        if (got == 0) {
            if (len > 0)
                log_warning("%s closed in the middle of a line: dropped it", c.peer);
            r.end = HANDLER_CLOSED;
            break;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            log_warning("%s sent nothing for %g s: dropping it", c.peer, timeout);
            r.end = HANDLER_TIMEOUT;
        } else {
            log_warning("%s: %s", c.peer, strerror(errno));
            r.end = HANDLER_ERROR;
        }
        break;
    }
    if (r.messages == HANDLER_MAX_MESSAGES)
        r.end = HANDLER_DONE;

out:
    close(c.fd);
    log_info("Closed connection: %s (%d messages in %d reads)", c.peer, r.messages, r.reads);
    return r;
}
