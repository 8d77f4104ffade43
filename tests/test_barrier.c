/* test_barrier.c - common/barrier: a reusable Barrier. */
#include "barrier.h"
#include "harness.h"
#include "pt.h"

#include <stdatomic.h>

enum { PARTIES = 4, ROUNDS = 1000 };
static barrier_t *barrier;
static atomic_int arrived[ROUNDS], zeros[ROUNDS], left_early, bad_index;

static void *party(void *unused)
{
    (void)unused;
    for (int r = 0; r < ROUNDS; r++) {
        atomic_fetch_add(&arrived[r], 1);
        unsigned index = barrier_wait(barrier);
        if (atomic_load(&arrived[r]) != PARTIES)
            atomic_fetch_add(&left_early, 1);
        if (index >= PARTIES)
            atomic_fetch_add(&bad_index, 1);
        if (index == 0)
            atomic_fetch_add(&zeros[r], 1);
    }
    return NULL;
}

START_TEST(no_thread_leaves_a_round_early_and_one_per_round_gets_zero)
{
    pthread_t t[PARTIES];

    barrier = barrier_create(PARTIES);
    for (int i = 0; i < PARTIES; i++)
        PT(pthread_create(&t[i], NULL, party, NULL));
    for (int i = 0; i < PARTIES; i++)
        PT(pthread_join(t[i], NULL));
    barrier_destroy(barrier);

    ck_assert_msg(atomic_load(&left_early) == 0, "%d threads left a round before all %d arrived",
                  atomic_load(&left_early), PARTIES);
    ck_assert_int_eq(atomic_load(&bad_index), 0);
    for (int r = 0; r < ROUNDS; r++)
        ck_assert_msg(atomic_load(&zeros[r]) == 1, "round %d: %d threads got index 0", r,
                      atomic_load(&zeros[r]));
}
END_TEST

START_TEST(a_barrier_of_one_never_waits)
{
    barrier = barrier_create(1);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(barrier_wait(barrier), 0);
    barrier_destroy(barrier);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("barrier");
    TCase *tc = harness_tcase("barrier", 0);
    tcase_add_test(tc, no_thread_leaves_a_round_early_and_one_per_round_gets_zero);
    tcase_add_test(tc, a_barrier_of_one_never_waits);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}
