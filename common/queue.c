/*
 * queue.c - a ring buffer with a lock at each end (the two-lock queue).
 *
 * DESIGN: putters and getters take different locks, so a producer and a
 * consumer on two cores do not queue up behind one mutex. This is the
 * two-lock queue of Michael and Scott (1996) that OSTEP's chapter 29
 * shows, on a ring, with the wake-ups of Java's LinkedBlockingQueue.
 *
 *   in  (the put end):  in.lock guards in.index, the next free slot;
 *                        putters wait on in.cond, "not full".
 *   out (the take end): out.lock guards out.index, the oldest item;
 *                        getters wait on out.cond, "not empty".
 *   count (atomic):     a put adds 1 after writing its slot, a get takes
 *                        1 after reading its slot, so no slot is read
 *                        before it is written or written before it is read.
 *   ring, capacity, closed change only with both locks held (in first),
 *   so either lock is enough to read them.
 *
 * Wake-ups. A thread that must wait adds itself to its end's `sleepers`
 * *before* its last look at count, then sleeps on the end's condition. A
 * thread that changes count looks at the other end's `sleepers` *after*
 * it, and wakes a sleeper there only if it sees one. All of these are
 * sequentially consistent atomics, so at least one of the two sees the
 * other: either the sleeper sees the new count and does not sleep, or the
 * waker sees the sleeper. No wake-up is lost, and while the consumer keeps
 * up, a put never touches the consumer's lock. Only a transition wakes the
 * other end (empty to not empty, full to not full); a thread that leaves
 * items, or room, behind it passes the wake-up on at its own end.
 *
 * Spinning. Before it sleeps, the first thread in line at an end watches
 * count for about 4 microseconds (spin()). The thread at the other end is
 * usually running on another core and about to change it, and a sleep and
 * a wake-up cost far more than that: with a queue of 10 the watch avoids
 * nearly every sleep. Only one thread per end watches, only when nobody
 * sleeps there already (the next item would go to the sleeper), and never
 * when this process may use one CPU only: there the thread it waits for
 * cannot run while it watches.
 *
 * close() takes both locks and broadcasts both conditions.
 * Ordering: FIFO; items are handed out in the order the puts completed.
 * The ring grows by doubling, up to maxsize when there is one.
 */
#define _GNU_SOURCE             /* sched_getaffinity(), CPU_COUNT() */
#include "queue.h"

#include "alloc.h"
#include "pt.h"
#include "timing.h"

#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>

#define CACHE_LINE 64
#define SPINS 200               /* about 4 us: 200 x86 `pause`s of 19 ns on the bench machine */

/* One end of the queue, on cache lines of its own. */
struct end {
    alignas(CACHE_LINE) pthread_mutex_t lock;
    pthread_cond_t cond;
    size_t index;               /* in: the next free slot; out: the oldest item */
    atomic_uint sleepers;       /* threads between their announcement and their wake-up */
    atomic_bool spinning;       /* a thread is watching count (spin()) */
};

struct queue {
    struct end in, out;
    alignas(CACHE_LINE) atomic_size_t count;
    alignas(CACHE_LINE) void **ring;
    size_t capacity;            /* slots in ring */
    size_t maxsize;             /* 0: unbounded */
    bool closed;
    bool may_spin;              /* this process may run on more than one CPU */
};

static void end_init(struct end *e)
{
    PT(pthread_mutex_init(&e->lock, NULL));
    pt_cond_init_monotonic(&e->cond);
    atomic_init(&e->sleepers, 0);
    atomic_init(&e->spinning, false);
}

static void end_destroy(struct end *e)
{
    PT(pthread_cond_destroy(&e->cond));
    PT(pthread_mutex_destroy(&e->lock));
}

static bool more_than_one_cpu(void)
{
    cpu_set_t cpus;
    return sched_getaffinity(0, sizeof cpus, &cpus) != 0 || CPU_COUNT(&cpus) > 1;
}

queue_t *queue_create(size_t maxsize)
{
    queue_t *q = alloc_aligned(CACHE_LINE, sizeof *q);

    q->maxsize = maxsize;
    q->capacity = maxsize > 0 && maxsize < 64 ? maxsize : 64;
    q->ring = alloc_zeroed(q->capacity, sizeof *q->ring);
    q->may_spin = more_than_one_cpu();
    atomic_init(&q->count, 0);
    end_init(&q->in);
    end_init(&q->out);
    return q;
}

void queue_destroy(queue_t *q)
{
    end_destroy(&q->out);
    end_destroy(&q->in);
    free(q->ring);
    free(q);
}

static bool is_full(queue_t *q)
{
    return q->maxsize > 0 && atomic_load(&q->count) >= q->maxsize;
}

static bool is_empty(queue_t *q)
{
    return atomic_load(&q->count) == 0;
}

/* Tell the CPU this is a wait loop (it saves power and yields to a sibling thread). */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* Before taking e's lock: while blocked(q), watch count a moment, if first in line. */
static void spin(queue_t *q, struct end *e, bool (*blocked)(queue_t *))
{
    if (!q->may_spin || !blocked(q) || atomic_load(&e->sleepers) > 0
        || atomic_exchange(&e->spinning, true))
        return;
    for (int i = 0; i < SPINS && blocked(q); i++)
        cpu_relax();
    atomic_store(&e->spinning, false);
}

/*
 * Holding e->lock: wait while blocked(q) and the queue is open. Returns
 * QUEUE_OK when the caller may go on (closed included: the caller says
 * what that means), `busy` when block is false, QUEUE_TIMEOUT when the
 * deadline (NULL: none) passed.
 */
