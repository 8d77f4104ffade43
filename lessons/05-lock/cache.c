/*
 * cache.c - the notes' lock-protected cache: one thread keeps reading every
 * entry of a shared cache while another keeps adding entries to it.
 *
 * The cache is a growing array, and adding an entry may move the whole
 * array (realloc). A reader walking it without the lock could be halfway
 * through the old copy when it is freed: Python raises "dictionary changed
 * size during iteration"; C reads freed memory, silently or with a crash.
 * Holding the one lock for the whole walk, and for each add, prevents it.
 */
#include "alloc.h"
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "timing.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ADDS 10

struct entry {
    char key[24];       /* the value, written out in decimal */
    long long value;
};

/* The cache, and the flag that ends the reader, all guarded by lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *entries;
static size_t count;
static bool adding_done;

/* Append one entry (the caller holds lock): the array may move. */
static void add_entry(long long value)
{
    entries = alloc_resize(entries, count + 1, sizeof *entries);
    snprintf(entries[count].key, sizeof entries[count].key, "%lld", value);
    entries[count].value = value;
    count++;
}

static void *check_cache(void *unused)
{
    long passes = 0, bad = 0;
    bool done = false;

    (void)unused;
    while (!done) {
        PT(pthread_mutex_lock(&lock));
        /* do important stuff with the cache items: check each one */
        for (size_t i = 0; i < count; i++)
            if (strtoll(entries[i].key, NULL, 10) != entries[i].value)
                bad++;
        done = adding_done;
        PT(pthread_mutex_unlock(&lock));
        passes++;
        timing_sleep(0.01);
    }
    log_info("check_cache: %ld passes over the cache, %ld bad entries", passes, bad);
    return NULL;
}

static void *add_to_cache(void *unused)
{
    struct timespec now;

    (void)unused;
    for (int i = 0; i < ADDS; i++) {
        clock_gettime(CLOCK_REALTIME, &now);
        PT(pthread_mutex_lock(&lock));
        add_entry(now.tv_sec * 1000000000LL + now.tv_nsec); /* time.time_ns() */
        PT(pthread_mutex_unlock(&lock));
        timing_sleep(0.1);
    }
    PT(pthread_mutex_lock(&lock));
    adding_done = true;
    log_info("add_to_cache: added %d entries, the cache holds %zu", ADDS, count);
    PT(pthread_mutex_unlock(&lock));
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t checker, adder;

    cli_no_args(argc, argv);
    for (int i = 0; i < 100; i++) /* {str(i): i for i in range(100)} */
        add_entry(i);
    PT(pthread_create(&checker, NULL, check_cache, NULL));
    PT(pthread_create(&adder, NULL, add_to_cache, NULL));
    PT(pthread_join(adder, NULL));
    PT(pthread_join(checker, NULL));
    free(entries);
    return 0;
}
