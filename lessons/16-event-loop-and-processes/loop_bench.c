/*
 * loop_bench.c - lesson 11's conn_bench with a third column: how many
 * clients a second `server` (a thread per client), `pool_server` (a pool of
 * two) and `event_server` (one thread, poll) serve, with 1, 10, 50 and 200
 * clients at once, first sending at once, then thinking 10 ms between the
 * list and their lines.
 *
 * As in conn_bench, each server runs as its own process, started on a free
 * port (its first line says which) and stopped with SIGTERM, and N threads play the seed's client over and
 * over for ARGS=MS milliseconds (default 150) a figure; a figure is the
 * connections completed in that time, per second. Logging is off on both
 * sides. The ratios compare figures of this one run only; make bench
 * prints the `bench:` lines.
 */
#include "barrier.h"
#include "cli.h"
#include "fail.h"
#include "log.h"
#include "net.h"
#include "pickle.h"
#include "pt.h"
#include "timing.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const int clients[] = { 1, 10, 50, 200 };
#define ROWS (sizeof clients / sizeof clients[0])
#define MAX_CLIENTS 200
#define THINK 0.010
static const char *const servers[] = { "server", "pool_server", "event_server" };
#define SERVERS 3

static long port;
static double think;
static atomic_bool stop;
static atomic_long served, failed;
static barrier_t *ready;         /* the clients start together */

/* The seed's client, once: false (after an "error: " line) when a step failed. */
static bool seed_client(int id)
{
    long list[64];
    size_t n;
    char why[256], text[32];
    int fd = net_connect_to(net_address(port));

    if (fd < 0) {
        fprintf(stderr, "error: client %d cannot connect: %s\n", id, strerror(errno));
        return false;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));     /* as client.c */
    bool ok = pickle_recv_int_list(fd, list, 64, &n, why, sizeof why);
    if (!ok)
        fprintf(stderr, "error: client %d: %s\n", id, why);
    else if (think > 0)
        timing_sleep_unscaled(think);
    for (int x = 0; ok && x < 10; x++) {
        snprintf(text, sizeof text, "Hey. %d\n", x);
        ok = send_all(fd, text, strlen(text));
        if (!ok)
            fprintf(stderr, "error: client %d: sending failed: %s\n", id, strerror(errno));
    }
    close(fd);
    return ok;
}

static void *client_loop(void *arg)
{
    int id = (int)(intptr_t)arg;

    barrier_wait(ready);
    while (!atomic_load(&stop)) {
        if (!seed_client(id))
            atomic_fetch_add(&failed, 1);
        else if (!atomic_load(&stop))
            atomic_fetch_add(&served, 1);   /* only those done in time count */
    }
    return NULL;
}

/* Connections a second that n clients at once complete in `ms` (as slept: measured). */
static double figure(int n, long ms)
{
    pthread_t t[MAX_CLIENTS];

    atomic_store(&stop, false);
    atomic_store(&served, 0);
    ready = barrier_create((unsigned)n + 1);
    for (int i = 0; i < n; i++)
        PT(pthread_create(&t[i], NULL, client_loop, (void *)(intptr_t)(i + 1)));
    double start = timing_now();        /* no client starts before this */
    barrier_wait(ready);
    timing_sleep_unscaled((double)ms / 1000);
    atomic_store(&stop, true);
    double took = timing_now() - start;
    long done = atomic_load(&served);
    for (int i = 0; i < n; i++)
        PT(pthread_join(t[i], NULL));   /* each finishes the connection it is in */
    barrier_destroy(ready);
    return (double)done / took;
}

/* What a server prints after its first line (its warnings, at LOG_LEVEL=warning), passed on. */
static void *relay(void *arg)
{
    FILE *from = arg;
    char line[1024];
    while (fgets(line, sizeof line, from) != NULL)
        fputs(line, stdout);
    fclose(from);
    return NULL;
}

struct started {
    pid_t pid;
    pthread_t relay;
};

/* The program `name`, beside this one, started on a free port: *port is the one it printed. */
static struct started start_server(const char *self, const char *name)
{
    struct started s;
    char path[4096], line[256];
    const char *slash = strrchr(self, '/');
    int out[2];
    posix_spawn_file_actions_t fa;

    snprintf(path, sizeof path, "%.*s%s", slash != NULL ? (int)(slash + 1 - self) : 0, self, name);
    if (pipe(out) != 0)
        fail_misuse("pipe: %s", strerror(errno));
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, out[1]);
    int rc = posix_spawn(&s.pid, path, &fa, NULL, (char *[]){ path, "0", NULL }, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    if (rc != 0)
        fail_misuse("cannot start %s: %s", path, strerror(rc));
    FILE *from = fdopen(out[0], "r");
    const char *colon;
    if (from == NULL || fgets(line, sizeof line, from) == NULL || strncmp(line, "Listening on ", 13) != 0 ||
        (colon = strrchr(line, ':')) == NULL)
        fail_misuse("%s did not say which port it listens on", path);
    port = strtol(colon + 1, NULL, 10);
    PT(pthread_create(&s.relay, NULL, relay, from));
    return s;
}

/* Stop it as Ctrl-C would, and wait for it: true when it ended cleanly. */
static bool stop_server(struct started s)
{
    int status;
    kill(s.pid, SIGTERM);
    while (waitpid(s.pid, &status, 0) < 0)
        if (errno != EINTR)
            return false;
    PT(pthread_join(s.relay, NULL));
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
    long ms = cli_number(argc, argv, "MS", 150, 1, 60000);
    const char *kinds[] = { "clients", "thinking" };
    const double thinks[] = { 0, THINK };
    double rate[2][SERVERS][ROWS];      /* [think][server][row] */

    setenv("LOG_LEVEL", "warning", 1);
    log_set_level(LOG_WARNING);
    for (int s = 0; s < SERVERS; s++) {
        struct started server = start_server(argv[0], servers[s]);
        for (int k = 0; k < 2; k++) {
            think = thinks[k];
            for (size_t r = 0; r < ROWS; r++)
                rate[k][s][r] = figure(clients[r], ms);
        }
        if (!stop_server(server))
            fail_misuse("%s did not stop cleanly", servers[s]);
    }

    printf("connections served per second (%ld ms a figure)\n", ms);
    for (int k = 0; k < 2; k++) {
        printf("%-7s | %-38s | event loop against\n", "clients",
               k == 0 ? "clients that send at once" : "clients that think 10 ms");
        printf("%-7s | %12s %12s %12s | %9s %9s\n", "", "a thread each", "pool of two", "event loop",
               "threads", "pool");
        for (size_t r = 0; r < ROWS; r++)
            printf("%-7d | %12.0f %12.0f %12.0f | %8.2fx %8.2fx\n", clients[r], rate[k][0][r], rate[k][1][r],
                   rate[k][2][r], rate[k][2][r] / rate[k][0][r], rate[k][2][r] / rate[k][1][r]);
    }
    if (atomic_load(&failed) > 0)
        printf("(%ld connections failed; each said why on stderr)\n", atomic_load(&failed));
    for (int k = 0; k < 2; k++)
        for (size_t r = 0; r < ROWS; r++) {
            printf("bench: event_server_%s%d %.0f conn/s\n", kinds[k], clients[r], rate[k][2][r]);
            printf("bench: event_over_threads_%s%d %.2f x\n", kinds[k], clients[r], rate[k][2][r] / rate[k][0][r]);
            printf("bench: event_over_pool_%s%d %.2f x\n", kinds[k], clients[r], rate[k][2][r] / rate[k][1][r]);
        }
    return atomic_load(&failed) > 0;
}
