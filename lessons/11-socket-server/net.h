/*
 * net.h - what lesson 11's four programs share: addresses and ports, the
 * listening socket and the accept loop's clean stop, the seed's client,
 * the pickle reader, and the demos' own client handler (the exercise,
 * handler.c, asks you to write that one: try before you read it here).
 *
 * Each program is one .c file built on its own, so this header holds
 * static inline functions instead of a .c file of its own.
 *
 * Options: the one number on the command line is the port (0: any free
 * one); SERVER_ADDRESS (default 127.0.0.1) is the address a server binds
 * and a client connects to. Without a port, each demo runs with its
 * partner on a free port and ends: a server starts its own clients, a
 * client starts a server of its own and hands it a listening socket the
 * way systemd's socket activation does (fd 3, LISTEN_FDS=1, LISTEN_PID).
 */
#ifndef NET_H
#define NET_H

#include "handler.h"

#include "alloc.h"
#include "fail.h"
#include "log.h"
#include "timing.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* A server drops a client that sends nothing for this long (times WORKBOOK_TIME_SCALE). */
#define RECEIVE_TIMEOUT 2.0

static inline double receive_timeout(void)
{
    return RECEIVE_TIMEOUT * timing_scale();
}

/* ---- addresses ------------------------------------------------------------ */

/* SERVER_ADDRESS as an IPv4 address and this port; a bad one exits 2. */
static inline struct sockaddr_in net_address(long port)
{
    const char *text = getenv("SERVER_ADDRESS");
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

    if (text == NULL || *text == '\0')
        text = "127.0.0.1";
    if (inet_pton(AF_INET, text, &a.sin_addr) != 1)
        fail_input("SERVER_ADDRESS must be an IPv4 address such as 127.0.0.1 or 0.0.0.0 (got '%s')", text);
    return a;
}

/* "127.0.0.1:50312" */
static inline void net_name(const struct sockaddr_in *a, char *buf, size_t size)
{
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip);
    snprintf(buf, size, "%s:%u", ip, (unsigned)ntohs(a->sin_port));
}

static inline struct sockaddr_in net_local(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        fail_misuse("getsockname: %s", strerror(errno));
    return a;
}

/* ---- the listening socket -------------------------------------------------- */

/* A socket listening on SERVER_ADDRESS:port (0: a free port); exits 2 when it cannot. */
static inline int net_listen(long port)
{
    struct sockaddr_in a = net_address(port);
    char name[64];
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    net_name(&a, name, sizeof name);
    if (fd < 0)
        fail_input("cannot make a socket: %s", strerror(errno));
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (errno == EADDRINUSE)
            fail_input("cannot listen on %s: the port is in use (ARGS=0 picks a free one)", name);
        fail_input("cannot listen on %s: %s (try SERVER_ADDRESS=127.0.0.1)", name, strerror(errno));
    }
    if (listen(fd, SOMAXCONN) != 0)
        fail_input("cannot listen on %s: %s", name, strerror(errno));
    return fd;
}

/* The listening socket a parent handed over (fd 3, LISTEN_FDS=1, LISTEN_PID=us), or -1. */
static inline int net_handed_listener(void)
{
    const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
    int listening = 0;
    socklen_t len = sizeof listening;

    if (fds == NULL || strcmp(fds, "1") != 0 || pid == NULL || atol(pid) != (long)getpid())
        return -1;
    if (getsockopt(3, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening)
        fail_input("LISTEN_FDS=1, but fd 3 is not a listening socket");
    fcntl(3, F_SETFD, FD_CLOEXEC);
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_PID");
    return 3;
}

/* ---- stopping: SIGINT, SIGTERM (and SIGCHLD, when our own clients end) --- */

static int stop_pipe[2] = { -1, -1 };

static inline void on_stop_signal(int sig)
{
    int saved = errno;
    char b = (char)sig;
    ssize_t n = write(stop_pipe[1], &b, 1);     /* a full pipe has said it already */
    (void)n;
    errno = saved;
}

/* From now on these signals ask the accept loop to stop; SIGPIPE never kills us. */
static inline void stop_on(const int signals[], int n)
{
    struct sigaction sa = { .sa_handler = on_stop_signal, .sa_flags = SA_RESTART };

    if (pipe(stop_pipe) != 0)
        fail_misuse("pipe: %s", strerror(errno));
    for (int i = 0; i < 2; i++) {
        fcntl(stop_pipe[i], F_SETFD, FD_CLOEXEC);
        fcntl(stop_pipe[i], F_SETFL, O_NONBLOCK);
    }
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < n; i++)
        sigaction(signals[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* ---- the accept loop --------------------------------------------------------- */

struct server {
    int listener;
    pid_t clients;          /* our own clients (a child process), or 0 */
    int silent[2];          /* two connections of our own that never speak, or -1 */
    bool stopping;
    int served;
};

/* The directory of this program, with `name` after it. */
static inline void sibling(const char *name, char *path, size_t size)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n < 0)
        fail_misuse("readlink /proc/self/exe: %s", strerror(errno));
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    *slash = '\0';
    snprintf(path, size, "%s/%s", self, name);
}

static inline int net_connect_to(struct sockaddr_in a)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
        return fd;
    if (fd >= 0)
        close(fd);
    return -1;
}

