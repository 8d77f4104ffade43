/*
 * pool_server.c - the seed's thread pool: two worker threads take accepted
 * connections from a queue; the accept loop only puts.
 *
 * ARGS=PORT serves SERVER_ADDRESS:PORT (0: any free port) until Ctrl-C or
 * SIGTERM. Without a port it shows what a pool of two risks: it opens two
 * connections of its own that never speak, then starts threaded_client.
 * Both workers sit with a silent client, and the five real clients wait,
 * until the receive timeout (2 s) drops the silent ones.
 */
#include "net.h"

#include "alloc.h"
#include "cli.h"
#include "pt.h"
#include "queue.h"

#include <stdlib.h>

#define WORKERS 2

static void *worker(void *arg)
{
    queue_t *pool = arg;
    void *item;

    /* Get a client out of the queue, until the queue is closed and empty: */
    while (queue_get(pool, &item) == QUEUE_OK) {
        struct client *c = item;
        serve_client(*c, receive_timeout());
        free(c);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    long port = cli_number(argc, argv, "PORT", 2727, 0, 65535);
    struct server server = server_open(argc < 2 ? -1 : port, "threaded_client", 2);
    queue_t *pool = queue_create(0);
    pthread_t workers[WORKERS];
    struct client c;

    for (int i = 0; i < WORKERS; i++)
        PT(pthread_create(&workers[i], NULL, worker, pool));

    /* Have the server serve "forever" (until a stop): */
    while (server_accept(&server, &c)) {
        struct client *item = alloc_zeroed(1, sizeof *item);
        *item = c;
        queue_put(pool, item);
    }
    queue_close(pool);          /* the workers drain it, then stop */
    for (int i = 0; i < WORKERS; i++)
        PT(pthread_join(workers[i], NULL));
    server_close(&server);
    queue_destroy(pool);
    return 0;
}
