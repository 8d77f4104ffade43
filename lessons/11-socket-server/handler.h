/*
 * handler.h - exercise 11: serve one client of the socket server, the
 * seed's ClientThread.run(), made safe for a pool of two.
 *
 * handle_client() gets a connected socket and the peer's address, by value,
 * and does what the seed's thread does, with the repairs a real server needs:
 *
 *   1. log "Received connection: <peer>";
 *   2. send the list [1, 2, 7, 9, 0], pickled (LIST_PICKLE, all
 *      LIST_PICKLE_SIZE bytes: send() may take fewer, so loop);
 *   3. read messages framed by newline: TCP is a byte stream, so one recv()
 *      may bring three messages, or half of one. Keep the bytes of an
 *      unfinished line until its '\n' comes. Log each whole message as
 *      "<peer> says: <text>" (the text without its '\n', and without a '\r'
 *      right before it), bytes below 0x20 or above 0x7e written as \xNN;
 *      stop after HANDLER_MAX_MESSAGES of them, even if more bytes wait;
 *   4. stop early, logging a warning, when the peer
 *      - closes the connection: a closed connection with an unfinished line
 *        logs "<peer> closed in the middle of a line: dropped it"
 *        (a clean close logs nothing more),
 *      - sends nothing for `timeout` seconds: "<peer> sent nothing for
 *        <timeout> s: dropping it" (%g). 0 waits without limit. (In a pool of
 *        two, two silent clients would otherwise block everyone.)
 *      - sends a line longer than HANDLER_LINE_MAX bytes (the '\n' not
 *        counted): "<peer> sent a line longer than 64 bytes: dropping it"
 *      - or makes recv()/send() fail: "<peer>: <strerror>" (a call that a
 *        signal interrupted, EINTR, is no failure: make it again);
 *   5. close the socket, always, and log
 *      "Closed connection: <peer> (<m> messages in <r> reads)".
 *
 * Rules: a client that went away must never kill the server (send with
 * MSG_NOSIGNAL, or SIGPIPE ends the process); several handlers run at once,
 * one per thread, so every buffer is the handler's own; the socket is
 * closed exactly once, on every path.
 */
#ifndef HANDLER_H
#define HANDLER_H

#include "accept_loop.h"

#include <stddef.h>

/* pickle.dumps([1, 2, 7, 9, 0], protocol=2), as Python 3 writes it. */
#define LIST_PICKLE "\x80\x02]q\x00(K\x01K\x02K\x07K\tK\x00" "e."
#define LIST_PICKLE_SIZE (sizeof LIST_PICKLE - 1)

#define HANDLER_MAX_MESSAGES 10
#define HANDLER_LINE_MAX 64

/* One accepted connection (struct client): common/accept_loop.h. */

/* How a client's service ended. */
enum handler_end {
    HANDLER_DONE,       /* HANDLER_MAX_MESSAGES messages */
    HANDLER_CLOSED,     /* the peer closed first */
    HANDLER_TIMEOUT,    /* nothing came for `timeout` seconds */
    HANDLER_TOO_LONG,   /* a line longer than HANDLER_LINE_MAX */
    HANDLER_ERROR,      /* send or recv failed (reset, broken pipe) */
};

struct handler_result {
    enum handler_end end;
    int messages;       /* whole messages logged */
    int reads;          /* recv() calls that returned data */
};

/* Serve c as above; c.fd is closed when it returns. */
struct handler_result handle_client(struct client c, double timeout);

#endif
