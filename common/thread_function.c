/* thread_function.c - the article's thread_function (see thread_function.h). */
#include "thread_function.h"

#include "log.h"
#include "timing.h"

#include <stdint.h>

void *thread_function(void *arg)
{
    int name = (int)(intptr_t)arg;

    log_info("Thread %d: starting", name);
    timing_sleep(2);
    log_info("Thread %d: finishing", name);
    return NULL;
}
