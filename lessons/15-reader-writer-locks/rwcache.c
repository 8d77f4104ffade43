/*
 * rwcache.c - lesson 5's cache (the notes' check_cache and add_to_cache)
 * with a reader-writer lock: many readers walk the cache at once, the
 * writer adds an entry alone.
 *
 * pthread_rwlock_rdlock lets any number of readers in together;
 * pthread_rwlock_wrlock waits until nobody holds the lock, and keeps
 * everybody out while it holds it. The counts show both: on its first
 * pass each reader waits, holding the read lock, until every reader is
 * inside (a barrier: with a mutex they would wait for ever), and the
 * writer counts the readers inside while it writes, the readers the
 * writers inside while they read.
 */
#include "alloc.h"
#include "barrier.h"
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "timing.h"
#include "watchdog.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ADDS 10
#define MAX_READERS 16

struct entry {
    char key[24];       /* the value, written out in decimal */
    long long value;
};

/* The cache, and the flag that ends the readers, all guarded by rw. */
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static struct entry *entries;
static size_t count;
static bool adding_done;

/* Who is inside now: counted by the threads themselves, as they go in and out. */
static atomic_int readers_inside, writers_inside;
static atomic_int most_readers, readers_beside_writer, writer_beside_readers;
static atomic_long bad_entries;
static barrier_t *all_in;

/* Append one entry (the caller holds rw for writing): the array may move. */
static void add_entry(long long value)
{
    entries = alloc_resize(entries, count + 1, sizeof *entries);
    snprintf(entries[count].key, sizeof entries[count].key, "%lld", value);
    entries[count].value = value;
    count++;
}

static void *check_cache(void *unused)
{
    long passes = 0;
    bool done = false;

    (void)unused;
    while (!done) {
        PT(pthread_rwlock_rdlock(&rw));
        int now = atomic_fetch_add(&readers_inside, 1) + 1;
        for (int most = atomic_load(&most_readers); now > most;)
            if (atomic_compare_exchange_weak(&most_readers, &most, now))
                break;
        if (passes == 0)
            barrier_wait(all_in);       /* holding the read lock: every reader is in */
        atomic_fetch_add(&writer_beside_readers, atomic_load(&writers_inside));
        /* do important stuff with the cache items: check each one */
        for (size_t i = 0; i < count; i++)
            if (strtoll(entries[i].key, NULL, 10) != entries[i].value)
                atomic_fetch_add(&bad_entries, 1);
        done = adding_done;
        atomic_fetch_sub(&readers_inside, 1);
        PT(pthread_rwlock_unlock(&rw));
        passes++;
        timing_sleep(0.01);
    }
    return (void *)(intptr_t)passes;
}

static void *add_to_cache(void *unused)
{
    struct timespec now;

    (void)unused;
    for (int i = 0; i < ADDS; i++) {
        clock_gettime(CLOCK_REALTIME, &now);
        PT(pthread_rwlock_wrlock(&rw));
        atomic_fetch_add(&writers_inside, 1);
        atomic_fetch_add(&readers_beside_writer, atomic_load(&readers_inside));
        add_entry(now.tv_sec * 1000000000LL + now.tv_nsec); /* time.time_ns() */
        atomic_fetch_sub(&writers_inside, 1);
        PT(pthread_rwlock_unlock(&rw));
        timing_sleep(0.1);
    }
    PT(pthread_rwlock_wrlock(&rw));
    adding_done = true;
    log_info("add_to_cache: added %d entries, the cache holds %zu", ADDS, count);
    PT(pthread_rwlock_unlock(&rw));
    return NULL;
}

int main(int argc, char **argv)
{
    int readers = (int)cli_number(argc, argv, "READERS", 4, 1, MAX_READERS);
    pthread_t checker[MAX_READERS], adder;
    long passes = 0;

    /* 20 s of real time, whatever WORKBOOK_TIME_SCALE: nothing here is meant to hang */
    if (timing_scale() > 0)
        watchdog_start(20 / timing_scale(),
                       "the readers never all held the read lock at once; stopped.");
    all_in = barrier_create((unsigned)readers);
    for (int i = 0; i < 100; i++) /* {str(i): i for i in range(100)} */
        add_entry(i);
    for (int i = 0; i < readers; i++)
        PT(pthread_create(&checker[i], NULL, check_cache, NULL));
    PT(pthread_create(&adder, NULL, add_to_cache, NULL));
    PT(pthread_join(adder, NULL));
    for (int i = 0; i < readers; i++) {
        void *result;
        PT(pthread_join(checker[i], &result));
        passes += (intptr_t)result;
    }
    log_info("check_cache: %d readers, %ld passes over the cache, %ld bad entries", readers,
             passes, atomic_load(&bad_entries));
    log_info("readers inside at once: at most %d; beside a writer: %d readers, %d writers",
             atomic_load(&most_readers), atomic_load(&readers_beside_writer),
             atomic_load(&writer_beside_readers));
    barrier_destroy(all_in);
    free(entries);
    return 0;
}
