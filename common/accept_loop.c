/*
 * accept_loop.c - the listening socket and a clean stop (see accept_loop.h).
 *
 * A signal handler may do almost nothing safely; this one writes one byte
 * to a pipe. The accept loop waits in poll() on the listening socket and
 * that pipe, so a stop wakes it. The listening socket is non-blocking:
 * poll says when a connection waits, and accept never blocks.
 */
#include "accept_loop.h"

#include "fail.h"
#include "log.h"
#include "net.h"
#include "timing.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int stop_pipe[2] = { -1, -1 };

static void on_stop_signal(int sig)
{
    int saved = errno;
    char b = (char)sig;
    ssize_t n = write(stop_pipe[1], &b, 1);     /* a full pipe has said it already */
    (void)n;
    errno = saved;
}

/* From now on SIGINT and SIGTERM ask the accept loop to stop; SIGPIPE never kills us. */
static void stop_on_signals(void)
{
    struct sigaction sa = { .sa_handler = on_stop_signal, .sa_flags = SA_RESTART };

    if (pipe(stop_pipe) != 0)
        fail_misuse("pipe: %s", strerror(errno));
    for (int i = 0; i < 2; i++) {
        fcntl(stop_pipe[i], F_SETFD, FD_CLOEXEC);
        fcntl(stop_pipe[i], F_SETFL, O_NONBLOCK);
    }
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

double receive_timeout(void)
{
    return RECEIVE_TIMEOUT * timing_scale();
}

struct server server_open(long port)
{
    struct server s = { .listener = net_listen(port) };
    struct sockaddr_in a = net_local(s.listener);
    char name[64];

    fcntl(s.listener, F_SETFL, O_NONBLOCK);
    stop_on_signals();
    net_name(&a, name, sizeof name);
    printf("Listening on %s\n", name);
    fflush(stdout);
    return s;
}

bool server_take(struct server *s, struct client *c)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    int fd = accept(s->listener, (struct sockaddr *)&peer, &len);
    if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            log_warning("cannot accept a client now: %s", strerror(errno));
            timing_sleep_unscaled(0.1);     /* let some client finish first */
        }
        return false;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    c->fd = fd;
    net_name(&peer, c->peer, sizeof c->peer);
    s->served++;
    return true;
}

bool server_accept(struct server *s, struct client *c)
{
    while (!s->stopping) {
        struct pollfd p[2] = { { .fd = s->listener, .events = POLLIN }, { .fd = stop_pipe[0], .events = POLLIN } };
        if (poll(p, 2, -1) < 0)
            continue;                   /* EINTR: a signal, whose byte is in the pipe */
        if (p[1].revents != 0) {
            s->stopping = true;
            log_info("Stopping: taking no new clients, finishing the ones already connected");
        } else if (server_take(s, c)) {
            return true;
        }
    }
    if (server_take(s, c))          /* drain the backlog */
        return true;
    if (s->listener >= 0)
        close(s->listener);             /* from now on a connect is refused */
    s->listener = -1;
    return false;
}

int server_stop_fd(void)
{
    return stop_pipe[0];
}

void server_stop_renew(void)
{
    close(stop_pipe[0]);
    close(stop_pipe[1]);
    stop_on_signals();
}

void server_close(struct server *s)
{
    close(stop_pipe[0]);
    close(stop_pipe[1]);
    log_info("Stopped: served %d client%s", s->served, s->served == 1 ? "" : "s");
}
