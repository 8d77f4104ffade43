/*
 * loop_bench.c - lesson 11's conn_bench with a third column: how many
 * clients a second `server` (a thread per client), `pool_server` (a pool of
 * two) and `event_server` (one thread, poll) serve, with 1, 10, 50 and 200
 * clients at once, first sending at once, then thinking 10 ms between the
 * list and their lines.
 *
 * As in conn_bench, each server runs as its own process, handed a listening
 * socket on a free port, and N threads play the seed's client over and
 * over for ARGS=MS milliseconds (default 150) a figure; a figure is the
 * connections completed in that time, per second. Logging is off on both
 * sides. The ratios compare figures of this one run only; make bench
 * prints the `bench:` lines.
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
static const char *const servers[] = { "server", "pool_server", "event_server" };
#define SERVERS 3

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
    double took = timing_now() - start;
    long done = atomic_load(&served);
    for (int i = 0; i < n; i++)
        PT(pthread_join(t[i], NULL));   /* each finishes the connection it is in */
    barrier_destroy(ready);
    return (double)done / took;
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
