/*
 * starvation.c - a writer kept out by readers that keep overlapping, with
 * glibc's default reader-writer lock (readers preferred); then the same
 * relay with glibc's writer-preferring kind, and what that kind costs.
 *
 * Reader 0 holds the read lock; the writer arrives and asks for the
 * write lock. Then a relay: main starts reader k, which tries the read
 * lock (pthread_rwlock_tryrdlock, so no reader can hang), and only once
 * reader k is in (or turned away) does main let reader k-1 leave. So a
 * reader holds the lock at every moment until the relay ends, on every
 * run: the writer, which needs the lock free, gets in only then. It counts
 * the readers that came in after it arrived.
 *
 * PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP (glibc only, not POSIX)
 * turns new readers away once a writer waits. Main waits until that shows
 * (a tryrdlock fails) before the relay starts, so that run too is the same
 * every time. Its cost: a reader that asks again for a read lock it holds
 * waits behind the writer, which waits for it (the NONRECURSIVE).
 */
#define _GNU_SOURCE             /* pthread_rwlockattr_setkind_np(), where portable.h finds it */
#include "cli.h"
#include "event.h"
#include "log.h"
#include "portable.h"
#include "pt.h"
#include "timing.h"
#include "watchdog.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#define MAX_RELAY 100

static pthread_rwlock_t rw;
static event_t *writer_arrived;
static atomic_int came_after;   /* readers in after the writer arrived */

struct reader {
    int id;
    pthread_t thread;
    event_t *tried, *leave;
    int rc;                     /* what its tryrdlock returned */
};
static struct reader readers[MAX_RELAY + 1];

static void *reader(void *arg)
{
    struct reader *r = arg;

    r->rc = r->id == 0 ? pthread_rwlock_rdlock(&rw) : pthread_rwlock_tryrdlock(&rw);
    if (r->rc == EBUSY) {
        log_info("Reader %d: turned away (EBUSY): a writer waits", r->id);
        event_set(r->tried);
        PT(pthread_rwlock_rdlock(&rw));
        log_info("Reader %d: in (rdlock), after the writer", r->id);
    } else {
        PT(r->rc);
        if (r->id == 0)
            log_info("Reader 0: has the read lock");
        else
            log_info("Reader %d: in, beside reader %d; the writer waits", r->id, r->id - 1);
        event_set(r->tried);
        event_wait(r->leave);
        if (r->id == 0) {
            int again = pthread_rwlock_tryrdlock(&rw);
            log_info("Reader 0: asks for a second read lock: %s", again == 0 ? "granted"
                     : "refused (EBUSY): with rdlock it would wait for the writer, which waits for it");
            if (again == 0)
                PT(pthread_rwlock_unlock(&rw));
        }
        log_info("Reader %d: leaves", r->id);
    }
    PT(pthread_rwlock_unlock(&rw));
    return NULL;
}

static void *writer(void *unused)
{
    (void)unused;
    log_info("Writer: wants the write lock; a reader holds it");
    double arrived = timing_now();
    event_set(writer_arrived);
    PT(pthread_rwlock_wrlock(&rw));
    log_info("Writer: in after %.1f ms; %d readers came in after it arrived",
             (timing_now() - arrived) * 1e3, atomic_load(&came_after));
    log_info("Writer: leaves");
    PT(pthread_rwlock_unlock(&rw));
    return NULL;
}

static void start_reader(int id)
{
    struct reader *r = &readers[id];
    r->id = id;
    r->tried = event_create();
    r->leave = event_create();
    PT(pthread_create(&r->thread, NULL, reader, r));
    event_wait(r->tried);
}

static void end_reader(int id)
{
    event_set(readers[id].leave);
    PT(pthread_join(readers[id].thread, NULL));
    event_destroy(readers[id].tried);
    event_destroy(readers[id].leave);
}

/* One run: reader 0, the writer, then up to `relay` readers, each overlapping the one before. */
static void run(int relay, bool wait_for_refusal)
{
    pthread_t w;
    int k = 0;

    atomic_store(&came_after, 0);
    writer_arrived = event_create();
    start_reader(0);
    PT(pthread_create(&w, NULL, writer, NULL));
    event_wait(writer_arrived);
    if (wait_for_refusal) {
        while (pthread_rwlock_tryrdlock(&rw) == 0) {    /* the writer has not queued yet */
            PT(pthread_rwlock_unlock(&rw));
            timing_sleep_unscaled(0.0001);
        }
        log_info("Main: a tryrdlock now fails: the writer has queued");
    }
    while (k < relay) {
        start_reader(k + 1);
        if (readers[k + 1].rc != 0)
            break;
        atomic_fetch_add(&came_after, 1);
        end_reader(k++);
    }
    if (k == relay)
        log_info("Main: no more readers");
    end_reader(k);
    PT(pthread_join(w, NULL));
    if (k < relay)
        end_reader(k + 1);
    event_destroy(writer_arrived);
}

int main(int argc, char **argv)
{
    int relay = (int)cli_number(argc, argv, "READERS", 10, 1, MAX_RELAY);

    /* 20 s of real time, whatever WORKBOOK_TIME_SCALE: nothing here is meant to hang */
    if (timing_scale() > 0)
        watchdog_start(20 / timing_scale(),
                       "the relay is stuck: a reader or the writer never got the lock; stopped.");
    log_info("Part 1: the default kind (glibc: readers preferred)");
    PT(pthread_rwlock_init(&rw, NULL));
    run(relay, false);
    PT(pthread_rwlock_destroy(&rw));

#ifdef HAVE_RWLOCK_PREFER_WRITER
    pthread_rwlockattr_t attr;
    log_info("Part 2: PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP (glibc only)");
    PT(pthread_rwlockattr_init(&attr));
    PT(pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP));
    PT(pthread_rwlock_init(&rw, &attr));
    PT(pthread_rwlockattr_destroy(&attr));
    run(relay, true);
    PT(pthread_rwlock_destroy(&rw));
#else
    log_info("Part 2 skipped: PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP is glibc's alone "
             "(this build: another C library, or PORTABLE=1)");
#endif
    return 0;
}
