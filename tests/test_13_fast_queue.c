/*
 * test_13_fast_queue.c - lesson 13's benchmark runs both queues through
 * every row and reports a figure for each. How fast each queue is belongs
 * to make bench, never to a test: a busy machine must not fail it. That
 * the two queues keep the same promises is tests/test_queue.c's job, run
 * on each (test_fastqueue.c).
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const figures[] = {
    "1p1c_maxsize1", "1p1c_maxsize10", "1p1c_maxsize100", "1p1c_maxsize1024", "2p2c_maxsize1024",
};

/* The value of the line "bench: <name> <value> items/s", or -1. */
static double figure(const char *out, const char *name)
{
    char line[128];
    snprintf(line, sizeof line, "bench: %s ", name);
    const char *at = strstr(out, line);
    return at != NULL ? strtod(at + strlen(line), NULL) : -1;
}

START_TEST(queue_bench_measures_both_queues_at_every_size)
{
    struct run r = harness_run("queue_bench", (const char *[]){ "1", NULL }, 0.01, 20);
    char name[64];

    ck_assert_msg(r.exit_code == 0, "queue_bench ended with status %d:\n%s", r.exit_code, r.out);
    for (size_t i = 0; i < sizeof figures / sizeof *figures; i++) {
        snprintf(name, sizeof name, "queue_%s", figures[i]);
        ck_assert_msg(figure(r.out, name) > 0, "no figure for %s in:\n%s", name, r.out);
        snprintf(name, sizeof name, "fastqueue_%s", figures[i]);
        ck_assert_msg(figure(r.out, name) > 0, "no figure for %s in:\n%s", name, r.out);
    }
    run_free(&r);
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("queue_bench", 30);
    tcase_add_test(tc, queue_bench_measures_both_queues_at_every_size);
    suite_add_tcase(demo, tc);
    return harness_main((Suite *[]){ demo, NULL });
}