/*
 * Open the server. port < 0 (none given): a free port, and, unless a parent
 * handed us a listener, our own clients: `silent` connections that never
 * speak, then the program `clients` (threaded_client) run as a child on our
 * port; the server stops when that child ends.
 */
static inline struct server server_open(long port, const char *clients, int silent)
{
    struct server s = { .listener = net_handed_listener(), .silent = { -1, -1 } };
    bool own = s.listener < 0 && port < 0;
    char name[64];

    if (s.listener < 0)
        s.listener = net_listen(port < 0 ? 0 : port);
    fcntl(s.listener, F_SETFL, O_NONBLOCK);     /* poll says when; accept never blocks */
    struct sockaddr_in a = net_local(s.listener);
    net_name(&a, name, sizeof name);
    stop_on((const int[]){ SIGINT, SIGTERM, SIGCHLD }, own ? 3 : 2);
    log_info("Listening on %s", name);
    if (!own)
        return s;

    if (a.sin_addr.s_addr == htonl(INADDR_ANY))
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < silent && i < 2; i++)
        s.silent[i] = net_connect_to(a);
    char path[4200], portarg[16];
    snprintf(portarg, sizeof portarg, "%u", (unsigned)ntohs(a.sin_port));
    sibling(clients, path, sizeof path);
    int rc = posix_spawn(&s.clients, path, NULL, NULL, (char *[]){ path, portarg, NULL }, environ);
    if (rc != 0)
        fail_misuse("cannot start %s: %s", path, strerror(rc));
    return s;
}

static inline bool take_connection(struct server *s, struct client *c)
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

/*
 * The next client, or false once a stop was asked for (a signal, or our own
 * clients ended) and every connection already waiting has been taken: a
 * client the kernel accepted is served, never dropped.
 */
static inline bool server_accept(struct server *s, struct client *c)
{
    while (!s->stopping) {
        struct pollfd p[2] = { { .fd = s->listener, .events = POLLIN }, { .fd = stop_pipe[0], .events = POLLIN } };
        if (poll(p, 2, -1) < 0)
            continue;                   /* EINTR: a signal, whose byte is in the pipe */
        if (p[1].revents != 0) {
            s->stopping = true;
            log_info("Stopping: taking no new clients, finishing the ones already connected");
        } else if (take_connection(s, c)) {
            return true;
        }
    }
    if (take_connection(s, c))          /* drain the backlog */
        return true;
    if (s->listener >= 0)
        close(s->listener);             /* from now on a connect is refused */
    s->listener = -1;
    return false;
}

/* After every handler has finished: close what is left, reap our clients. */
static inline void server_close(struct server *s)
{
    for (int i = 0; i < 2; i++)
        if (s->silent[i] >= 0)
            close(s->silent[i]);
    if (s->clients > 0)
        waitpid(s->clients, NULL, 0);
    close(stop_pipe[0]);
    close(stop_pipe[1]);
    log_info("Stopped: served %d client%s", s->served, s->served == 1 ? "" : "s");
}

/* ---- the demos' handler: exercise 11's contract (handler.h) ------------------ */

struct conn {
    struct client c;
    char line[HANDLER_LINE_MAX + 1];    /* an unfinished line, and room for its '\n' */
    size_t len;
    struct handler_result r;
};

