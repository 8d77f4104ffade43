/*
 * cpus.h - lesson 12: how many CPUs this process may run on.
 *
 * Where the system has an affinity mask (Linux's sched_getaffinity), that
 * mask is the answer: `taskset -c 0 make lesson-12` gives one CPU, whatever
 * the machine has. Elsewhere (or with make PORTABLE=1) it is sysconf's count
 * of CPUs online. The including file defines _GNU_SOURCE first.
 */
#ifndef LESSON12_CPUS_H
#define LESSON12_CPUS_H

#include <sched.h>
#include <unistd.h>

static inline int cpus_usable(void)
{
#if defined(CPU_COUNT) && !defined(WORKBOOK_PORTABLE)
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) > 0)
        return CPU_COUNT(&cpus);
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

#endif
