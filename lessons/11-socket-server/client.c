/*
 * client.c - the seed's client: connect, receive the pickled list and print
 * it, send "Hey. 0" ... "Hey. 9", each on its own line, and close.
 *
 * ARGS=PORT talks to a server already running on SERVER_ADDRESS:PORT.
 * Without a port it starts a server of its own on a free port (handing it
 * the listening socket), and stops it afterwards as Ctrl-C would.
 */
#include "net.h"

#include "cli.h"

int main(int argc, char **argv)
{
    long port = cli_number(argc, argv, "PORT", 2727, 1, 65535);
    pid_t server = argc < 2 ? own_server("server", &port) : 0;
    bool ok = seed_client(port, 1, 0);

    if (server > 0 && !own_server_stop(server)) {
        fprintf(stderr, "error: the server did not stop cleanly\n");
        ok = false;
    }
    return ok ? 0 : 1;
}
