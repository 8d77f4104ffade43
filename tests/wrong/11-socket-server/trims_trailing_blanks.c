/* handler.c, wrong: spaces and tabs at the end of each message are trimmed off (as Python's rstrip()), though they are the client's bytes */
#include "handler.h"

#include "log.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* Everything one client needs, on this thread's stack: never shared. */
struct conn {
    struct client c;
    char line[HANDLER_LINE_MAX + 1];    /* an unfinished line, and room for its '\n' */
    size_t len;
    struct handler_result r;
};

static bool send_all(int fd, const char *data, size_t size)
{
    while (size > 0) {
        ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        data += n;
        size -= (size_t)n;
    }
    return true;
}

/* Log one whole message (len bytes, its '\n' already cut off). */
static void log_message(struct conn *k, const char *text, size_t len)
{
    char shown[4 * HANDLER_LINE_MAX + 1];
    size_t out = 0;

    if (len > 0 && text[len - 1] == '\r')
        len--;
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))    /* stray blanks, as rstrip() */
        len--;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)text[i];
        if (b < 0x20 || b > 0x7e)
            out += (size_t)snprintf(shown + out, sizeof shown - out, "\\x%02x", b);
        else
            shown[out++] = (char)b;
    }
    shown[out] = '\0';
    log_info("%s says: %s", k->c.peer, shown);
    k->r.messages++;
}

/* Take the whole lines out of the buffer; false when the client must go. */
static bool take_lines(struct conn *k)
{
    char *nl;
    while (k->r.messages < HANDLER_MAX_MESSAGES && (nl = memchr(k->line, '\n', k->len)) != NULL) {
        size_t used = (size_t)(nl - k->line) + 1;
        log_message(k, k->line, used - 1);
        memmove(k->line, nl + 1, k->len - used);
        k->len -= used;
    }
    if (k->r.messages == HANDLER_MAX_MESSAGES) {
        k->r.end = HANDLER_DONE;
        return false;
    }
    if (k->len == sizeof k->line) {     /* full, and no '\n' in it */
        log_warning("%s sent a line longer than %d bytes: dropping it", k->c.peer, HANDLER_LINE_MAX);
        k->r.end = HANDLER_TOO_LONG;
        return false;
    }
    return true;
}

static void set_timeout(int fd, double timeout)
{
    struct timeval tv = { 0, 0 };
    if (timeout > 0 && timeout < 1e9) {
        tv.tv_sec = (time_t)timeout;
        tv.tv_usec = (suseconds_t)((timeout - (double)tv.tv_sec) * 1e6);
        if (tv.tv_sec == 0 && tv.tv_usec == 0)
            tv.tv_usec = 1;
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

static void receive(struct conn *k, double timeout)
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

struct handler_result handle_client(struct client c, double timeout)
{
    struct conn k = { .c = c };

    log_info("Received connection: %s", c.peer);
    if (send_all(c.fd, LIST_PICKLE, LIST_PICKLE_SIZE)) {
        set_timeout(c.fd, timeout);
        receive(&k, timeout);
    } else {
        log_warning("%s: %s", c.peer, strerror(errno));
        k.r.end = HANDLER_ERROR;
    }
    close(c.fd);
    log_info("Closed connection: %s (%d messages in %d reads)", c.peer, k.r.messages, k.r.reads);
    return k.r;
}
