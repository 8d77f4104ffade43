/* ticket.c, wrong: ticket_lock reads serving through a volatile pointer, as lesson 12's counters are read: the compiler reads it every time, but a volatile read is no atomic one and orders nothing */
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
    volatile unsigned *serving = (volatile unsigned *)&l->serving;
    while (*serving != ticket)
        sched_yield();
}

void ticket_unlock(struct ticket_lock *l)
{
    unsigned now = atomic_load_explicit(&l->serving, memory_order_relaxed);
    atomic_store_explicit(&l->serving, now + 1, memory_order_release);
}
