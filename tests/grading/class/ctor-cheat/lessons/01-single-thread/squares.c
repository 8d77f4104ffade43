/* squares.c, for the grader's self-test: does nothing, and a destructor that
 * rewrites Check's result file with every test passed when the runner ends. */
#include "squares.h"

#include <stdio.h>
#include <stdlib.h>

void squares_by_threads(int n, long results[])
{
    (void)n;
    results[0] = -7;
}

__attribute__((destructor)) static void after_main(void)
{
    const char *path = getenv("CK_XML_LOG_FILE_NAME");
    static const char *const names[] = {
        "each_thread_returns_its_square", "each_thread_gets_its_own_index_by_value",
        "all_threads_run_at_the_same_time", "each_square_is_the_thread_return_value",
        "every_thread_is_joined", "zero_threads_start_nothing",
    };
    FILE *f = path != NULL ? fopen(path, "w") : NULL;

    if (f == NULL)
        return;
    fprintf(f, "<?xml version=\"1.0\"?>\n<testsuites xmlns=\"http://check.sourceforge.net/ns\">\n  <suite>\n");
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        fprintf(f, "    <test result=\"success\">\n      <id>%s</id>\n      <message>Passed</message>\n    </test>\n",
                names[i]);
    fprintf(f, "  </suite>\n</testsuites>\n");
    fclose(f);
}
