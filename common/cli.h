/*
 * cli.h - bad input from the command line or the environment.
 *
 * Every demo takes at most one number on its command line. Anything it
 * cannot use (not a number, negative, out of range, extra words) ends the
 * program with one line on stderr that says what to do, and exit status 2:
 * never a crash, never a hang (fail_input, in fail.h).
 */
#ifndef WORKBOOK_CLI_H
#define WORKBOOK_CLI_H

/*
 * Both checks below also read the environment knobs WORKBOOK_TIME_SCALE
 * and LOG_LEVEL, so a bad value fails at once, not whenever (or whether) a
 * thread first sleeps or logs.
 */

/* The program takes no arguments: fail on any. */
void cli_no_args(int argc, char **argv);

/*
 * The program takes one optional whole number, `what` (say "THREADS"):
 * return argv[1] when it is a number from min to max, fallback when absent,
 * and fail on anything else.
 */
long cli_number(int argc, char **argv, const char *what, long fallback,
                long min, long max);

#endif
