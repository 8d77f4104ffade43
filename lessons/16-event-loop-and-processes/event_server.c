/*
 * event_server.c - the seed's server on one thread: poll() watches the
 * listening socket and every client at once, every socket is non-blocking,
 * and what a client's thread kept on its stack (how much of the list has
 * gone out, the unfinished line, how many messages) is kept in a struct per
 * connection instead. It logs what lesson 11's servers log.
 *
 * ARGS=PORT serves SERVER_ADDRESS:PORT (default 2727; 0: any free port)
 * until Ctrl-C or SIGTERM, and prints the port it listens on (make
 * lesson-16 runs threaded_client against it, then stops it). A stop takes
 * no new client but finishes every one already connected.
 */
#include "conn.h"

#include "accept_loop.h"
#include "alloc.h"
#include "cli.h"
#include "fail.h"
#include "log.h"
#include "timing.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One client: what serve_client() kept in local variables, now kept here. */
struct connection {
    struct conn k;          /* lesson 11's: the client, its unfinished line, its counts */
    size_t sent;            /* bytes of LIST_PICKLE gone out so far */
    double deadline;        /* dropped when nothing came by then (0: no limit) */
};

struct loop {
    struct connection **all;
    size_t n, cap;
    double timeout;
};

static void open_connection(struct loop *l, struct client c)
{
    struct connection *x = alloc_zeroed(1, sizeof *x);
    x->k.c = c;
    fcntl(c.fd, F_SETFL, O_NONBLOCK);      /* from now on no call on it waits */
    if (l->timeout > 0)
        x->deadline = timing_now() + l->timeout;
    if (l->n == l->cap)
        l->all = alloc_resize(l->all, l->cap = l->cap * 2 + 16, sizeof *l->all);
    l->all[l->n++] = x;
    log_info("Received connection: %s", c.peer);
}

/* Send what the socket takes now of the list; false when the client must go. */
static bool send_list(struct connection *x)
{
    while (x->sent < LIST_PICKLE_SIZE) {
        ssize_t n = send(x->k.c.fd, &LIST_PICKLE[x->sent], LIST_PICKLE_SIZE - x->sent, MSG_NOSIGNAL);
        if (n > 0)
            x->sent += (size_t)n;
        else if (errno == EAGAIN || errno == EWOULDBLOCK)
            return true;                    /* poll says when there is room */
        else if (errno != EINTR) {
            log_warning("%s: %s", x->k.c.peer, strerror(errno));
            x->k.r.end = HANDLER_ERROR;
            return false;
        }
    }
    return true;
}

/* Take every byte that has come (never waiting for more); false when the client must go. */
static bool receive(struct connection *x, double timeout)
{
    struct conn *k = &x->k;
    for (;;) {
        ssize_t n = recv(k->c.fd, k->line + k->len, sizeof k->line - k->len, 0);
        if (n > 0) {
            k->r.reads++;
            k->len += (size_t)n;
            if (timeout > 0)
                x->deadline = timing_now() + timeout;
            if (!take_lines(k))             /* lesson 11's: ten lines, or one too long */
                return false;
        } else if (n == 0) {
            if (k->len > 0)
                log_warning("%s closed in the middle of a line: dropped it", k->c.peer);
            k->r.end = HANDLER_CLOSED;
            return false;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return true;                    /* all there is for now: back to poll */
        } else if (errno != EINTR) {
            log_warning("%s: %s", k->c.peer, strerror(errno));
            k->r.end = HANDLER_ERROR;
            return false;
        }
    }
}

static void close_connection(struct connection *x)
{
    close(x->k.c.fd);
    log_info("Closed connection: %s (%d messages in %d reads)", x->k.c.peer, x->k.r.messages, x->k.r.reads);
    free(x);
}

/* Milliseconds until the first deadline, for poll (-1: none). */
static int until_first_deadline(const struct loop *l)
{
    double first = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->all[i]->deadline > 0 && (first == 0 || l->all[i]->deadline < first))
            first = l->all[i]->deadline;
    if (first == 0)
        return -1;
    double ms = ceil((first - timing_now()) * 1000);
    return ms < 0 ? 0 : ms > 60000 ? 60000 : (int)ms;
}

/* One turn of the loop: serve every connection poll found ready, drop the silent ones. */
static void serve_ready(struct loop *l, const struct pollfd *p)
{
    double now = timing_now();
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++) {
        struct connection *x = l->all[i];
        bool stay = true;
        if (p[i].revents != 0)
            stay = x->sent < LIST_PICKLE_SIZE ? send_list(x) : receive(x, l->timeout);
        if (stay && x->deadline > 0 && now >= x->deadline) {
            log_warning("%s sent nothing for %g s: dropping it", x->k.c.peer, l->timeout);
            x->k.r.end = HANDLER_TIMEOUT;
            stay = false;
        }
        if (stay)
            l->all[kept++] = x;
        else
            close_connection(x);
    }
    l->n = kept;
}

int main(int argc, char **argv)
{
    long port = cli_number(argc, argv, "PORT", 2727, 0, 65535);
    struct server server = server_open(port);
    struct loop l = { .timeout = receive_timeout() };
    struct pollfd *p = NULL;
    size_t room = 0;
    struct client c;

    /* Have the server serve "forever" (until a stop, and its last client gone): */
    while (server.listener >= 0 || l.n > 0) {
        if (room < l.n + 2)
            p = alloc_resize(p, room = 2 * l.n + 16, sizeof *p);
        for (size_t i = 0; i < l.n; i++)    /* the list still to send: room to write; then lines */
            p[i] = (struct pollfd){ .fd = l.all[i]->k.c.fd,
                                    .events = l.all[i]->sent < LIST_PICKLE_SIZE ? POLLOUT : POLLIN };
        p[l.n] = (struct pollfd){ .fd = server.listener, .events = POLLIN };    /* -1: not watched */
        p[l.n + 1] = (struct pollfd){ .fd = server.stopping ? -1 : server_stop_fd(), .events = POLLIN };
        if (poll(p, l.n + 2, until_first_deadline(&l)) < 0) {
            if (errno != EINTR)
                fail_misuse("poll: %s", strerror(errno));
            continue;                       /* a signal: its byte is in the pipe */
        }
        bool stop = p[l.n + 1].revents != 0, incoming = p[l.n].revents != 0;
        serve_ready(&l, p);
        if (stop) {
            server.stopping = true;
            log_info("Stopping: taking no new clients, finishing the ones already connected");
        }
        while ((incoming || stop) && server.listener >= 0 && server_take(&server, &c))
            open_connection(&l, c);         /* every one waiting: the backlog too, on a stop */
        if (server.stopping && server.listener >= 0) {
            close(server.listener);         /* from now on a connect is refused */
            server.listener = -1;
        }
    }
    server_close(&server);
    free(p);
    free(l.all);
    return 0;
}
