/* cbarrier.c, wrong: each thread decides it is the serial one after the wait, from the count the last arriver reset to 0 */
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
    if (++b->waiting == b->parties) {
        b->waiting = 0;
        b->generation++;
        PT(pthread_cond_broadcast(&b->all_arrived));
    } else {
        while (b->generation == round)
            PT(pthread_cond_wait(&b->all_arrived, &b->lock));
    }
    /* The round is over: the count is back at 0. */
    bool serial = b->waiting == 0;
    PT(pthread_mutex_unlock(&b->lock));
    return serial;
}
