/* pipeline.c, wrong: set and get broadcast only when a sleeper count, kept in a static, says someone sleeps */
#include "pipeline.h"

#include "pt.h"

static int sleepers;    /* threads asleep on changed */

void pipeline_init(struct pipeline *p)
{
    PT(pthread_mutex_init(&p->lock, NULL));
    PT(pthread_cond_init(&p->changed, NULL));
    p->full = false;
    p->message = 0;
}

void pipeline_destroy(struct pipeline *p)
{
    PT(pthread_cond_destroy(&p->changed));
    PT(pthread_mutex_destroy(&p->lock));
}

void pipeline_set_message(struct pipeline *p, int message)
{
    PT(pthread_mutex_lock(&p->lock));
    while (p->full) {
        sleepers++;
        PT(pthread_cond_wait(&p->changed, &p->lock));
        sleepers--;
    }
    p->message = message;
    p->full = true;
    if (sleepers > 0)
        PT(pthread_cond_broadcast(&p->changed));
    PT(pthread_mutex_unlock(&p->lock));
}

int pipeline_get_message(struct pipeline *p)
{
    int message;

    PT(pthread_mutex_lock(&p->lock));
    while (!p->full) {
        sleepers++;
        PT(pthread_cond_wait(&p->changed, &p->lock));
        sleepers--;
    }
    message = p->message;
    p->full = false;
    if (sleepers > 0)
        PT(pthread_cond_broadcast(&p->changed));
    PT(pthread_mutex_unlock(&p->lock));
    return message;
}
