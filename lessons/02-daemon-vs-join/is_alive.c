/*
 * is_alive.c - the older tutorial's doctor and patients: is a thread still
 * running? POSIX has no is_alive(), so the thread keeps a flag: set before
 * pthread_create() (so the answer is right from the first instant) and
 * cleared by the thread as its last act.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "timing.h"

#include <stdatomic.h>
#include <stdbool.h>

struct patient {
    pthread_t id;
    atomic_bool alive;
    double sleep_after;         /* AnotherThread sleeps after it asks */
};

static void *run(void *arg)
{
    struct patient *p = arg;

    log_info("Patient: Doctor, am I going to die?");
    timing_sleep(p->sleep_after);
    atomic_store(&p->alive, false);
    return NULL;
}

static void start(struct patient *p)
{
    atomic_store(&p->alive, true);
    PT(pthread_create(&p->id, NULL, run, p));
}

static void examine(struct patient *p)
{
    log_info(atomic_load(&p->alive) ? "Doctor: No." : "Doctor: Next!");
}

int main(int argc, char **argv)
{
    struct patient dying = { .sleep_after = 0 }, living = { .sleep_after = 2 };

    cli_no_args(argc, argv);
    start(&dying);
    PT(pthread_join(dying.id, NULL));   /* asked at once, the answer would be a race */
    examine(&dying);

    start(&living);
    examine(&living);
    PT(pthread_join(living.id, NULL));
    return 0;
}
