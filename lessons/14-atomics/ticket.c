/* ticket.c - exercise 14 (see ticket.h). Replace the TODOs. */
#include "ticket.h"

#include <sched.h>

void ticket_init(struct ticket_lock *l)
{
    atomic_init(&l->next, 0);
    atomic_init(&l->serving, 0);
}

void ticket_lock(struct ticket_lock *l)
{
    /* TODO: take a ticket (atomic_fetch_add_explicit on l->next); then,
     * until an acquire load of l->serving shows your ticket, sched_yield(). */
    (void)l;
}

void ticket_unlock(struct ticket_lock *l)
{
    /* TODO: serving + 1, stored with memory_order_release. */
    (void)l;
}
