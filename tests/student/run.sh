#!/usr/bin/env bash
# tests/student/run.sh - proves the student's loop (scripts/student.sh: make
# progress, next, exercise-N, hint-N, reset-N, watch-N) in a temporary clone
# of this repository, into which this tree's student files (scripts/student.sh,
# scripts/lib.sh, lessons/*/hints.md, tests/student/) are copied, so it also
# tests them before they are committed. .ci/run runs it after make test.
#
#   tests/student/run.sh            prints "ok"/"FAIL" lines and a summary;
#                                   exit status 1 on any failure
# Takes about 30 s on the 2-core machine (most of it the clone's first build).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/student-test.XXXXXX)
repo=$tmp/repo
BUILD=build/student-test-$$
export BUILD NO_COLOR=1
unset FILE ALL STUDENT_WATCH
passed=0 failed=0 watchers=()

cleanup() {
    local p
    for p in "${watchers[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT

ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
# check NAME COMMAND...: ok when the command succeeds.
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; return 1; fi; }
has() { grep -qE -- "$2" <<<"$1"; }
# line_of OUTPUT N: progress's line for exercise N.
line_of() { grep -E "^ ?$2  " <<<"$1"; }
ms_since() { echo "$(( ($(date +%s%N) - $1) / 1000000 )) ms"; }

