/*
 * pipeline.h - exercise 8: the article's one-message Pipeline, built the
 * other correct C way: one mutex and one condition variable.
 *
 * The slot is either empty or full. pipeline_set_message() waits while it
 * is full, then fills it; pipeline_get_message() waits while it is empty,
 * then empties it and returns the message. Any int is a message, 0 and
 * negative ones too: `full` alone says whether the slot is full. Neither
 * call has a time limit: each waits as long as it takes.
 *
 * Whoever changes the slot wakes the other side with
 * pthread_cond_broadcast on `changed`, not _signal: setters and getters
 * sleep on that one condition variable, and a signal may wake one of the
 * same side, which sleeps again. Wait in a loop:
 *
 *     while (p->full)
 *         PT(pthread_cond_wait(&p->changed, &p->lock));
 *
 * because a wake-up only says "look again", never "it is your turn".
 * Copy the message out before you unlock: once the lock is free the
 * producer may overwrite it (the article's subtle point). Likewise, store
 * it and mark the slot full before you unlock, and empty it in the same
 * hold of the lock as you copy the message out. Every lock is unlocked by
 * the thread that locked it. Keep each pipeline's state in its struct:
 * two pipelines may be in use at once.
 */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <pthread.h>
#include <stdbool.h>

struct pipeline {
    pthread_mutex_t lock;       /* guards full and message */
    pthread_cond_t changed;     /* the slot was filled or emptied */
    bool full;
    int message;
};

void pipeline_init(struct pipeline *p);         /* the slot starts empty */
void pipeline_destroy(struct pipeline *p);

/* Wait until the slot is empty, then put message in it. */
void pipeline_set_message(struct pipeline *p, int message);

/* Wait until the slot is full, then empty it and return the message. */
int pipeline_get_message(struct pipeline *p);

#endif
