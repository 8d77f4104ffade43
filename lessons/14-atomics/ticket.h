/*
 * ticket.h - exercise 14: a ticket lock, spinlocks.c's fair spin lock with
 * its tickets taken as threads come, written so that it also gives the
 * memory order a lock must give.
 *
 * Two counters, as at a bakery counter: `next` is the next ticket to hand
 * out, `serving` the ticket whose holder may go in now.
 *
 * The contract, which the tests check:
 * - ticket_lock takes a ticket with one atomic_fetch_add on next (one
 *   indivisible step: two threads never get the same ticket), then waits
 *   until serving equals its ticket, loading serving again on every look:
 *   it returns holding the lock. While it waits it calls sched_yield()
 *   between looks, so that on a busy or single core the holder, and the
 *   thread whose turn is next, get the CPU.
 * - ticket_unlock adds 1 to serving: the next ticket's holder goes in.
 *   Only the holder writes serving.
 * - Tickets are served in the order they were taken (first come, first
 *   served), also when the counters wrap around past UINT_MAX to 0:
 *   compare tickets with == and !=, never < or >.
 * - The lock orders memory as a mutex does: whatever the holder wrote
 *   before ticket_unlock, the next holder reads after its ticket_lock
 *   returns. So the store in ticket_unlock is a release
 *   (atomic_store_explicit(..., memory_order_release), or stronger) and the
 *   load that sees serving reach the ticket is an acquire
 *   (atomic_load_explicit(..., memory_order_acquire), or stronger). A
 *   relaxed one orders nothing, and the data the lock guards is then a data
 *   race, which ThreadSanitizer reports. Read and write the counters only
 *   with atomic_ operations (a volatile or plain read of an atomic is no
 *   atomic read).
 * - All its state is in the struct: two locks at once never meet.
 */
#ifndef TICKET_H
#define TICKET_H

#include <stdatomic.h>

struct ticket_lock {
    atomic_uint next;       /* the next ticket to hand out */
    atomic_uint serving;    /* the ticket that may hold the lock now */
};

void ticket_init(struct ticket_lock *l);    /* both counters 0: free */
void ticket_lock(struct ticket_lock *l);
void ticket_unlock(struct ticket_lock *l);  /* only by the holder */

#endif
