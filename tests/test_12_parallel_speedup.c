/*
 * test_12_parallel_speedup.c - lesson 12: the demos, and exercise 12.
 *
 * How fast anything runs belongs to make bench, never to a test: a busy
 * machine must not fail one. The demo tests check what each demo prints
 * and the bounds no machine can break (a wait is never shorter than asked).
 * The exercise tests check which items each thread added up, and prove that
 * the chunks ran at the same time by making them meet inside f.
 *
 * The exercise tests are written to the workbook's rule for the mistakes
 * students really make, and keep to it: more threads than the minimum, two
 * instances at once, sizes past any fixed bound a student might choose,
 * real waits as well as early wake-ups, both ends of every timeout, every
 * promise in the header; each caught every run by construction, with a
 * message in the student's terms.
 */
#include "harness.h"
#include "parallel_sum.h"
#include "timing.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCALE 0.01

/* The seconds of the row "      t   seconds ..." after `header`, or -1. */
static double row_seconds(const char *out, const char *header, int t)
{
    const char *at = strstr(out, header);
    char row[32];

    if (at == NULL)
        return -1;
    snprintf(row, sizeof row, "\n%7d  ", t);
    at = strstr(at, row);
    return at != NULL ? strtod(at + strlen(row), NULL) : -1;
}

START_TEST(primes_counts_the_same_primes_on_every_row)
{
    struct run r = harness_run("primes", (const char *[]){ "2", NULL }, SCALE, 20);

    ck_assert_msg(r.exit_code == 0, "primes ended with status %d:\n%s", r.exit_code, r.out);
    /* LIMIT 8000000 at scale 0.01: 80000, below which there are 7837 primes. */
    ck_assert_msg(strstr(r.out, "(7837 primes below 80000 in every row)") != NULL,
                  "primes should count 7837 primes below 80000 on each row:\n%s", r.out);
    ck_assert_msg(row_seconds(r.out, "C: primes", 1) > 0 && row_seconds(r.out, "C: primes", 2) > 0,
                  "primes should print a row for 1 and for 2 threads:\n%s", r.out);
    ck_assert_msg(row_seconds(r.out, "C: primes", 3) < 0, "THREADS=2 should stop at 2 rows:\n%s",
                  r.out);
    ck_assert_msg(strstr(r.out, "bench: speedup_cpu_2threads ") != NULL,
                  "primes should end its C part with a bench line:\n%s", r.out);
    /* The Python part: run when python3 is here, or skipped with a line. */
    ck_assert_msg(strstr(r.out, "Python: skipped") != NULL ||
                      (strstr(r.out, "(669 primes below 5000 in every row)") != NULL &&
                       strstr(r.out, "bench: speedup_cpu_python_2threads ") != NULL),
                  "primes should run primes.py (669 primes below 5000) or say it skipped it:\n%s",
                  r.out);
    run_free(&r);
}
END_TEST

