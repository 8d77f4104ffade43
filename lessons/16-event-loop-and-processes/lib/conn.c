/*
 * conn.c - one client of lesson 16's servers (see conn.h): lesson 11's
 * handler, its state in a struct the caller owns.
 */
#include "conn.h"

#include "log.h"
#include "net.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static void log_message(struct conn *k, size_t len)
{
    char shown[4 * HANDLER_LINE_MAX + 1];
    size_t out = 0;

    if (len > 0 && k->line[len - 1] == '\r')
        len--;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)k->line[i];
        if (b < 0x20 || b > 0x7e)
            out += (size_t)snprintf(shown + out, sizeof shown - out, "\\x%02x", b);
        else
            shown[out++] = (char)b;
    }
    shown[out] = '\0';
    log_info("%s says: %s", k->c.peer, shown);
    k->r.messages++;
}

bool take_lines(struct conn *k)
{
    char *nl;
    while (k->r.messages < HANDLER_MAX_MESSAGES && (nl = memchr(k->line, '\n', k->len)) != NULL) {
        size_t used = (size_t)(nl - k->line) + 1;
        log_message(k, used - 1);
        memmove(k->line, nl + 1, k->len - used);
        k->len -= used;
    }
    if (k->r.messages == HANDLER_MAX_MESSAGES) {
        k->r.end = HANDLER_DONE;
        return false;
    }
    if (k->len == sizeof k->line) {
        log_warning("%s sent a line longer than %d bytes: dropping it", k->c.peer, HANDLER_LINE_MAX);
        k->r.end = HANDLER_TOO_LONG;
        return false;
    }
    return true;
}

static void receive_lines(struct conn *k, double timeout)
{
    for (;;) {
        ssize_t n = recv(k->c.fd, k->line + k->len, sizeof k->line - k->len, 0);
        if (n > 0) {
            k->r.reads++;
            k->len += (size_t)n;
            if (!take_lines(k))
                return;
        } else if (n == 0) {
            if (k->len > 0)
                log_warning("%s closed in the middle of a line: dropped it", k->c.peer);
            k->r.end = HANDLER_CLOSED;
            return;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            log_warning("%s sent nothing for %g s: dropping it", k->c.peer, timeout);
            k->r.end = HANDLER_TIMEOUT;
            return;
        } else if (errno != EINTR) {
            log_warning("%s: %s", k->c.peer, strerror(errno));
            k->r.end = HANDLER_ERROR;
            return;
        }
    }
}

struct handler_result serve_client(struct client c, double timeout)
{
    struct conn k = { .c = c };

    log_info("Received connection: %s", c.peer);
    if (send_all(c.fd, LIST_PICKLE, LIST_PICKLE_SIZE)) {
        struct timeval tv = { .tv_sec = (time_t)timeout,
                              .tv_usec = (suseconds_t)((timeout - (double)(time_t)timeout) * 1e6) };
        if (tv.tv_sec == 0 && tv.tv_usec == 0 && timeout > 0)
            tv.tv_usec = 1;
        setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        receive_lines(&k, timeout);
    } else {
        log_warning("%s: %s", c.peer, strerror(errno));
        k.r.end = HANDLER_ERROR;
    }
    close(c.fd);
    log_info("Closed connection: %s (%d messages in %d reads)", c.peer, k.r.messages, k.r.reads);
    return k.r;
}
