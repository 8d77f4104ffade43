/*
 * cpus.h - how many CPUs this process may run on.
 *
 * Where the system has an affinity mask (Linux's sched_getaffinity), that
 * mask is the answer: `taskset -c 0 make lesson-12` gives one CPU, whatever
 * the machine has. Elsewhere (or with make PORTABLE=1) it is sysconf's count
 * of CPUs online. Lesson 12 sizes its thread counts by it; lesson 13's fast
 * queue watches before it sleeps only when it is more than one.
 */
#ifndef WORKBOOK_CPUS_H
#define WORKBOOK_CPUS_H

/* At least 1. */
int cpus_usable(void);

#endif
