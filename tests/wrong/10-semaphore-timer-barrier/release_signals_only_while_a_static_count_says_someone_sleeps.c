/* csem.c, wrong: the sleepers are counted in a static variable, shared by every semaphore; a release signals only while that count says someone sleeps, and counts the one it wakes off */
#include "csem.h"

#include "pt.h"

/* Acquires asleep, waiting for a permit: a release with nobody asleep need not signal. */
static unsigned sleepers;

void csem_init(struct csem *s, unsigned value)
{
    PT(pthread_mutex_init(&s->lock, NULL));
    PT(pthread_cond_init(&s->available, NULL));
    s->value = value;
}

void csem_destroy(struct csem *s)
{
    PT(pthread_cond_destroy(&s->available));
    PT(pthread_mutex_destroy(&s->lock));
}

void csem_acquire(struct csem *s)
{
    PT(pthread_mutex_lock(&s->lock));
    while (s->value == 0) {
        sleepers++;
        PT(pthread_cond_wait(&s->available, &s->lock));
    }
    s->value--;
    PT(pthread_mutex_unlock(&s->lock));
}

bool csem_try_acquire(struct csem *s)
{
    PT(pthread_mutex_lock(&s->lock));
    bool taken = s->value > 0;
    if (taken)
        s->value--;
    PT(pthread_mutex_unlock(&s->lock));
    return taken;
}

void csem_release(struct csem *s)
{
    PT(pthread_mutex_lock(&s->lock));
    s->value++;
    if (sleepers > 0) {
        sleepers--;     /* the one this signal wakes */
        PT(pthread_cond_signal(&s->available));
    }
    PT(pthread_mutex_unlock(&s->lock));
}
