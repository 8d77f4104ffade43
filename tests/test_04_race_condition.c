/* test_04_race_condition.c - lesson 4: the lost update, and exercise 4. */
#include "harness.h"
#include "interleave.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The demo runs at full speed (scale 1): its 0.1 s window between read and
 * write is what makes the second thread's read land inside the first
 * thread's update. A 10 ms window lost the update in 299 of 300 runs with
 * both cores busy when measured; 0.1 s is ten times that margin.
 */
#define FULL_WINDOW 1.0

START_TEST(racecond_ends_at_1)
{
    struct run r = harness_run("racecond", NULL, FULL_WINDOW, 10);
    ck_assert_msg(!r.timed_out && r.exit_code == 0, "racecond did not end cleanly:\n%s", r.out);
    ck_assert_int_eq(output_count(r.out, "Testing unlocked update. Starting value is 0."), 1);
    ck_assert_msg(output_count(r.out, "Testing unlocked update. Ending value is 1.") == 1,
                  "the article's ending value is 1 (one update lost); got:\n%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(racecond_logs_each_threads_start_and_finish)
{
    static const char *const lines[] = {
        "Thread 0: starting update", "Thread 1: starting update",
        "Thread 0: finishing update", "Thread 1: finishing update",
    };
    struct run r = harness_run("racecond", NULL, FULL_WINDOW, 10);
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        ck_assert_msg(output_count(r.out, lines[i]) == 1, "expected '%s' once in:\n%s", lines[i], r.out);
    /* Both reads happen before either write: that is the lost update. */
    int last_start = output_index(r.out, "Thread 1: starting update");
    if (output_index(r.out, "Thread 0: starting update") > last_start)
        last_start = output_index(r.out, "Thread 0: starting update");
    ck_assert_msg(last_start < output_index(r.out, "Thread 0: finishing update") &&
                  last_start < output_index(r.out, "Thread 1: finishing update"),
                  "expected both threads to start before either finishes:\n%s", r.out);
    run_free(&r);
}
END_TEST

/*
 * TIMELINE=1 (scripts/timeline.sh draws it): each line is "@T <ms> <thread>\t
 * <message>", thread 0 the one that ran main, the others numbered in the
 * order of their first lines, time never going back; with LOG_LEVEL=debug
 * the lost update shows step by step: both threads copy 0, both write 1.
 */
START_TEST(racecond_timeline_puts_each_line_on_its_thread)
{
    setenv("TIMELINE", "1", 1);
    struct run r = harness_run_debug("racecond", NULL, FULL_WINDOW, 10);
    unsetenv("TIMELINE");
    ck_assert_msg(!r.timed_out && r.exit_code == 0, "racecond did not end cleanly:\n%s", r.out);

    int thread_of[2] = { -1, -1 }, lines = 0, reads_of_0 = 0, writes_before_both_reads = 0;
    double last_ms = 0;
    char *save = NULL;
    for (char *line = strtok_r(r.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        double ms;
        int thread, at = 0;
        ck_assert_msg(sscanf(line, "@T %lf %d\t%n", &ms, &thread, &at) == 2 && at > 0,
                      "not a timeline line: '%s'", line);
        ck_assert_msg(ms >= last_ms, "time went back at '%s' (after %g ms)", line, last_ms);
        last_ms = ms;
        const char *message = line + at;
        int name;
        if (sscanf(message, "Thread %d:", &name) == 1 && (name == 0 || name == 1)) {
            ck_assert_msg(thread != 0, "'%s' is on thread 0, the one that ran main", line);
            ck_assert_msg(thread_of[name] == -1 || thread_of[name] == thread,
                          "Thread %d's lines are on two threads (%d and %d)", name, thread_of[name], thread);
            thread_of[name] = thread;
            if (strstr(message, "read value 0") != NULL)
                reads_of_0++;
            if (strstr(message, "wrote value") != NULL && reads_of_0 < 2)
                writes_before_both_reads++;
        } else {
            ck_assert_msg(thread == 0, "'%s' is main's line, on thread %d", line, thread);
        }
        lines++;
    }
    ck_assert_int_eq(lines, 12);
    ck_assert_msg(thread_of[0] != thread_of[1], "Thread 0 and Thread 1 share thread number %d", thread_of[0]);
    ck_assert_msg(reads_of_0 == 2 && writes_before_both_reads == 0,
                  "expected both threads to copy 0 before either writes (the lost update)");
    run_free(&r);
}
END_TEST

/*
 * The older tutorial's twenty threads and theVar. The numbers the threads
 * speak, counted: spoken[k] is how many said k (1 to 20), and *out_of_range
 * how many said a number outside 1 to 20. Returns where theVar ended (-1 when
 * the line is missing).
 */
#define THE_VAR_THREADS 20

static long the_var_run(const char *demo, struct run *r, int spoken[THE_VAR_THREADS + 1],
                        int *out_of_range)
{
    long said[64], end[2];

    *r = harness_run(demo, NULL, 1, 10);
    ck_assert_msg(!r->timed_out && r->exit_code == 0, "%s did not end cleanly:\n%s", demo, r->out);
    ck_assert_msg(output_count(r->out, "Hello and good bye.") == THE_VAR_THREADS,
                  "%s: expected %d 'Hello and good bye.' lines:\n%s", demo, THE_VAR_THREADS, r->out);
    size_t n = output_numbers(r->out, "This is thread ", said, NULL, 64);
    ck_assert_msg(n == THE_VAR_THREADS, "%s: expected %d 'This is thread N speaking.' lines, got %zu:\n%s",
                  demo, THE_VAR_THREADS, n, r->out);
    memset(spoken, 0, (THE_VAR_THREADS + 1) * sizeof *spoken);
    *out_of_range = 0;
    for (size_t i = 0; i < n; i++) {
        if (said[i] >= 1 && said[i] <= THE_VAR_THREADS)
            spoken[said[i]]++;
        else
            ++*out_of_range;
    }
    return output_numbers(r->out, "theVar is ", end, NULL, 2) == 1 ? end[0] : -1;
}

/* Fixed: each thread takes its number and adds one in one step. */
static void assert_the_var_fixed(const char *demo)
{
    struct run r;
    int spoken[THE_VAR_THREADS + 1], out_of_range;
    long end = the_var_run(demo, &r, spoken, &out_of_range);

    ck_assert_msg(out_of_range == 0, "%s: a thread spoke a number outside 1 to 20:\n%s", demo, r.out);
    for (int k = 1; k <= THE_VAR_THREADS; k++)
        ck_assert_msg(spoken[k] == 1, "%s: %d threads said they were thread %d, expected exactly one:\n%s",
                      demo, spoken[k], k, r.out);
    ck_assert_msg(end == THE_VAR_THREADS + 1 &&
                      output_count(r.out, "theVar is 21 after 20 threads") == 1,
                  "%s: theVar starts at 1, so 20 increments end at 21:\n%s", demo, r.out);
    run_free(&r);
}

START_TEST(the_var_lock_threads_say_1_to_20_and_end_at_21)
{
    assert_the_var_fixed("the_var_lock");
}
END_TEST

START_TEST(the_var_atomic_threads_say_1_to_20_and_end_at_21)
{
    assert_the_var_fixed("the_var_atomic");
}
END_TEST

/*
 * Unlocked: duplicates and lost updates come and go with the timing, so only
 * the bounds are asserted. A thread reads theVar before its own write, after
 * at most 19 others: it says 1 to 20. The last write is a read plus one: 2 to 21.
 */
START_TEST(the_var_unlocked_stays_within_its_bounds)
{
    struct run r;
    int spoken[THE_VAR_THREADS + 1], out_of_range;
    long end = the_var_run("the_var", &r, spoken, &out_of_range);

    ck_assert_msg(out_of_range == 0, "the_var: a thread spoke a number outside 1 to 20:\n%s", r.out);
    ck_assert_msg(end >= 2 && end <= THE_VAR_THREADS + 1, "the_var: theVar ended at %ld, not 2 to 21:\n%s",
                  end, r.out);
    run_free(&r);
}
END_TEST

/* ---- exercise 4 ---------------------------------------------------------- */

/*
 * The test's own replay, to check interleave_run() on schedules the README
 * does not print: each thread's step number picks load, add or store, and
 * each thread has its own register. Only for valid schedules. The other
 * models are the usual mistakes, to name the one an answer made.
 */
enum model { RIGHT, SHARED_REGISTER, SHARED_STEP, STORE_ADDS_ONE, LETTER_ADDS_ONE };

static int replay_as(enum model model, const char *schedule)
{
    int counter = 0, reg[2] = { 0, 0 }, step[2] = { 0, 0 }, steps = 0;

    for (const char *p = schedule; *p != '\0'; p++, steps++) {
        int t = *p == 'B';
        int r = model == SHARED_REGISTER ? 0 : t;
        int k = model == SHARED_STEP ? steps : step[t];
        step[t]++;
        if (model == LETTER_ADDS_ONE) {
            counter++;
            continue;
        }
        switch (k % 3) {
        case 0: reg[r] = counter; break;
        case 1: reg[r] += 1; break;
        case 2: counter = model == STORE_ADDS_ONE ? counter + 1 : reg[r]; break;
        }
    }
    return counter;
}

static int replay(const char *schedule)
{
    return replay_as(RIGHT, schedule);
}

/* A fixed-seed generator (xorshift64): the same schedules on every run. */
static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
    rng_state = seed;
}

static unsigned rng_below(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

#define MAX_STEPS 600

/* A uniformly random order of a_steps 'A's and b_steps 'B's. */
static void random_interleaving(char *s, int a_steps, int b_steps)
{
    int len = a_steps + b_steps;

    for (int i = 0; i < len; i++)
        s[i] = i < a_steps ? 'A' : 'B';
    for (int i = len - 1; i > 0; i--) {
        int j = (int)rng_below((unsigned)i + 1);
        char c = s[i];
        s[i] = s[j];
        s[j] = c;
    }
    s[len] = '\0';
}

/* The schedules the README prints. */
static const char *const readme[] = { "AAABBB", "BBBAAA", "AABBAB", "ABBBBBBAAAAA" };

/* Does interleave_run() agree with `model` on the README's schedules and on a few others? */
static bool behaves_as(enum model model, bool on_readme_only)
{
    static const char *const probes[] = { "BAAABB", "ABABAB", "ABBABA", "AABABB", "BABBAA",
                                          "AAABABBABBAABAABBB", "ABBBBBAAABAAABBBAA" };

    for (size_t i = 0; i < sizeof readme / sizeof *readme; i++)
        if (interleave_run(readme[i]) != replay_as(model, readme[i]))
            return false;
    for (size_t i = 0; !on_readme_only && i < sizeof probes / sizeof *probes; i++)
        if (interleave_run(probes[i]) != replay_as(model, probes[i]))
            return false;
    return true;
}

/* Assert that interleave_run(schedule) is replay(schedule), naming the likely bug if not. */
static void assert_replays(const char *schedule)
{
    int got = interleave_run(schedule);
    int expected = replay(schedule);
    const char *why;

    if (got == expected)
        return;
    if (got == -1)
        why = "it refused a valid schedule: only 'A' and 'B', the same number of each, a multiple of 3";
    else if (behaves_as(LETTER_ADDS_ONE, false))
        why = "every letter added 1, as if it were a whole increment: a letter is ONE step of its "
              "thread's increment (load, add or store, in turn)";
    else if (behaves_as(STORE_ADDS_ONE, false))
        why = "no update is ever lost: a store must write the thread's own register (what it loaded, "
              "plus 1), not add 1 to the counter as it is now";
    else if (behaves_as(SHARED_REGISTER, false))
        why = "both threads share one register: each thread has its own (the other thread's load "
              "must not change what this thread stores)";
    else if (behaves_as(SHARED_STEP, false))
        why = "the steps are counted for both threads together: each thread counts its own steps "
              "(A's load, add, store go on wherever B's steps fall)";
    else if (behaves_as(RIGHT, true))
        why = "the README's schedules come out right but this one does not: are their values written "
              "in rather than computed? Each letter is its thread's next step: load (register = "
              "counter), add (register + 1) or store (counter = register), each thread with its own "
              "register";
    else
        why = "each letter is its thread's next step: load (register = counter), add (register + 1) "
              "or store (counter = register), each thread with its own register and its own count "
              "of steps";
    ck_abort_msg("interleave_run(\"%s\") returned %d, expected %d: %s", schedule, got, expected, why);
}

START_TEST(one_increment_after_the_other_ends_at_2)
{
    assert_replays("AAABBB");
    assert_replays("BBBAAA");
}
END_TEST

START_TEST(the_demos_schedule_loses_an_update)
{
    /* A loads 0 and adds; B loads 0 and adds; A stores 1; B stores 1. */
    assert_replays("AABBAB");
    /* B loads 0 first, and its store comes last, over A's. */
    assert_replays("BAAABB");
}
END_TEST

START_TEST(two_increments_each_can_lose_two_updates)
{
    assert_replays("AAAAAABBBBBB");
    assert_replays("AAABBBAAABBB");
    /* A loads 0; B's two increments make it 2; A stores 1 over them, then adds one: 2. */
    assert_replays("ABBBBBBAAAAA");
}
END_TEST

/* Random orders of the steps of 1 to 100 increments each, checked against the replay above. */
START_TEST(random_schedules_end_where_a_step_by_step_replay_ends)
{
    char s[MAX_STEPS + 1];

    rng_seed(0x9e3779b97f4a7c15u);
    for (int i = 0; i < 3000; i++) {
        int increments = 1 + (int)rng_below(i < 2000 ? 8 : 100);
        random_interleaving(s, 3 * increments, 3 * increments);
        assert_replays(s);
    }
}
END_TEST

/* Whole increments ("AAA", "BBB") in any order: nothing is lost. */
START_TEST(whole_increments_in_any_order_lose_nothing)
{
    char s[MAX_STEPS + 1];

    rng_seed(0x243f6a8885a308d3u);
    for (int i = 0; i < 500; i++) {
        int increments = 1 + (int)rng_below(30);
        char order[2 * 30 + 1];
        random_interleaving(order, increments, increments);
        for (int k = 0; k < 2 * increments; k++)
            memset(s + 3 * k, order[k], 3);
        s[6 * increments] = '\0';
        ck_assert_int_eq(replay(s), 2 * increments);
        assert_replays(s);
    }
}
END_TEST

static void assert_refused(const char *schedule, const char *why)
{
    int got = interleave_run(schedule);
    ck_assert_msg(got == -1, "interleave_run(\"%s\") returned %d, expected -1: %s", schedule, got, why);
}

START_TEST(other_letters_and_unequal_steps_are_refused)
{
    static const char *const foreign = "abCX -0";
    char s[MAX_STEPS + 1];

    assert_refused("AAXBBB", "'X' is not a thread");
    assert_refused("aaabbb", "the threads are 'A' and 'B', upper case");
    assert_refused("AAAAAABBB", "A takes 6 steps and B 3: both threads must do the same number of increments");
    assert_refused("AAAB", "A takes 3 steps and B 1");
    rng_seed(0xb7e151628aed2a6bu);
    for (int i = 0; i < 1000; i++) {
        int increments = 1 + (int)rng_below(8);
        int len = 6 * increments;
        random_interleaving(s, 3 * increments, 3 * increments);
        if (i % 2 == 0) {
            /* Change one letter into something else. */
            s[rng_below((unsigned)len)] = foreign[rng_below((unsigned)strlen(foreign))];
            assert_refused(s, "only 'A' and 'B' may appear");
        } else {
            /* Drop one letter: one thread has a step fewer than the other. */
            int at = (int)rng_below((unsigned)len);
            memmove(s + at, s + at + 1, (size_t)(len - at));
            assert_refused(s, "one thread takes more steps than the other");
        }
    }
}
END_TEST

START_TEST(parts_of_an_increment_are_refused)
{
    static const char *const partial[] = { "AB", "BA", "ABAB", "AABB", "BBAA", "AAAABBBB",
                                           "AAAAABBBBB" };
    char s[MAX_STEPS + 1];
    char why[160];

    for (size_t i = 0; i < sizeof partial / sizeof *partial; i++) {
        size_t steps = strlen(partial[i]) / 2;
        snprintf(why, sizeof why, "A and B take %zu step%s each, which is not a whole number of "
                 "increments (3 steps each)", steps, steps == 1 ? "" : "s");
        assert_refused(partial[i], why);
    }
    rng_seed(0x452821e638d01377u);
    for (int i = 0; i < 500; i++) {
        int steps = 1 + (int)rng_below(40);
        if (steps % 3 == 0)
            steps++;
        random_interleaving(s, steps, steps);
        snprintf(why, sizeof why, "A and B take %d steps each, which is not a whole number of "
                 "increments (3 steps each)", steps);
        assert_refused(s, why);
    }
}
END_TEST

START_TEST(the_empty_schedule_is_valid_and_ends_at_0)
{
    int got = interleave_run("");
    ck_assert_msg(got == 0, "interleave_run(\"\") returned %d, expected 0: the empty schedule gives each "
                  "thread 0 steps, the same number and a multiple of 3, so it is valid, and the "
                  "counter stays at 0", got);
}
END_TEST

/* C(n, k), exactly, for the small numbers here. */
static long choose(int n, int k)
{
    long c = 1;
    for (int i = 1; i <= k; i++)
        c = c * (n - k + i) / i;
    return c;
}

/* Over every schedule of `increments` each, the updates lost in all (the test's replay). */
static long lost_updates(char *s, int len, int a_left, int b_left, int increments)
{
    if (a_left == 0 && b_left == 0) {
        s[len] = '\0';
        return 2 * increments - replay(s);
    }
    long sum = 0;
    if (a_left > 0) {
        s[len] = 'A';
        sum += lost_updates(s, len + 1, a_left - 1, b_left, increments);
    }
    if (b_left > 0) {
        s[len] = 'B';
        sum += lost_updates(s, len + 1, a_left, b_left - 1, increments);
    }
    return sum;
}

/* The README prints the counts for 1 and 2 increments: are those the only right ones? */
static bool only_the_readme_counts_right(int increments)
{
    long total;
    return increments > 2 && interleave_count_lost(1, &total) == 18 && total == 20 &&
           interleave_count_lost(2, &total) == 918 && total == 924;
}

/*
 * Every update survives only when each increment's three steps run without
 * the other thread's steps in between: the schedule is then a sequence of
 * whole blocks "AAA" and "BBB", and there are C(2n, n) such orders among all
 * C(6n, 3n) schedules.
 */
static void assert_counts(int increments)
{
    long total = -2;
    long lost = interleave_count_lost(increments, &total);
    long expected_total = choose(6 * increments, 3 * increments);
    long safe = choose(2 * increments, increments);
    long expected_lost = expected_total - safe;
    bool copied = only_the_readme_counts_right(increments);

    if (copied && (total != expected_total || lost != expected_lost))
        ck_abort_msg("interleave_count_lost(%d, &total) returned %ld with *total %ld, expected %ld of "
                     "%ld: the counts for 1 and 2 increments, the ones the README prints, are right and "
                     "this one is not: compute every count (build each schedule and replay it), do not "
                     "copy the README's", increments, lost, total, expected_lost, expected_total);
    if (total != expected_total) {
        if (total > expected_total && total % expected_total == 0)
            ck_abort_msg("%d increment(s) each: *total is %ld, expected %ld schedules: each schedule "
                         "was counted %ld times. Two orders of the same letters that spell the same "
                         "schedule are one schedule (choose where the 'A's go, not an order of the "
                         "%d letters)", increments, total, expected_total, total / expected_total,
                         6 * increments);
        ck_abort_msg("%d increment(s) each: *total is %ld, expected %ld schedules (C(%d, %d): every "
                     "way to place %d 'A's among %d steps)", increments, total, expected_total,
                     6 * increments, 3 * increments, 3 * increments, 6 * increments);
    }
    if (lost != expected_lost) {
        char s[6 * 4 + 1];
        if (lost == expected_total - 2 && safe != 2)
            ck_abort_msg("%d increment(s) each: %ld schedules lose an update, expected %ld: not only "
                         "\"AAA...BBB\" and \"BBB...AAA\" are safe, every order of whole increments "
                         "is (%ld of them)", increments, lost, expected_lost, safe);
        if (increments <= 4 && lost == lost_updates(s, 0, 3 * increments, 3 * increments, increments))
            ck_abort_msg("%d increment(s) each: %ld schedules lose an update, expected %ld: %ld is "
                         "how many UPDATES all the schedules lose together; count a schedule once, "
                         "however many updates it loses", increments, lost, expected_lost, lost);
        ck_abort_msg("%d increment(s) each: %ld schedules lose an update (end below %d), expected %ld",
                     increments, lost, 2 * increments, expected_lost);
    }
}

START_TEST(eighteen_of_twenty_schedules_lose_an_update)
{
    assert_counts(1);
}
END_TEST

START_TEST(every_count_from_1_to_4_increments)
{
    for (int increments = 1; increments <= 4; increments++)
        assert_counts(increments);
}
END_TEST

START_TEST(zero_increments_is_one_empty_schedule)
{
    long total = -2;
    long lost = interleave_count_lost(0, &total);
    ck_assert_msg(total == 1 && lost == 0, "interleave_count_lost(0, &total) returned %ld with *total "
                  "%ld, expected 0 with *total 1: with 0 increments each there is one schedule, the "
                  "empty one, and it loses nothing", lost, total);
}
END_TEST

START_TEST(increments_outside_0_to_4_are_refused)
{
    static const int bad[] = { -1, -2, INT_MIN, 5, 6, INT_MAX };

    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        long total = 12345;
        long lost = interleave_count_lost(bad[i], &total);
        ck_assert_msg(lost == -1 && total == 0, "interleave_count_lost(%d, &total) returned %ld with "
                      "*total %ld, expected -1 with *total 0: only 0 to 4 increments are counted",
                      bad[i], lost, total);
    }
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("racecond", 20);
    tcase_add_test(tc, racecond_ends_at_1);
    tcase_add_test(tc, racecond_logs_each_threads_start_and_finish);
    tcase_add_test(tc, racecond_timeline_puts_each_line_on_its_thread);
    suite_add_tcase(demo, tc);
    tc = harness_tcase("the_var", 0);
    tcase_add_test(tc, the_var_unlocked_stays_within_its_bounds);
    tcase_add_test(tc, the_var_lock_threads_say_1_to_20_and_end_at_21);
    tcase_add_test(tc, the_var_atomic_threads_say_1_to_20_and_end_at_21);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("interleave", 0);
    tcase_add_test(tc, one_increment_after_the_other_ends_at_2);
    tcase_add_test(tc, the_demos_schedule_loses_an_update);
    tcase_add_test(tc, two_increments_each_can_lose_two_updates);
    tcase_add_test(tc, random_schedules_end_where_a_step_by_step_replay_ends);
    tcase_add_test(tc, whole_increments_in_any_order_lose_nothing);
    tcase_add_test(tc, other_letters_and_unequal_steps_are_refused);
    tcase_add_test(tc, parts_of_an_increment_are_refused);
    tcase_add_test(tc, the_empty_schedule_is_valid_and_ends_at_0);
    suite_add_tcase(exercise, tc);
    /* 4 increments each are C(24, 12) = 2704156 schedules: a second or so for a plain answer. */
    tc = harness_tcase("interleave_count", 10);
    tcase_add_test(tc, eighteen_of_twenty_schedules_lose_an_update);
    tcase_add_test(tc, every_count_from_1_to_4_increments);
    tcase_add_test(tc, zero_increments_is_one_empty_schedule);
    tcase_add_test(tc, increments_outside_0_to_4_are_refused);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
