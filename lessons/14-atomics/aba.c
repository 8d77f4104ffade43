/*
 * aba.c - lesson 14: the ABA problem of a compare-and-swap stack.
 *
 * A stack of nodes A -> B -> C whose top is swapped with compare-and-swap,
 * and two pops and a push stepped by hand in one thread (as lesson 4's
 * interleave exercise steps threads), so the run is the same every time.
 * "Thread 1" starts a pop and stops before its exchange; "thread 2" pops A,
 * pops B and pushes A back. The top is A again, so thread 1's exchange
 * succeeds, and sets the top to B, a node thread 2 holds. Then the same
 * steps with a version number beside the top, which every exchange adds 1
 * to: thread 1's exchange fails, and it tries again.
 */
#include "cli.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

/* Nodes by index (-1: none); the top is an index and a version, packed. */
static struct { char name; int next; } node[3] = { { 'A', 1 }, { 'B', 2 }, { 'C', -1 } };
static atomic_uint_least64_t top;
static int versioned;               /* 0: the version is always 0 */

static uint64_t pack(int index, uint32_t version)
{
    return (uint64_t)version << 32 | (uint32_t)(index + 1);
}
static int index_of(uint64_t t) { return (int)(uint32_t)t - 1; }

static int exchange(uint64_t *seen, int new_top)
{
    uint32_t version = versioned ? (uint32_t)(*seen >> 32) + 1 : 0;
    return atomic_compare_exchange_strong(&top, seen, pack(new_top, version));
}

static int pop(void)
{
    uint64_t seen = atomic_load(&top);
    while (!exchange(&seen, node[index_of(seen)].next))
        ;
    return index_of(seen);
}

static void push(int n)
{
    uint64_t seen = atomic_load(&top);
    do
        node[n].next = index_of(seen);
    while (!exchange(&seen, n));
}

static void print_stack(const char *when)
{
    uint64_t t = atomic_load(&top);
    printf("  %-44s top", when);
    for (int n = index_of(t), hops = 0; n >= 0 && hops < 4; n = node[n].next, hops++)
        printf(" -> %c", node[n].name);
    printf("   (version %u)\n", (unsigned)(t >> 32));
}

static void aba(int with_version)
{
    versioned = with_version;
    node[0].next = 1, node[1].next = 2, node[2].next = -1;
    atomic_store(&top, pack(0, 0));
    printf("%s:\n", with_version ? "with a version beside the top" : "the top alone");
    print_stack("start");
    uint64_t seen = atomic_load(&top);                  /* thread 1 begins a pop */
    int next = node[index_of(seen)].next;
    printf("  thread 1 reads top %c and its next, %c, and is preempted\n",
           node[index_of(seen)].name, node[next].name);
    int a = pop(), b = pop();
    push(a);
    print_stack("thread 2 pops A, pops B, pushes A back:");
    int swapped = exchange(&seen, next);                /* thread 1 goes on */
    printf("  thread 1's exchange (top %c -> %c): %s\n", 'A', node[next].name,
           swapped ? "succeeds" : "fails: the version moved on");
    if (!swapped)
        pop();                                          /* it tries again, from what it found */
    print_stack("end:");
    if (index_of(atomic_load(&top)) == b)
        printf("  the top is B, which thread 2 popped and holds: B is in two places\n");
    else
        printf("  the top is C: A and B are both off the stack, as they should be\n");
}

int main(int argc, char **argv)
{
    cli_no_args(argc, argv);
    aba(0);
    aba(1);
    return 0;
}
