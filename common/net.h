/*
 * net.h - TCP over IPv4, the little a server or a client needs: the
 * address to use, a listening socket, a connection, and a send that sends
 * everything. Lesson 11's programs are built on these.
 *
 * SERVER_ADDRESS (default 127.0.0.1) is the address a server binds and a
 * client connects to; a bad one, or a port that cannot be had, ends the
 * program with one line and status 2 (fail_input, fail.h).
 */
#ifndef WORKBOOK_NET_H
#define WORKBOOK_NET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

/* SERVER_ADDRESS as an IPv4 address, and this port. */
struct sockaddr_in net_address(long port);

/* "127.0.0.1:50312", in buf. */
void net_name(const struct sockaddr_in *a, char *buf, size_t size);

/* The address fd is bound to (its port, when the system chose it). */
struct sockaddr_in net_local(int fd);

/* A socket listening on SERVER_ADDRESS:port (0: a free port the system chooses). */
int net_listen(long port);

/* A socket connected to a, or -1 (errno says why). */
int net_connect_to(struct sockaddr_in a);

/* Send all `size` bytes (send may take fewer; a signal may interrupt it),
 * with MSG_NOSIGNAL: a peer that left is an error (false, errno set), never
 * SIGPIPE. */
bool send_all(int fd, const void *data, size_t size);

#endif
