/* interleave.c, wrong: interleave_count_lost does not refuse increments below 0 or above 4 */
#include "interleave.h"

int interleave_run(const char *schedule)
{
    int count_a = 0, count_b = 0;

    for (const char *p = schedule; *p != '\0'; p++) {
        if (*p == 'A')
            count_a++;
        else if (*p == 'B')
            count_b++;
        else
            return -1;
    }
    if (count_a != count_b || count_a % 3 != 0)
        return -1;

    int counter = 0;
    int step_a = 0, step_b = 0;
    int reg_a = 0, reg_b = 0;
    for (const char *p = schedule; *p != '\0'; p++) {
        int *step = *p == 'A' ? &step_a : &step_b;
        int *reg = *p == 'A' ? &reg_a : &reg_b;
        if (*step % 3 == 0)
            *reg = counter;             /* load */
        else if (*step % 3 == 1)
            *reg = *reg + 1;            /* add */
        else
            counter = *reg;             /* store */
        (*step)++;
    }
    return counter;
}

static long lost_count, total_count;

static void try_all(char *schedule, int len, int a_left, int b_left, int increments)
{
    if (a_left == 0 && b_left == 0) {
        schedule[len] = '\0';
        total_count++;
        if (interleave_run(schedule) < 2 * increments)
            lost_count++;
        return;
    }
    if (a_left > 0) {
        schedule[len] = 'A';
        try_all(schedule, len + 1, a_left - 1, b_left, increments);
    }
    if (b_left > 0) {
        schedule[len] = 'B';
        try_all(schedule, len + 1, a_left, b_left - 1, increments);
    }
}

long interleave_count_lost(int increments, long *total)
{
    char schedule[6 * 4 + 1];

    lost_count = 0;
    total_count = 0;
    try_all(schedule, 0, 3 * increments, 3 * increments, increments);
    *total = total_count;
    return lost_count;
}
