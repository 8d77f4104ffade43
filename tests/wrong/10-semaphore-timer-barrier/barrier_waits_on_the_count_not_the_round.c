/* cbarrier.c, wrong: counts the rounds but waits for the count to be back at 0, so a fast thread counting itself into the next round traps the slow one */
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
    bool last = ++b->waiting == b->parties;
    if (last) {
        b->waiting = 0;     /* the round is over: start the next one */
        b->generation++;
        PT(pthread_cond_broadcast(&b->all_arrived));
    } else {
        while (b->waiting != 0)
            PT(pthread_cond_wait(&b->all_arrived, &b->lock));
    }
    PT(pthread_mutex_unlock(&b->lock));
    return last;
}