static enum queue_status wait_at(queue_t *q, struct end *e, bool (*blocked)(queue_t *),
                                 enum queue_status busy, bool block,
                                 const struct timespec *deadline)
{
    while (!q->closed && blocked(q)) {
        if (!block)
            return busy;
        bool woken = true;
        atomic_fetch_add(&e->sleepers, 1);
        if (blocked(q))         /* the last look, after the announcement */
            woken = pt_cond_wait_until(&e->cond, &e->lock, deadline);
        atomic_fetch_sub(&e->sleepers, 1);
        if (!woken && !q->closed && blocked(q))
            return QUEUE_TIMEOUT;
    }
    return QUEUE_OK;
}

/* Holding no lock, count just changed: wake one sleeper at end e, if there is one. */
static void wake(struct end *e)
{
    if (atomic_load(&e->sleepers) == 0)
        return;
    /* The sleeper announced itself holding e->lock and keeps it until it
     * sleeps: once we hold the lock, it is asleep (or gone). Signalling after
     * the unlock lets it take the lock at once instead of waiting for ours. */
    PT(pthread_mutex_lock(&e->lock));
    PT(pthread_mutex_unlock(&e->lock));
    PT(pthread_cond_signal(&e->cond));
}

/* Holding in.lock, the ring full: double it, holding out.lock too so no get moves. */
static void grow(queue_t *q)
{
    PT(pthread_mutex_lock(&q->out.lock));
    size_t count = atomic_load(&q->count);
    if (count == q->capacity) {
        size_t bigger = q->capacity * 2;
        if (q->maxsize > 0 && bigger > q->maxsize)
            bigger = q->maxsize;
        void **ring = alloc_zeroed(bigger, sizeof *ring);
        for (size_t i = 0; i < count; i++)
            ring[i] = q->ring[(q->out.index + i) % q->capacity];
        free(q->ring);
        q->ring = ring;
        q->capacity = bigger;
        q->out.index = 0;
        q->in.index = count;
    }
    PT(pthread_mutex_unlock(&q->out.lock));
}

/*
 * The one put: block = false never waits; otherwise wait until deadline
 * (NULL: no limit). Every other put calls this.
 */
static enum queue_status put(queue_t *q, void *item, bool block, const struct timespec *deadline)
{
    size_t before = 1;

    if (block)
        spin(q, &q->in, is_full);
    PT(pthread_mutex_lock(&q->in.lock));
    enum queue_status status = wait_at(q, &q->in, is_full, QUEUE_FULL, block, deadline);
    if (status == QUEUE_OK && q->closed) {
        status = QUEUE_CLOSED;
    } else if (status == QUEUE_OK) {
        if (atomic_load(&q->count) == q->capacity)
            grow(q);
        q->ring[q->in.index] = item;
        q->in.index = (q->in.index + 1) % q->capacity;
        before = atomic_fetch_add(&q->count, 1);
        if (!is_full(q) && atomic_load(&q->in.sleepers) > 0)
            PT(pthread_cond_signal(&q->in.cond));   /* room left: the next putter */
    }
    PT(pthread_mutex_unlock(&q->in.lock));
    if (before == 0)
        wake(&q->out);                              /* it was empty */
    return status;
}

static enum queue_status get(queue_t *q, void **item, bool block, const struct timespec *deadline)
{
    size_t before = 0;

    if (block)
        spin(q, &q->out, is_empty);
    PT(pthread_mutex_lock(&q->out.lock));
    enum queue_status status = wait_at(q, &q->out, is_empty, QUEUE_EMPTY, block, deadline);
    if (status == QUEUE_OK && is_empty(q)) {
        status = QUEUE_CLOSED;                      /* closed and drained */
    } else if (status == QUEUE_OK) {                /* closed or not, what is there is handed out */
        *item = q->ring[q->out.index];
        q->out.index = (q->out.index + 1) % q->capacity;
        before = atomic_fetch_sub(&q->count, 1);
        if (before > 1 && atomic_load(&q->out.sleepers) > 0)
            PT(pthread_cond_signal(&q->out.cond));  /* items left: the next getter */
    }
    PT(pthread_mutex_unlock(&q->out.lock));
    if (q->maxsize > 0 && before == q->maxsize)
        wake(&q->in);                               /* it was full */
    return status;
}

enum queue_status queue_put(queue_t *q, void *item) { return put(q, item, true, NULL); }
enum queue_status queue_get(queue_t *q, void **item) { return get(q, item, true, NULL); }
enum queue_status queue_try_put(queue_t *q, void *item) { return put(q, item, false, NULL); }
enum queue_status queue_try_get(queue_t *q, void **item) { return get(q, item, false, NULL); }

enum queue_status queue_put_timed(queue_t *q, void *item, double timeout)
{
    struct timespec deadline = timing_deadline(timeout);
    return put(q, item, true, &deadline);
}

enum queue_status queue_get_timed(queue_t *q, void **item, double timeout)
{
    struct timespec deadline = timing_deadline(timeout);
    return get(q, item, true, &deadline);
}

void queue_close(queue_t *q)
{
    PT(pthread_mutex_lock(&q->in.lock));
    PT(pthread_mutex_lock(&q->out.lock));
    q->closed = true;
    PT(pthread_cond_broadcast(&q->in.cond));
    PT(pthread_cond_broadcast(&q->out.cond));
    PT(pthread_mutex_unlock(&q->out.lock));
    PT(pthread_mutex_unlock(&q->in.lock));
}

size_t queue_size(queue_t *q)
{
    return atomic_load(&q->count);
}

bool queue_empty(queue_t *q)
{
    return is_empty(q);
}

bool queue_full(queue_t *q)
{
    return is_full(q);
}
