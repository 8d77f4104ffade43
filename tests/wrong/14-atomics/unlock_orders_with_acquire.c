/* ticket.c, wrong: acquire and release swapped round: ticket_lock takes its ticket with release, ticket_unlock adds 1 with acquire, so nothing the holder wrote is released */
#include "ticket.h"

#include <sched.h>

void ticket_init(struct ticket_lock *l)
{
    atomic_init(&l->next, 0);
    atomic_init(&l->serving, 0);
}

void ticket_lock(struct ticket_lock *l)
{
    unsigned ticket = atomic_fetch_add_explicit(&l->next, 1, memory_order_release);
    while (atomic_load_explicit(&l->serving, memory_order_acquire) != ticket)
        sched_yield();
}

void ticket_unlock(struct ticket_lock *l)
{
    atomic_fetch_add_explicit(&l->serving, 1, memory_order_acquire);
}
