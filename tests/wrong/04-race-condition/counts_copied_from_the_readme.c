/* interleave.c, wrong: interleave_count_lost returns the README's numbers (18 of 20, 918 of 924) instead of counting */
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

long interleave_count_lost(int increments, long *total)
{
    /* The README: 18 of the 20 schedules lose an update, and 918 of 924 with two increments. */
    *total = 0;
    if (increments == 0) {
        *total = 1;
        return 0;
    }
    if (increments == 1) {
        *total = 20;
        return 18;
    }
    if (increments == 2) {
        *total = 924;
        return 918;
    }
    return -1;
}
