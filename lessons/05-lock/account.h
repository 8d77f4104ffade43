/*
 * account.h - exercise 5: a bank account that many threads can use at once.
 *
 * The account starts out correct for one thread: deposit reads the
 * balance, adds, and writes it back, exactly the read-modify-write of
 * racecond.c. With many threads calling it, updates get lost. Make every
 * function take the account's lock around everything it reads or writes,
 * and write withdraw so that checking the balance and taking the money
 * happen under one hold of the lock: check, unlock, lock, take would let
 * two threads both see enough money for one withdrawal.
 *
 * The tests check that each function locks a->lock (the account's own
 * lock, not one shared by every account), lets go of it on every way out,
 * and does all its reading and writing in one hold of it: they run another
 * thread's deposit or withdrawal just before each lock and just after each
 * unlock, and check that no money is made or lost.
 */
#ifndef ACCOUNT_H
#define ACCOUNT_H

#include <pthread.h>
#include <stdbool.h>

struct account {
    pthread_mutex_t lock;   /* guards balance */
    long balance;           /* never negative */
};

/* Set up an account holding `balance` (>= 0). */
void account_init(struct account *a, long balance);

/* Add amount (>= 0). */
void account_deposit(struct account *a, long amount);

/* Take amount (>= 0) and return true; or, when the balance is short,
 * take nothing and return false. */
bool account_withdraw(struct account *a, long amount);

/* The balance now. */
long account_balance(struct account *a);

/* Release what account_init set up; no thread may be using the account. */
void account_destroy(struct account *a);

#endif
