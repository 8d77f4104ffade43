/*
 * thread_kinds.c - the ways the tutorials start a thread, in C:
 * a plain function, a function with an argument, a "Thread subclass"
 * (a struct that carries its own run function and state), and a
 * fire-and-forget thread (Python's _thread.start_new_thread) that is
 * detached: nobody joins it, so nobody waits for it either.
 */
#include "cli.h"
#include "log.h"
#include "pt.h"

#include <stdint.h>

/* threading.Thread(target=foo) */
static void *foo(void *unused)
{
    (void)unused;
    log_info("Hello threading!");
    return NULL;
}

/* threading.Thread(target=func_4_thread, args=(1_000_000,)): the argument travels by value. */
static void *func_4_thread(void *arg)
{
    long n_max = (long)(intptr_t)arg, n = 0;

    while (n < n_max)
        n += 1;
    log_info("func_4_thread counted to %ld", n);
    return NULL;
}

/* class MyThread(Thread): the struct is the object, run is its method. */
struct my_thread {
    pthread_t id;
    void (*run)(struct my_thread *self);
    long n_max;
};

static void *bootstrap(void *self)
{
    struct my_thread *t = self;
    t->run(t);
    return NULL;
}

static void my_thread_start(struct my_thread *t)
{
    PT(pthread_create(&t->id, NULL, bootstrap, t));
}

static void count_run(struct my_thread *self)
{
    long n = 0;

    while (n < self->n_max)
        n += 1;
    log_info("MyThread counted to %ld", n);
}

static void sleepy_run(struct my_thread *self)
{
    (void)self;
    log_info("Hello from Thread");
}

/* _thread.start_new_thread(thread, ("Argument",)) */
static void *real_boy(void *stuff)
{
    log_info("I'm a real boy!");
    log_info("%s", (const char *)stuff);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t;
    pthread_attr_t detached;

    cli_no_args(argc, argv);
    PT(pthread_create(&t, NULL, foo, NULL));
    PT(pthread_join(t, NULL));

    PT(pthread_create(&t, NULL, func_4_thread, (void *)(intptr_t)1000000));
    PT(pthread_join(t, NULL));

    struct my_thread my = { .run = count_run, .n_max = 1000000 };
    my_thread_start(&my);
    PT(pthread_join(my.id, NULL));

    struct my_thread sleepy = { .run = sleepy_run };
    my_thread_start(&sleepy);
    log_info("The main program continues to run in the foreground.");
    PT(pthread_join(sleepy.id, NULL));

    PT(pthread_attr_init(&detached));
    PT(pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED));
    PT(pthread_create(&t, &detached, real_boy, "Argument"));
    PT(pthread_attr_destroy(&detached));
    pthread_exit(NULL);         /* the detached thread still gets to finish */
}
