/* cbarrier.c, wrong: the waiters wait until the generation is exactly the round after the one they arrived in, so a waiter that looks only once a second round has ended sleeps on */
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
        PT(pthread_cond_broadcast(&b->all_arrived));
    } else {
        /* My round is over when the next one has begun. */
        while (b->generation != round + 1)
            PT(pthread_cond_wait(&b->all_arrived, &b->lock));
    }
    PT(pthread_mutex_unlock(&b->lock));
    return last;
}
