/* pipeline.c, wrong: set waits at most 2 s for an empty slot, then overwrites the unread message */
#include "pipeline.h"

#include "pt.h"
#include "timing.h"

void pipeline_init(struct pipeline *p)
{
    PT(pthread_mutex_init(&p->lock, NULL));
    pt_cond_init_monotonic(&p->changed);
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
    struct timespec deadline = timing_deadline(2.0);

    PT(pthread_mutex_lock(&p->lock));
    while (p->full)
        if (!pt_cond_wait_until(&p->changed, &p->lock, &deadline))
            break;                      /* nobody came: go on */
    p->message = message;
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
