/*
 * fastqueue.c - a ring buffer with a lock at each end (the two-lock queue),
 * the fast twin of queue.c that lesson 13 takes apart.
 *
 * DESIGN: putters and getters take different locks, so a producer and a
 * consumer on two cores do not queue up behind one mutex. This is the
 * two-lock queue of Michael and Scott (1996) that OSTEP's chapter 29
 * shows, on a ring.
 *
 *   in  (the put end):  in.lock guards in.index, the next free slot;
 *                        putters wait on in.cond, "not full".
 *   out (the take end): out.lock guards out.index, the oldest item;
 *                        getters wait on out.cond, "not empty".
 *   in.total, out.total (atomic): how many puts and gets have completed.
 *                        Each is written by its own end only, after the
 *                        slot, so the queue holds in.total - out.total
 *                        items and no slot is read before it is written
 *                        or written again before it is read.
 *   ring, capacity, closed change only with both locks held (in first),
 *   so either lock is enough to read them.
 *
 * Cache lines. Each end keeps the other end's total as it last read it
 * (`seen`), and reads the real one again only when `seen` says full (or
 * empty). While the queue is neither, a put and a get touch no common
 * line but the ring's. The fields the other end reads have lines of
 * their own, so its reads do not pull away the line the lock is on.
 *
 * Wake-ups. A thread that must wait adds itself to its end's `sleepers`
 * *before* its last look at the other end's total, then sleeps on the
 * end's condition. A put or get looks at the other end's `sleepers`
 * *after* it added to its own total. All of these are sequentially
 * consistent atomics, so at least one of the two sees the other: either
 * the sleeper sees the change and does not sleep, or the waker sees the
 * sleeper. No wake-up is lost, and while nobody sleeps, a put never
 * touches the getters' lock. The waker takes the sleeper off `sleepers`
 * itself (and counts a signal in `signals`), so the puts that follow do
 * not wake it again before it has even run.
 *
 * Watching. Before it sleeps, the first thread in line at an end may
 * watch the other end for a moment (watch()): that thread is usually
 * running on another core and about to make room or an item, and a sleep
 * and a wake-up cost far more. How long a moment is measured, never a
 * constant: a count of pauses tuned on one CPU lasts 4 us on one machine
 * and 2 us on another, and a watch shorter than the other end's wake-up
 * fails every time. Each end learns what a sleep costs here, `sleep_cost`:
 * from the waker's signal to the woken thread holding the lock again,
 * its typical value (learn(): a low quantile, so a wake-up that waited
 * milliseconds for a busy CPU does not stretch every watch after it).
 *
 * A watch lasts two sleep_costs at most, a sleep and a wake-up, reading
 * the clock at every pause (CLOCK_MONOTONIC: no system call on Linux,
 * about as long as one pause). Two, because the thread watched for may
 * itself be asleep, just woken by this one, and needs one sleep_cost to
 * get back before it can make the change. Until its first sleep an end
 * has measured nothing and does not watch.
 *
 * Whether a watch pays is learned from how the last ones went (record()),
 * as glibc's adaptive mutex learns its spin count: one that saw the change
 * counts `misses` down, one that gave up counts it up and makes the end
 * skip the next 2^misses - 1 waits, straight to sleep. A watch also fails
 * when the clock jumps by a sleep_cost between two looks: the CPU went to
 * another thread meanwhile, the sign of a busy machine (Linux's mutexes
 * stop spinning then too: need_resched()). So on a busy machine, where
 * the thread watched for often has no CPU, watches soon become rare
 * probes; on a quiet one, nearly every wait watches and none sleeps.
 *
 * Where this process may use one CPU only, the thread watched for cannot
 * run while this one spins: there a watch is one sched_yield(), which
 * hands the CPU to it if it is ready, and the yield fails if the CPU came
 * back later than a sleep and a wake-up would have (another process had
 * it), with the same record.
 *
 * The watcher looks every `gap` pauses, not after each one. Each look
 * pulls the other end's total to this core; looking after every item
 * would make every put and get a cache miss. gap is maxsize: a queue of
 * 1 is looked at at every pause, a big one rarely, once a batch has built
 * up; but a watch looks LOOKS times at least, so a big queue's watch
 * does not end before its first look. Only one thread per end watches,
 * and only when nobody sleeps there already (the next item would go to
 * the sleeper).
 *
 * close() takes both locks and broadcasts both conditions.
 * Ordering: FIFO; items are handed out in the order the puts completed.
 * The ring grows by doubling, up to maxsize when there is one.
 */
