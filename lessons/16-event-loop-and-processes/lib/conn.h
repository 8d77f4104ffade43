/*
 * conn.h - what lesson 16's servers do with one client, as lesson 11's
 * handle_client() does it (exercise 11's contract, handler.h): the list
 * sent, then up to HANDLER_MAX_MESSAGES lines logged, each at most
 * HANDLER_LINE_MAX bytes. A thread can keep a client's state on its stack;
 * an event loop keeps it here, in a struct per connection.
 *
 * take_lines() logs every whole line waiting in k->line and takes it out;
 * false when the client must go (k->r.end says why). serve_client() is
 * handle_client() for one process serving one client at a time (the
 * pre-forked server's workers).
 */
#ifndef LESSON16_CONN_H
#define LESSON16_CONN_H

#include "../../11-socket-server/handler.h"   /* exercise 11's contract: the list, the limits, the result */

#include <stdbool.h>

struct conn {
    struct client c;
    char line[HANDLER_LINE_MAX + 1];    /* an unfinished line, and room for its '\n' */
    size_t len;
    struct handler_result r;
};

bool take_lines(struct conn *k);
struct handler_result serve_client(struct client c, double timeout);

#endif
