/*
 * conn_bench.c - how many clients a second each server serves: `server`
 * (a thread per client) against `pool_server` (the seed's pool of two),
 * with 1, 10, 50 and 200 clients connecting at once.
 *
 * Each server runs as its own process, handed a listening socket on a free
 * port, as the client demos start theirs. Here, N threads each play the
 * seed's client again and again (connect, receive the list, send ten
 * lines, close) for ARGS=MS milliseconds (default 150) per figure, first
 * at once, then thinking 10 ms between the list and the lines, as a client
 * across a network would take. A figure is the connections completed in
 * that time, per second. Logging is off on both sides (LOG_LEVEL=warning):
 * the figures are the servers', not the terminal's. make bench prints the
 * `bench:` lines.
 */
#include "net.h"

#include "barrier.h"
#include "cli.h"
#include "pt.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static const int clients[] = { 1, 10, 50, 200 };
#define ROWS (sizeof clients / sizeof clients[0])
#define MAX_CLIENTS 200
#define THINK 0.010

static long port;
static double think;
static atomic_bool stop;
static atomic_long served, failed;
static barrier_t *ready;         /* the clients start together */

static void *client_loop(void *arg)
{
    int id = (int)(intptr_t)arg;

    barrier_wait(ready);
    while (!atomic_load(&stop)) {
        if (!seed_client(port, id, think))
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
    double took = timing_now() - start; /* ms, or more on a busy machine */
    long done = atomic_load(&served);
    for (int i = 0; i < n; i++)
        PT(pthread_join(t[i], NULL));   /* each finishes the connection it is in */
    barrier_destroy(ready);
    return (double)done / took;
}

int main(int argc, char **argv)
{
    long ms = cli_number(argc, argv, "MS", 150, 1, 60000);
    const char *servers[] = { "server", "pool_server" };
    const double thinks[] = { 0, THINK };
    double rate[2][2][ROWS];    /* [think][server][row] */

    setenv("LOG_LEVEL", "warning", 1);
    log_set_level(LOG_WARNING);
    for (int s = 0; s < 2; s++) {
        pid_t pid = own_server(servers[s], &port);
        for (int k = 0; k < 2; k++) {
            think = thinks[k];
            for (size_t r = 0; r < ROWS; r++)
                rate[k][s][r] = figure(clients[r], ms);
        }
        if (!own_server_stop(pid))
            fail_misuse("%s did not stop cleanly", servers[s]);
    }

    printf("connections served per second (%ld ms a figure)\n", ms);
    printf("%-7s | %-28s | %-28s\n", "", "clients that send at once", "clients that think 10 ms");
    printf("%-7s | %13s %14s | %13s %14s\n", "clients", "a thread each", "a pool of two",
           "a thread each", "a pool of two");
    for (size_t r = 0; r < ROWS; r++)
        printf("%-7d | %13.0f %14.0f | %13.0f %14.0f\n", clients[r], rate[0][0][r], rate[0][1][r],
               rate[1][0][r], rate[1][1][r]);
    if (atomic_load(&failed) > 0)
        printf("(%ld connections failed; each said why on stderr)\n", atomic_load(&failed));
    for (int k = 0; k < 2; k++)
        for (int s = 0; s < 2; s++)
            for (size_t r = 0; r < ROWS; r++)
                printf("bench: %s_%s%d %.0f conn/s\n", servers[s], k == 0 ? "clients" : "thinking",
                       clients[r], rate[k][s][r]);
    return atomic_load(&failed) > 0;
}