#include "fastqueue.h"

#include "alloc.h"
#include "cpus.h"
#include "pt.h"
#include "timing.h"

#include <limits.h>
#include <math.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#define CACHE_LINE 64
#define LOOKS 8                 /* watch(): a watch looks at the other end this often at least */
#define MISS_SHIFT 10           /* record(): after that many misses in a row, one wait in 2^10 watches */

/*
 * One end of the queue. Its own threads use the first lines; the other
 * end reads `total` (when its `seen` says full or empty) and `sleepers`
 * (after every put or get), so each of those has a line of its own.
 */
struct end {
    alignas(CACHE_LINE) pthread_mutex_t lock;
    pthread_cond_t cond;
    size_t index;               /* in: the next free slot; out: the oldest item */
    size_t seen;                /* the other end's total, as last read: never ahead of it */
    unsigned signals;           /* sleepers taken off `sleepers` and signalled, not yet awake */
    double signalled;           /* when the last of them was signalled (timing_now()) */
    double sleep_cost;          /* seconds, typical: signal to awake (0: none measured yet) */
    unsigned misses;            /* watches in a row that did not pay */
    unsigned skip;              /* waits to go straight to sleep before the next watch */
    atomic_bool watching;       /* a thread is in watch() */
    alignas(CACHE_LINE) atomic_size_t total;    /* puts (in) or gets (out) completed */
    alignas(CACHE_LINE) atomic_uint sleepers;   /* threads asleep, or about to be, not yet signalled */
};

struct fastqueue {
    struct end in, out;
    alignas(CACHE_LINE) void **ring;
    size_t capacity;            /* slots in ring */
    size_t maxsize;             /* 0: unbounded */
    bool closed;
    bool many_cpus;             /* this process may run on more than one CPU */
    unsigned gap;               /* watch(): pauses between two looks */
};

static void end_init(struct end *e)
{
    PT(pthread_mutex_init(&e->lock, NULL));
    pt_cond_init_monotonic(&e->cond);
    atomic_init(&e->total, 0);
    atomic_init(&e->sleepers, 0);
    atomic_init(&e->watching, false);
}

static void end_destroy(struct end *e)
{
    PT(pthread_cond_destroy(&e->cond));
    PT(pthread_mutex_destroy(&e->lock));
}

fastqueue_t *fastqueue_create(size_t maxsize)
{
    fastqueue_t *q = alloc_aligned(CACHE_LINE, sizeof *q);

    q->maxsize = maxsize;
    q->capacity = maxsize > 0 && maxsize < 64 ? maxsize : 64;
    q->ring = alloc_zeroed(q->capacity, sizeof *q->ring);
    q->many_cpus = cpus_usable() > 1;
    q->gap = maxsize > 0 && maxsize < UINT_MAX ? (unsigned)maxsize : UINT_MAX;
    end_init(&q->in);
    end_init(&q->out);
    return q;
}

void fastqueue_destroy(fastqueue_t *q)
{
    end_destroy(&q->out);
    end_destroy(&q->in);
    free(q->ring);
    free(q);
}

/*
 * Holding in.lock: does the queue hold `limit` items or more? in.total
 * cannot move; out.total only grows, so in.seen can only overstate the
 * count. Only when it says yes is out.total read again.
 */
