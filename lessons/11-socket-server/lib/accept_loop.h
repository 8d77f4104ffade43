/*
 * accept_loop.h - what lesson 11's two servers share: the listening socket,
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
#ifndef LESSON11_ACCEPT_LOOP_H
#define LESSON11_ACCEPT_LOOP_H

#include "handler.h"

#include <stdbool.h>

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

/* RECEIVE_TIMEOUT, scaled. */
double receive_timeout(void);

#endif