static inline bool send_all(int fd, const void *data, size_t size)
{
    const char *p = data;
    while (size > 0) {
        ssize_t n = send(fd, p, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        p += n;
        size -= (size_t)n;
    }
    return true;
}

static inline void log_message(struct conn *k, size_t len)
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

/* Log the whole lines waiting in k->line; false when the client must go. */
static inline bool take_lines(struct conn *k)
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

static inline void receive_lines(struct conn *k, double timeout)
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

/* The seed's ClientThread.run(): greet, send the list, log ten lines, close. */
static inline struct handler_result serve_client(struct client c, double timeout)
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

/* ---- pickle: exactly what a list of small ints uses, protocols 0 to 5 ------- */

enum pickle_status { PICKLE_OK, PICKLE_MORE, PICKLE_BAD };

/* n bytes of a little-endian signed int at b. */
static inline long pickle_int(const unsigned char *b, int n)
{
    unsigned long v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | b[i];
    if (n == 4)
        return (long)(int32_t)(uint32_t)v;
    return (long)v;
}

/*
 * The decimal argument of a protocol 0 opcode at b[i] ("I17\n", "p0\n"):
 * *v, and *next, the index after its '\n'. PICKLE_MORE until the '\n' has
 * come; PICKLE_BAD for anything but [-]digits, 18 at most, without a
 * leading zero (I00 and I01 are False and True).
 */
static inline enum pickle_status pickle_decimal(const unsigned char *b, size_t n, size_t i, long *v,
                                                size_t *next)
{
    size_t j = i + 1 + (i + 1 < n && b[i + 1] == '-'), first = j;
    unsigned long u = 0;
    for (; j < n && j - first < 18 && b[j] >= '0' && b[j] <= '9'; j++)
        u = u * 10 + (unsigned long)(b[j] - '0');
    if (j == n)
        return PICKLE_MORE;
    if (b[j] != '\n' || j == first || (b[first] == '0' && j - first > 1))
        return PICKLE_BAD;
    *v = b[i + 1] == '-' ? -(long)u : (long)u;
    *next = j + 1;
    return PICKLE_OK;
}

/*
 * Read b[0..n) as pickle.dumps(list_of_small_ints, protocol=p), p from 0 to
 * 5, as Python 2 or 3 writes it: PROTO p (2 and up), a FRAME (4 and up);
 * the empty list, EMPTY_LIST (']'), or MARK LIST ("(l") in protocols 0 and
 * 1; one memo store (PUT "p0\n", BINPUT, LONG_BINPUT, MEMOIZE); the ints
 * (INT "I7\n", BININT1, BININT2, BININT), each followed by APPEND or
 * grouped by MARK ... APPENDS; STOP, the last byte. PICKLE_OK:
 * items[0..*count) hold the list; PICKLE_MORE: the bytes so far are a good
 * start; PICKLE_BAD: anything else, with the reason in why. Never anything
 * but ints: this is data, not a program (Python's pickle.loads can run code).
 */
static inline enum pickle_status pickle_int_list(const unsigned char *b, size_t n, long items[],
                                                 size_t max, size_t *count, char *why, size_t whysize)
{
    size_t i = 0, frame_end = 0, memo_at = 0, loose = 0;    /* loose: ints not appended yet */
    int proto = 0;
    bool marked = false;

    *count = 0;
    if (n >= 1 && b[0] == 0x80) {
        if (n < 2)
            return PICKLE_MORE;
        proto = b[1];
        if (proto < 2 || proto > 5) {
            snprintf(why, whysize, "the list is pickled with protocol %d: this client reads protocols 0 "
                     "to 5 (pickle.dumps(x, protocol=5) or lower)", proto);
            return PICKLE_BAD;
        }
        i = 2;
    }
    while (i < n) {
        unsigned char op = b[i];
        size_t arg = op == 'q' || op == 'K' ? 1 : op == 'M' ? 2 : op == 'J' || op == 'r' ? 4 : op == 0x95 ? 8 : 0;
        size_t next = i + 1 + arg;
        bool item = op == 'K' || op == 'M' || op == 'J' || op == 'I';
        long v = 0;
        if (next > n || (op == '(' && memo_at == 0 && i + 1 == n))
            return PICKLE_MORE;
        if (op == 'I' || op == 'p') {
            enum pickle_status st = pickle_decimal(b, n, i, &v, &next);
            if (st == PICKLE_MORE)
                return st;
            if (st == PICKLE_BAD) {
                snprintf(why, whysize, "byte %zu: opcode '%c' takes a whole number with no leading zero and "
                         "a newline (I00 and I01 are False and True): not a list of small ints", i, op);
                return st;
            }
        } else if (item) {
            v = pickle_int(b + i + 1, (int)arg);
        }
        if (op == 0x95 && proto >= 4 && i == 2) {
            frame_end = next + (size_t)pickle_int(b + i + 1, 8);
        } else if (memo_at == 0) {
            if (op == ']' && (proto > 0 || i == 0)) {
                memo_at = next;
                proto = proto > 0 ? proto : 1;  /* no PROTO, and EMPTY_LIST: protocol 1 */
            } else if (op == '(' && proto == 0 && i == 0 && b[1] == 'l') {
                memo_at = next = 2;
            } else {
                snprintf(why, whysize, "byte %zu is opcode 0x%02x, not the start of a list (EMPTY_LIST ']', "
                         "or \"(l\" in protocol 0): not a list", i, op);
                return PICKLE_BAD;
            }
        } else if (i == memo_at && (op == 'q' || op == 'r' ? proto != 0 : op == 0x94 ? proto >= 4 : op == 'p')) {
            /* the list's memo entry: nothing to keep */
        } else if (item && (op == 'I') == (proto == 0) && (marked || loose == 0)) {
            if (*count == max) {
                snprintf(why, whysize, "the list has more than %zu items", max);
                return PICKLE_BAD;
            }
            items[(*count)++] = v;
            loose++;
        } else if ((op == 'a' && !marked && loose == 1) || (op == 'e' && marked)) {
            marked = false;
            loose = 0;
        } else if (op == '(' && proto > 0 && !marked && loose == 0) {
            marked = true;
        } else if (op == '.' && !marked && loose == 0) {
            if (next != n)
                snprintf(why, whysize, "%zu bytes follow the pickle's STOP", n - next);
            else if (frame_end != 0 && frame_end != n)
                snprintf(why, whysize, "the pickle's FRAME says it ends at byte %zu, its STOP is byte %zu",
                         frame_end, i);
            if (next != n || (frame_end != 0 && frame_end != n))
                return PICKLE_BAD;
            return PICKLE_OK;
        } else {
            char shown[8] = "";
            if (op >= 0x20 && op < 0x7f)
                snprintf(shown, sizeof shown, " ('%c')", op);
            snprintf(why, whysize, "byte %zu is pickle opcode 0x%02x%s, which this client does not %s: it "
                     "takes only a list of small ints, pickled with protocol 0 to 5", i, op, shown,
                     op != 0 && strchr("]()laeKMJIpqr.\x94\x95", op) != NULL ? "expect there" : "read");
            return PICKLE_BAD;
        }
        i = next;
    }
    return PICKLE_MORE;
}

/* "[1, 2, 7, 9, 0]", as Python prints a list. */
static inline void list_text(const long items[], size_t n, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "[");
    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%ld", i > 0 ? ", " : "", items[i]);
    if (used < size)
        snprintf(buf + used, size - used, "]");
}

