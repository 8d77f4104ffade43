/*
 * pickle.c - a reader of a pickled list of small ints (see pickle.h). It
 * knows the opcodes that build such a list, where each may stand, and
 * stops at the first other byte: six protocols are six spellings of the
 * same data, never another kind of data.
 */
#include "pickle.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

/* n bytes of a little-endian signed int at b. */
static long pickle_int(const unsigned char *b, int n)
{
    unsigned long v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | b[i];
    if (n == 4)
        return (long)(int32_t)(uint32_t)v;
    return (long)v;
}

/*
 * The decimal argument of a protocol 0 opcode at b[i] ("I17\n", "p0\n"):
 * *v, and *next, the index after its '\n'. PICKLE_MORE until the '\n' has
 * come; PICKLE_BAD for anything but [-]digits, 18 at most, without a
 * leading zero (I00 and I01 are False and True).
 */
static enum pickle_status pickle_decimal(const unsigned char *b, size_t n, size_t i, long *v, size_t *next)
{
    size_t j = i + 1 + (i + 1 < n && b[i + 1] == '-'), first = j;
    unsigned long u = 0;
    for (; j < n && j - first < 18 && b[j] >= '0' && b[j] <= '9'; j++)
        u = u * 10 + (unsigned long)(b[j] - '0');
    if (j == n)
        return PICKLE_MORE;
    if (b[j] != '\n' || j == first || (b[first] == '0' && j - first > 1))
        return PICKLE_BAD;
    *v = b[i + 1] == '-' ? -(long)u : (long)u;
    *next = j + 1;
    return PICKLE_OK;
}

enum pickle_status pickle_int_list(const unsigned char *b, size_t n, long items[], size_t max, size_t *count,
                                   char *why, size_t whysize)
{
    size_t i = 0, frame_end = 0, memo_at = 0, loose = 0;    /* loose: ints not appended yet */
    int proto = 0;
    bool marked = false;

    *count = 0;
    if (n >= 1 && b[0] == 0x80) {
        if (n < 2)
            return PICKLE_MORE;
        proto = b[1];
        if (proto < 2 || proto > 5) {
            snprintf(why, whysize, "the list is pickled with protocol %d: this client reads protocols 0 "
                     "to 5 (pickle.dumps(x, protocol=5) or lower)", proto);
            return PICKLE_BAD;
        }
        i = 2;
    }
    while (i < n) {
        unsigned char op = b[i];
        size_t arg = op == 'q' || op == 'K' ? 1 : op == 'M' ? 2 : op == 'J' || op == 'r' ? 4 : op == 0x95 ? 8 : 0;
        size_t next = i + 1 + arg;
        bool item = op == 'K' || op == 'M' || op == 'J' || op == 'I';
        long v = 0;
        if (next > n || (op == '(' && memo_at == 0 && i + 1 == n))
            return PICKLE_MORE;
        if (op == 'I' || op == 'p') {
            enum pickle_status st = pickle_decimal(b, n, i, &v, &next);
            if (st == PICKLE_MORE)
                return st;
            if (st == PICKLE_BAD) {
                snprintf(why, whysize, "byte %zu: opcode '%c' takes a whole number with no leading zero and "
                         "a newline (I00 and I01 are False and True): not a list of small ints", i, op);
                return st;
            }
        } else if (item) {
            v = pickle_int(b + i + 1, (int)arg);
        }
        if (op == 0x95 && proto >= 4 && i == 2) {
            frame_end = next + (size_t)pickle_int(b + i + 1, 8);
        } else if (memo_at == 0) {
            if (op == ']' && (proto > 0 || i == 0)) {
                memo_at = next;
                proto = proto > 0 ? proto : 1;  /* no PROTO, and EMPTY_LIST: protocol 1 */
            } else if (op == '(' && proto == 0 && i == 0 && b[1] == 'l') {
                memo_at = next = 2;
            } else {
                snprintf(why, whysize, "byte %zu is opcode 0x%02x, not the start of a list (EMPTY_LIST ']', "
                         "or \"(l\" in protocol 0): not a list", i, op);
                return PICKLE_BAD;
            }
        } else if (i == memo_at && (op == 'q' || op == 'r' ? proto != 0 : op == 0x94 ? proto >= 4 : op == 'p')) {
            /* the list's memo entry: nothing to keep */
        } else if (item && (op == 'I') == (proto == 0) && (marked || loose == 0)) {
            if (*count == max) {
                snprintf(why, whysize, "the list has more than %zu items", max);
                return PICKLE_BAD;
            }
            items[(*count)++] = v;
            loose++;
        } else if ((op == 'a' && !marked && loose == 1) || (op == 'e' && marked)) {
            marked = false;
            loose = 0;
        } else if (op == '(' && proto > 0 && !marked && loose == 0) {
            marked = true;
        } else if (op == '.' && !marked && loose == 0) {
            if (next != n)
                snprintf(why, whysize, "%zu bytes follow the pickle's STOP", n - next);
            else if (frame_end != 0 && frame_end != n)
                snprintf(why, whysize, "the pickle's FRAME says it ends at byte %zu, its STOP is byte %zu",
                         frame_end, i);
            if (next != n || (frame_end != 0 && frame_end != n))
                return PICKLE_BAD;
            return PICKLE_OK;
        } else {
            char shown[8] = "";
            if (op >= 0x20 && op < 0x7f)
                snprintf(shown, sizeof shown, " ('%c')", op);
            snprintf(why, whysize, "byte %zu is pickle opcode 0x%02x%s, which this client does not %s: it "
                     "takes only a list of small ints, pickled with protocol 0 to 5", i, op, shown,
                     op != 0 && strchr("]()laeKMJIpqr.\x94\x95", op) != NULL ? "expect there" : "read");
            return PICKLE_BAD;
        }
        i = next;
    }
    return PICKLE_MORE;
}

void list_text(const long items[], size_t n, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "[");
    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%ld", i > 0 ? ", " : "", items[i]);
    if (used < size)
        snprintf(buf + used, size - used, "]");
}

bool pickle_recv_int_list(int fd, long items[], size_t max, size_t *count, char *why, size_t whysize)
{
    unsigned char got[1024];
    size_t n = 0;
    enum pickle_status st = PICKLE_MORE;

    while (st == PICKLE_MORE && n < sizeof got) {
        ssize_t r = recv(fd, got + n, sizeof got - n, 0);
        if (r <= 0) {
            snprintf(why, whysize, "the connection ended after %zu bytes of the list", n);
            return false;
        }
        n += (size_t)r;
        st = pickle_int_list(got, n, items, max, count, why, whysize);
    }
    if (st == PICKLE_MORE)
        snprintf(why, whysize, "the list is over %zu bytes", sizeof got);
    return st == PICKLE_OK;
}
