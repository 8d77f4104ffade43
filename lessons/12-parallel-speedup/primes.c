/*
 * primes.c - lesson 12: CPU-bound work on 1, 2, ... N threads.
 *
 * Count the primes below LIMIT by trial division: pure arithmetic, no
 * waiting, no sharing. The range is cut into chunks of CHUNK numbers; a
 * thread takes the next chunk with one atomic fetch-and-add, counts its
 * primes in a local variable, and adds its count to the total once, when it
 * runs out of chunks. Chunks are taken, not dealt out in advance, because a
 * chunk of large numbers costs more than a chunk of small ones.
 *
 * Each row is one run: threads, wall time, speedup over the 1-thread row,
 * and a bar as long as the speedup. C threads run on separate cores at
 * once, so on an idle 2-core machine the 2-thread row is close to 2.0x.
 * Then the same work in Python threads (primes.py, beside this file), when
 * python3 is on the PATH: the GIL lets one thread run Python code at a
 * time, and its rows stay near 1.0x.
 *
 * THREADS (default: the CPUs this process may use) is the last row.
 * LIMIT is scaled by WORKBOOK_TIME_SCALE, so the tests run a short version.
 * Each language ends with a line "bench: <name> <value> x", for make bench.
 */
#include "cli.h"
#include "cpus.h"
#include "pt.h"
#include "timing.h"

#include <errno.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LIMIT 8000000L          /* numbers tried at scale 1 */
#define PY_LIMIT 500000L        /* the Python version's: a second or two */
#define CHUNK 10000L
#define MAX_THREADS 64

extern char **environ;

struct work {
    long limit;
    atomic_long next;           /* first number of the next chunk to take */
    atomic_long primes;         /* the total, added to once per thread */
};

static bool is_prime(long n)
{
    if (n < 2)
        return false;
    if (n % 2 == 0)
        return n == 2;
    for (long d = 3; d * d <= n; d += 2)
        if (n % d == 0)
            return false;
    return true;
}

static void *worker(void *arg)
{
    struct work *w = arg;
    long mine = 0;              /* local: no other thread touches it */

    for (;;) {
        long from = atomic_fetch_add(&w->next, CHUNK);
        if (from >= w->limit)
            break;
        long to = from + CHUNK < w->limit ? from + CHUNK : w->limit;
        for (long n = from; n < to; n++)
            mine += is_prime(n);
    }
    atomic_fetch_add(&w->primes, mine);
    return NULL;
}

/* Count the primes below limit on `threads` threads; the wall time in *seconds. */
static long count_primes(long limit, int threads, double *seconds)
{
    struct work w = { .limit = limit };
    pthread_t tid[MAX_THREADS];

    atomic_init(&w.next, 0);
    atomic_init(&w.primes, 0);
    double start = timing_now();
    for (int i = 0; i < threads; i++)
        PT(pthread_create(&tid[i], NULL, worker, &w));
    for (int i = 0; i < threads; i++)
        PT(pthread_join(tid[i], NULL));
    *seconds = timing_now() - start;
    return atomic_load(&w.primes);
}

static void bar(double speedup)
{
    int len = (int)(speedup * 12 + 0.5);
    for (int i = 0; i < len && i < 72; i++)
        putchar('#');
    putchar('\n');
}

/* Run primes.py (found beside this source file) as python3 would. */
static void run_python(long limit, int threads)
{
    char script[4096], lim[32], thr[16];
    const char *src = __FILE__;
    const char *slash = strrchr(src, '/');
    int dir = slash != NULL ? (int)(slash - src + 1) : 0;

    snprintf(script, sizeof script, "%.*sprimes.py", dir, src);
    if (access(script, R_OK) != 0) {
        printf("Python: skipped, %s not found (run from the workbook's top folder)\n", script);
        return;
    }
    snprintf(lim, sizeof lim, "%ld", limit);
    snprintf(thr, sizeof thr, "%d", threads);
    char *argv[] = { "python3", script, lim, thr, NULL };
    pid_t pid;
    fflush(stdout);
    int rc = posix_spawnp(&pid, "python3", NULL, NULL, argv, environ);
    if (rc != 0) {
        printf("Python: skipped, python3 cannot be run here (%s)\n", strerror(rc));
        return;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        continue;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        printf("Python: primes.py did not end normally (status %d)\n", status);
}

int main(int argc, char **argv)
{
    int cpus = cpus_usable();
    int max = (int)cli_number(argc, argv, "THREADS", cpus < MAX_THREADS ? cpus : MAX_THREADS,
                              1, MAX_THREADS);
    long limit = (long)(LIMIT * timing_scale());
    long py_limit = (long)(PY_LIMIT * timing_scale());
    double one = 0, two = 0;
    long expected = -1;

    if (limit < CHUNK)
        limit = CHUNK;
    if (py_limit < 1000)
        py_limit = 1000;
    printf("C: primes below %ld, CPUs this process may use: %d\n", limit, cpus);
    printf("threads   seconds  speedup\n");
    for (int t = 1; t <= max; t++) {
        double s;
        long primes = count_primes(limit, t, &s);
        if (expected < 0)
            expected = primes;
        if (primes != expected) {
            printf("%d threads counted %ld primes, 1 thread %ld: a bug\n", t, primes, expected);
            return 1;
        }
        if (t == 1)
            one = s;
        if (t == 2)
            two = s;
        printf("%7d  %8.3f  %6.2fx  ", t, s, one / s);
        bar(one / s);
    }
    printf("(%ld primes below %ld in every row)\n", expected, limit);
    if (two > 0)
        printf("bench: speedup_cpu_2threads %.2f x\n", one / two);
    run_python(py_limit, max);
    return 0;
}
