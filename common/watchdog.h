/*
 * watchdog.h - ends a program that is meant to hang.
 *
 * The deadlock lessons show a program stuck for good. A reader should see
 * it stuck, not be left stuck: watchdog_start() arms a timer thread that,
 * if the program is still running when it fires, logs what happened and
 * ends the whole process with status WATCHDOG_EXIT.
 */
#ifndef WORKBOOK_WATCHDOG_H
#define WORKBOOK_WATCHDOG_H

/* The exit status of a process the watchdog ended (2 means bad input). */
#define WATCHDOG_EXIT 3

/*
 * After `seconds` (scaled by WORKBOOK_TIME_SCALE, like timing_sleep()),
 * log "watchdog: <message>" and _exit(WATCHDOG_EXIT). A process that ends
 * first ends the watchdog with it. Arm at most one per process.
 */
void watchdog_start(double seconds, const char *message);

#endif
