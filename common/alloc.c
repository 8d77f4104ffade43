/* alloc.c - allocation that aborts with a message instead of returning NULL. */
#include "alloc.h"

#include "fail.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *checked(void *p, size_t bytes)
{
    if (p == NULL && bytes > 0)
        fail_misuse("out of memory (asked for %zu bytes)", bytes);
    return p;
}

void *alloc_zeroed(size_t n, size_t size)
{
    return checked(calloc(n, size), n * size);
}

void *alloc_resize(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return checked(NULL, SIZE_MAX);
    return checked(realloc(p, n * size), n * size);
}

void *alloc_aligned(size_t alignment, size_t size)
{
    size_t rounded = (size + alignment - 1) / alignment * alignment;   /* C11 asks for a multiple */
    void *p = checked(aligned_alloc(alignment, rounded), rounded);
    return memset(p, 0, rounded);
}