START_TEST(io_wait_rows_wait_at_least_their_share)
{
    struct run r = harness_run("io_wait", (const char *[]){ "4", NULL }, SCALE, 10);
    double wait = 0.5 * SCALE;

    ck_assert_msg(r.exit_code == 0, "io_wait ended with status %d:\n%s", r.exit_code, r.out);
    for (int t = 1; t <= 4; t++) {
        double s = row_seconds(r.out, "threads", t);
        int rounds = (4 + t - 1) / t;
        ck_assert_msg(s >= rounds * wait,
                      "4 waits of %g s on %d threads take at least %d waits, but the row says %g s:\n%s",
                      wait, t, rounds, s, r.out);
    }
    ck_assert_msg(row_seconds(r.out, "threads", 5) < 0, "TASKS=4 should give 4 rows:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(false_sharing_counts_every_addition_both_ways)
{
    struct run r = harness_run("false_sharing", (const char *[]){ "2", NULL }, 0.001, 10);

    ck_assert_msg(r.exit_code == 0, "false_sharing ended with status %d:\n%s", r.exit_code, r.out);
    ck_assert_msg(strstr(r.out, "a bug") == NULL, "a counter went wrong:\n%s", r.out);
    ck_assert_msg(strstr(r.out, "2 threads, 100000 additions each") != NULL &&
                      strstr(r.out, "side by side (one line)") != NULL &&
                      strstr(r.out, "padded (a line each)") != NULL &&
                      strstr(r.out, "bench: false_sharing_ratio ") != NULL,
                  "false_sharing should time both layouts and print the ratio:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(demos_refuse_bad_thread_counts)
{
    static const char *const demos[] = { "primes", "io_wait", "false_sharing" };
    static const char *const bad[] = { "0", "65", "x", "-2" };

    for (size_t d = 0; d < 3; d++)
        for (size_t i = 0; i < 4; i++) {
            struct run r = harness_run(demos[d], (const char *[]){ bad[i], NULL }, SCALE, 5);
            ck_assert_msg(r.exit_code == 2 && strncmp(r.out, "error: ", 7) == 0 &&
                              strchr(r.out, '\n') == r.out + strlen(r.out) - 1,
                          "%s %s: expected one error line and status 2, got %d:\n%s", demos[d],
                          bad[i], r.exit_code, r.out);
            run_free(&r);
        }
}
END_TEST

/* ---- exercise 12 --------------------------------------------------------- */

/*
 * a[i] is i, so f knows which item it was given; a[n] is n, one past the
 * end, which f must never see. f(i) returns 3i + 1 and records which thread
 * took item i (threads are numbered 1, 2, ... in the order they first call
 * f; the test's own thread is 0).
 */
#define MAX_ITEMS 100003
/* The most chunks a test asks for: past any fixed bound a student might
 * choose (32, 64, 100, 128), within the grader's 256 threads a slot, and
 * quick under ThreadSanitizer, where a thread costs a millisecond or more. */
#define MOST_THREADS 150

static long a[MAX_ITEMS + 1];
static atomic_int calls[MAX_ITEMS];
static atomic_int owner[MAX_ITEMS];
static atomic_int past_end, strays, next_id, rendezvous_want, rendezvous_missed;
static size_t items;
static pthread_t test_thread;
static _Thread_local int my_id = -1;

static long f(long x)
{
    if (my_id < 0) {
        my_id = pthread_equal(pthread_self(), test_thread) ? 0 : atomic_fetch_add(&next_id, 1) + 1;
        int want = atomic_load(&rendezvous_want);
        if (want > 0 && my_id > 0 && atomic_load(&rendezvous_missed) == 0 &&
            concurrency_rendezvous((void *)(intptr_t)want) == NULL)
            atomic_store(&rendezvous_missed, 1);
    }
    if (x == (long)items) {
        atomic_fetch_add(&past_end, 1);
    } else if (x < 0 || x > (long)items) {
        atomic_fetch_add(&strays, 1);
    } else {
        atomic_fetch_add(&calls[x], 1);
        atomic_store(&owner[x], my_id);
    }
    return 3 * x + 1;
}

static void prepare(size_t n)
{
    items = n;
    for (size_t i = 0; i <= n && i <= MAX_ITEMS; i++)
        a[i] = (long)i;
    for (size_t i = 0; i < MAX_ITEMS; i++) {
        atomic_store(&calls[i], 0);
        atomic_store(&owner[i], -1);
    }
    atomic_store(&past_end, 0);
    atomic_store(&strays, 0);
    atomic_store(&next_id, 0);
    atomic_store(&rendezvous_want, 0);
    atomic_store(&rendezvous_missed, 0);
    test_thread = pthread_self();
    concurrency_reset();
    spy_start();
}

/* Sum n items on `threads` threads and check everything the contract says. */
static void check_sum(size_t n, int threads)
{
    size_t k = n < (size_t)threads ? n : (size_t)threads;
    long long want = 3LL * (long long)n * ((long long)n - 1) / 2 + (long long)n;

    prepare(n);
    long long got = parallel_sum(a, n, threads, f);

    ck_assert_msg(atomic_load(&past_end) == 0,
                  "%zu items on %d threads: f was given a[%zu], one past the end of the array",
                  n, threads, n);
    ck_assert_msg(atomic_load(&strays) == 0,
                  "%zu items on %d threads: f was given a value that is no item of the array",
                  n, threads);
    size_t called = 0;
    for (size_t i = 0; i < n; i++)
        called += atomic_load(&calls[i]) > 0;
    ck_assert_msg(n == 0 || called > 0,
                  "%zu items on %d threads: f was never called (parallel_sum returned %lld)", n,
                  threads, got);
    /* (Per item, a plain if: each passing ck_assert_msg writes to Check's
     * channel, and 100,003 of them took seconds on a busy machine.) */
    for (size_t i = 0; i < n; i++) {
        int c = atomic_load(&calls[i]);
        if (c != 1)
            ck_abort_msg("%zu items on %d threads: f was called %d times for item %zu (once is "
                         "right)%s", n, threads, c, i,
                         c == 0 && i + 1 == n ? ": the last chunk stops short, or the items left "
                                                "over by n / threads are dropped"
                         : c > 1 ? ": two chunks overlap" : "");
    }
    ck_assert_msg(got == want, "%zu items on %d threads: the sum is %lld, expected %lld", n,
                  threads, got, want);
    ck_assert_msg(spy_created() == k,
                  "%zu items on %d threads: parallel_sum started %zu threads, expected %zu "
                  "(one per chunk, min(threads, n))%s", n, threads, spy_created(), k,
                  spy_created() < k && spy_created() >= 8
                      ? ". The caller may ask for any number of threads: a cap, or an array of a "
                        "fixed size, breaks that promise; allocate k chunks"
                      : "");
    ck_assert_msg(spy_joined() == k, "%zu items on %d threads: %zu of the %zu threads were joined",
                  n, threads, spy_joined(), k);
    char blocks[160];
    spy_describe_blocks(blocks, sizeof blocks);
    ck_assert_msg(spy_blocks_held() == 0,
                  "%zu items on %d threads: parallel_sum returned without freeing %s: free what "
                  "it allocates before it returns", n, threads, blocks);
    if (n == 0)
        return;

    /* Each thread's items: one contiguous run, sizes differing by at most one. */
    size_t size[MOST_THREADS + 1] = { 0 }, runs = 1, smallest = n, largest = 0;
    for (size_t i = 0; i < n; i++) {
        int o = atomic_load(&owner[i]);
        if (o == 0)
            ck_abort_msg("%zu items on %d threads: item %zu was added up by the calling "
                         "thread, not by a thread parallel_sum started", n, threads, i);
        size[o]++;
        if (i > 0 && o != atomic_load(&owner[i - 1]))
            runs++;
    }
    ck_assert_msg(runs == k, "%zu items on %d threads: the items fall into %zu runs of one thread "
                             "each, expected %zu contiguous chunks", n, threads, runs, k);
    for (size_t t = 1; t <= k; t++) {
        smallest = size[t] < smallest ? size[t] : smallest;
        largest = size[t] > largest ? size[t] : largest;
    }
    ck_assert_msg(largest - smallest <= 1,
                  "%zu items on %d threads: chunks of %zu to %zu items; their sizes should differ "
                  "by at most one (give the n %% k left-over items to the first chunks, one each)",
                  n, threads, smallest, largest);
}

START_TEST(sums_ten_items_on_three_threads)
{
    check_sum(10, 3);
}
END_TEST

START_TEST(sizes_that_do_not_divide_evenly)
{
    check_sum(7, 2);
    check_sum(100, 7);
    check_sum(1001, 4);
    check_sum(MAX_ITEMS, 3);
}
END_TEST

START_TEST(sizes_that_divide_evenly)
{
    check_sum(8, 2);
    check_sum(1000, 4);
}
END_TEST

START_TEST(one_thread_adds_up_everything)
{
    check_sum(50, 1);
    check_sum(1, 1);
}
END_TEST

START_TEST(more_threads_than_items_start_one_per_item)
{
    check_sum(3, 8);
    check_sum(1, 4);
}
END_TEST

START_TEST(no_items_start_no_thread)
{
    check_sum(0, 4);
}
END_TEST

/*
 * More threads than any fixed bound a student might choose (the cores of a
 * big machine, 32, 64, 100, 256): an answer that keeps its chunks in an
 * array of a fixed size writes past its end here (the test's process ends
 * with a crash, in this test), and one that caps the thread count starts
 * too few.
 */
START_TEST(more_threads_than_any_fixed_array_holds)
{
    check_sum(1000, MOST_THREADS);
}
END_TEST

/* Each started thread, at its first item, waits (at most 1 s) inside f for all k. */
static void check_together(size_t n, int k)
{
    prepare(n);
    atomic_store(&rendezvous_want, k);
    long long got = parallel_sum(a, n, k, f);
    long long want = 3LL * (long long)n * ((long long)n - 1) / 2 + (long long)n;
    ck_assert_msg(got == want, "%zu items on %d threads: the sum is %lld, expected %lld", n, k,
                  got, want);
    ck_assert_msg(atomic_load(&rendezvous_missed) == 0,
                  "%zu items on %d threads: only %d of the %d chunks were being added up at the "
                  "same time (the test waited 1 s inside f for all of them); start every thread "
                  "before joining any, and call f without holding a lock",
                  n, k, concurrency_arrived(), k);
    ck_assert_msg(spy_live_max() >= (size_t)k,
                  "%zu items on %d threads: at most %zu threads were started and not yet joined "
                  "at once; start all %d before joining any", n, k, spy_live_max(), k);
}

START_TEST(chunks_run_at_the_same_time)
{
    check_together(40, 2);
    check_together(40, 4);
}
END_TEST

START_TEST(no_lock_on_the_hot_path)
{
    check_sum(1000, 2);
    ck_assert_msg(spy_locks_total() <= 8,
                  "parallel_sum took a lock (a mutex, spin lock or read-write lock) %lu times to "
                  "add up 1000 items on 2 threads: a lock per item makes the threads take turns; "
                  "add up each chunk in a local variable and combine the partial sums once per "
                  "thread", spy_locks_total());
}
END_TEST

/*
 * Two calls at once: the first call's thread for items 1 and 2 waits, in f,
 * until its other thread has returned, then makes a whole second call
 * (from inside f, so it overlaps the first by construction) and goes on.
 * A threads array, a partial sum or a total kept in static or global
 * storage is overwritten by the second call before the first reads it back.
 */
static const long first_items[] = { 1, 2, 3, 4 };          /* sum 10 */
static const long second_items[] = { 1000, 2000, 3000, 4000 }; /* sum 10000 */
static long long second_got;
static atomic_int second_calls;

static long g(long x)
{
    if (x == 1 && atomic_fetch_add(&second_calls, 1) == 0) {
        for (int i = 0; i < 1000; i++) {
            if (spy_created() >= 2 && (spy_returned(0, NULL) || spy_returned(1, NULL)))
                break;
            timing_sleep_unscaled(0.001);
        }
        second_got = parallel_sum(second_items, 4, 2, g);
    }
    return x;
}

START_TEST(two_calls_at_once_keep_apart)
{
    spy_start();
    spy_hint("two calls of parallel_sum were running at once: keep the threads and partial sums "
             "of a call in memory of its own (a local array, or one it allocates), never in "
             "static or global variables");
    atomic_store(&second_calls, 0);
    long long first_got = parallel_sum(first_items, 4, 2, g);
    ck_assert_msg(atomic_load(&second_calls) == 1, "f was never given item 1 of the first call");
    ck_assert_msg(first_got == 10 && second_got == 10000,
                  "two calls at once returned %lld and %lld, expected 10 and 10000: the second "
                  "call overwrote what the first kept in static or global variables (threads, "
                  "partial sums or a total); keep them in memory of the call's own",
                  first_got, second_got);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("demos", 30);
    tcase_add_test(tc, primes_counts_the_same_primes_on_every_row);
    tcase_add_test(tc, io_wait_rows_wait_at_least_their_share);
    tcase_add_test(tc, false_sharing_counts_every_addition_both_ways);
    tcase_add_test(tc, demos_refuse_bad_thread_counts);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("parallel_sum", 0);
    tcase_add_test(tc, sums_ten_items_on_three_threads);
    tcase_add_test(tc, sizes_that_do_not_divide_evenly);
    tcase_add_test(tc, sizes_that_divide_evenly);
    tcase_add_test(tc, one_thread_adds_up_everything);
    tcase_add_test(tc, more_threads_than_items_start_one_per_item);
    tcase_add_test(tc, no_items_start_no_thread);
    tcase_add_test(tc, chunks_run_at_the_same_time);
    tcase_add_test(tc, no_lock_on_the_hot_path);
    tcase_add_test(tc, two_calls_at_once_keep_apart);
    tcase_add_test(tc, more_threads_than_any_fixed_array_holds);
    suite_add_tcase(exercise, tc);
    return harness_main((Suite *[]){ demo, exercise, NULL });
}
