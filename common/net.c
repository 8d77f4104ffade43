/* net.c - TCP over IPv4 (see net.h). */
#include "net.h"

#include "fail.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct sockaddr_in net_address(long port)
{
    const char *text = getenv("SERVER_ADDRESS");
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

    if (text == NULL || *text == '\0')
        text = "127.0.0.1";
    if (inet_pton(AF_INET, text, &a.sin_addr) != 1)
        fail_input("SERVER_ADDRESS must be an IPv4 address such as 127.0.0.1 or 0.0.0.0 (got '%s')", text);
    return a;
}

void net_name(const struct sockaddr_in *a, char *buf, size_t size)
{
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip);
    snprintf(buf, size, "%s:%u", ip, (unsigned)ntohs(a->sin_port));
}

struct sockaddr_in net_local(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        fail_misuse("getsockname: %s", strerror(errno));
    return a;
}

int net_listen(long port)
{
    struct sockaddr_in a = net_address(port);
    char name[64];
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    net_name(&a, name, sizeof name);
    if (fd < 0)
        fail_input("cannot make a socket: %s", strerror(errno));
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (errno == EADDRINUSE)
            fail_input("cannot listen on %s: the port is in use (ARGS=0 picks a free one)", name);
        fail_input("cannot listen on %s: %s (try SERVER_ADDRESS=127.0.0.1)", name, strerror(errno));
    }
    if (listen(fd, SOMAXCONN) != 0)
        fail_input("cannot listen on %s: %s", name, strerror(errno));
    return fd;
}

int net_connect_to(struct sockaddr_in a)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
        return fd;
    if (fd >= 0) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    return -1;
}

bool send_all(int fd, const void *data, size_t size)
{
    const char *p = data;
    while (size > 0) {
        ssize_t n = send(fd, p, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        p += n;
        size -= (size_t)n;
    }
    return true;
}
