/* interleave.c - exercise 4 (see interleave.h). Replace the TODOs. */
#include "interleave.h"

int interleave_run(const char *schedule)
{
    /* TODO: check the schedule (only 'A' and 'B', the same number of each,
     * a multiple of 3); give each thread a step number and a register; on
     * each letter do that thread's next step: load, add or store. */
    (void)schedule;
    return -1;
}

long interleave_count_lost(int increments, long *total)
{
    /* TODO: enumerate every schedule with 3 * increments of each letter
     * (recursion: add an 'A' or a 'B' while each has steps left) and count
     * those whose final value is below 2 * increments. */
    (void)increments;
    *total = 0;
    return 0;
}
