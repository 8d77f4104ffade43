/*
 * barrier.c - a count, a generation number, a mutex, a condition variable.
 *
 * DESIGN: `lock` guards `arrived` and `generation`. Each arrival takes the
 * next index; the last one of a round resets `arrived`, advances
 * `generation` and broadcasts `round_done`. The others wait while the
 * generation is the one they arrived in: a thread that races ahead into
 * the next round cannot release, or be confused with, the stragglers of
 * the last one, so the barrier is reusable at once.
 */
#include "barrier.h"

#include "alloc.h"
#include "fail.h"
#include "pt.h"

#include <stdlib.h>

struct barrier {
    pthread_mutex_t lock;
    pthread_cond_t round_done;
    unsigned parties;
    unsigned arrived;
    unsigned long generation;
};

barrier_t *barrier_create(unsigned parties)
{
    if (parties == 0) {
        fail_misuse("barrier_create: parties must be >= 1");
    }
    barrier_t *b = alloc_zeroed(1, sizeof *b);
    b->parties = parties;
    PT(pthread_mutex_init(&b->lock, NULL));
    PT(pthread_cond_init(&b->round_done, NULL));
    return b;
}

void barrier_destroy(barrier_t *b)
{
    PT(pthread_cond_destroy(&b->round_done));
    PT(pthread_mutex_destroy(&b->lock));
    free(b);
}

unsigned barrier_wait(barrier_t *b)
{
    PT(pthread_mutex_lock(&b->lock));
    unsigned long generation = b->generation;
    unsigned index = b->arrived++;
    if (b->arrived == b->parties) {
        b->arrived = 0;
        b->generation++;
        PT(pthread_cond_broadcast(&b->round_done));
    } else {
        while (generation == b->generation)
            PT(pthread_cond_wait(&b->round_done, &b->lock));
    }
    PT(pthread_mutex_unlock(&b->lock));
    return index;
}
