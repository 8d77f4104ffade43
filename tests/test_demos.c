/*
 * test_demos.c - every demo of every lesson (the demos of each
 * lessons/NN-slug/lesson.mk) meets input it cannot use with one line,
 * "error: ...", and exit status 2: never a crash, never a hang.
 */
#include "harness.h"

#include <string.h>

/* Each demo takes at most one whole number >= 0, or nothing at all. */
static const char *const bad_input[][3] = {
    { "abc", NULL },
    { "-1", NULL },
    { "3x", NULL },
    { "1", "2", NULL },
};

static void assert_refuses(const char *demo, const char *const args[])
{
    struct run r = harness_run(demo, args, 0.1, 5);
    size_t len = strlen(r.out);
    bool one_line = strncmp(r.out, "error: ", 7) == 0 && strchr(r.out, '\n') == r.out + len - 1;

    ck_assert_msg(r.exit_code == 2 && one_line,
                  "%s %s%s%s: expected one 'error: ...' line and exit status 2, got status %d:\n%s",
                  demo, args[0], args[1] != NULL ? " " : "", args[1] != NULL ? args[1] : "",
                  r.exit_code, r.out);
    run_free(&r);
}

START_TEST(every_demo_refuses_input_it_cannot_use)
{
    static char demos[256][128];
    size_t n = harness_demos(demos, 256);

    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof bad_input / sizeof *bad_input; k++)
            assert_refuses(strrchr(demos[i], '/') + 1, bad_input[k]);
    ck_assert_msg(n >= 10, "only %zu demos found in lessons/*/lesson.mk", n);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("demos");
    TCase *tc = harness_tcase("bad_input", 30);
    tcase_add_test(tc, every_demo_refuses_input_it_cannot_use);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
