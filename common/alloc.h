/*
 * alloc.h - memory, or a clear death. No caller in the workbook can do
 * anything useful when memory runs out, so these print what failed and
 * abort instead of returning NULL.
 */
#ifndef WORKBOOK_ALLOC_H
#define WORKBOOK_ALLOC_H

#include <stddef.h>

/* calloc(n, size). */
void *alloc_zeroed(size_t n, size_t size);

/* realloc(p, n * size). */
void *alloc_resize(void *p, size_t n, size_t size);

/* Zeroed memory for size bytes on an `alignment` boundary (a power of two). */
void *alloc_aligned(size_t alignment, size_t size);

#endif
