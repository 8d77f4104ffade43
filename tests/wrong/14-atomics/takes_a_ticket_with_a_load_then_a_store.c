/* ticket.c, wrong: ticket_lock takes its ticket with a load of next and then a store of it plus 1, two atomic steps instead of one atomic_fetch_add */
#include "ticket.h"

#include <sched.h>

void ticket_init(struct ticket_lock *l)
{
    atomic_init(&l->next, 0);
    atomic_init(&l->serving, 0);
}

void ticket_lock(struct ticket_lock *l)
{
    unsigned ticket = atomic_load(&l->next);
    atomic_store(&l->next, ticket + 1);
    while (atomic_load_explicit(&l->serving, memory_order_acquire) != ticket)
        sched_yield();
}

void ticket_unlock(struct ticket_lock *l)
{
    unsigned now = atomic_load_explicit(&l->serving, memory_order_relaxed);
    atomic_store_explicit(&l->serving, now + 1, memory_order_release);
}
