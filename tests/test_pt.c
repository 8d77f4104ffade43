/* test_pt.c - common/pt: a failed pthread call is reported, then aborts. */
#include "harness.h"
#include "pt.h"
#include "timing.h"

#include <signal.h>
#include <string.h>

static void unlock_a_mutex_nobody_holds(void)
{
    pthread_mutex_t m;
    pthread_mutexattr_t attr;

    PT(pthread_mutexattr_init(&attr));
    PT(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK));
    PT(pthread_mutex_init(&m, &attr));
    PT(pthread_mutex_unlock(&m));
}

START_TEST(a_failed_call_names_file_line_call_and_error_then_aborts)
{
    struct run r = harness_fork(unlock_a_mutex_nobody_holds, 5);
    ck_assert_int_eq(r.signal, SIGABRT);
    ck_assert_msg(strstr(r.out, "test_pt.c:") && strstr(r.out, "pthread_mutex_unlock(&m) failed: ") &&
                  strstr(r.out, "Operation not permitted"), "unexpected report: %s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(a_timed_wait_reports_the_deadline)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv;

    pt_cond_init_monotonic(&cv);
    struct timespec deadline = timing_deadline(0.05);
    double start = timing_now();
    PT(pthread_mutex_lock(&m));
    bool woken = true;
    while (woken)               /* nobody signals: only the deadline ends this */
        woken = pt_cond_wait_until(&cv, &m, &deadline);
    PT(pthread_mutex_unlock(&m));
    ck_assert(timing_now() - start >= 0.05);
    PT(pthread_cond_destroy(&cv));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pt");
    TCase *tc = harness_tcase("pt", 0);
    tcase_add_test(tc, a_failed_call_names_file_line_call_and_error_then_aborts);
    tcase_add_test(tc, a_timed_wait_reports_the_deadline);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