git clone -q "$here" "$repo" || { echo "FAIL cannot clone $here"; exit 1; }
cp "$here/scripts/student.sh" "$here/scripts/lib.sh" "$repo/scripts/"
for h in "$here"/lessons/*/hints.md; do d=${h%/hints.md}; cp "$h" "$repo/lessons/${d##*/}/hints.md"; done
mkdir -p "$repo/tests/student" && cp "$here"/tests/student/* "$repo/tests/student/"
cd "$repo" || exit 1
M=(make --no-print-directory)

# ---- hints.md: a section per exercise file, two or three hints each
for d in solutions/*/; do
    l=${d%/} l=${l#solutions/}
    for f in "$d"*.c; do
        f=${f##*/}
        count=$(awk -v f="$f" '/^# /{s=substr($0,3)} s==f && /^## Hint [0-9]+$/{n++} END{print n+0}' "lessons/$l/hints.md" 2>/dev/null)
        check "lessons/$l/hints.md has 2 or 3 hints for $f (it has ${count:-none})" \
            test "${count:-0}" -ge 2 -a "${count:-0}" -le 3
    done
done

# ---- progress on the tree as cloned: nothing started, nothing run
exercises=$(ls -d solutions/[0-9][0-9]-*/ | wc -l)
t=$(date +%s%N)
out=$("${M[@]}" progress 2>&1)
echo "     (make progress on the untouched clone: $(ms_since "$t"))"
check "progress on an untouched tree says 0 of $exercises done" has "$out" "\\] 0 of $exercises exercises done"
check "progress on an untouched tree shows $exercises exercises, none started" \
    test "$(grep -c 'not started$' <<<"$out")" -eq "$exercises"
check "progress on an untouched tree names exercise 1 next" has "$out" '^next: exercise 1, lessons/01-single-thread/squares.c'

# ---- progress on a tree with some exercises solved and some not
cp solutions/01-single-thread/squares.c lessons/01-single-thread/
cp solutions/02-daemon-vs-join/runner.c lessons/02-daemon-vs-join/
cp solutions/05-lock/account.c lessons/05-lock/
# (exercise 3: right, but a count every worker bumps with no lock: its plain tests pass every
# run and ThreadSanitizer fails them every run; an unlocked next++ would lose an item now and
# then under load, and fail a plain test by luck)
cp tests/student/parallel_map_counts_unlocked.c lessons/03-many-threads/parallel_map.c
cp tests/wrong/09-producer-consumer-queue/put_ignores_head.c lessons/09-producer-consumer-queue/bqueue.c
printf 'int broken(\n' >>lessons/06-deadlock/transfer.c
cp solutions/10-semaphore-timer-barrier/csem.c lessons/10-semaphore-timer-barrier/
t=$(date +%s%N)
out=$("${M[@]}" progress 2>&1)
echo "     (make progress, 7 exercises changed, first build: $(ms_since "$t"))"
check "progress counts 3 of $exercises done" has "$out" "\\] 3 of $exercises exercises done"
for n in 1 2 5; do check "progress says exercise $n (the reference answer) is done" has "$(line_of "$out" "$n")" ' done$'; done
check "progress says exercise 3 (an unlocked count) passes but ThreadSanitizer finds a race" \
    has "$(line_of "$out" 3)" 'started: passes, but ThreadSanitizer finds a race'
tsan_out=$(SANITIZE=thread "${M[@]}" exercise-3 2>&1)
check "make exercise-3 SANITIZE=thread names the racing line of the student's file" \
    has "$tsan_out" '^    #0 worker lessons/03-many-threads/parallel_map.c:[0-9]+$'
check "make exercise-3 SANITIZE=thread fails the unlocked count" has "$tsan_out" '^exercise 3 under ThreadSanitizer: 0 of [0-9]+ tests pass'
tsan_out=$("${M[@]}" exercise-3 SANITIZE=address 2>&1)
check "make exercise-3 SANITIZE=address is refused with what to use" has "$tsan_out" 'SANITIZE=thread runs the tests under ThreadSanitizer'
check "progress says exercise 9 (a wrong answer) is started and names its failing test" \
    has "$(line_of "$out" 9)" 'started: [a-z_]+ fails$'
check "progress says exercise 6 (a syntax error) does not compile" has "$(line_of "$out" 6)" 'started: does not compile'
check "progress says exercise 10 (csem.c solved, cbarrier.c a stub) is started" has "$(line_of "$out" 10)" 'started: [a-z_]+ fails$'
for n in 4 7 8; do check "progress says exercise $n is not started" has "$(line_of "$out" "$n")" 'not started$'; done
check "progress names exercise 3, the first not done, next" has "$out" '^next: exercise 3, lessons/03-many-threads/parallel_map.c'
check "progress says exercises 1 2 5 pass for the first time" has "$out" '^Exercises 1 2 5 pass for the first time'
t=$(date +%s%N)
again=$("${M[@]}" progress 2>&1)
echo "     (make progress again, nothing changed: $(ms_since "$t"))"
status_lines() { grep -E '^( ?[0-9]+  |\[|    |next: )' <<<"$1"; }
check "progress again gives the same lines (results reused)" test "$(status_lines "$again")" = "$(status_lines "$out")"
check "the first-pass note comes once" bash -c '! grep -q "first time" <<<"$1"' _ "$again"

# ---- exercise-N: the first pass says where to look, once
cp solutions/07-rlock/inventory.c lessons/07-rlock/
out=$("${M[@]}" exercise-7 2>&1); rc=$?
check "make exercise-7 passes a reference answer" test "$rc" -eq 0
check "its first pass names the reference answer and the common mistakes" \
    has "$(tr '\n' ' ' <<<"$out")" 'passes for the first time.*solutions/07-rlock/inventory.c.*lessons/07-rlock/README.md:[0-9]+.*tests/wrong/07-rlock/'
out=$("${M[@]}" exercise-7 2>&1)
check "the second pass says it no more" bash -c '! grep -q "first time" <<<"$1"' _ "$out"

# ---- next: runs the exercise progress names
t=$(date +%s%N)
out=$("${M[@]}" next 2>&1); rc=$?
echo "     (make next: $(ms_since "$t"))"
check "make next runs exercise 3's tests" has "$out" '^Building your answer: lessons/03-many-threads/parallel_map.c'
check "make next fails as exercise 3 fails (ThreadSanitizer)" test "$rc" -ne 0 -a "$(grep -c 'ThreadSanitizer: data race' <<<"$out")" -gt 0

# ---- hints: one at a time, stopping at the last
declare -a hint_out
for k in 1 2 3 4; do hint_out[k]=$("${M[@]}" hint-4 2>&1); done
for k in 1 2 3; do
    check "hint-4, asked $k times, shows hint $k of 3" has "${hint_out[k]}" "^Hint $k of 3 for exercise 4"
    check "hint-4, asked $k times, shows only that hint" test "$(grep -c '^Hint ' <<<"${hint_out[k]}")" -eq 1
done
want=$(awk '/^## Hint 2$/{on=1; next} /^## Hint/{on=0} on' lessons/04-race-condition/hints.md | sed '/^$/d')
check "hint 2 is the text under '## Hint 2' in hints.md" \
    test "$(sed -e '1,2d' -e '/^(make hint/d' -e '/^$/d' <<<"${hint_out[2]}")" = "$want"
check "a fourth hint-4 shows none and says all 3 were seen" has "${hint_out[4]}" '^You have seen all 3 hints for exercise 4'
"${M[@]}" lesson-1 >/dev/null 2>&1
check "the hint count survives make" has "$("${M[@]}" hint-4 2>&1)" '^You have seen all 3'
out=$("${M[@]}" hint-4 ALL=1 2>&1)
check "hint-4 ALL=1 shows all three" test "$(grep -c '^Hint [123] of 3' <<<"$out")" -eq 3
out=$("${M[@]}" hint-10 FILE=cbarrier.c 2>&1)
check "hint-10 FILE=cbarrier.c gives cbarrier.c's first hint" has "$out" '^Hint 1 of 3 for exercise 10 \(lessons/10-semaphore-timer-barrier/cbarrier.c\)'
out=$("${M[@]}" hint-10 2>&1)
check "hint-10 without FILE follows the file changed last (csem.c)" has "$out" '^Hint 1 of 3 for exercise 10 \(lessons/10-semaphore-timer-barrier/csem.c\)'
out=$("${M[@]}" hint-99 2>&1); rc=$?
check "hint-99 (no such lesson) is refused with status 2 and the lessons there are" \
    test "$rc" -ne 0 -a -n "$(grep '^error: there is no lesson .99.: the lessons are' <<<"$out")"

# ---- reset: a copy kept, the stub back byte for byte
f=lessons/05-lock/account.c
cp "$f" "$tmp/work.c"
out=$("${M[@]}" reset-5 2>&1); rc=$?
saved=$(sed -n 's/^saved your account.c as //p' <<<"$out")
check "reset-5 succeeds and says where the copy is" test "$rc" -eq 0 -a -n "$saved"
check "the copy's name is the file and a time stamp" bash -c '[[ $1 =~ ^lessons/05-lock/account\.c\.[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}$ ]]' _ "$saved"
check "the copy holds the student's work byte for byte" cmp -s "$saved" "$tmp/work.c"
git show HEAD:lessons/05-lock/account.c >"$tmp/stub.c"
check "the file is the committed stub byte for byte" cmp -s "$f" "$tmp/stub.c"
out=$("${M[@]}" reset-5 2>&1)
copies() { local c; c=(lessons/05-lock/account.c.*); [ -e "${c[0]}" ] && echo "${#c[@]}" || echo 0; }
check "reset of a stub saves nothing" test "$(copies)" -eq 1 -a -n "$(grep 'already the stub' <<<"$out")"
for k in 1 2 3; do echo "/* edit $k */" >>"$f"; "${M[@]}" reset-5 >/dev/null 2>&1; done
check "three resets within seconds keep three more copies (no copy overwritten)" \
    test "$(copies)" -eq 4
echo '/* edit */' >>lessons/10-semaphore-timer-barrier/cbarrier.c
out=$("${M[@]}" reset-10 FILE=csem.c 2>&1)
check "reset-10 FILE=csem.c restores csem.c only" \
    bash -c 'git diff --quiet HEAD -- lessons/10-semaphore-timer-barrier/csem.c && ! git diff --quiet HEAD -- lessons/10-semaphore-timer-barrier/cbarrier.c'
out=$("${M[@]}" reset-4 FILE=racecond.c 2>&1); rc=$?
check "reset-4 FILE=racecond.c (a demo) is refused with status 2" test "$rc" -ne 0 -a -n "$(grep '^error: .*racecond.c is not an exercise' <<<"$out")"
check "and racecond.c is untouched" git diff --quiet HEAD -- lessons/04-race-condition/racecond.c
out=$("${M[@]}" reset-99 2>&1); rc=$?
check "reset-99 (no such lesson) is refused" test "$rc" -ne 0 -a -n "$(grep '^error: there is no lesson .99.' <<<"$out")"

# ---- watch: reruns on a save, shows the first compiler error, stops on a signal
# wait_for FILE PATTERN COUNT SECONDS: until PATTERN is in FILE COUNT times.
wait_for() {
    local i
    for ((i = 0; i < $4 * 10; i++)); do
        [ "$(grep -c -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
        sleep 0.1
    done
    return 1
}
# no_process_left: nothing this test's build started still runs.
no_process_left() { ! pgrep -f "$BUILD/" >/dev/null; }

modes=(poll)
command -v inotifywait >/dev/null && modes+=(inotify)
for mode in "${modes[@]}"; do
    git show HEAD:lessons/01-single-thread/squares.c >lessons/01-single-thread/squares.c
    log=$tmp/watch-$mode.log
    t=$(date +%s%N)
    set -m      # its own process group, and SIGINT not ignored, as at a terminal
    if [ "$mode" = poll ]; then STUDENT_WATCH=poll scripts/student.sh watch 1 >"$log" 2>&1 &
    else scripts/student.sh watch 1 >"$log" 2>&1 & fi
    pid=$!
    set +m
    watchers+=("$pid")
    check "watch ($mode) runs the tests at once" wait_for "$log" 'for a save' 1 60
    cp solutions/01-single-thread/squares.c lessons/01-single-thread/squares.c
    check "watch ($mode) reruns them when the file is saved" wait_for "$log" 'for a save' 2 30
    check "watch ($mode): the rerun sees the new file pass" has "$(sed -n '/^-------- run 2/,$p' "$log")" 'exercise 1: all 6 tests pass'
    printf 'int broken(\n' >>lessons/01-single-thread/squares.c
    check "watch ($mode) reruns on a save that does not compile" wait_for "$log" 'for a save' 3 30
    run3=$(sed -n '/^-------- run 3/,$p' "$log")
    check "watch ($mode) shows the compiler's first error, one error line" \
        test "$(grep -c ': error:' <<<"$run3")" -eq 1 -a -n "$(grep '^lessons/01-single-thread/squares.c:[0-9]*:[0-9]*: error:' <<<"$run3")" ||
        sed 's/^/     | /' "$log"
    # A save, then a signal while the tests run: it stops at once, and its run with it.
    cp solutions/01-single-thread/squares.c lessons/01-single-thread/squares.c
    wait_for "$log" '^-------- run 4' 1 10
    sig=TERM; [ "$mode" = poll ] && sig=INT
    t=$(date +%s%N)
    kill -"$sig" "$pid"
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    wait "$pid" 2>/dev/null; rc=$?
    check "watch ($mode) exits on SIG$sig with status 0 ($(ms_since "$t"))" test "$rc" -eq 0
    check "watch ($mode) says it stopped" has "$(tail -n 2 "$log")" '^stopped watching\.$'
    sleep 0.3
    check "watch ($mode) leaves no process of its run behind" no_process_left
    watchers=()
done

# ---- watch through make: Ctrl-C at a terminal signals the whole group
log=$tmp/watch-make.log
set -m
STUDENT_WATCH=poll "${M[@]}" watch-1 >"$log" 2>&1 &
pid=$!
set +m
watchers+=("$pid")
wait_for "$log" 'for a save' 1 60
kill -INT -- "-$pid"
for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
check "make watch-1 stops on Ctrl-C (SIGINT to its process group)" bash -c '! kill -0 "$1" 2>/dev/null' _ "$pid"
check "make watch-1 says it stopped" grep -q '^stopped watching\.$' "$log"
watchers=()
sleep 0.3
check "make watch-1 leaves no process behind" no_process_left

# ---- timelines: each line under its thread, in time order
tl=$(printf '@T 0 0\tMain    : before\n@T 5 1\tThread 0: starting\n@T 6 2\tThread 1: starting\n@T 9 1\tThread 0 about to lock\n@T 12 0\tMain    : all done\nnot a timeline line\n' | scripts/timeline.sh)
header=$(sed -n 1p <<<"$tl")
column_of() { awk -v s="$2" '{ i = index($0, s); if (i) { print i; exit } }' <<<"$1"; }
row_of() { grep -E "^ +$2 \|" <<<"$1" | head -n 1; }
check "timeline heads a column per thread, main first, by the names their lines start with" \
    has "$header" '^ +ms \| Main +\| Thread 0 +\| Thread 1 +\|$'
check "timeline puts Thread 0's line under Thread 0" \
    test "$(column_of "$(row_of "$tl" 5)" starting)" = "$(column_of "$header" 'Thread 0')"
check "timeline puts Thread 1's line under Thread 1" \
    test "$(column_of "$(row_of "$tl" 6)" starting)" = "$(column_of "$header" 'Thread 1')"
check "timeline drops the name its column already shows (with or without a colon)" \
    has "$(row_of "$tl" 9)" '\| about to lock +\|'
check "timeline keeps the lines' time order" \
    test "$(grep -oE '^ +[0-9]+ \|' <<<"$tl" | tr -dc '0-9\n' | paste -sd' ')" = "0 5 6 9 12"
check "timeline prints any other line as it is, after the table" has "$(tail -n 1 <<<"$tl")" '^not a timeline line$'
check "timeline fits 80 columns" test "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' <<<"$tl")" -le 80
tl=$(printf '@T 0 0\tMain    : before\n@T 1 1\tThread 1: starting\n@T 2 2\tThread 0: starting\n' | scripts/timeline.sh)
check "timeline keeps Thread 0 left of Thread 1 when Thread 1 logs first" \
    has "$tl" '^ +ms \| Main +\| Thread 0 +\| Thread 1 +\|$'
check "timeline puts Thread 1's early line under Thread 1 all the same" \
    has "$tl" '^ +1 \| +\| +\| starting +\|$'
tl=$(for t in 0 1 2 3 4; do printf '@T %d %d\tworker %d says hello\n' "$t" "$t" "$t"; done | scripts/timeline.sh)
check "timeline lists five threads one line each, the thread named in front" \
    has "$(sed -n 5p <<<"$tl")" '^ +4 ms +thread 4 +worker 4 says hello$'
out=$("${M[@]}" lesson-4 VIEW=timeline 2>&1)
check "make lesson-4 VIEW=timeline draws the race with a column for each thread" \
    has "$out" '^ +ms \| main +\| Thread 0 +\| Thread 1 +\|$'
out=$("${M[@]}" lesson-4 VIEW=columns 2>&1)
check "make lesson-4 VIEW=columns is refused with what to use" has "$out" 'VIEW=timeline shows'

echo "student: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
