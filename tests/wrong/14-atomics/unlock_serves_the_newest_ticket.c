/* ticket.c, wrong: ticket_unlock sets serving to next, the newest ticket handed out, instead of adding 1, so the threads already in line are skipped */
#include "ticket.h"

#include <sched.h>

void ticket_init(struct ticket_lock *l)
{
    atomic_init(&l->next, 0);
    atomic_init(&l->serving, 0);
}

void ticket_lock(struct ticket_lock *l)
{
    unsigned ticket = atomic_fetch_add_explicit(&l->next, 1, memory_order_relaxed);
    while (atomic_load_explicit(&l->serving, memory_order_acquire) != ticket)
        sched_yield();
}

void ticket_unlock(struct ticket_lock *l)
{
    atomic_store_explicit(&l->serving, atomic_load_explicit(&l->next, memory_order_relaxed),
                          memory_order_release);
}
