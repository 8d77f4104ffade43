/*
 * pickle.h - a reader of one kind of Python pickle: a list of small ints,
 * pickle.dumps([1, 2, 7, 9, 0], protocol=p) for p from 0 to 5, as Python 2
 * or 3 writes it. Nothing else: a pickle is a program for a small machine
 * (Python's pickle.loads can run code); this reads data, in a fixed format.
 */
#ifndef WORKBOOK_PICKLE_H
#define WORKBOOK_PICKLE_H

#include <stdbool.h>
#include <stddef.h>

enum pickle_status { PICKLE_OK, PICKLE_MORE, PICKLE_BAD };

/*
 * Read b[0..n) as such a pickle: PROTO p (2 and up), a FRAME (4 and up);
 * the empty list, EMPTY_LIST (']'), or MARK LIST ("(l") in protocols 0 and
 * 1; one memo store (PUT "p0\n", BINPUT, LONG_BINPUT, MEMOIZE); the ints
 * (INT "I7\n", BININT1, BININT2, BININT), each followed by APPEND or
 * grouped by MARK ... APPENDS; STOP, the last byte. PICKLE_OK:
 * items[0..*count) hold the list; PICKLE_MORE: the bytes so far are a good
 * start; PICKLE_BAD: anything else, with the reason in why.
 */
enum pickle_status pickle_int_list(const unsigned char *b, size_t n, long items[], size_t max, size_t *count,
                                   char *why, size_t whysize);

/*
 * pickle.loads(fd.recv(1024)) for such a list: receive from the connected
 * socket fd until the bytes are a whole list (at most 1024 of them). True
 * with items[0..*count); false with the reason in why (the connection
 * ended, the bytes are no such list, or more than `max` items).
 */
bool pickle_recv_int_list(int fd, long items[], size_t max, size_t *count, char *why, size_t whysize);

/* "[1, 2, 7, 9, 0]", as Python prints a list, in buf. */
void list_text(const long items[], size_t n, char *buf, size_t size);

#endif
