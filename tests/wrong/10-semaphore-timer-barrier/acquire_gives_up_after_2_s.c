/* csem.c, wrong: acquire gives up after 2 s without a permit ("nobody should wait forever") and returns as if it had one */
#include "csem.h"

#include "pt.h"

#include <errno.h>
#include <time.h>

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
    struct timespec deadline;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 2;
    PT(pthread_mutex_lock(&s->lock));
    while (s->value == 0)
        if (pthread_cond_timedwait(&s->available, &s->lock, &deadline) == ETIMEDOUT)
            break;
    if (s->value > 0)
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
    PT(pthread_cond_signal(&s->available));
    PT(pthread_mutex_unlock(&s->lock));
}
