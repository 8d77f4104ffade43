/* pipeline.c, wrong: set stores its message before it waits for an empty slot, over the unread one */
#include "pipeline.h"

#include "pt.h"

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
    p->message = message;
    while (p->full)
        PT(pthread_cond_wait(&p->changed, &p->lock));
    p->full = true;
    PT(pthread_cond_broadcast(&p->changed));
    PT(pthread_mutex_unlock(&p->lock));
}

int pipeline_get_message(struct pipeline *p)
{
    int message;

    PT(pthread_mutex_lock(&p->lock));
    while (!p->full)
        PT(pthread_cond_wait(&p->changed, &p->lock));
    message = p->message;
    p->full = false;
    PT(pthread_cond_broadcast(&p->changed));
    PT(pthread_mutex_unlock(&p->lock));
    return message;
}
