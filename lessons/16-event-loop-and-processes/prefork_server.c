/*
 * prefork_server.c - the seed's server as processes: the parent opens the
 * listening socket, then forks two workers. Each inherits that socket and
 * runs the seed's loop, accept and serve, one client at a time (lesson 11's
 * serve_client); the kernel hands each connection to one of them. What the
 * workers must all see (how many they served) lives in memory mapped
 * MAP_SHARED before the fork: nothing else of a process is shared.
 *
 * ARGS=PORT serves SERVER_ADDRESS:PORT (default 2727; 0: any free port)
 * until Ctrl-C or SIGTERM, and prints the port it listens on (make
 * lesson-16 runs threaded_client against it, then stops it). A stop
 * reaches every worker, which finishes its client and the connections
 * already waiting.
 */
#define _DEFAULT_SOURCE         /* MAP_ANONYMOUS (POSIX only from 2024) */
#include "conn.h"

#include "accept_loop.h"
#include "cli.h"
#include "fail.h"
#include "log.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdatomic.h>
#include <sys/mman.h>

#define WORKERS 2

/* A worker: its own stop (the parent's pipe is the parent's), then accept and serve. */
static _Noreturn void worker(struct server *s, int id, atomic_int *served, const sigset_t *mask)
{
    server_stop_renew();
    sigprocmask(SIG_SETMASK, mask, NULL);   /* a stop sent meanwhile comes now, to our pipe */
    int mine = 0;
    struct client c;

    log_info("Worker %d: pid %ld, parent %ld", id, (long)getpid(), (long)getppid());
    while (server_accept(s, &c)) {
        serve_client(c, receive_timeout());
        mine++;
    }
    atomic_fetch_add(served, mine);
    log_info("Worker %d: served %d client%s", id, mine, mine == 1 ? "" : "s");
    exit(0);
}

int main(int argc, char **argv)
{
    long port = cli_number(argc, argv, "PORT", 2727, 0, 65535);
    struct server server = server_open(port);
    atomic_int *served = mmap(NULL, sizeof *served, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t workers[WORKERS];
    sigset_t stops, mask;

    if (served == MAP_FAILED)
        fail_misuse("mmap: %s", strerror(errno));
    atomic_init(served, 0);
    /* A stop that came between a fork and the worker's own handlers would be lost: hold it till then. */
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigprocmask(SIG_BLOCK, &stops, &mask);
    fflush(NULL);
    for (int i = 0; i < WORKERS; i++) {
        workers[i] = fork();
        if (workers[i] < 0)
            fail_misuse("fork: %s", strerror(errno));
        if (workers[i] == 0)
            worker(&server, i + 1, served, &mask);
    }
    sigprocmask(SIG_SETMASK, &mask, NULL);
    close(server.listener);             /* the workers' now: when they close it, a connect is refused */

    /* Wait for a stop (a signal, or our own clients done), then pass it on. */
    struct pollfd p = { .fd = server_stop_fd(), .events = POLLIN };
    while (poll(&p, 1, -1) < 0)
        continue;                       /* EINTR: a signal, whose byte is in the pipe */
    for (int i = 0; i < WORKERS; i++)
        kill(workers[i], SIGTERM);
    for (int i = 0; i < WORKERS; i++)
        while (waitpid(workers[i], NULL, 0) < 0 && errno == EINTR)
            continue;
    server.served = atomic_load(served);
    server_close(&server);
    munmap(served, sizeof *served);
    return 0;
}
