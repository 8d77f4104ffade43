/* ticket.c, wrong: the counters are static variables of ticket.c, as in spinlocks.c, so every lock shares one pair */
#include "ticket.h"

#include <sched.h>

static atomic_uint next, serving;

void ticket_init(struct ticket_lock *l)
{
    atomic_init(&l->next, 0);
    atomic_init(&l->serving, 0);
}

void ticket_lock(struct ticket_lock *l)
{
    (void)l;
    unsigned ticket = atomic_fetch_add_explicit(&next, 1, memory_order_relaxed);
    while (atomic_load_explicit(&serving, memory_order_acquire) != ticket)
        sched_yield();
}

void ticket_unlock(struct ticket_lock *l)
{
    (void)l;
    unsigned now = atomic_load_explicit(&serving, memory_order_relaxed);
    atomic_store_explicit(&serving, now + 1, memory_order_release);
}
