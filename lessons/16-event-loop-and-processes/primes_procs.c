/*
 * primes_procs.c - lesson 12's CPU-bound work (count the primes below
 * LIMIT by trial division) on 1, 2, ... N processes instead of threads.
 *
 * The parent maps the work's state MAP_SHARED, then forks: each child
 * takes the next chunk of CHUNK numbers with one atomic fetch-and-add on
 * that shared memory, counts its primes in a local variable and adds its
 * count once, as lesson 12's threads do; the parent waits for them all.
 * Processes run on separate cores as threads do, so on an idle 2-core
 * machine the 2-process row is close to 2.0x. Then the same in Python
 * with multiprocessing (primes_mp.py, beside this file), when python3 is
 * on the PATH: each process has an interpreter and a GIL of its own, so
 * there Python speeds up too.
 *
 * PROCESSES (default: the CPUs this process may use) is the last row.
 * LIMIT is scaled by WORKBOOK_TIME_SCALE. Each language ends with a line
 * "bench: <name> <value> x", for make bench.
 */
#define _GNU_SOURCE             /* Linux: sched_getaffinity() in cpus.h; MAP_ANONYMOUS */
#include "cli.h"
#include "cpus.h"
#include "fail.h"
#include "timing.h"

#include <errno.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define LIMIT 8000000L          /* numbers tried at scale 1, as lesson 12's primes */
#define PY_LIMIT 500000L
#define CHUNK 10000L
#define MAX_PROCESSES 64

extern char **environ;

struct work {                   /* in shared memory: every process sees the same */
    long limit;
    atomic_long next;           /* first number of the next chunk to take */
    atomic_long primes;         /* the total, added to once per process */
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

static void worker(struct work *w)
{
    long mine = 0;
    for (;;) {
        long from = atomic_fetch_add(&w->next, CHUNK);
        if (from >= w->limit)
            break;
        long to = from + CHUNK < w->limit ? from + CHUNK : w->limit;
        for (long n = from; n < to; n++)
            mine += is_prime(n);
    }
    atomic_fetch_add(&w->primes, mine);
}

/* Count the primes below limit in `procs` processes; the wall time in *seconds. */
static long count_primes(struct work *w, long limit, int procs, double *seconds)
{
    pid_t pid[MAX_PROCESSES];

    w->limit = limit;
    atomic_store(&w->next, 0);
    atomic_store(&w->primes, 0);
    fflush(NULL);
    double start = timing_now();
    for (int i = 0; i < procs; i++) {
        pid[i] = fork();
        if (pid[i] < 0)
            fail_misuse("fork: %s", strerror(errno));
        if (pid[i] == 0) {
            worker(w);
            _exit(0);
        }
    }
    for (int i = 0; i < procs; i++)
        while (waitpid(pid[i], NULL, 0) < 0 && errno == EINTR)
            continue;
    *seconds = timing_now() - start;
    return atomic_load(&w->primes);
}

static void bar(double speedup)
{
    int len = (int)(speedup * 12 + 0.5);
    for (int i = 0; i < len && i < 72; i++)
        putchar('#');
    putchar('\n');
}

/* Run primes_mp.py (found beside this source file) as python3 would. */
static void run_python(long limit, int procs)
{
    char script[4096], lim[32], n[16];
    const char *slash = strrchr(__FILE__, '/');
    int dir = slash != NULL ? (int)(slash - __FILE__ + 1) : 0;

    snprintf(script, sizeof script, "%.*sprimes_mp.py", dir, __FILE__);
    if (access(script, R_OK) != 0) {
        printf("Python: skipped, %s not found (run from the workbook's top folder)\n", script);
        return;
    }
    snprintf(lim, sizeof lim, "%ld", limit);
    snprintf(n, sizeof n, "%d", procs);
    pid_t pid;
    fflush(stdout);
    int rc = posix_spawnp(&pid, "python3", NULL, NULL, (char *[]){ "python3", script, lim, n, NULL }, environ);
    if (rc != 0) {
        printf("Python: skipped, python3 cannot be run here (%s)\n", strerror(rc));
        return;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        continue;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        printf("Python: primes_mp.py did not end normally (status %d)\n", status);
}

int main(int argc, char **argv)
{
    int cpus = cpus_usable();
    int max = (int)cli_number(argc, argv, "PROCESSES", cpus < MAX_PROCESSES ? cpus : MAX_PROCESSES, 1,
                              MAX_PROCESSES);
    long limit = (long)(LIMIT * timing_scale()), py_limit = (long)(PY_LIMIT * timing_scale());
    struct work *w = mmap(NULL, sizeof *w, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    double one = 0, two = 0;
    long expected = -1;

    if (w == MAP_FAILED)
        fail_misuse("mmap: %s", strerror(errno));
    limit = limit < CHUNK ? CHUNK : limit;
    py_limit = py_limit < 1000 ? 1000 : py_limit;
    printf("C: primes below %ld, in processes, CPUs this process may use: %d\n", limit, cpus);
    printf("processes   seconds  speedup\n");
    for (int p = 1; p <= max; p++) {
        double s;
        long primes = count_primes(w, limit, p, &s);
        if (expected < 0)
            expected = primes;
        if (primes != expected) {
            printf("%d processes counted %ld primes, 1 process %ld: a bug\n", p, primes, expected);
            return 1;
        }
        one = p == 1 ? s : one;
        two = p == 2 ? s : two;
        printf("%9d  %8.3f  %6.2fx  ", p, s, one / s);
        bar(one / s);
    }
    printf("(%ld primes below %ld in every row)\n", expected, limit);
    if (two > 0)
        printf("bench: speedup_cpu_2processes %.2f x\n", one / two);
    munmap(w, sizeof *w);
    run_python(py_limit, max);
    return 0;
}
