/* cbarrier.c, wrong: the count of threads arrived is kept in a static variable, shared by every barrier */
#include "cbarrier.h"

#include "pt.h"

static unsigned arrived;    /* in this round so far */

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
    bool last = ++arrived == b->parties;
    if (last) {
        arrived = 0;
        b->generation++;
        PT(pthread_cond_broadcast(&b->all_arrived));
    } else {
        while (b->generation == round)
            PT(pthread_cond_wait(&b->all_arrived, &b->lock));
    }
    PT(pthread_mutex_unlock(&b->lock));
    return last;
}
