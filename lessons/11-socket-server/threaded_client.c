/*
 * threaded_client.c - the seed's ConnectionThread: five clients, each on
 * its own thread, all connected to the server at once.
 *
 * ARGS=PORT talks to a server already running on SERVER_ADDRESS:PORT.
 * Without a port it starts a server of its own on a free port, and stops it
 * afterwards as Ctrl-C would.
 */
#include "net.h"

#include "cli.h"
#include "pt.h"

#include <stdint.h>

#define CLIENTS 5

static long port;

static void *connection_thread(void *arg)
{
    int id = (int)(intptr_t)arg;
    return (void *)(intptr_t)seed_client(port, id, 0);
}

int main(int argc, char **argv)
{
    port = cli_number(argc, argv, "PORT", 2727, 1, 65535);
    pid_t server = argc < 2 ? own_server("server", &port) : 0;
    pthread_t threads[CLIENTS];
    bool ok = true;

    /* Let's spawn a few threads: */
    for (int i = 0; i < CLIENTS; i++)
        PT(pthread_create(&threads[i], NULL, connection_thread, (void *)(intptr_t)(i + 1)));
    for (int i = 0; i < CLIENTS; i++) {
        void *done;
        PT(pthread_join(threads[i], &done));
        ok = ok && done != NULL;
    }
    if (server > 0 && !own_server_stop(server)) {
        fprintf(stderr, "error: the server did not stop cleanly\n");
        ok = false;
    }
    return ok ? 0 : 1;
}
