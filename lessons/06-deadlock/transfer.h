/*
 * transfer.h - exercise 6: move money between accounts without deadlock.
 *
 * Each account has its own lock, so transfers between different pairs of
 * accounts run in parallel. A transfer needs both accounts' locks at once.
 * The stub takes `from`'s lock, then `to`'s: two_locks.c all over again.
 * One thread moving a -> b while another moves b -> a can each get their
 * first lock and wait forever for the second.
 *
 * Fix it with a global lock order: always lock the account with the lower
 * id first, whichever way the money goes. Mind the transfer from an
 * account to itself: its lock is one lock, and locking it twice is
 * deadlock.c.
 *
 * The tests check that a transfer locks both accounts' locks and no other
 * mutex (a lock for the whole bank would make every transfer wait for
 * every other), the lower id's first in both directions, and that
 * transfer(a, a) changes nothing without locking a's lock twice.
 */
#ifndef TRANSFER_H
#define TRANSFER_H

#include <pthread.h>

struct account {
    int id;                 /* unique: the lock order */
    pthread_mutex_t lock;   /* guards balance */
    long balance;           /* may go negative: this is a ledger */
};

void account_init(struct account *a, int id, long balance);
void account_destroy(struct account *a);

/* Move amount from `from` to `to` as one step: no thread ever sees the
 * money in both accounts or in neither. from == to changes nothing. */
void transfer(struct account *from, struct account *to, long amount);

#endif
