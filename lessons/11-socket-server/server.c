/*
 * server.c - the seed's threaded server: each client gets a thread of its
 * own (the seed's ClientThread), handed its socket and address by value.
 *
 * ARGS=PORT serves SERVER_ADDRESS:PORT (default 2727, the seed's port; 0:
 * any free one) until Ctrl-C or SIGTERM, and prints the port it listens
 * on. A stop takes no new client but finishes every one already connected,
 * then joins every thread. make lesson-11 starts it on a free port, runs
 * threaded_client against it, then stops it.
 */
#include "accept_loop.h"
#include "handler.h"

#include "alloc.h"
#include "cli.h"
#include "pt.h"
#include "queue.h"

#include <stdlib.h>

/* We'll pickle a list of numbers: LIST_PICKLE (handler.h), [1, 2, 7, 9, 0]. */

/* Our thread: what the seed's ClientThread.__init__ keeps. */
struct client_thread {
    pthread_t thread;
    struct client client;       /* channel and details, by value */
    queue_t *finished;          /* where the thread says it is done */
};

/* The seed's ClientThread.run(): greet, send the list, log ten lines, close
 * (handle_client, exercise 11). */
static void *client_thread_run(void *arg)
{
    struct client_thread *t = arg;
    handle_client(t->client, receive_timeout());
    queue_put(t->finished, t);  /* main joins it: no thread is left behind */
    return NULL;
}

/* Join the threads that have finished (waiting for one when `wait`); how many. */
static size_t join_finished(queue_t *finished, bool wait)
{
    size_t joined = 0;
    void *item;
    while ((wait && joined == 0 ? queue_get(finished, &item) : queue_try_get(finished, &item)) == QUEUE_OK) {
        struct client_thread *t = item;
        PT(pthread_join(t->thread, NULL));
        free(t);
        joined++;
    }
    return joined;
}

int main(int argc, char **argv)
{
    long port = cli_number(argc, argv, "PORT", 2727, 0, 65535);
    queue_t *finished = queue_create(0);
    size_t running = 0;
    struct client c;

    /* Set up the server: */
    struct server server = server_open(port);

    /* Have the server serve "forever" (until a stop): */
    while (server_accept(&server, &c)) {
        struct client_thread *t = alloc_zeroed(1, sizeof *t);
        t->client = c;
        t->finished = finished;
        PT(pthread_create(&t->thread, NULL, client_thread_run, t));
        running++;
        running -= join_finished(finished, false);
    }
    while (running > 0)
        running -= join_finished(finished, true);
    server_close(&server);
    queue_destroy(finished);
    return 0;
}
