#!/usr/bin/env bash
# scripts/timeline.sh - draws a demo's log as one column per thread, time going
# down, the way the article draws its race:
#
#   TIMELINE=1 build/bin/racecond | scripts/timeline.sh
#   make lesson-4 VIEW=timeline          (the same, for each demo of a lesson)
#
# With TIMELINE=1, common/log.c stamps each line "@T <ms> <thread>\t" (ms
# since the first line; thread 0 ran main, the others are numbered in the
# order of their first lines). Each run of such lines becomes a table: a
# column per thread, headed by the name its lines start with ("Thread 0: ..."
# gives "Thread 0", and that prefix is not repeated below), or "main" and
# "thread N"; main first, threads of one name in number order; each line in its thread's column, on a row of its own, with
# its time, so the order of the rows is the order of the lines. Up to four
# threads fit in WIDTH (80) columns, long lines wrapping inside their
# column; more threads are listed one line each, the thread named in front.
# Any other line (a demo's header, a printf) is printed as it is.
set -u
WIDTH=${WIDTH:-80}
[[ $WIDTH =~ ^[0-9]+$ ]] && [ "$WIDTH" -ge 40 ] || { echo "timeline: WIDTH must be a number of columns, 40 or more" >&2; exit 2; }
exec awk -v width="$WIDTH" '
# The message without the thread name its column (or listing) already shows.
function unnamed(t, text) {
    if (prefix[t] != "" && index(text, prefix[t]) == 1) {
        text = substr(text, length(prefix[t]) + 1)
        sub(/^ +/, "", text)
    } else if (index(text, label[t] " ") == 1) {
        text = substr(text, length(label[t]) + 2)
    }
    return text
}
function flush(    i, t, j, n, w, want, left, more, cw, lab, text, row, chunk, cut, cell, line, stem, num, stempos, key1, key2) {
    if (count == 0) return
    n = 0
    for (t = 0; t <= maxthread; t++) if (t in seen) order[++n] = t
    for (j = 1; j <= n; j++) {
        t = order[j]
        lab = ""
        if (match(firstmsg[t], /^[A-Za-z][A-Za-z0-9 ]*:/) && RLENGTH - 1 <= 14) {
            lab = substr(firstmsg[t], 1, RLENGTH - 1)
            sub(/ +$/, "", lab)
            prefix[t] = substr(firstmsg[t], 1, RLENGTH)
        } else {
            prefix[t] = ""
        }
        if (lab == "") lab = (t == 0) ? "main" : "thread " t
        label[t] = lab
        # Numbered threads of one name ("Thread 0", "Thread 1") stand side
        # by side in number order, wherever the name first appeared, so the
        # columns do not swap when Thread 1 happens to log first; main leads.
        stem = lab; num = 0
        if (match(lab, / [0-9]+$/)) { stem = substr(lab, 1, RSTART - 1); num = substr(lab, RSTART + 1) + 0 }
        if (!(stem in stempos)) stempos[stem] = j
        key1[j] = (t == 0) ? 0 : stempos[stem]; key2[j] = num
    }
    for (j = 2; j <= n; j++)
        for (i = j; i > 1 && (key1[i - 1] > key1[i] || (key1[i - 1] == key1[i] && key2[i - 1] > key2[i])); i--) {
            cell = order[i]; order[i] = order[i - 1]; order[i - 1] = cell
            cell = key1[i]; key1[i] = key1[i - 1]; key1[i - 1] = cell
            cell = key2[i]; key2[i] = key2[i - 1]; key2[i - 1] = cell
        }
    for (j = 1; j <= n; j++) col[order[j]] = j
    if (n > 4) {
        for (i = 1; i <= count; i++)
            printf "%6d ms  %-14s %s\n", ms[i], label[tid[i]], unnamed(tid[i], msg[i])
    } else {
        # Each column as wide as its longest line, as far as the width allows:
        # an equal share each, then what is left to those that want more.
        for (j = 1; j <= n; j++) want[j] = length(label[order[j]])
        for (i = 1; i <= count; i++) if (length(unnamed(tid[i], msg[i])) > want[col[tid[i]]]) want[col[tid[i]]] = length(unnamed(tid[i], msg[i]))
        left = width - 7 - 3 * n
        for (j = 1; j <= n; j++) { w[j] = int(left / n); if (w[j] > want[j]) w[j] = want[j] }
        for (j = 1; j <= n; j++) left -= w[j]
        for (more = 1; left > 0 && more; ) {
            more = 0
            for (j = 1; j <= n && left > 0; j++) if (w[j] < want[j]) { w[j]++; left--; more = 1 }
        }
        line = sprintf("%6s |", "ms")
        for (j = 1; j <= n; j++) line = line sprintf(" %-" w[j] "s |", substr(label[order[j]], 1, w[j]))
        print line
        line = "-------+"
        for (j = 1; j <= n; j++) { cell = ""; for (i = 0; i < w[j] + 2; i++) cell = cell "-"; line = line cell "+" }
        print line
        for (i = 1; i <= count; i++) {
            t = tid[i]
            text = unnamed(t, msg[i])
            cw = w[col[t]]
            row = 0
            do {
                chunk = text
                if (length(text) > cw) {
                    chunk = substr(text, 1, cw)
                    cut = 0
                    for (j = cw; j > cw / 2; j--) if (substr(chunk, j, 1) == " ") { cut = j; break }
                    if (cut > 0) chunk = substr(text, 1, cut - 1)
                    text = substr(text, length(chunk) + 1)
                    sub(/^ +/, "", text)
                } else {
                    text = ""
                }
                line = (row == 0) ? sprintf("%6d |", ms[i]) : sprintf("%6s |", "")
                for (j = 1; j <= n; j++)
                    line = line sprintf(" %-" w[j] "s |", (j == col[t]) ? chunk : "")
                print line
                row++
            } while (text != "")
        }
        delete w; delete want
    }
    count = 0; maxthread = -1
    delete seen; delete firstmsg; delete order; delete label; delete prefix; delete col
}
BEGIN { count = 0; maxthread = -1 }
/^@T [0-9]+ [0-9]+\t/ {
    split(substr($0, 4), head, /[ \t]/)
    text = $0
    sub(/^@T [0-9]+ [0-9]+\t/, "", text)
    count++
    ms[count] = head[1] + 0; tid[count] = head[2] + 0; msg[count] = text
    if (!(tid[count] in seen)) { seen[tid[count]] = 1; firstmsg[tid[count]] = text }
    if (tid[count] > maxthread) maxthread = tid[count]
    next
}
{ flush(); print; fflush() }
END { flush() }
'
