/*
 * pool_server.c - the seed's thread pool: two worker threads take accepted
 * connections from a queue; the accept loop only puts.
 *
 * ARGS=PORT serves SERVER_ADDRESS:PORT (default 2727, the seed's port; 0:
 * any free one) until Ctrl-C or SIGTERM, and prints the port it listens
 * on. make lesson-11 starts it on a free port and shows what a pool of two
 * risks: it opens two connections that never speak, then runs
 * threaded_client. Both workers sit with a silent client, and the five
 * real clients wait, until the receive timeout (2 s) drops the silent ones.
 */
#include "accept_loop.h"
#include "handler.h"

#include "alloc.h"
#include "cli.h"
#include "pt.h"
#include "queue.h"

#include <stdlib.h>

#define WORKERS 2

/* We'll pickle a list of numbers, yet again: LIST_PICKLE (handler.h). */

/* A revised version of our thread: it serves "forever" (until the queue closes). */
static void *worker(void *arg)
{
    queue_t *client_pool = arg;
    void *item;

    /* Get a client out of the queue, until the queue is closed and empty: */
    while (queue_get(client_pool, &item) == QUEUE_OK) {
        struct client *c = item;
        handle_client(*c, receive_timeout());
        free(c);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    long port = cli_number(argc, argv, "PORT", 2727, 0, 65535);
    pthread_t workers[WORKERS];
    struct client c;

    /* Create our Queue: */
    queue_t *client_pool = queue_create(0);

    /* Start two threads: */
    for (int i = 0; i < WORKERS; i++)
        PT(pthread_create(&workers[i], NULL, worker, client_pool));

    /* Set up the server: */
    struct server server = server_open(port);

    /* Have the server serve "forever" (until a stop): */
    while (server_accept(&server, &c)) {
        struct client *item = alloc_zeroed(1, sizeof *item);
        *item = c;
        queue_put(client_pool, item);
    }
    queue_close(client_pool);   /* the workers drain it, then stop */
    for (int i = 0; i < WORKERS; i++)
        PT(pthread_join(workers[i], NULL));
    server_close(&server);
    queue_destroy(client_pool);
    return 0;
}