/* ---- the seed's client ------------------------------------------------------- */

/*
 * Connect to SERVER_ADDRESS:port, receive and print the pickled list, send
 * "Hey. 0" ... "Hey. 9", each on its own line, and close. A client that
 * thinks (`pause` seconds, unscaled) waits that long after the list before
 * it sends. Returns false (after an "error: " line on stderr) when any step
 * fails.
 */
static inline bool seed_client(long port, int id, double pause)
{
    struct sockaddr_in a = net_address(port);
    unsigned char got[1024];
    size_t n = 0, count = 0;
    long items[64];
    char name[64], why[256], text[1024];
    enum pickle_status st = PICKLE_MORE;
    int fd = net_connect_to(a);

    net_name(&a, name, sizeof name);
    if (fd < 0) {
        fprintf(stderr, "error: client %d cannot connect to %s: %s (is the server running?)\n", id, name,
                strerror(errno));
        return false;
    }
    /* Each line leaves at once, in a segment of its own: no Nagle (the lesson's README says why). */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
    while (st == PICKLE_MORE && n < sizeof got) {
        ssize_t r = recv(fd, got + n, sizeof got - n, 0);
        if (r <= 0) {
            snprintf(why, sizeof why, "the connection ended after %zu bytes of the list", n);
            st = PICKLE_BAD;
            break;
        }
        n += (size_t)r;
        st = pickle_int_list(got, n, items, 64, &count, why, sizeof why);
    }
    if (st != PICKLE_OK) {
        fprintf(stderr, "error: client %d: %s\n", id, st == PICKLE_MORE ? "the list is over 1024 bytes" : why);
        close(fd);
        return false;
    }
    list_text(items, count, text, sizeof text);
    log_info("Client %d: %s", id, text);
    if (pause > 0)
        timing_sleep_unscaled(pause);
    for (int x = 0; x < 10; x++) {
        snprintf(text, sizeof text, "Hey. %d\n", x);
        if (!send_all(fd, text, strlen(text))) {
            fprintf(stderr, "error: client %d: sending '%s' failed: %s\n", id, "Hey.", strerror(errno));
            close(fd);
            return false;
        }
    }
    close(fd);
    return true;
}

/* A server of our own (the program `name`, as "server"), handed a listener on a free port. */
static inline pid_t own_server(const char *name, long *port)
{
    char path[4200];
    int listener = net_listen(0);
    *port = ntohs(net_local(listener).sin_port);
    sibling(name, path, sizeof path);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        fail_misuse("fork: %s", strerror(errno));
    if (pid == 0) {
        char me[32];
        snprintf(me, sizeof me, "%ld", (long)getpid());
        if (listener == 3)
            fcntl(3, F_SETFD, 0);       /* keep it across exec */
        else
            dup2(listener, 3);
        setenv("LISTEN_FDS", "1", 1);
        setenv("LISTEN_PID", me, 1);
        execv(path, (char *[]){ path, NULL });
        fprintf(stderr, "error: cannot run %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    close(listener);
    return pid;
}

/* Stop it as Ctrl-C would, and wait for it: true when it ended cleanly. */
static inline bool own_server_stop(pid_t pid)
{
    int status;
    kill(pid, SIGTERM);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

#endif
