/*
 * watchdog.c - a detached thread that sleeps, then ends the process.
 *
 * DESIGN: nothing to join and nothing shared but a message string that
 * outlives the thread (the caller's, usually a literal). It ends the
 * process with _exit(), not exit(): the threads it interrupts may hold
 * locks that atexit handlers or stdio would wait for. Every log line is
 * already written (log.c does one write() per line), so nothing is lost.
 */
#include "watchdog.h"

#include "log.h"
#include "pt.h"
#include "timing.h"

#include <unistd.h>

struct watch {
    double seconds;
    const char *message;
};

static struct watch watch;

static void *watch_over(void *arg)
{
    const struct watch *w = arg;

    timing_sleep(w->seconds);
    log_warning("watchdog: %s", w->message);
    _exit(WATCHDOG_EXIT);
}

void watchdog_start(double seconds, const char *message)
{
    pthread_attr_t attr;
    pthread_t t;

    watch = (struct watch){ seconds, message };
    timing_scale(); /* read the knob now: a bad value fails before anything runs */
    PT(pthread_attr_init(&attr));
    PT(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED));
    PT(pthread_create(&t, &attr, watch_over, &watch));
    PT(pthread_attr_destroy(&attr));
}
