/* harness.c, for the grader's self-test: a harness the student changed so that every test
 * passes at once; the grader never uses a submission's tests, harness, Makefile or scripts. */
#include <stdlib.h>
int harness_main(void *suites[]) { (void)suites; exit(0); }
