/* interleave.c, wrong: interleave_count_lost tries every permutation of the letters, so it counts each schedule many times */
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

/* Every order of schedule[k..len-1], by swapping each letter to the front in turn. */
static void try_all(char *schedule, int k, int len, int increments)
{
    if (k == len) {
        total_count++;
        if (interleave_run(schedule) < 2 * increments)
            lost_count++;
        return;
    }
    for (int i = k; i < len; i++) {
        char c = schedule[k];
        schedule[k] = schedule[i];
        schedule[i] = c;
        try_all(schedule, k + 1, len, increments);
        schedule[i] = schedule[k];
        schedule[k] = c;
    }
}

long interleave_count_lost(int increments, long *total)
{
    char schedule[25];

    *total = 0;
    if (increments < 0 || increments > 4)
        return -1;
    lost_count = 0;
    total_count = 0;
    int len = 6 * increments;
    for (int i = 0; i < len; i++)
        schedule[i] = i < len / 2 ? 'A' : 'B';
    schedule[len] = '\0';
    try_all(schedule, 0, len, increments);
    *total = total_count;
    return lost_count;
}
