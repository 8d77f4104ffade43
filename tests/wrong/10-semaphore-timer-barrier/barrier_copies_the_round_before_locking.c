/* cbarrier.c, wrong: reads the generation it arrives in before taking the lock ("only the count needs the lock"), so a round that ends in between is taken for its own */
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
    unsigned long round = b->generation;
    PT(pthread_mutex_lock(&b->lock));
    bool last = ++b->waiting == b->parties;
    if (last) {
        b->waiting = 0;
        b->generation++;
        PT(pthread_cond_broadcast(&b->all_arrived));
    } else {
        while (b->generation == round)
            PT(pthread_cond_wait(&b->all_arrived, &b->lock));
    }
    PT(pthread_mutex_unlock(&b->lock));
    return last;
}
