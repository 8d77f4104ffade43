/* cpus.c - how many CPUs this process may run on (see cpus.h). */
#define _GNU_SOURCE             /* Linux: sched_getaffinity(), CPU_COUNT() */
#include "cpus.h"

#include <sched.h>
#include <unistd.h>

int cpus_usable(void)
{
#if defined(CPU_COUNT) && !defined(WORKBOOK_PORTABLE)
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) > 0)
        return CPU_COUNT(&cpus);
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}
