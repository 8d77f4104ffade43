/* cbarrier.c, wrong: remembers its round in an unsigned char, so from round 256 on the truncated number never equals the generation and every waiter walks straight through */
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
    unsigned char gen = (unsigned char)b->generation;
    bool serial = false;
    if (++b->waiting == b->parties) {
        b->waiting = 0;
        b->generation++;
        serial = true;
        PT(pthread_cond_broadcast(&b->all_arrived));
    } else {
        while (b->generation == gen)
            PT(pthread_cond_wait(&b->all_arrived, &b->lock));
    }
    PT(pthread_mutex_unlock(&b->lock));
    return serial;
}
