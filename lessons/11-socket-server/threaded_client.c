/*
 * threaded_client.c - the seed's ConnectionThread: five clients, each on
 * its own thread, all connected to the server at once, each doing what
 * client.c does.
 *
 * ARGS=PORT talks to a server on SERVER_ADDRESS:PORT (default 2727, the
 * seed's port). A client whose step fails prints one "error: " line, and
 * the program ends with status 1 once all five are done. make lesson-11
 * runs it against `server` and against `pool_server`.
 */
#include "cli.h"
#include "log.h"
#include "net.h"
#include "pickle.h"
#include "pt.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CLIENTS 5

static long port;

/* Here's our thread (its number, from 1): true when every step worked. */
static void *connection_thread(void *arg)
{
    int id = (int)(intptr_t)arg;
    struct sockaddr_in server = net_address(port);
    long list[64];
    size_t n;
    char why[256], text[1024];
    bool ok = true;

    /* Connect to the server: */
    int client = net_connect_to(server);
    if (client < 0) {
        net_name(&server, text, sizeof text);
        fprintf(stderr, "error: client %d cannot connect to %s: %s (is the server running?)\n", id, text,
                strerror(errno));
        return (void *)(intptr_t)false;
    }
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));

    /* Retrieve and unpickle the list object: */
    if (!pickle_recv_int_list(client, list, 64, &n, why, sizeof why)) {
        fprintf(stderr, "error: client %d: %s\n", id, why);
        ok = false;
    } else {
        list_text(list, n, text, sizeof text);
        log_info("Client %d: %s", id, text);
    }

    /* Send some messages: */
    for (int x = 0; ok && x < 10; x++) {
        snprintf(text, sizeof text, "Hey. %d\n", x);
        if (!send_all(client, text, strlen(text))) {
            fprintf(stderr, "error: client %d: sending 'Hey. %d' failed: %s\n", id, x, strerror(errno));
            ok = false;
        }
    }

    /* Close the connection: */
    close(client);
    return (void *)(intptr_t)ok;
}

int main(int argc, char **argv)
{
    port = cli_number(argc, argv, "PORT", 2727, 1, 65535);
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
    return ok ? 0 : 1;
}
