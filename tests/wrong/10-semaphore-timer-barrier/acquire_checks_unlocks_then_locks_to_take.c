/* csem.c, wrong: acquire waits for a permit, unlocks, then locks again to take it */
#include "csem.h"

#include "pt.h"

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

/* Wait until a permit is free. */
static void wait_for_a_permit(struct csem *s)
{
    PT(pthread_mutex_lock(&s->lock));
    while (s->value == 0)
        PT(pthread_cond_wait(&s->available, &s->lock));
    PT(pthread_mutex_unlock(&s->lock));
}

static void take_a_permit(struct csem *s)
{
    PT(pthread_mutex_lock(&s->lock));
    s->value--;
    PT(pthread_mutex_unlock(&s->lock));
}

void csem_acquire(struct csem *s)
{
    wait_for_a_permit(s);
    take_a_permit(s);
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
    PT(pthread_cond_signal(&s->available));
    PT(pthread_mutex_unlock(&s->lock));
}
