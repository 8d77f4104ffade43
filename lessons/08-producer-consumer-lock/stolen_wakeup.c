/*
 * stolen_wakeup.c - why a condition wait sits in `while`, never in `if`: a
 * wake-up says "look again", not "it is your turn".
 *
 * A waiter waits for an item. The producer puts one in and unlocks; a
 * thief takes the mutex; only then does the producer signal. The woken
 * waiter must lock the mutex again before its wait returns, and the thief
 * holds it: by the time the waiter has it, the thief has taken the item.
 * The `if` waiter goes on with no item (the count goes to -1); the `while`
 * waiter looks again and waits again. The events (common/event.h) force
 * that order on every run.
 */
#include "cli.h"
#include "event.h"
#include "log.h"
#include "pt.h"

#include <stdbool.h>
#include <stdint.h>

static pthread_mutex_t lock;            /* guards items */
static pthread_cond_t not_empty;
static int items;
static event_t *waiting, *item_put, *thief_in, *signalled;

static void *waiter(void *arg)
{
    bool recheck = (intptr_t)arg;
    const char *who = recheck ? "Waiter (while)" : "Waiter (if)";

    PT(pthread_mutex_lock(&lock));
    log_info("%s: items is %d: waits", who, items);
    event_set(waiting);                 /* we hold the mutex until the wait lets go of it */
    if (recheck) {
        while (items == 0) {
            PT(pthread_cond_wait(&not_empty, &lock));
            log_info("%s: woke, items is %d%s", who, items, items == 0 ? ": waits again" : "");
            if (items == 0)
                event_set(waiting);
        }
    } else if (items == 0) {
        PT(pthread_cond_wait(&not_empty, &lock));
        log_info("%s: woke, items is %d", who, items);
    }
    items--;
    log_info("%s: took an item: items is %d", who, items);
    PT(pthread_mutex_unlock(&lock));
    return NULL;
}

static void *thief(void *unused)
{
    (void)unused;
    event_wait(item_put);
    PT(pthread_mutex_lock(&lock));
    log_info("Thief: has the mutex");
    event_set(thief_in);
    event_wait(signalled);              /* the waiter is woken, and needs the mutex we hold */
    items--;
    log_info("Thief: took the item: items is %d", items);
    PT(pthread_mutex_unlock(&lock));
    return NULL;
}

static void put_item(const char *what)
{
    PT(pthread_mutex_lock(&lock));
    items++;
    log_info("Producer: put %s: items is %d", what, items);
    PT(pthread_mutex_unlock(&lock));
}

static void round_with(bool recheck)
{
    pthread_t w, t;

    items = 0;
    event_t **events[] = { &waiting, &item_put, &thief_in, &signalled };
    for (size_t i = 0; i < 4; i++)
        *events[i] = event_create();
    PT(pthread_create(&w, NULL, waiter, (void *)(intptr_t)recheck));
    PT(pthread_create(&t, NULL, thief, NULL));
    event_wait(waiting);                /* set with the mutex held: our lock waits for its wait */
    event_clear(waiting);
    put_item("an item");
    event_set(item_put);
    event_wait(thief_in);
    PT(pthread_cond_signal(&not_empty)); /* without the mutex (the thief has it), as POSIX allows */
    log_info("Producer: signalled");
    event_set(signalled);
    PT(pthread_join(t, NULL));
    if (recheck) {
        event_wait(waiting);            /* it waits again: our lock gets the mutex once it sleeps */
        put_item("another item");
        PT(pthread_cond_signal(&not_empty));
    }
    PT(pthread_join(w, NULL));
    for (size_t i = 0; i < 4; i++)
        event_destroy(*events[i]);
}

int main(int argc, char **argv)
{
    cli_no_args(argc, argv);
    PT(pthread_mutex_init(&lock, NULL));
    PT(pthread_cond_init(&not_empty, NULL));
    round_with(false);
    round_with(true);
    PT(pthread_cond_destroy(&not_empty));
    PT(pthread_mutex_destroy(&lock));
    return 0;
}
