/* pipeline.c - exercise 8 (see pipeline.h). Replace the TODOs. */
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
    /* TODO: under p->lock, wait while the slot is full; fill it; wake the getter. */
    p->message = message;
}

int pipeline_get_message(struct pipeline *p)
{
    /* TODO: under p->lock, wait while the slot is empty; copy the message
     * out and empty the slot; wake the setter; return the copy. */
    return p->message;
}
