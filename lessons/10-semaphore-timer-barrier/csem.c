/* csem.c - exercise 10 (see csem.h). Replace the TODOs. */
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

void csem_acquire(struct csem *s)
{
    /* TODO: under s->lock, wait on s->available while value is 0; take one. */
    (void)s;
}

bool csem_try_acquire(struct csem *s)
{
    /* TODO: under s->lock, take one if value > 0; say whether you did. */
    (void)s;
    return true;
}

void csem_release(struct csem *s)
{
    /* TODO: under s->lock, give one back; signal s->available. */
    (void)s;
}
