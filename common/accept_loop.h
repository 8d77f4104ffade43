/*
 * accept_loop.h - what lesson 11's and lesson 16's servers share: the listening socket,
 * an accept loop that stops cleanly, and the receive timeout they give
 * each client. (Each client is served by handle_client(), the exercise:
 * the servers run its reference answer, solutions/11-socket-server/handler.c.)
 *
 * server_open(port) listens on SERVER_ADDRESS:port (0: a free port) and
 * prints "Listening on 127.0.0.1:40621" on a line of its own, whatever
 * LOG_LEVEL says: whoever started the server (make lesson-11, a test, a
 * benchmark) reads the port there. From then on SIGINT and SIGTERM ask the
 * accept loop to stop, and SIGPIPE is ignored.
 *
 * server_accept() waits for the next client; false once a stop was asked
 * for and every connection already waiting has been taken (a client the
 * kernel accepted is served, never dropped). server_close(), after every
 * handler has finished, logs how many clients were served.
 */
#ifndef WORKBOOK_ACCEPT_LOOP_H
#define WORKBOOK_ACCEPT_LOOP_H

#include <stdbool.h>

/* One accepted connection: what the accept loop hands to a thread, by value. */
struct client {
    int fd;             /* a connected stream socket; the handler closes it */
    char peer[64];      /* "127.0.0.1:50312", for the log */
};

/* A server drops a client that sends nothing for this long (times WORKBOOK_TIME_SCALE). */
#define RECEIVE_TIMEOUT 2.0

struct server {
    int listener;
    bool stopping;
    int served;
};

struct server server_open(long port);
bool server_accept(struct server *s, struct client *c);
void server_close(struct server *s);

/* For a loop of one's own (lesson 16): the read end of the stop pipe, readable
 * once a stop was asked for; server_take() accepts one waiting connection
 * without waiting (false: none now); server_stop_renew(), in a child after
 * fork(), gives it a stop pipe of its own (the parent's is closed). */
int server_stop_fd(void);
bool server_take(struct server *s, struct client *c);
void server_stop_renew(void);

/* RECEIVE_TIMEOUT, scaled. */
double receive_timeout(void);

#endif
