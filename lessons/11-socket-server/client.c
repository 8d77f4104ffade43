/*
 * client.c - the seed's client: connect, receive the pickled list and print
 * it, send "Hey. 0" ... "Hey. 9", each on its own line, and close.
 *
 * ARGS=PORT talks to a server on SERVER_ADDRESS:PORT (default 2727, the
 * seed's port). A step that fails prints one "error: " line and ends the
 * program with status 1. make lesson-11 starts a server on a free port,
 * runs this client against it, then stops the server.
 */
#include "cli.h"
#include "log.h"
#include "net.h"
#include "pickle.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long port = cli_number(argc, argv, "PORT", 2727, 1, 65535);
    struct sockaddr_in server = net_address(port);
    long list[64];
    size_t n;
    char why[256], text[1024];

    /* Connect to the server: */
    int client = net_connect_to(server);
    if (client < 0) {
        net_name(&server, text, sizeof text);
        fprintf(stderr, "error: client 1 cannot connect to %s: %s (is the server running?)\n", text,
                strerror(errno));
        return 1;
    }
    /* Each line leaves at once, in a segment of its own: no Nagle (the README says why). */
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));

    /* Retrieve and unpickle the list object: */
    if (!pickle_recv_int_list(client, list, 64, &n, why, sizeof why)) {
        fprintf(stderr, "error: client 1: %s\n", why);
        return 1;
    }
    list_text(list, n, text, sizeof text);
    log_info("Client 1: %s", text);

    /* Send some messages: */
    for (int x = 0; x < 10; x++) {
        snprintf(text, sizeof text, "Hey. %d\n", x);
        if (!send_all(client, text, strlen(text))) {
            fprintf(stderr, "error: client 1: sending 'Hey. %d' failed: %s\n", x, strerror(errno));
            return 1;
        }
    }

    /* Close the connection: */
    close(client);
    return 0;
}
