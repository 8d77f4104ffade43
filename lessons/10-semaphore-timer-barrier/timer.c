/*
 * timer.c - the article's Timer: call a function after a delay, unless it
 * is cancelled first, as in "prompt the user unless they act in time".
 *
 * The first prompt is due in 30 s, and the user acts after 1 s: cancel()
 * stops it, and it never appears. The second is due in 1 s and the user
 * is away: it appears, and a cancel() after that does nothing, as the
 * article says, without an error.
 */
#include "cli.h"
#include "event.h"
#include "log.h"
#include "timer.h"
#include "timing.h"

static event_t *prompted;

static void prompt(void *text)
{
    log_info("Timer: %s", (const char *)text);
    event_set(prompted);
}

int main(int argc, char **argv)
{
    double scale;

    cli_no_args(argc, argv);
    scale = timing_scale(); /* timer delays are real seconds; scale them like the sleeps */
    prompted = event_create();

    log_info("Main: prompting in 30 s unless the user acts");
    timer_thread_t *first = timer_start(30 * scale, prompt, "Are you still there?");
    timing_sleep(1);
    log_info("Main: the user clicked");
    log_info("Main: cancel %s", timer_cancel(first) ? "stopped the prompt" : "was too late");
    timer_join(first);

    log_info("Main: prompting in 1 s unless the user acts");
    timer_thread_t *second = timer_start(1 * scale, prompt, "Are you still there?");
    event_wait(prompted); /* the user is away */
    log_info("Main: cancel %s", timer_cancel(second) ? "stopped the prompt" : "did nothing: it had fired");
    timer_join(second);

    event_destroy(prompted);
    return 0;
}
