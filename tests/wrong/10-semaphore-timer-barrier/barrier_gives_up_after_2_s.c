/* cbarrier.c, wrong: a waiter gives up after 2 s ("nobody should wait forever"), counts itself out and returns false */
#include "cbarrier.h"

#include "pt.h"

#include <errno.h>
#include <time.h>

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
    struct timespec deadline;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 2;
    PT(pthread_mutex_lock(&b->lock));
    unsigned long round = b->generation;
    bool last = ++b->waiting == b->parties;
    if (last) {
        b->waiting = 0;
        b->generation++;
        PT(pthread_cond_broadcast(&b->all_arrived));
    } else {
        while (b->generation == round) {
            if (pthread_cond_timedwait(&b->all_arrived, &b->lock, &deadline) == ETIMEDOUT) {
                b->waiting--;   /* gave up: not here any more */
                break;
            }
        }
    }
    PT(pthread_mutex_unlock(&b->lock));
    return last;
}