static bool holds(fastqueue_t *q, size_t limit)
{
    size_t puts = atomic_load(&q->in.total);
    if (puts - q->in.seen < limit)
        return false;
    q->in.seen = atomic_load(&q->out.total);
    return puts - q->in.seen >= limit;
}

static bool full_at_in(fastqueue_t *q)
{
    return q->maxsize > 0 && holds(q, q->maxsize);
}

/* Holding out.lock: the same with the ends swapped. */
static bool empty_at_out(fastqueue_t *q)
{
    size_t gets = atomic_load(&q->out.total);
    if (q->out.seen != gets)
        return false;
    q->out.seen = atomic_load(&q->in.total);
    return q->out.seen == gets;
}

/* Holding no lock, for watch(): guesses, good enough to stop watching. */
static bool looks_full(fastqueue_t *q)
{
    size_t gets = atomic_load(&q->out.total);
    return q->maxsize > 0 && atomic_load(&q->in.total) - gets >= q->maxsize;
}

static bool looks_empty(fastqueue_t *q)
{
    return atomic_load(&q->out.total) == atomic_load(&q->in.total);
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

/*
 * Holding e->lock: one more measurement for a typical time. The estimate
 * moves up a 24th when the measurement is above it and down an eighth
 * when below, so it settles where about a quarter of the measurements
 * are below it (a step down weighs as much as three and a bit up). One
 * sleep that took 4 ms moves it no more than one that took 4 us (an
 * average would jump a thousandfold).
 */
static void learn(double *typical, double seconds)
{
    if (*typical == 0)
        *typical = seconds;
    else if (seconds > *typical)
        *typical *= 1 + 1.0 / 24;
    else
        *typical *= 1 - 1.0 / 8;
}

/* A CLOCK_MONOTONIC deadline in timing_now()'s seconds (NULL: none). */
static double seconds_of(const struct timespec *deadline)
{
    return deadline == NULL ? INFINITY : (double)deadline->tv_sec + (double)deadline->tv_nsec / 1e9;
}

enum watched { NOT_WATCHED, SAW, GAVE_UP, LOST_THE_CPU };

/*
 * Holding no lock: while looks_blocked(q), watch from now until `until`
 * (seconds, timing_now()), if first in line at e. SAW: the queue changed.
 * GAVE_UP: `until` came first. LOST_THE_CPU: another thread had this CPU
 * for `lost` seconds or more meanwhile (two looks at the clock were that
 * far apart): the watch looks once more and stops, and even if that look
 * sees the change, the CPU went elsewhere and the watch did not pay.
 *
 * Where this process may use one CPU only, the other end cannot run while
 * this thread watches, so the watch is one sched_yield(): the CPU goes to
 * the other end if it is ready to run, and comes back once it stops. If
 * it comes back after `until`, the CPU went elsewhere for longer than a
 * sleep would have taken: LOST_THE_CPU.
 */
static enum watched watch(fastqueue_t *q, struct end *e, bool (*looks_blocked)(fastqueue_t *),
                          double until, double lost)
{
    if (atomic_load(&e->sleepers) > 0 || atomic_exchange(&e->watching, true))
        return NOT_WATCHED;
    enum watched how = GAVE_UP;
    double now = timing_now(), then = now;
    double every = (until - now) / LOOKS, next_look = now + every;
    for (unsigned paused = 1;; paused++) {
        then = now;
        if (q->many_cpus)
            cpu_relax();
        else
            sched_yield();
        now = timing_now();
        bool last = !q->many_cpus || now >= until || now - then >= lost;
        if (last || paused % q->gap == 0 || now >= next_look) {
            if (!looks_blocked(q)) {
                how = SAW;
                break;
            }
            next_look = now + every;
        }
        if (last)
            break;
    }
    if (q->many_cpus ? now - then >= lost : now >= until)
        how = LOST_THE_CPU;
    atomic_store(&e->watching, false);
    return how;
}

/*
 * Holding e->lock: how the watch went, for the next ones. `misses` counts
 * up for each watch that did not pay and down for each that did, so it
 * grows only while most watches fail. After a failure the end skips the
 * next 2^misses - 1 waits (1, 3, 7, ... up to 2^MISS_SHIFT - 1) before it
 * watches again: a probe, in case the machine got quieter meanwhile.
 */
static void record(struct end *e, enum watched how)
{
    if (how == SAW) {
        if (e->misses > 0)
            e->misses--;
    } else if (how != NOT_WATCHED) {
        if (e->misses < MISS_SHIFT)
            e->misses++;
        e->skip = (1u << e->misses) - 1;
    }
}

/*
 * Holding e->lock: wait while blocked(q) and the queue is open, first
 * watching a moment without the lock if a watch pays here, then asleep.
 * Returns QUEUE_OK when the caller may go on (closed included: the caller
 * says what that means), `busy` when block is false, QUEUE_TIMEOUT when
 * the deadline (NULL: none) passed.
 */
static enum queue_status wait_at(fastqueue_t *q, struct end *e, bool (*blocked)(fastqueue_t *),
                                 bool (*looks_blocked)(fastqueue_t *), enum queue_status busy,
                                 bool block, const struct timespec *deadline)
{
    double start = 0;                   /* when this call found it must wait */
    bool may_watch = true;
    while (!q->closed && blocked(q)) {
        if (!block)
            return busy;
        if (start == 0)
            start = timing_now();
        if (may_watch && e->sleep_cost > 0) {
            may_watch = false;
            if (e->skip > 0) {
                e->skip--;
            } else {
                /* A sleep and a wake-up: what watching may cost at most. */
                double longest = start + 2 * e->sleep_cost, lost = e->sleep_cost;
                double until = fmin(longest, seconds_of(deadline));
                PT(pthread_mutex_unlock(&e->lock));
                enum watched how = watch(q, e, looks_blocked, until, lost);
                PT(pthread_mutex_lock(&e->lock));
                if (!(how == GAVE_UP && until < longest))
                    record(e, how);     /* (a deadline that cut it short says nothing) */
                continue;
            }
        }
        bool woken = true;
        atomic_fetch_add(&e->sleepers, 1);
        bool sleeps = blocked(q);       /* the last look, after the announcement */
        if (sleeps)
            woken = pt_cond_wait_until(&e->cond, &e->lock, deadline);
        if (e->signals > 0) {
            e->signals--;               /* a waker took one of us off sleepers */
            if (sleeps && woken && e->signalled > start)
                learn(&e->sleep_cost, timing_now() - e->signalled);
        } else {
            atomic_fetch_sub(&e->sleepers, 1);
        }
        if (!woken && !q->closed && blocked(q))
            return QUEUE_TIMEOUT;
    }
    return QUEUE_OK;
}

/* Holding no lock, after a put or get: wake one sleeper at end e, if there is one. */
static void wake(struct end *e)
{
    if (atomic_load(&e->sleepers) == 0)
        return;
    /* A sleeper announces itself holding e->lock and keeps it until it
     * sleeps: once we hold the lock, the ones still counted are asleep.
     * Signalling after the unlock lets one take the lock at once. */
    PT(pthread_mutex_lock(&e->lock));
    bool asleep = atomic_load(&e->sleepers) > 0;
    if (asleep) {
        atomic_fetch_sub(&e->sleepers, 1);
        e->signals++;
        e->signalled = timing_now();
    }
    PT(pthread_mutex_unlock(&e->lock));
    if (asleep)
        PT(pthread_cond_signal(&e->cond));
}

/* Holding in.lock, the ring full: double it, holding out.lock too so no get moves. */
static void grow(fastqueue_t *q)
{
    PT(pthread_mutex_lock(&q->out.lock));
    size_t count = atomic_load(&q->in.total) - atomic_load(&q->out.total);
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

/* The next index after i in the ring. */
static size_t next(fastqueue_t *q, size_t i)
{
    return i + 1 == q->capacity ? 0 : i + 1;
}

/*
 * The one put: block = false never waits; otherwise wait until deadline
 * (NULL: no limit). Every other put calls this.
 */
static enum queue_status put(fastqueue_t *q, void *item, bool block, const struct timespec *deadline)
{
    PT(pthread_mutex_lock(&q->in.lock));
    enum queue_status status = wait_at(q, &q->in, full_at_in, looks_full, QUEUE_FULL,
                                       block, deadline);
    if (status == QUEUE_OK && q->closed) {
        status = QUEUE_CLOSED;
    } else if (status == QUEUE_OK) {
        if (holds(q, q->capacity))
            grow(q);
        q->ring[q->in.index] = item;
        q->in.index = next(q, q->in.index);
        atomic_fetch_add(&q->in.total, 1);
    }
    PT(pthread_mutex_unlock(&q->in.lock));
    if (status == QUEUE_OK)
        wake(&q->out);
    return status;
}

static enum queue_status get(fastqueue_t *q, void **item, bool block, const struct timespec *deadline)
{
    PT(pthread_mutex_lock(&q->out.lock));
    enum queue_status status = wait_at(q, &q->out, empty_at_out, looks_empty, QUEUE_EMPTY,
                                       block, deadline);
    if (status == QUEUE_OK && empty_at_out(q)) {
        status = QUEUE_CLOSED;                      /* closed and drained */
    } else if (status == QUEUE_OK) {                /* closed or not, what is there is handed out */
        *item = q->ring[q->out.index];
        q->out.index = next(q, q->out.index);
        atomic_fetch_add(&q->out.total, 1);
    }
    PT(pthread_mutex_unlock(&q->out.lock));
    if (status == QUEUE_OK)
        wake(&q->in);
    return status;
}

enum queue_status fastqueue_put(fastqueue_t *q, void *item) { return put(q, item, true, NULL); }
enum queue_status fastqueue_get(fastqueue_t *q, void **item) { return get(q, item, true, NULL); }
enum queue_status fastqueue_try_put(fastqueue_t *q, void *item) { return put(q, item, false, NULL); }
enum queue_status fastqueue_try_get(fastqueue_t *q, void **item) { return get(q, item, false, NULL); }

enum queue_status fastqueue_put_timed(fastqueue_t *q, void *item, double timeout)
{
    struct timespec deadline = timing_deadline(timeout);
    return put(q, item, true, &deadline);
}

enum queue_status fastqueue_get_timed(fastqueue_t *q, void **item, double timeout)
{
    struct timespec deadline = timing_deadline(timeout);
    return get(q, item, true, &deadline);
}

void fastqueue_close(fastqueue_t *q)
{
    PT(pthread_mutex_lock(&q->in.lock));
    PT(pthread_mutex_lock(&q->out.lock));
    q->closed = true;
    PT(pthread_cond_broadcast(&q->in.cond));
    PT(pthread_cond_broadcast(&q->out.cond));
    PT(pthread_mutex_unlock(&q->out.lock));
    PT(pthread_mutex_unlock(&q->in.lock));
}

/* Holding out.lock, out.total cannot move: the difference is a count the queue really had. */
size_t fastqueue_size(fastqueue_t *q)
{
    PT(pthread_mutex_lock(&q->out.lock));
    size_t count = atomic_load(&q->in.total) - atomic_load(&q->out.total);
    PT(pthread_mutex_unlock(&q->out.lock));
    return count;
}

bool fastqueue_empty(fastqueue_t *q)
{
    return fastqueue_size(q) == 0;
}

bool fastqueue_full(fastqueue_t *q)
{
    return q->maxsize > 0 && fastqueue_size(q) >= q->maxsize;
}
