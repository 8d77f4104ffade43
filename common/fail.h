/*
 * fail.h - the bottom layer: how a program stops on purpose, and the
 * numbers it reads from the environment. It uses nothing else in common/,
 * so every module may use it.
 *
 * Two ways to stop, for two kinds of fault:
 * - bad input (a command-line word or an environment knob the program
 *   cannot use) is the user's to fix: one line "error: ..." on stderr that
 *   says what to do, and exit status 2;
 * - misuse (a call that breaks a function's contract, a call that cannot
 *   fail failing) is a bug in the program: one line on stderr, then
 *   abort(), so a debugger or a core file shows where.
 */
#ifndef WORKBOOK_FAIL_H
#define WORKBOOK_FAIL_H

/* Print "error: <message>" on one line to stderr and exit with status 2. */
_Noreturn void fail_input(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "<message>" on one line to stderr and abort. */
_Noreturn void fail_misuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The environment variable `name` as a number >= 0, or fallback when it is
 * unset or empty; anything else fails as bad input. */
double env_number(const char *name, double fallback);

#endif
