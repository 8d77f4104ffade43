/* ticket.c, wrong: ticket_lock takes its ticket with a compare-and-swap loop that retries with the value of next it read first, never the value the failed exchange found */
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
    for (;;) {
        unsigned expected = ticket;
        if (atomic_compare_exchange_weak(&l->next, &expected, ticket + 1))
            break;
    }
    while (atomic_load_explicit(&l->serving, memory_order_acquire) != ticket)
        sched_yield();
}

void ticket_unlock(struct ticket_lock *l)
{
    unsigned now = atomic_load_explicit(&l->serving, memory_order_relaxed);
    atomic_store_explicit(&l->serving, now + 1, memory_order_release);
}
