/* interleave.c - exercise 4, a reference answer (see interleave.h). */
#include "interleave.h"

#include <stddef.h>

#define MAX_INCREMENTS 4

/* One thread's machine state: where it is in its steps, and its register. */
struct cpu {
    int step;
    int reg;
};

int interleave_run(const char *schedule)
{
    struct cpu a = { 0, 0 }, b = { 0, 0 };
    int counter = 0;
    size_t count_a = 0, count_b = 0;

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

    for (const char *p = schedule; *p != '\0'; p++) {
        struct cpu *cpu = *p == 'A' ? &a : &b;
        switch (cpu->step++ % 3) {
        case 0: cpu->reg = counter; break;     /* load */
        case 1: cpu->reg = cpu->reg + 1; break; /* add */
        case 2: counter = cpu->reg; break;     /* store */
        }
    }
    return counter;
}

/* Extend schedule[len..] in every possible way; count the lost ones. */
static void enumerate(char *schedule, int len, int a_left, int b_left,
                      int expected, long *lost, long *total)
{
    if (a_left == 0 && b_left == 0) {
        schedule[len] = '\0';
        *total += 1;
        if (interleave_run(schedule) < expected)
            *lost += 1;
        return;
    }
    if (a_left > 0) {
        schedule[len] = 'A';
        enumerate(schedule, len + 1, a_left - 1, b_left, expected, lost, total);
    }
    if (b_left > 0) {
        schedule[len] = 'B';
        enumerate(schedule, len + 1, a_left, b_left - 1, expected, lost, total);
    }
}

long interleave_count_lost(int increments, long *total)
{
    char schedule[6 * MAX_INCREMENTS + 1];
    long lost = 0;

    *total = 0;
    if (increments < 0 || increments > MAX_INCREMENTS)
        return -1;
    enumerate(schedule, 0, 3 * increments, 3 * increments, 2 * increments, &lost, total);
    return lost;
}
