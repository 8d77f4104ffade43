/* cbarrier.c, wrong: the last arriver signals one waiter, and each woken waiter signals the next on its way out (a chain of signals instead of one broadcast) */
#include "cbarrier.h"

#include "pt.h"

void cbarrier_init(struct cbarrier *b, unsigned parties)
{
    PT(pthread_mutex_init(&b->lock, NULL));
    PT(pthread_cond_init(&b->all_arrived, NULL));
    b->parties = parties;
    b->waiting = 0;
    b->generation = 0;
}

void cbarrier_destroy(struct cbarrier *b)
{
    PT(pthread_cond_destroy(&b->all_arrived));
    PT(pthread_mutex_destroy(&b->lock));
}

bool cbarrier_wait(struct cbarrier *b)
{
    PT(pthread_mutex_lock(&b->lock));
    unsigned long round = b->generation;
    bool last = ++b->waiting == b->parties;
    if (last) {
        b->waiting = 0;
        b->generation++;
        PT(pthread_cond_signal(&b->all_arrived));
    } else {
        while (b->generation == round)
            PT(pthread_cond_wait(&b->all_arrived, &b->lock));
        /* Pass it on: wake the next one of my round. */
        PT(pthread_cond_signal(&b->all_arrived));
    }
    PT(pthread_mutex_unlock(&b->lock));
    return last;
}
