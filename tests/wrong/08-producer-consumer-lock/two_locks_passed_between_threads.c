/* pipeline.c, wrong: the article's two locks: the consumer unlocks the mutex the producer locked, and back */
#include "pipeline.h"

#include "pt.h"

/* Held while the message waits to be read / while there is none. */
static pthread_mutex_t producer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t consumer_lock = PTHREAD_MUTEX_INITIALIZER;

void pipeline_init(struct pipeline *p)
{
    PT(pthread_mutex_init(&p->lock, NULL));
    PT(pthread_cond_init(&p->changed, NULL));
    p->full = false;
    p->message = 0;
    PT(pthread_mutex_lock(&consumer_lock));    /* no message yet */
}

void pipeline_destroy(struct pipeline *p)
{
    PT(pthread_cond_destroy(&p->changed));
    PT(pthread_mutex_destroy(&p->lock));
}

void pipeline_set_message(struct pipeline *p, int message)
{
    PT(pthread_mutex_lock(&producer_lock));
    p->message = message;
    PT(pthread_mutex_unlock(&consumer_lock));
}

int pipeline_get_message(struct pipeline *p)
{
    PT(pthread_mutex_lock(&consumer_lock));
    int message = p->message;
    PT(pthread_mutex_unlock(&producer_lock));
    return message;
}
