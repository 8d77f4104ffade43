#!/usr/bin/env bash
# scripts/grade - grades exercises with the workbook's own pristine tests, under limits.
#
#   scripts/grade DIR              a class: each subfolder of DIR is one student's submission
#   scripts/grade                  the working tree's lessons/, as one submission
#   scripts/grade --one DIR NAME   one submission, as student NAME (scripts/run_autograder)
#   scripts/grade --selftest       grade tests/grading/class; compare with tests/grading/expected.csv
#   scripts/grade --selftest-fast  the same for lesson 1 only (make test runs it)
#
# make grade [SUBMISSIONS=DIR] and make grade-selftest call it. Reports go to
# $BUILD/grade/class/: gradebook.csv, and per student results.json
# (Gradescope), junit.xml, report.tap and log.txt.
#
# DESIGN. Only a submission's exercise files are taken (the files with a twin
# in solutions/), into build/sets/class-<student>/<lesson>/, and built with
# the workbook's own headers, tests and harness, built once before the first
# student. Each file is compiled by an unprivileged user, then screened before
# anything of it runs: no constructor or destructor, no system call
# instruction, no include outside the system's and the workbook's headers, no
# call outside tests/grading/allowed-calls.txt; the global names it defines
# beyond what the tests call are made local, so it cannot replace a function
# of Check or of the C library. Its tests run as that user, in a PID namespace
# of their own (when root), under limits on CPU, wall time, memory, processes,
# open files and file size; the hang limit of each test is capped (hangs cost
# seconds). Results come only from Check's runner process, through its XML
# file, never from what the tests print. Two lessons run at a time, each slot
# with its own user, and nothing of a slot's user outlives its job. A fault of
# the grader itself (the workbook not building, a tool missing, the reference
# answer failing under the limits) stops grading with an error (status 3): it
# is never recorded as a student's score.
#
# Each test's time limit is capped, per lesson, at the least of
# GRADE_TEST_SECONDS, twice that, four times that... under half of which the
# reference answer passes all of the lesson's tests (tried before the first
# student). The tests that ran out of time run once more with three times the
# cap, unless every test of the lesson did: a busy machine cannot fail a right
# answer, and a student whose every function hangs costs each test one cap.
#
# Settings (environment): GRADE_JOBS (2: lessons at a time), GRADE_TEST_SECONDS
# (0.5: the least cap on a test's time limit), GRADE_STUDENT_SECONDS (300: a whole
# submission), GRADE_MEMORY_MB (2048: address space of a test process),
# GRADE_PROCESSES (256: processes and threads of a slot), GRADE_OPEN_FILES
# (128), GRADE_CPU_SECONDS (30: per process), GRADE_WEIGHTS
# (tests/grading/weights.tsv), GRADE_LESSONS (only these lesson folders),
# GRADE_OUT ($BUILD/grade/class), GRADE_UIDS (64123-64222: the users that
# run student code when grading as root; no account may use them).
set -u
shopt -u patsub_replacement 2>/dev/null     # '&' in ${s//x/y} is a plain '&'
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$0")/.." || exit 2

BUILD=${BUILD:-build}
export BUILD
JOBS=${GRADE_JOBS:-2}
TEST_SECONDS=${GRADE_TEST_SECONDS:-0.5}
STUDENT_SECONDS=${GRADE_STUDENT_SECONDS:-300}
MEMORY_MB=${GRADE_MEMORY_MB:-2048}
PROCESSES=${GRADE_PROCESSES:-256}
OPEN_FILES=${GRADE_OPEN_FILES:-128}
CPU_SECONDS=${GRADE_CPU_SECONDS:-30}
COMPILE_SECONDS=60
OUTPUT_KB=256                   # what a lesson's tests may print, kept for log.txt
FILE_KB=16384                   # largest file a student process may write
SOURCE_KB=512                   # largest exercise file taken
WEIGHTS=${GRADE_WEIGHTS:-tests/grading/weights.tsv}
ALLOWED=tests/grading/allowed-calls.txt
OUT=${GRADE_OUT:-$BUILD/grade/class}
WORK=$BUILD/grade/work
SCREEN=${GRADE_SCREEN:-on}      # off: only make grade-selftest's test of the limits
CFLAGS_USED=${CFLAGS:--O2}     # (no debug information: faster, and no test needs it)
ME=$(id -u)

die() { printf 'grade: %s\n' "$*" >&2; exit 2; }

# fault MESSAGE: the grader itself failed. Stops grading; nothing is recorded.
fault() {
    printf '%s\n' "$*" >>"$WORK/fault"
    printf 'grade: the grader itself failed, so nothing was recorded: %s\n' "$*" >&2
    exit 3
}

now_ms() { local t=${EPOCHREALTIME/[.,]/}; NOW_MS=$((t / 1000)); }
# secs MS: "12.3" in SECS
secs() { printf -v SECS '%d.%d' "$(($1 / 1000))" "$(($1 % 1000 / 100))"; }

# ---- the workbook's exercises (as in scripts/workbook) ------------------------

exercise_files() { local f; for f in solutions/"$1"/*.c; do [ -e "$f" ] && echo "${f##*/}"; done; }
exercise_lessons() {
    local d l
    for d in lessons/[0-9][0-9]-*/; do
        l=${d#lessons/}; l=${l%/}
        [ -n "$(exercise_files "$l")" ] || continue
        if [ -n "${GRADE_LESSONS:-}" ]; then grep -qw -- "$l" <<<"$GRADE_LESSONS" || continue; fi
        echo "$l"
    done
}
test_object() { echo "$BUILD/obj/tests/test_${1//-/_}.o"; }

# ---- text for each report ------------------------------------------------------

CTRL=() CTRL_HEX=()
for i in {1..31}; do
    [ "$i" -eq 9 ] || [ "$i" -eq 10 ] || [ "$i" -eq 13 ] || {
        printf -v hex '%02x' "$i"; printf -v c '%b' "\\x$hex"; CTRL+=("$c"); CTRL_HEX+=("$hex")
    }
done

# clean FILE [MAX_BYTES]: its text as valid UTF-8, at most MAX_BYTES, in TEXT.
clean() {
    local max=${2:-65536} more=''
    [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -le "$max" ] || more=$'\n[... cut: the rest is not shown]'
    if command -v iconv >/dev/null; then
        TEXT=$(head -c "$max" "$1" 2>/dev/null | iconv -f UTF-8 -t UTF-8 -c 2>/dev/null)
    else
        TEXT=$(head -c "$max" "$1" 2>/dev/null | LC_ALL=C tr -cd '\11\12\15\40-\176')
    fi
    TEXT+=$more
}

# Messages are kept as Check writes them in its XML (single line, &#xA; for a
# newline); to_xmlform makes one from plain text, from_xmlform reads it back.
to_xmlform() {
    local s=$1 c
    s=${s//&/&amp;}; s=${s//</&lt;}; s=${s//>/&gt;}; s=${s//\"/&quot;}; s=${s//\'/&apos;}
    s=${s//$'\r'/}; s=${s//$'\n'/&#xA;}; s=${s//$'\t'/&#x9;}
    for c in "${CTRL[@]}"; do s=${s//$c/}; done
    XMLFORM=$s
}
from_xmlform() {
    local s=$1
    s=${s//&#xA;/$'\n'}; s=${s//&#x9;/$'\t'}; s=${s//&#xD;/}
    s=${s//&lt;/<}; s=${s//&gt;/>}; s=${s//&quot;/\"}; s=${s//&apos;/\'}; s=${s//&amp;/&}
    TEXT=$s
}
json() {
    local s=$1 i
    s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\t'/\\t}; s=${s//$'\r'/\\r}
    for i in "${!CTRL[@]}"; do s=${s//${CTRL[$i]}/\\u00${CTRL_HEX[$i]}}; done
    JSON=\"$s\"
}
# XML from plain text (element content); xml_attr for an attribute.
xml() { to_xmlform "$1"; XML=${XMLFORM//&#xA;/$'\n'}; XML=${XML//&#x9;/$'\t'}; }
xml_attr() { to_xmlform "$1"; XML=$XMLFORM; }
csv() { if [[ $1 == *[,\"$'\n']* ]]; then CSV=\"${1//\"/\"\"}\"; else CSV=$1; fi; }
indent() { local s=$1 p=$2; TEXT=$p${s//$'\n'/$'\n'$p}; }

# ---- students ------------------------------------------------------------------

NAMES=() SAFE=() SRC=()
declare -A USED_SAFE=()
add_student() {
    local name=$1 src=$2 s n=2
    s=${name//[^A-Za-z0-9._-]/_}
    [[ $s == .* ]] && s=_${s#.}
    [ -n "$s" ] || s=student
    local base=$s
    while [ -n "${USED_SAFE[$s]:-}" ]; do s=$base-$n; n=$((n + 1)); done
    USED_SAFE[$s]=1
    NAMES+=("$name") SAFE+=("$s") SRC+=("$src")
}

# ---- the sandbox: who runs student code, and how it is contained --------------

SLOT_UID=() SLOT_USERS=() FACTS=''
ROOT=no NS=no UNSHARE=()
[ "$ME" -eq 0 ] && ROOT=yes

# Root: claim users of GRADE_UIDS for each slot, through lock files, so that
# two graders on one machine never share one (each kills all of its users'
# processes after every job). Without PID namespaces, a slot gets spares: a
# process killed after its parent stays a zombie where nothing reaps it, and
# its user is then left for the next.
claim_uids() {
    local range=${GRADE_UIDS:-64123-64222} u lock fd want=$JOBS got=() s
    local first=${range%-*} last=${range#*-}
    [[ $first =~ ^[0-9]+$ && $last =~ ^[0-9]+$ ]] || die "GRADE_UIDS must be FIRST-LAST, e.g. 64123-64222"
    [ "$NS" = yes ] || want=$((JOBS * 8))
    mkdir -p /tmp/workbook-grade-locks || fault "cannot create /tmp/workbook-grade-locks"
    for ((u = first; u <= last && ${#got[@]} < want; u++)); do
        getent passwd "$u" >/dev/null && continue
        getent group "$u" >/dev/null && continue
        lock=/tmp/workbook-grade-locks/$u
        exec {fd}>>"$lock" || continue
        if flock -n "$fd"; then
            pkill -KILL -U "$u" 2>/dev/null      # left by a grader that died
            got+=("$u")
        else
            exec {fd}>&-
        fi
    done
    [ "${#got[@]}" -ge "$JOBS" ] || fault "no free user id in GRADE_UIDS=$range for $JOBS slots"
    SLOT_UID=() SLOT_USERS=()
    for ((s = 0; s < JOBS; s++)); do
        SLOT_UID+=("${got[s]}")
        for ((u = s; u < ${#got[@]}; u += JOBS)); do SLOT_USERS[s]+="${got[u]} "; done
    done
    # (for the self-test: the users of this grading, not another grader's)
    echo "${got[*]}" >"$WORK/users"
}

# slot_user SLOT: the slot's first user with no process left (root), in
# SLOT_UID; a fault when every one has some.
slot_user() {
    local u
    [ "$ROOT" = yes ] || return 0
    for u in ${SLOT_USERS[$1]}; do
        if ! pgrep -U "$u" >/dev/null; then SLOT_UID[$1]=$u; return 0; fi
    done
    fault "every user of slot $1 (${SLOT_USERS[$1]}) has processes left that nothing reaps: $(ps -o pid=,stat=,comm= -U "${SLOT_UID[$1]}" | head -n 3 | paste -sd' ')"
}

# kill_uid UID: end every process of UID; false if one is left (a zombie no one reaps).
kill_uid() {
    local i
    for i in {1..50}; do
        pgrep -U "$1" >/dev/null || return 0
        pkill -KILL -U "$1" 2>/dev/null
        sleep 0.05
    done
    return 1
}

# sandbox SLOT SECONDS DIR CPU MEMORY_MB PROCS CMD...: run CMD in DIR, as the
# slot's user (when root), under the limits, killed at SECONDS. Where the
# kernel allows it, CMD runs in a new PID namespace whose first process is a
# shell that CMD cannot signal and that reaps what CMD leaves: when CMD ends,
# the kernel ends everything of it. Elsewhere it runs in a session of its own,
# killed with all of that session afterwards. Status: CMD's, 137 at SECONDS.
sandbox() {
    local slot=$1 secs=$2 dir=$3 cpu=$4 mem=$5 procs=$6 pid rc
    shift 6
    # (the descriptors above 2 it inherits, such as the grader's locks, are closed)
    # shellcheck disable=SC2016  # expanded by the shell that runs it
    local limited='ulimit -t "$1" -v "$2" -u "$3" -n "$4" -f "$5" -c 0 || exit 125; cd "$6" || exit 125; shift 6
        for f in /proc/self/fd/*; do f=${f##*/}; [ "$f" -gt 2 ] 2>/dev/null && eval "exec $f>&-"; done; exec "$@"'
    local as=()
    if [ "$ROOT" = yes ]; then
        as=(setpriv --reuid="${SLOT_UID[$slot]}" --regid="${SLOT_UID[$slot]}" --clear-groups --no-new-privs --)
    else
        # The user's own processes count against RLIMIT_NPROC too.
        procs=$((procs + $(ps -L -U "$ME" --no-headers 2>/dev/null | wc -l)))
    fi
    local vm=unlimited
    [ "$mem" -eq 0 ] || vm=$((mem * 1024))
    set -- "$secs" "${as[@]}" bash -c "$limited" limited "$cpu" "$vm" "$procs" "$OPEN_FILES" "$FILE_KB" "$dir" "$@"
    if [ "$NS" = yes ]; then
        # (not exec: the shell stays, as the namespace's reaper)
        "${UNSHARE[@]}" bash -c 'timeout -s KILL "$@"; exit $?' ns-init "$@"
        return
    fi
    setsid timeout -s KILL "$@" &
    pid=$!
    wait "$pid"; rc=$?
    pkill -KILL -s "$pid" 2>/dev/null
    return "$rc"
}

# reap SLOT: nothing of the slot's user may outlive a job (but a zombie that
# nothing reaps: the next job takes the slot's next user).
reap() {
    [ "$ROOT" = yes ] || return 0
    kill_uid "${SLOT_UID[$1]}" && return 0
    # shellcheck disable=SC2009  # the processes' states, zombies or not
    ps -o stat= -U "${SLOT_UID[$1]}" | grep -qv '^Z' &&
        fault "processes of user ${SLOT_UID[$1]} survive SIGKILL: $(ps -o pid=,stat=,comm= -U "${SLOT_UID[$1]}" | head -n 3 | paste -sd' ')"
    slot_user "$1"
}

# slot_dir SLOT: a fresh private directory of the slot's user, in SLOT_DIR.
slot_dir() {
    local owner=()
    SLOT_DIR=$RUNROOT/slot$1
    [ "$ROOT" = no ] || owner=(-o "${SLOT_UID[$1]}" -g "${SLOT_UID[$1]}")
    rm -rf "$SLOT_DIR"
    install -d -m 700 "${owner[@]}" "$SLOT_DIR" || fault "cannot create $SLOT_DIR"
}

# ---- building: the pristine parts once; a set's objects as the slot's user ----

MAKE_ARGS=()
PRISTINE_OLD=()     # make -o: never rebuilt while grading, whatever changes in the tree

# compile_set SLOT TAG LESSON...: compile the exercise files of these lessons'
# sets, as the slot's user (a file may #include only what that user may
# read), with .d files for the include check; make -k, so that one file that
# does not compile leaves the others compiled. Compiler messages on stdout.
compile_set() {
    local slot=$1 tag=$2 objs=() dirs=() f l
    shift 2
    for l in "$@"; do
        dirs+=("$BUILD/sets/$tag/$l")
        for f in ${EXFILES[$l]}; do objs+=("$BUILD/sets/$tag/$l/${f%.c}.o"); done
    done
    make_as "$slot" $((COMPILE_SECONDS * $#)) "${dirs[@]}" -- "${MAKE_ARGS[@]}" "CFLAGS=$CFLAGS_USED -MD" "${objs[@]}"
}

# make_as SLOT SECONDS DIR... -- MAKE_ARGUMENT...: make -k as the slot's
# user, who may write into the DIRs alone, under the limits, in
# COMPILE_TREE (the DIRs go there and back when it is a copy).
make_as() {
    local slot=$1 secs=$2 dirs=() rc d
    shift 2
    while [ "$1" != -- ]; do dirs+=("$1"); shift; done
    shift
    if [ "$COMPILE_TREE" != "$PWD" ]; then
        for d in "${dirs[@]}"; do
            rm -rf "${COMPILE_TREE:?}/$d" && mkdir -p "$COMPILE_TREE/$d" && cp -a "$d/." "$COMPILE_TREE/$d/" ||
                fault "cannot copy $d to $COMPILE_TREE"
        done
    fi
    [ "$ROOT" = no ] || for d in "${dirs[@]}"; do chown -R "${SLOT_UID[$slot]}:${SLOT_UID[$slot]}" "$COMPILE_TREE/$d"; done
    slot_dir "$slot"
    sandbox "$slot" "$secs" "$COMPILE_TREE" "$secs" "$MEMORY_MB" 64 \
        env -i PATH="$PATH" HOME="$SLOT_DIR" TMPDIR="$SLOT_DIR" LC_ALL=C MAKELEVEL=1 \
        make --no-print-directory -s -k "$@" 2>&1
    rc=$?
    reap "$slot"
    [ "$ROOT" = no ] || for d in "${dirs[@]}"; do chown -R 0:0 "$COMPILE_TREE/$d"; done
    if [ "$COMPILE_TREE" != "$PWD" ]; then
        for d in "${dirs[@]}"; do
            cp -a "$COMPILE_TREE/$d/." "$d/" && rm -rf "${COMPILE_TREE:?}/$d" || fault "cannot copy $d back from $COMPILE_TREE"
        done
    fi
    return "$rc"
}

# compile_tree: where the slot's users compile, in COMPILE_TREE: the
# workbook, when they can read it; else (a checkout under a directory closed
# to other users, such as a private mktemp -d or /root) a copy of what a
# compile reads (the Makefile, common/, lessons/, the harness) and of
# solutions/ (so that an #include of it is refused by the screen, as here).
# (MAKELEVEL=1 in make_as skips the Makefile's checks of the whole tree.)
COMPILE_TREE=$PWD
compile_tree() {
    local d
    COMPILE_TREE=$PWD
    [ "$ROOT" = yes ] || return 0
    setpriv --reuid="${SLOT_UID[0]}" --regid="${SLOT_UID[0]}" --clear-groups -- test -r "$PWD/Makefile" && return 0
    case $BUILD in
        /*) fault "the grading users cannot read $PWD, and BUILD=$BUILD is not a folder inside it: use a relative BUILD, or open the checkout's parent folders to other users" ;;
    esac
    COMPILE_TREE=$RUNROOT/tree
    mkdir -p "$COMPILE_TREE/tests" && cp -a Makefile common lessons solutions "$COMPILE_TREE/" &&
        cp -a tests/harness "$COMPILE_TREE/tests/" && chmod -R a+rX "$COMPILE_TREE" ||
        fault "cannot copy the workbook's sources to $COMPILE_TREE"
}

# link_set TAG LESSON...: link these sets' test programs, as the grader (the
# objects are screened by now), against the pristine test objects, harness
# and Check; make -k.
link_set() {
    local tag=$1 l bins=()
    shift
    for l in "$@"; do rm -f "$BUILD/sets/$tag/$l/test"; bins+=("$BUILD/sets/$tag/$l/test"); done
    make --no-print-directory -s -k "${MAKE_ARGS[@]}" "CFLAGS=$CFLAGS_USED" "${PRISTINE_OLD[@]}" "${bins[@]}" 2>&1
}

# probe_reference SLOT LESSON STAGE: build the reference answer as a student's
# file is built (compile, or compile and link); false when even that fails:
# the fault is the grader's, not the student's.
probe_reference() {
    local tag=grade-probe-$1 f
    rm -rf "$BUILD/sets/$tag/$2" && mkdir -p "$BUILD/sets/$tag/$2"
    for f in ${EXFILES[$2]}; do cp "solutions/$2/$f" "$BUILD/sets/$tag/$2/$f"; done
    compile_set "$1" "$tag" "$2" >/dev/null 2>&1 || return 1
    [ "$3" = compile ] || link_set "$tag" "$2" >/dev/null 2>&1
}

# ---- ThreadSanitizer: the second run of some lessons ------------------------------
#
# A data race that no pthread call brackets (an unlocked next++, a shared
# total) is invisible to the spies and loses an update only by luck; under
# ThreadSanitizer it fails every run. The lessons named in TSAN_FILE run
# their tests a second time from a ThreadSanitizer build, and a test passes
# only if it passed both times (a test that ran out of time there runs once
# more with three times the cap, as in the plain run: a student cannot hide
# a race by being slow only there, nor a busy machine fail a right answer). That build
# compiles the very tokens the plain build compiled and screened (the
# preprocessed .i, made with the plain flags), so no #if can tell the two
# apart. ThreadSanitizer maps terabytes of shadow memory, so the
# address-space limit cannot hold it: its memory is watched instead (rss_guard).
TSAN_FILE=tests/grading/tsan-lessons.txt
TSAN_BUILD=$BUILD/tsan
TSAN_CFLAGS='-O1 -g -fsanitize=thread'
TSAN_ENV=(TSAN_OPTIONS='report_thread_leaks=0 atexit_sleep_ms=0' CK_TIMEOUT_MULTIPLIER=4)
TSAN_MAKE_ARGS=() TSAN_OLD=() TSAN_MISSING=''
declare -A TSAN=() TSAN_CAP_MS=()

# tsan_load: TSAN (lessons graded under ThreadSanitizer too), or
# TSAN_MISSING when ThreadSanitizer does not work with this compiler.
tsan_load() {
    local line l
    [ -r "$TSAN_FILE" ] || fault "$TSAN_FILE is missing"
    while read -r line; do
        line=${line%%#*}; line=${line//[[:space:]]/}
        [ -n "$line" ] || continue
        [ -d "solutions/$line" ] || fault "$TSAN_FILE names $line, which is not a lesson with an exercise"
        for l in "${LESSONS[@]}"; do [ "$l" != "$line" ] || TSAN[$l]=1; done
    done <"$TSAN_FILE"
    [ "${#TSAN[@]}" -gt 0 ] || return 0
    printf 'int main(void) { return 0; }\n' >"$RUNROOT/tsan.c"
    if ! { "${CC:-cc}" -fsanitize=thread "$RUNROOT/tsan.c" -o "$RUNROOT/tsan" && "$RUNROOT/tsan"; } >/dev/null 2>&1; then
        TSAN_MISSING=$(printf '%s\n' "${!TSAN[@]}" | sort | paste -sd' ')
        TSAN=()
        echo "grade: WARNING: ThreadSanitizer does not work with ${CC:-cc} here: $TSAN_MISSING graded without it (a race no pthread call brackets goes unseen)" >&2
    fi
}

# tsan_build SLOT TAG LESSON: the lesson's ThreadSanitizer test program, from
# the .i files of its plain set; the compiler's messages on stdout.
tsan_build() {
    local slot=$1 tag=$2 l=$3 set=$BUILD/sets/$2/$3 tset=$TSAN_BUILD/sets/$2/$3 f is=() os=()
    rm -rf "$tset" && mkdir -p "$tset" || fault "cannot create $tset"
    for f in ${EXFILES[$l]}; do is+=("$set/${f%.c}.i"); os+=("$tset/${f%.c}.o"); done
    make_as "$slot" "$COMPILE_SECONDS" "$set" -- "${MAKE_ARGS[@]}" "CFLAGS=$CFLAGS_USED" "${is[@]}" || return 1
    cp "${is[@]}" "$tset/" || fault "cannot copy to $tset"
    make_as "$slot" "$COMPILE_SECONDS" "$tset" -- "${TSAN_MAKE_ARGS[@]}" "CFLAGS=$TSAN_CFLAGS" "${os[@]}" || return 1
    for f in "${os[@]}"; do objcopy --keep-global-symbols="$WORK/ref/$l/api" "$f" || fault "objcopy failed on $f"; done
    make --no-print-directory -s "${TSAN_MAKE_ARGS[@]}" "CFLAGS=$TSAN_CFLAGS" "${TSAN_OLD[@]}" "$tset/test" 2>&1
}

# rss_guard PID FLAG: while PID runs, once its processes (its descendants,
# and whoever shares a session with one) hold more than GRADE_MEMORY_MB of
# memory together, kills them all and writes FLAG.
rss_guard() {
    local top=$1 flag=$2 pids
    while kill -0 "$top" 2>/dev/null; do
        pids=$(ps -e -o pid=,ppid=,sid=,rss= | awk -v top="$top" -v max=$((MEMORY_MB * 1024)) '
            { n++; pid[n] = $1; up[$1] = $2; sid[$1] = $3; rss[$1] = $4 }
            END {
                for (i = 1; i <= n; i++) { q = pid[i]; while (q > 1 && q != top) q = up[q]; if (q == top) mine[pid[i]] = 1 }
                for (i = 1; i <= n; i++) if (sid[pid[i]] in mine) mine[pid[i]] = 1
                for (p in mine) { sum += rss[p]; list = list " " p }
                if (sum > max) print list
            }')
        if [ -n "$pids" ]; then
            echo "$pids" >"$flag"
            # shellcheck disable=SC2086  # a list of PIDs
            kill -KILL $pids 2>/dev/null
        fi
        sleep 0.2
    done
}

# tsan_merge JOBDIR: JOBDIR/tests.tsv, where a test that passed fails if it
# failed under ThreadSanitizer (JOBDIR/tsan/tests.tsv; a test that ran out
# of time there ran once more with three times the cap, as in the plain run).
tsan_merge() {
    local jd=$1 t res msg n=0
    declare -A again=()
    while IFS=$'\t' read -r t res msg; do again[$t]="$res"$'\t'"$msg"; done <"$jd/tsan/tests.tsv"
    while IFS=$'\t' read -r t res msg; do
        if [ "$res" = pass ] && [[ ${again[$t]:-} == fail* ]]; then
            msg=${again[$t]#fail$'\t'}
            res=fail n=$((n + 1))
            [[ $msg == ThreadSanitizer* ]] || { to_xmlform "under ThreadSanitizer: "; msg=$XMLFORM$msg; }
        fi
        printf '%s\t%s\t%s\n' "$t" "$res" "$msg"
    done <"$jd/tests.tsv" >"$jd/tests.tsan"
    mv "$jd/tests.tsan" "$jd/tests.tsv"
    TSAN_FAILED=$n
}

# ---- the screen: what a compiled exercise file may be --------------------------

ALLOW=() REDIRECTED=() SPIES=() SYS_INCLUDES=()
load_screen() {
    local line
    while read -r line; do
        line=${line%%#*}; line=${line//[[:space:]]/}
        [ -n "$line" ] && ALLOW+=("$line")
    done <"$ALLOWED"
    mapfile -t SPIES < <(grep -o '\bspy_[a-z_]*(' tests/harness/spy_hook.h | tr -d '(' | sort -u)
    mapfile -t REDIRECTED < <(sed -n 's/^#define \([a-z_A-Z]*\)(.*/\1/p; s/^#define \(pt_fail\) .*/\1/p' tests/harness/spy_hook.h | sort -u)
    if [ "${#SPIES[@]}" -eq 0 ] || [ "${#REDIRECTED[@]}" -eq 0 ]; then
        fault "cannot read the hooks in tests/harness/spy_hook.h"
    fi
    mapfile -t SYS_INCLUDES < <("${CC:-cc}" -xc -E -v - </dev/null 2>&1 |
        sed -n '/search starts here:/,/End of search list/{s/^ \(\/.*\)/\1/p}' | xargs -r -n1 realpath -m)
    [ "${#SYS_INCLUDES[@]}" -gt 0 ] || fault "cannot ask ${CC:-cc} where its system headers are"
}

allowed_name() {
    local p
    for p in "${SPIES[@]}"; do [ "$1" = "$p" ] && return 0; done
    # shellcheck disable=SC2053  # each line of the list is a shell pattern
    for p in "${ALLOW[@]}"; do [[ $1 == $p ]] && return 0; done
    return 1
}

include_allowed() {
    local p=$1 d
    case $p in
        common/*.h | tests/harness/*.h | lessons/[0-9][0-9]-*/*.h) return 0 ;;
    esac
    for d in "${SYS_INCLUDES[@]}"; do [[ $p == "$d"/* ]] && return 0; done
    return 1
}

# includes DEPFILE SOURCE: prints each file SOURCE included that an exercise
# may not (as the compiler opened it, relative to the workbook); false if one.
includes() {
    local dep r bad=0 src=${2##*/} deps
    deps=$(<"$1")
    deps=${deps//\\$'\n'/ }
    deps=${deps#*:}
    for dep in $deps; do
        [ "$dep" = "$2" ] && continue
        r=$dep
        if [[ $r == *..* || $r == *./* || ( $r != /* && ! -e $r ) ]]; then
            r=$(realpath -m -- "$dep")
        fi
        r=${r#"$PWD"/}
        include_allowed "$r" && continue
        echo "$src includes $r: an exercise may include only the system's headers and the workbook's (common/, lessons/, tests/harness/)"
        bad=1
    done
    return "$bad"
}

# elf_facts OBJECT...: in FACTS, a line "OBJECT FACT NAME" for each fact
# about the objects that the screen and the grader need: "section" (a
# constructor's or destructor's), "ifunc", "uses" (an undefined name),
# "defines" (a global one), "syscall" (an instruction of its own).
elf_facts() {
    # shellcheck disable=SC2016  # awk's program
    # (readelf names each file only when it reads more than one)
    FACTS=$({ readelf -SsW "$@"; objdump -d --no-show-raw-insn "$@"; } 2>/dev/null | awk -v first="$1" '
        BEGIN { f = first; elf = 1 }
        /^File: / { f = $2; elf = 1; next }
        /:[ \t]+file format / { f = $1; sub(/:$/, "", f); elf = 0; next }
        elf && /^ *\[ *[0-9]+\]/ {
            sub(/^ *\[ *[0-9]+\] */, "")
            if ($1 ~ /(^|\.)(init_array|fini_array|preinit_array|ctors|dtors)(\.|$)/ || $1 == ".init" || $1 == ".fini")
                print f " section " $1
            next }
        elf && $1 ~ /^[0-9]+:$/ && NF >= 8 {
            if ($4 == "IFUNC") print f " ifunc " $8
            if ($5 == "GLOBAL" || $5 == "WEAK") print f ($7 == "UND" ? " uses " : " defines ") $8
            next }
        !elf && (/:[ \t]+(syscall|sysenter|svc)([ \t]|$)/ || /:[ \t]+int[ \t]+\$0x80/) { print f " syscall -" }')
}

# screen OBJECT...: prints why each object may not run (FACTS must hold the
# objects' facts: elf_facts); false if one may not.
screen() {
    local o src bad=0 obj kind name
    for o in "$@"; do
        src=${o##*/}; src=${src%.o}.c
        if [ -f "${o%.o}.d" ]; then
            includes "${o%.o}.d" "${o%.o}.c" || bad=1
        else
            echo "$src: no list of its includes was made"; bad=1
        fi
        while read -r obj kind name; do
            [ "$obj" = "$o" ] || continue
            case $kind in
                section)
                    echo "$src defines a constructor or destructor (section $name): code that runs before or after the tests is not allowed"
                    bad=1 ;;
                ifunc)
                    echo "$src defines an indirect function (ifunc) $name, whose resolver would run before the tests"
                    bad=1 ;;
                syscall)
                    echo "$src makes a system call of its own (a syscall instruction): an exercise uses only the C library's calls"
                    bad=1 ;;
                uses)
                    allowed_name "$name" && continue
                    if [[ " ${REDIRECTED[*]} " == *" $name "* ]]; then
                        echo "$src calls $name() in a way that goes around the workbook's checks of it: write a plain call, $name(...)"
                    else
                        echo "$src uses $name, which an exercise may not use (see $ALLOWED), or which is defined nowhere"
                    fi
                    bad=1 ;;
            esac
        done <<<"$FACTS"
    done
    return "$bad"
}

# ---- running a lesson's tests ---------------------------------------------------

# run_tests SLOT BINARY SECONDS JOBDIR [CAP]: run the exercise suite, as the
# slot's user, each test's time limit capped at CAP seconds; leaves
# JOBDIR/results.xml (Check's runner wrote it), output.txt (what the tests
# printed: never read for results), ran ("STATUS MS").
run_tests() {
    local slot=$1 bin=$2 secs=$3 jd=$4 mode=${6:-} rc start fifo cap=() tsan=() mem=$MEMORY_MB
    [ -z "${5:-}" ] || cap=(WORKBOOK_TEST_LIMIT="$5")
    [ "$mode" != tsan ] || { tsan=("${TSAN_ENV[@]}"); mem=0; }
    slot_dir "$slot"
    install -m 755 "$bin" "$SLOT_DIR/test" || fault "cannot copy $bin"
    fifo=$RUNROOT/out$slot
    [ -p "$fifo" ] || mkfifo -m 600 "$fifo" || fault "cannot make $fifo"
    { head -c $((OUTPUT_KB * 1024)); cat >/dev/null; } <"$fifo" >"$jd/output.txt" &
    local reader=$!
    now_ms; start=$NOW_MS
    rm -f "$jd/memory"
    sandbox "$slot" "$secs" "$SLOT_DIR" "$CPU_SECONDS" "$mem" "$PROCESSES" \
        env -i PATH=/usr/bin:/bin HOME="$SLOT_DIR" TMPDIR="$SLOT_DIR" LC_ALL=C \
        CK_RUN_SUITE=exercise CK_FORK=yes CK_VERBOSITY=silent \
        CK_XML_LOG_FILE_NAME="$SLOT_DIR/results.xml" "${cap[@]}" "${tsan[@]}" \
        ./test >"$fifo" 2>&1 &
    local run=$! guard=''
    [ "$mem" -ne 0 ] || { rss_guard "$run" "$jd/memory" & guard=$!; }
    wait "$run" 2>/dev/null     # bash's own "Killed" line for a test the limits stopped: the report says it
    rc=$?
    [ -z "$guard" ] || { kill "$guard" 2>/dev/null; wait "$guard" 2>/dev/null; }
    now_ms
    reap "$slot"
    wait "$reader"
    echo "$rc $((NOW_MS - start))" >"$jd/ran"
    rm -f "$jd/results.xml"
    [ ! -f "$SLOT_DIR/results.xml" ] || mv "$SLOT_DIR/results.xml" "$jd/results.xml"
    [ "$rc" -ne 125 ] || fault "the limits could not be set for user ${SLOT_UID[$slot]:-$ME} (status 125)"
}

# Check's XML as "result<TAB>test<TAB>message" lines (message as Check wrote it).
xml_results() {
    awk '/<test result="/ { match($0, /result="[a-z]*"/); res = substr($0, RSTART + 8, RLENGTH - 9); id = ""; msg = ""; t = 1; next }
         t && /<id>/ { s = $0; sub(/.*<id>/, "", s); sub(/<\/id>.*/, "", s); id = s; next }
         t && /<message>/ { s = $0; sub(/.*<message>/, "", s); sub(/<\/message>.*/, "", s); msg = s; next }
         t && /<\/test>/ { print res "\t" id "\t" msg; t = 0 }' "$1" 2>/dev/null
}

# how_it_ended JOBDIR SECONDS: why tests of a run may have no result, in HOW.
how_it_ended() {
    local rc ms
    read -r rc ms <"$1/ran"
    secs "$ms"
    if [ -s "$1/memory" ]; then
        HOW="the tests were stopped after $SECS s: together they held more than $MEMORY_MB MB of memory"
        return
    fi
    case $rc in
        0 | 1) HOW="the test program ended ($SECS s) without reporting this test" ;;
        137) HOW="the lesson's tests ran out of time: they were stopped after $SECS s (the limit for all of this lesson's tests is $2 s)" ;;
        *) if [ "$rc" -gt 128 ]; then
               HOW="the test program was ended by signal $((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null)) after $SECS s"
           else
               HOW="the test program ended with status $rc after $SECS s, before this test ran"
           fi ;;
    esac
}

# tests_from_run LESSON JOBDIR SECONDS: JOBDIR/tests.tsv (test, pass|fail,
# message) for each of the lesson's tests, from Check's XML alone.
tests_from_run() {
    local l=$1 jd=$2 t n res msg
    declare -A seen=() result=() message=()
    while IFS=$'\t' read -r res t msg; do
        seen[$t]=$((${seen[$t]:-0} + 1)) result[$t]=$res message[$t]=$msg
    done < <(xml_results "$jd/results.xml")
    : >"$jd/tests.tsv"
    for t in ${REF_TESTS[$l]}; do
        n=${seen[$t]:-0}
        if [ "$n" -eq 1 ] && [ "${result[$t]}" = success ]; then
            printf '%s\tpass\t%s\n' "$t" "${message[$t]}"
        elif [ "$n" -eq 1 ]; then
            printf '%s\tfail\t%s\n' "$t" "${message[$t]}"
        elif [ "$n" -gt 1 ]; then
            printf '%s\tfail\tthe report names this test %d times: something wrote into it besides the test runner\n' "$t" "$n"
        else
            how_it_ended "$jd" "$3"
            to_xmlform "not run: $HOW"
            printf '%s\tfail\t%s\n' "$t" "$XMLFORM"
        fi
    done >"$jd/tests.tsv"
}

# lesson_not_run JOBDIR STATUS REASON: every test of the lesson fails with REASON.
lesson_not_run() {
    local jd=$1 l=${1##*/} t
    echo "$2" >"$jd/status"
    printf '%s\n' "$3" >"$jd/reason"
    to_xmlform "not run: $3"
    for t in ${REF_TESTS[$l]}; do printf '%s\tfail\t%s\n' "$t" "$XMLFORM"; done >"$jd/tests.tsv"
}

# lesson_seconds LESSON CAP_MS: in LIMIT, the wall-time limit of all of a lesson's tests.
lesson_seconds() { LIMIT=$((5 + NTESTS[$1] * (($2 + 999) / 1000 + 1))); }
# cap MS: "0.25" for 250, in CAP.
cap() { printf -v CAP '%d.%03d' "$(($1 / 1000))" "$(($1 % 1000))"; CAP=${CAP%0}; CAP=${CAP%0}; CAP=${CAP%.0}; }

# ---- the jobs: one lesson of one student, or of the reference answers ---------

# ref_job SLOT LESSON: the reference answer's run gives the lesson's tests
# and their cap: the least of GRADE_TEST_SECONDS, twice that, ... under half
# of which the reference passes every test. Any other failure of the
# reference under the grader's limits is the grader's fault.
ref_job() {
    local slot=$1 l=$2
    slot_user "$slot"
    ref_cap "$slot" "$l" "$BUILD/sets/solution/$l/test" "$WORK/ref/$l" "$TEST_MS" ''
    [ -z "${TSAN[$l]:-}" ] ||
        ref_cap "$slot" "$l" "$TSAN_BUILD/sets/solution/$l/test" "$WORK/ref/$l/tsan" "$(<"$WORK/ref/$l/cap")" tsan
}

# ref_cap SLOT LESSON BINARY JOBDIR MS MODE: the cap (from MS up) with which
# the reference answer passes every test in half of it, in JOBDIR/cap.
ref_cap() {
    local slot=$1 l=$2 bin=$3 jd=$4 ms=$5 mode=$6 res t msg slow how=''
    [ -z "$mode" ] || how=' under ThreadSanitizer'
    while :; do
        rm -rf "$jd" && mkdir -p "$jd"
        cap $((ms / 2))
        run_tests "$slot" "$bin" 240 "$jd" "$CAP" "$mode"
        slow=0
        : >"$jd/names"
        while IFS=$'\t' read -r res t msg; do
            echo "$t" >>"$jd/names"
            [ "$res" = success ] && continue
            if [[ $msg == "the test did not finish within "* ]]; then slow=1; continue; fi
            from_xmlform "$msg"
            fault "the reference answer solutions/$l fails $t$how under the grader's limits ($TEXT): the workbook or the limits are broken"
        done < <(xml_results "$jd/results.xml")
        [ -s "$jd/names" ] || { how_it_ended "$jd" 240; fault "the tests of $l ran none$how under the grader's limits ($HOW)"; }
        [ "$slow" -eq 1 ] || break
        ms=$((ms * 2))
        [ "$ms" -le 60000 ] || fault "the reference answer of $l does not pass its tests$how with 30 s a test under the limits"
    done
    echo "$ms" >"$jd/cap"
}

# take_files STUDENT LESSON: copy the lesson's exercise files from the
# submission into the student's set; false (and the lesson fails, saying
# why) when one is missing or is not a plain file.
take_files() {
    local i=$1 l=$2 src=${SRC[$1]} jd=$WORK/s/${SAFE[$1]}/$2 set=$BUILD/sets/class-${SAFE[$1]}/$2 f where found
    for f in ${EXFILES[$l]}; do
        found=''
        for where in "lessons/$l/$f" "$l/$f" "$f"; do
            if [ -e "$src/$where" ] || [ -L "$src/$where" ]; then found=$where; break; fi
        done
        if [ -z "$found" ]; then
            lesson_not_run "$jd" missing "$f is missing: the submission has no lessons/$l/$f (nor $l/$f, nor $f)"
            return 1
        fi
        if [ -L "$src/$found" ] || [ ! -f "$src/$found" ]; then
            lesson_not_run "$jd" refused "$found is not a plain file (a link, say): only plain files are taken"
            return 1
        fi
        if [ "$(stat -c %s "$src/$found")" -gt $((SOURCE_KB * 1024)) ]; then
            lesson_not_run "$jd" refused "$found is larger than $SOURCE_KB KB"
            return 1
        fi
        cp "$src/$found" "$set/$f" || fault "cannot copy $src/$found"
        echo "took $found" >>"$jd/log"
    done
}

# objects_of TAG LESSON: the lesson's objects in OBJS; false if one is missing.
objects_of() {
    local f ok=0
    OBJS=()
    for f in ${EXFILES[$2]}; do
        OBJS+=("$BUILD/sets/$1/$2/${f%.c}.o")
        [ -f "$BUILD/sets/$1/$2/${f%.c}.o" ] || ok=1
    done
    return "$ok"
}

# student_build SLOT STUDENT: take, compile, screen and link every lesson of
# a student (one compile and one link for all of them); the lessons whose
# tests may run go to $WORK/s/<student>/runnable.
student_build() {
    local slot=$1 i=$2 sd=$WORK/s/${SAFE[$2]} tag=class-${SAFE[$2]}
    local l f jd set taken=() built=() runnable=() api defined missing t0 t1 t2 names=() ndefined obj kind name
    slot_user "$slot"
    rm -rf "$sd" "${BUILD:?}/sets/$tag" "$TSAN_BUILD/sets/$tag"
    mkdir -p "$sd"
    for l in "${LESSONS[@]}"; do
        mkdir -p "$sd/$l" "$BUILD/sets/$tag/$l"
        : >"$sd/$l/log"
        take_files "$i" "$l" && taken+=("$l")
    done

    now_ms; t0=$NOW_MS
    [ "${#taken[@]}" -eq 0 ] || compile_set "$slot" "$tag" "${taken[@]}" >"$sd/compile.txt" 2>&1
    now_ms; t1=$NOW_MS
    local all=() facts
    for l in "${taken[@]}"; do objects_of "$tag" "$l" && all+=("${OBJS[@]}"); done
    [ "${#all[@]}" -eq 0 ] || elf_facts "${all[@]}"
    facts=$FACTS
    for l in "${taken[@]}"; do
        jd=$sd/$l set=$BUILD/sets/$tag/$l
        FACTS=$facts
        # The lesson's part of the compiler's messages: from a line that names a
        # file of its set to one that names another lesson's.
        : >"$jd/compile.txt"
        [ ! -s "$sd/compile.txt" ] ||
            awk -v p="$set/" -v q="$BUILD/sets/$tag/" 'index($0, q) { on = index($0, p) > 0 } on' \
                "$sd/compile.txt" >"$jd/compile.txt"
        if ! objects_of "$tag" "$l"; then
            # Alone, for its own message (and in case the batch ran out of time).
            if ! compile_set "$slot" "$tag" "$l" >"$jd/compile.txt" 2>&1; then
                compiler_text "$jd/compile.txt" "$set"
                probe_reference "$slot" "$l" compile || fault "even the reference answer of $l does not compile here: $TEXT"
                lesson_not_run "$jd" compile "${EXFILES[$l]} does not compile; the compiler says:"$'\n'"$TEXT"
                continue
            fi
            objects_of "$tag" "$l"
            elf_facts "${OBJS[@]}"
        fi
        if [ -s "$jd/compile.txt" ]; then
            compiler_text "$jd/compile.txt" "$set"
            printf 'the compiler warns:\n%s\n' "$TEXT" >>"$jd/log"
        fi
        if [ "$SCREEN" = on ] && ! screen "${OBJS[@]}" >"$jd/screen.txt"; then
            lesson_not_run "$jd" refused "refused before it ran:"$'\n'"$(<"$jd/screen.txt")"
            continue
        fi
        api=$WORK/ref/$l/api
        mapfile -t names <"$api"
        defined=$'\n' ndefined=0
        while read -r obj kind name; do
            if [ "$kind" != defines ] || [[ " ${OBJS[*]} " != *" $obj "* ]]; then continue; fi
            defined+=$name$'\n' ndefined=$((ndefined + 1))
        done <<<"$FACTS"
        missing=''
        for f in "${names[@]}"; do [[ $defined == *$'\n'"$f"$'\n'* ]] || missing+=" $f()"; done
        if [ -n "$missing" ]; then
            lesson_not_run "$jd" link "it does not define$missing, which the tests call"
            continue
        fi
        # The names it defines beyond what the tests call become local: its own
        # fprintf (say) cannot replace the one Check's runner writes results with.
        if [ "$ndefined" -gt "${#names[@]}" ]; then
            for f in "${OBJS[@]}"; do objcopy --keep-global-symbols="$api" "$f" || fault "objcopy failed on $f"; done
        fi
        built+=("$l")
    done

    now_ms; t2=$NOW_MS
    [ "${#built[@]}" -eq 0 ] || link_set "$tag" "${built[@]}" >"$sd/link.txt" 2>&1
    for l in "${built[@]}"; do
        jd=$sd/$l set=$BUILD/sets/$tag/$l
        if [ ! -x "$set/test" ] && ! link_set "$tag" "$l" >"$jd/link.txt" 2>&1; then
            compiler_text "$jd/link.txt" "$set"
            probe_reference "$slot" "$l" link || fault "even the reference answer of $l does not link here: $TEXT"
            lesson_not_run "$jd" link "it does not link; the linker says:"$'\n'"$TEXT"
            continue
        fi
        if [ -n "${TSAN[$l]:-}" ] && ! tsan_build "$slot" "$tag" "$l" >"$jd/tsan-build.txt" 2>&1; then
            compiler_text "$jd/tsan-build.txt" "$set"
            lesson_not_run "$jd" link "it does not build for ThreadSanitizer, which grades this lesson too:"$'\n'"$TEXT"
            continue
        fi
        runnable+=("$l")
    done
    now_ms
    printf 'built: %d files compiled in %d ms, screened in %d ms, linked in %d ms\n' \
        "${#taken[@]}" "$((t1 - t0))" "$((t2 - t1))" "$((NOW_MS - t2))" >"$sd/build.log"
    printf '%s\n' "${runnable[@]}" >"$sd/runnable"
}

# student_run SLOT STUDENT LESSON DEADLINE_MS: run a built lesson's tests.
student_run() {
    local slot=$1 i=$2 l=$3 deadline=$4
    local jd=$WORK/s/${SAFE[$i]}/$l set=$BUILD/sets/class-${SAFE[$i]}/$l secs left t0
    slot_user "$slot"
    lesson_seconds "$l" "${CAP_MS[$l]}"; secs=$LIMIT
    now_ms; t0=$NOW_MS left=$(((deadline - NOW_MS) / 1000))
    [ "$left" -ge "$secs" ] || secs=$left
    if [ "$secs" -le 0 ]; then
        lesson_not_run "$jd" budget "the submission used up its $STUDENT_SECONDS s before this lesson's tests ran"
        return 0
    fi
    cap "${CAP_MS[$l]}"
    run_tests "$slot" "$set/test" "$secs" "$jd" "$CAP"
    if [ ! -s "$jd/results.xml" ] && ! grep -q '^[01] ' "$jd/ran"; then
        # No report at all: the reference must still run here, or the fault is the grader's.
        mkdir -p "$jd/probe"
        run_tests "$slot" "$BUILD/sets/solution/$l/test" 120 "$jd/probe"
        grep -q 'result="success"' "$jd/probe/results.xml" 2>/dev/null ||
            fault "the test program of $l no longer runs, even with the reference answer"
        rm -rf "$jd/probe"
    fi
    tests_from_run "$l" "$jd" "$secs"
    retry_timeouts "$slot" "$l" "$jd" "$deadline" "$set/test"
    now_ms
    cap "${CAP_MS[$l]}"
    printf 'tests ran in %d ms (%s s a test, %d s in all)\n' "$((NOW_MS - t0))" "$CAP" "$secs" >>"$jd/log"
    [ -z "${TSAN[$l]:-}" ] || tsan_run "$slot" "$i" "$l" "$deadline"
    echo ran >"$jd/status"
    : >"$jd/reason"
}

# tsan_run SLOT STUDENT LESSON DEADLINE_MS: the lesson's second run, under
# ThreadSanitizer, when the first passed a test.
tsan_run() {
    local slot=$1 i=$2 l=$3 deadline=$4 jd=$WORK/s/${SAFE[$2]}/$3 secs left t0
    grep -q $'\tpass\t' "$jd/tests.tsv" || return 0
    lesson_seconds "$l" $((TSAN_CAP_MS[$l] * 4)); secs=$LIMIT
    now_ms; t0=$NOW_MS left=$(((deadline - NOW_MS) / 1000))
    [ "$left" -ge "$secs" ] || secs=$left
    if [ "$secs" -le 0 ]; then
        lesson_not_run "$jd" budget "the submission used up its $STUDENT_SECONDS s before this lesson's tests ran under ThreadSanitizer"
        return 0
    fi
    mkdir -p "$jd/tsan"
    cap "${TSAN_CAP_MS[$l]}"
    run_tests "$slot" "$TSAN_BUILD/sets/class-${SAFE[$i]}/$l/test" "$secs" "$jd/tsan" "$CAP" tsan
    tests_from_run "$l" "$jd/tsan" "$secs"
    retry_timeouts "$slot" "$l" "$jd/tsan" "$deadline" "$TSAN_BUILD/sets/class-${SAFE[$i]}/$l/test" tsan
    tsan_merge "$jd"
    now_ms
    printf 'the same tests under ThreadSanitizer ran in %d ms: %d more failed there\n' "$((NOW_MS - t0))" "$TSAN_FAILED" >>"$jd/log"
    if [ -s "$jd/tsan/output.txt" ]; then
        { echo '--- what the tests printed under ThreadSanitizer:'; cat "$jd/tsan/output.txt"; } >>"$jd/output.txt"
    fi
}

# compiler_text FILE SET: the compiler's or linker's messages in TEXT, with
# the files named as the student knows them, without make's own lines.
compiler_text() {
    clean "$1" 8192
    TEXT=${TEXT//"$2/"/}
    TEXT=$(grep -v '^make\(\[[0-9]*\]\)\{0,1\}: \*\*\*' <<<"$TEXT")
}

# retry_timeouts SLOT LESSON JOBDIR DEADLINE_MS BINARY: the tests that ran out
# of time run once more with three times the cap (unless all of the lesson's
# did: the reference answer passes them all in half the cap), and their
# second result counts: a busy machine cannot fail a right answer that way,
# and a real hang fails again.
retry_timeouts() {
    local slot=$1 l=$2 jd=$3 deadline=$4 bin=$5 mode=${6:-} n cap secs left t res msg
    n=$(grep -c $'\tfail\tthe test did not finish within ' "$jd/tests.tsv")
    if [ "$n" -eq 0 ] || [ "$n" -ge "$(wc -l <"$jd/tests.tsv")" ]; then return 0; fi
    cap=$((CAP_MS[$l] * 3))
    [ -z "$mode" ] || cap=$((TSAN_CAP_MS[$l] * 3))
    lesson_seconds "$l" "$cap"; secs=$LIMIT
    [ -z "$mode" ] || { lesson_seconds "$l" $((cap * 4)); secs=$LIMIT; }
    now_ms; left=$(((deadline - NOW_MS) / 1000))
    [ "$left" -ge "$secs" ] || secs=$left
    [ "$secs" -gt 0 ] || return 0
    mkdir -p "$jd/retry"
    cap "$cap"
    run_tests "$slot" "$bin" "$secs" "$jd/retry" "$CAP" "$mode"
    tests_from_run "$l" "$jd/retry" "$secs"
    declare -A again=()
    while IFS=$'\t' read -r t res msg; do again[$t]="$res"$'\t'"$msg"; done <"$jd/retry/tests.tsv"
    while IFS=$'\t' read -r t res msg; do
        if [ "$res" = fail ] && [[ $msg == "the test did not finish within "* ]]; then
            printf '%s\t%s\n' "$t" "${again[$t]}"
        else
            printf '%s\t%s\t%s\n' "$t" "$res" "$msg"
        fi
    done <"$jd/tests.tsv" >"$jd/tests.again"
    mv "$jd/tests.again" "$jd/tests.tsv"
    echo "$n test(s) ran out of time and ran once more with $CAP s each" >>"$jd/log"
}

# ---- the pool: GRADE_JOBS jobs at a time, one slot (one user) each ------------

# The jobs: "ref 0 LESSON" (the reference answers), then
# "build STUDENT" for each student; a build's lessons to run come back as
# "run STUDENT LESSON" jobs, which go first.
JOBQ=() RUNQ=()
declare -A STUDENT_DEADLINE=() LESSONS_LEFT=()
pool() {
    local -a slot_pid=()
    local -A pid_job=()
    local next=0 running=0 s pid rc kind i l job
    for s in "${!SLOT_UID[@]}"; do slot_pid[s]=''; done
    while :; do
        if [ "$running" -lt "$JOBS" ] && [ ! -s "$WORK/fault" ] &&
           { [ "${#RUNQ[@]}" -gt 0 ] || [ "$next" -lt "${#JOBQ[@]}" ]; }; then
            for s in "${!slot_pid[@]}"; do [ -z "${slot_pid[s]}" ] && break; done
            if [ "${#RUNQ[@]}" -gt 0 ]; then
                job=${RUNQ[0]}; RUNQ=("${RUNQ[@]:1}")
            else
                job=${JOBQ[next]}; next=$((next + 1))
            fi
            read -r kind i l <<<"$job"
            case $kind in
                ref) ref_job "$s" "$l" & ;;
                build)
                    now_ms
                    STUDENT_DEADLINE[$i]=$((NOW_MS + STUDENT_SECONDS * 1000)) STUDENT_START[i]=$NOW_MS
                    student_build "$s" "$i" & ;;
                run) student_run "$s" "$i" "$l" "${STUDENT_DEADLINE[$i]}" & ;;
            esac
            slot_pid[s]=$!
            pid_job[$!]="$s $kind $i $l"
            running=$((running + 1))
            continue
        fi
        [ "$running" -gt 0 ] || break
        wait -n -p pid
        rc=$?
        [ -n "${pid_job[$pid]:-}" ] || continue
        read -r s kind i l <<<"${pid_job[$pid]}"
        unset "pid_job[$pid]"
        slot_pid[s]=''
        running=$((running - 1))
        if [ "$rc" -ne 0 ] && [ ! -s "$WORK/fault" ]; then
            echo "a grading job ($kind ${NAMES[$i]:-} $l) ended with status $rc" >>"$WORK/fault"
        fi
        [ -s "$WORK/fault" ] && continue
        case $kind in
            build)
                LESSONS_LEFT[$i]=0
                while read -r l; do
                    [ -n "$l" ] || continue
                    RUNQ+=("run $i $l"); LESSONS_LEFT[$i]=$((LESSONS_LEFT[$i] + 1))
                done <"$WORK/s/${SAFE[$i]}/runnable"
                [ "${LESSONS_LEFT[$i]}" -gt 0 ] || student_done "$i" ;;
            run)
                LESSONS_LEFT[$i]=$((LESSONS_LEFT[$i] - 1))
                [ "${LESSONS_LEFT[$i]}" -gt 0 ] || student_done "$i" ;;
        esac
    done
    if [ -s "$WORK/fault" ]; then
        printf 'grade: the grader itself failed, so nothing was recorded: %s\n' "$(head -n 1 "$WORK/fault")" >&2
        exit 3
    fi
}

# ---- reports ---------------------------------------------------------------------

declare -A POINTS=() LMAX=() REF_TESTS=() NTESTS=() CAP_MS=() EXFILES=()
STUDENT_START=() DONE=0 TOTAL_MAX=0

# Points per test: GRADE_WEIGHTS lines "<lesson><TAB><test><TAB><points>";
# a test it does not name is worth 1.
load_weights() {
    local l t p n=0
    declare -A known=()
    for l in "${LESSONS[@]}"; do
        for t in ${REF_TESTS[$l]}; do known[$l/$t]=1; POINTS[$l/$t]=1; done
    done
    if [ -f "$WEIGHTS" ]; then
        while IFS=$'\t' read -r l t p; do
            n=$((n + 1))
            [[ -z $l || $l == \#* ]] && continue
            if [ -z "${known[$l/$t]:-}" ]; then
                # (a lesson left out by GRADE_LESSONS is not checked)
                [ -n "${GRADE_LESSONS:-}" ] && ! grep -qxF -- "$l" < <(printf '%s\n' "${LESSONS[@]}") && continue
                fault "$WEIGHTS line $n: lesson $l has no exercise test '$t'"
            fi
            [[ $p =~ ^[0-9]+$ ]] || fault "$WEIGHTS line $n: points must be a whole number, not '$p'"
            POINTS[$l/$t]=$p
        done <"$WEIGHTS"
    fi
    TOTAL_MAX=0
    for l in "${LESSONS[@]}"; do
        LMAX[$l]=0
        for t in ${REF_TESTS[$l]}; do
            LMAX[$l]=$((LMAX[$l] + POINTS[$l/$t]))
            printf '%s\t%s\t%s\n' "$l" "$t" "${POINTS[$l/$t]}"
        done
        TOTAL_MAX=$((TOTAL_MAX + LMAX[$l]))
    done >"$OUT/points.tsv"
}

# student_done STUDENT: its four reports, its gradebook row, its progress line.
student_done() {
    local i=$1 name=${NAMES[$1]} dir=$OUT/${SAFE[$1]} sd=$WORK/s/${SAFE[$1]}
    local l t res msg p status reason total=0 n=0 fails=0 cells='' ms el num
    local tests_json='' junit='' suite='' tap='' log='' summary='' lscore lfail ltests lines jname
    mkdir -p "$dir"
    now_ms; ms=$((NOW_MS - STUDENT_START[i]))
    for l in "${LESSONS[@]}"; do
        status=$(<"$sd/$l/status") reason=$(<"$sd/$l/reason")
        lscore=0 lfail=0 ltests=0 lines='' suite=''
        log+=$'\n'"==== $l"$'\n'
        [ -s "$sd/$l/log" ] && log+=$(<"$sd/$l/log")$'\n'
        if [ -n "$reason" ]; then indent "$reason" '    '; log+="not run: ${TEXT#    }"$'\n'; fi
        while IFS=$'\t' read -r t res msg; do
            n=$((n + 1)) ltests=$((ltests + 1))
            p=${POINTS[$l/$t]}
            num="$((10#${l%%-*})).$ltests"
            json "$l: $t"; jname=$JSON
            xml_attr "$t"; suite+="    <testcase classname=\"$l\" name=\"$XML\" time=\"0\""
            if [ "$res" = pass ]; then
                lscore=$((lscore + p))
                tests_json+="${tests_json:+,}"$'\n'"    {\"name\": $jname, \"number\": \"$num\", \"score\": $p, \"max_score\": $p, \"status\": \"passed\", \"output\": \"passed\", \"visibility\": \"visible\"}"
                suite+="/>"$'\n'
                tap+="ok $n - $l: $t"$'\n'"  ---"$'\n'"  points: $p/$p"$'\n'"  ..."$'\n'
                lines+="  PASS $t"$'\n'
                continue
            fi
            lfail=$((lfail + 1))
            from_xmlform "$msg"; msg=$TEXT
            json "$msg"
            tests_json+="${tests_json:+,}"$'\n'"    {\"name\": $jname, \"number\": \"$num\", \"score\": 0, \"max_score\": $p, \"status\": \"failed\", \"output\": $JSON, \"visibility\": \"visible\"}"
            xml_attr "${msg%%$'\n'*}"; suite+=">"$'\n'"      <failure type=\"failure\" message=\"$XML\">"
            xml "$msg"; suite+="$XML</failure>"$'\n'"    </testcase>"$'\n'
            to_xmlform "$msg"; from_xmlform "$XMLFORM"     # (YAML wants no control characters)
            indent "$TEXT" '    '
            tap+="not ok $n - $l: $t"$'\n'"  ---"$'\n'"  message: |-"$'\n'"$TEXT"$'\n'"  points: 0/$p"$'\n'"  ..."$'\n'
            if [ "$status" = ran ]; then
                indent "$msg" '        '; lines+="  FAIL $t:"$'\n'"$TEXT"$'\n'
            else
                lines+="  FAIL $t"$'\n'
            fi
        done <"$sd/$l/tests.tsv"
        total=$((total + lscore)) fails=$((fails + lfail))
        cells+=",$lscore"
        log+=$lines"score: $lscore/${LMAX[$l]}"$'\n'
        if [ -s "$sd/$l/output.txt" ]; then
            clean "$sd/$l/output.txt" 4096
            indent "$TEXT" '  | '
            log+="what the tests printed (the first 4 KB; the grader never reads it):"$'\n'"$TEXT"$'\n'
        fi
        summary+="$l: $lscore/${LMAX[$l]}"
        [ "$status" = ran ] || summary+=" (${reason%%$'\n'*})"
        summary+=$'\n'
        xml_attr "$l"
        junit+="  <testsuite name=\"$XML\" tests=\"$ltests\" failures=\"$lfail\" errors=\"0\" skipped=\"0\" time=\"0\">"$'\n'
        junit+="    <properties><property name=\"score\" value=\"$lscore\"/><property name=\"max_score\" value=\"${LMAX[$l]}\"/></properties>"$'\n'
        junit+=$suite
        if [ -n "$reason" ]; then xml "$reason"; junit+="    <system-out>$XML</system-out>"$'\n'; fi
        junit+="  </testsuite>"$'\n'
    done
    secs "$ms"
    json "$name: $total/$TOTAL_MAX points"$'\n'"$summary"
    printf '{\n  "score": %d,\n  "execution_time": %d,\n  "output": %s,\n  "visibility": "visible",\n  "stdout_visibility": "hidden",\n  "tests": [%s\n  ]\n}\n' \
        "$total" "$(((ms + 999) / 1000))" "$JSON" "$tests_json" >"$dir/results.json"
    xml_attr "$name"
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="%s" tests="%d" failures="%d" errors="0" time="%s">\n%s</testsuites>\n' \
        "$XML" "$n" "$fails" "$SECS" "$junit" >"$dir/junit.xml"
    printf 'TAP version 13\n1..%d\n%s' "$n" "$tap" >"$dir/report.tap"
    { printf 'grade of %s (%s), %s\n' "$name" "${SRC[$i]}" "$(date '+%Y-%m-%d %H:%M:%S')"
      printf 'total: %d/%d points, graded in %s s\n%s\n' "$total" "$TOTAL_MAX" "$SECS" "$LIMITS"
      cat "$sd/build.log"
      printf '%s' "$log"; } >"$dir/log.txt"
    echo "${cells#,},$total" >"$sd/cells"
    DONE=$((DONE + 1))
    now_ms; el=$(((NOW_MS - GRADE_START) / 1000))
    local count=${#NAMES[@]}
    printf '[%*d/%d] %-28s %4d/%-4d %6s s   elapsed %d:%02d\n' "${#count}" "$DONE" "$count" \
        "$name" "$total" "$TOTAL_MAX" "$SECS" "$((el / 60))" "$((el % 60))"
}

# The gradebook, in the students' order, and the table at the end.
gradebook() {
    local i l head=student cells
    for l in "${LESSONS[@]}"; do head+=",$l"; done
    { echo "$head,total,max"
      for i in "${!NAMES[@]}"; do csv "${NAMES[$i]}"; echo "$CSV,$(<"$WORK/s/${SAFE[$i]}/cells"),$TOTAL_MAX"; done
    } >"$OUT/gradebook.csv"
    echo
    printf '%-28s' student
    for l in "${LESSONS[@]}"; do printf ' %3s' "${l%%-*}"; done
    printf '   total\n'
    for i in "${!NAMES[@]}"; do
        IFS=, read -r -a cells <"$WORK/s/${SAFE[$i]}/cells"
        printf '%-28.28s' "${NAMES[$i]}"
        for ((l = 0; l < ${#LESSONS[@]}; l++)); do printf ' %3s' "${cells[l]}"; done
        printf '   %d/%d\n' "${cells[${#LESSONS[@]}]}" "$TOTAL_MAX"
    done
    printf '%-28s' '(max)'
    for l in "${LESSONS[@]}"; do printf ' %3s' "${LMAX[$l]}"; done
    printf '   %d\n' "$TOTAL_MAX"
}

# ---- one grading run -----------------------------------------------------------

preflight() {
    local t
    for t in make "${CC:-cc}" nm objdump readelf objcopy timeout setsid pkill pgrep awk realpath mkfifo pkg-config; do
        command -v "$t" >/dev/null || fault "the grader needs '$t', which is not installed"
    done
    if [ "$ROOT" = yes ]; then
        for t in setpriv flock getent; do
            command -v "$t" >/dev/null || fault "grading as root needs '$t' (to run student code as another user)"
        done
    fi
    # A PID namespace of its own for each run (as root; else with a user namespace).
    UNSHARE=(unshare --pid --fork --kill-child)
    [ "$ROOT" = yes ] || UNSHARE=(unshare --user --map-current-user --pid --fork --kill-child)
    if command -v unshare >/dev/null && "${UNSHARE[@]}" true 2>/dev/null; then NS=yes; fi
    pkg-config --exists check 2>/dev/null ||
        fault "the tests need the Check framework and pkg-config (make test installs them, or: sudo apt-get install check pkg-config)"
    [ -r "$ALLOWED" ] || fault "$ALLOWED is missing"
    [[ $JOBS =~ ^[1-9][0-9]*$ && $STUDENT_SECONDS =~ ^[1-9][0-9]*$ ]] ||
        die "GRADE_JOBS and GRADE_STUDENT_SECONDS must be whole numbers above 0"
    [[ $TEST_SECONDS =~ ^[0-9]+(\.[0-9]{1,3})?$ ]] || die "GRADE_TEST_SECONDS must be seconds, such as 0.5"
    local whole=${TEST_SECONDS%%.*} frac=${TEST_SECONDS#*.}000
    [[ $TEST_SECONDS == *.* ]] || frac=000
    TEST_MS=$((10#$whole * 1000 + 10#${frac:0:3}))
    [ "$TEST_MS" -ge 100 ] || die "GRADE_TEST_SECONDS must be at least 0.1"
}

# cleanup: on the way out, nothing of the grading users is left, and a
# grading that did not finish leaves no reports (none half written).
cleanup() {
    local u
    local users="${SLOT_USERS[*]}"
    [ "$ROOT" = yes ] && for u in $users; do pkill -KILL -U "$u" 2>/dev/null; done
    [ -n "${RUNROOT:-}" ] && rm -rf "$RUNROOT"
    [ -n "${FINISHED:-}" ] || rm -rf "$OUT"
}

# run_grading MODE: MODE is class, one or tree.
run_grading() {
    local mode=$1 l i f
    now_ms; GRADE_START=$NOW_MS
    mkdir -p "$BUILD/grade" || die "cannot write $BUILD/grade"
    exec {LOCKFD}>"$BUILD/grade/.lock" || die "cannot write $BUILD/grade"
    flock -n "$LOCKFD" || die "another grading runs in $BUILD/grade: wait for it, or use another BUILD"
    rm -rf "$WORK" "$OUT"
    mkdir -p "$WORK/ref" "$WORK/s" || die "cannot write $WORK"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    preflight
    mapfile -t LESSONS < <(exercise_lessons)
    [ "${#LESSONS[@]}" -gt 0 ] || die "no lesson to grade (GRADE_LESSONS='${GRADE_LESSONS:-}')"
    for l in "${LESSONS[@]}"; do EXFILES[$l]=$(exercise_files "$l" | paste -sd' '); done
    RUNROOT=$(mktemp -d /tmp/workbook-grade.XXXXXX) || fault "cannot create a directory in /tmp"
    chmod 711 "$RUNROOT"
    if [ "$ROOT" = yes ]; then claim_uids; else
        for ((i = 0; i < JOBS; i++)); do SLOT_UID+=("$ME"); done
    fi
    load_screen
    compile_tree

    # The pristine parts, once: the reference answers' sets bring the test
    # objects, the harness and libcommon. Check's flags are fixed here, so a
    # student's process flood can never make a later link lose -lcheck.
    MAKE_ARGS=("BUILD=$BUILD" NO_DEMOS=1 "CHECK_CFLAGS=$(pkg-config --cflags check)" "CHECK_LIBS=$(pkg-config --libs check)")
    [ -z "${CC:-}" ] || MAKE_ARGS+=("CC=$CC")
    local bins=()
    for l in "${LESSONS[@]}"; do
        mkdir -p "$BUILD/sets/solution/$l"
        for f in $(exercise_files "$l"); do
            cmp -s "solutions/$l/$f" "$BUILD/sets/solution/$l/$f" || cp "solutions/$l/$f" "$BUILD/sets/solution/$l/$f"
        done
        bins+=("$BUILD/sets/solution/$l/test")
    done
    make --no-print-directory -s -j"$JOBS" "${MAKE_ARGS[@]}" "${bins[@]}" >"$WORK/pristine.log" 2>&1 ||
        fault "the workbook itself does not build (run make test): $(tail -n 5 "$WORK/pristine.log")"
    PRISTINE_OLD=()
    for f in "$BUILD"/obj/tests/harness/*.o "$BUILD/libcommon.a" "$BUILD"/obj/common/*.o; do PRISTINE_OLD+=(-o "$f"); done
    tsan_load
    if [ "${#TSAN[@]}" -gt 0 ]; then
        TSAN_MAKE_ARGS=("${MAKE_ARGS[@]}" "BUILD=$TSAN_BUILD")
        bins=()
        for l in "${!TSAN[@]}"; do
            mkdir -p "$TSAN_BUILD/sets/solution/$l"
            for f in $(exercise_files "$l"); do
                cmp -s "solutions/$l/$f" "$TSAN_BUILD/sets/solution/$l/$f" || cp "solutions/$l/$f" "$TSAN_BUILD/sets/solution/$l/$f"
            done
            bins+=("$TSAN_BUILD/sets/solution/$l/test")
        done
        make --no-print-directory -s -j"$JOBS" "${TSAN_MAKE_ARGS[@]}" "CFLAGS=$TSAN_CFLAGS" "${bins[@]}" >"$WORK/pristine-tsan.log" 2>&1 ||
            fault "the workbook does not build for ThreadSanitizer (run make tsan): $(tail -n 5 "$WORK/pristine-tsan.log")"
        TSAN_OLD=()
        for f in "$TSAN_BUILD"/obj/tests/harness/*.o "$TSAN_BUILD/libcommon.a" "$TSAN_BUILD"/obj/common/*.o; do TSAN_OLD+=(-o "$f"); done
        for l in "${!TSAN[@]}"; do TSAN_OLD+=(-o "$TSAN_BUILD/obj/tests/test_${l//-/_}.o"); done
    fi
    for l in "${LESSONS[@]}"; do
        PRISTINE_OLD+=(-o "$(test_object "$l")")
        # What the tests call: the names an exercise must define, and the only ones it keeps global.
        comm -12 <(nm -P -u "$(test_object "$l")" | awk '{print $1}' | sort -u) \
                 <(nm -P -g --defined-only "$BUILD/sets/solution/$l"/*.o | awk 'NF > 1 {print $1}' | sort -u) >"$WORK/ref/$l.api"
        [ -s "$WORK/ref/$l.api" ] || fault "the tests of $l call nothing that solutions/$l defines"
    done

    JOBQ=()
    for l in "${LESSONS[@]}"; do JOBQ+=("ref 0 $l"); done
    pool
    for l in "${LESSONS[@]}"; do
        mv "$WORK/ref/$l.api" "$WORK/ref/$l/api"
        REF_TESTS[$l]=$(paste -sd' ' "$WORK/ref/$l/names")
        NTESTS[$l]=$(wc -l <"$WORK/ref/$l/names")
    done
    for l in "${LESSONS[@]}"; do CAP_MS[$l]=$(<"$WORK/ref/$l/cap"); done
    for l in "${!TSAN[@]}"; do TSAN_CAP_MS[$l]=$(<"$WORK/ref/$l/tsan/cap"); done
    rm -rf "$OUT"
    mkdir -p "$OUT" || die "cannot write $OUT"
    load_weights

    now_ms; secs $((NOW_MS - GRADE_START))
    printf 'grading %d submission(s): %d lessons, %d points; the reference answers pass all under the limits (%s s)\n' \
        "${#NAMES[@]}" "${#LESSONS[@]}" "$TOTAL_MAX" "$SECS"
    local caps='' lo=999999 hi=0
    for l in "${LESSONS[@]}"; do
        [ "${CAP_MS[$l]}" -ge "$lo" ] || lo=${CAP_MS[$l]}
        [ "${CAP_MS[$l]}" -le "$hi" ] || hi=${CAP_MS[$l]}
    done
    cap "$lo"; caps=$CAP; cap "$hi"; [ "$lo" -eq "$hi" ] || caps+=" to $CAP"
    LIMITS="limits: $caps s a test (by lesson; a test that ran out of time runs again with 3 times that), $STUDENT_SECONDS s a submission, $MEMORY_MB MB of address space, $PROCESSES processes and threads, $OPEN_FILES open files, $CPU_SECONDS s of CPU a process"
    if [ "$ROOT" = yes ]; then LIMITS+="; run as users ${SLOT_UID[*]}"; else LIMITS+="; run as user $ME"; fi
    if [ "$NS" = yes ]; then LIMITS+=", in PID namespaces"; else LIMITS+=", in sessions of their own"; fi
    if [ "${#TSAN[@]}" -gt 0 ]; then
        LIMITS+=$'\n'"under ThreadSanitizer too: $(printf '%s\n' "${!TSAN[@]}" | sort | paste -sd' ' | sed 's/ /, /g') (a test passes only if it passes both runs; there, $MEMORY_MB MB of memory in all instead of the address-space limit)"
    fi
    [ -z "$TSAN_MISSING" ] || LIMITS+=$'\n'"WARNING: ThreadSanitizer does not work here: $TSAN_MISSING graded without it"
    echo "$LIMITS"
    [ "$SCREEN" = on ] || echo "grade: GRADE_SCREEN=off: student objects are NOT screened (only for testing the limits)"

    JOBQ=()
    for i in "${!NAMES[@]}"; do JOBQ+=("build $i"); done
    pool
    gradebook
    now_ms; secs $((NOW_MS - GRADE_START))
    echo "graded ${#NAMES[@]} submission(s) in $SECS s; reports: $OUT/gradebook.csv and $OUT/<student>/ (results.json, junit.xml, report.tap, log.txt)"
    [ "$mode" = tree ] && tree_report
    FINISHED=yes
}

# make grade without SUBMISSIONS: as before, the table, build/grade/summary.tsv
# (lesson, passed, tests, compiled) and Check's XML per lesson.
tree_report() {
    local l k=0 sd=$WORK/s/${SAFE[0]} passed tests compiled cells out=$BUILD/grade
    IFS=, read -r -a cells <"$sd/cells"
    echo
    sed -n '4,$p' "$OUT/${SAFE[0]}/log.txt"
    echo
    printf '%-32s %s\n' lesson 'points / max'
    printf 'lesson\tpassed\ttests\tcompiled\n' >"$out/summary.tsv"
    for l in "${LESSONS[@]}"; do
        passed=$(grep -c $'\tpass\t' "$sd/$l/tests.tsv") tests=$(wc -l <"$sd/$l/tests.tsv")
        compiled=yes
        case $(<"$sd/$l/status") in compile | missing) compiled=no ;; esac
        printf '%s\t%d\t%d\t%s\n' "$l" "$passed" "$tests" "$compiled" >>"$out/summary.tsv"
        printf '%-32s %3d / %d\n' "$l" "${cells[k]}" "${LMAX[$l]}"
        k=$((k + 1))
        rm -f "$out/$l.xml"
        [ ! -f "$sd/$l/results.xml" ] || cp "$sd/$l/results.xml" "$out/$l.xml"
    done
    printf '%-32s %3d / %d\n' total "${cells[k]}" "$TOTAL_MAX"
    echo "reports: $out/summary.tsv, Check's XML per lesson in $out/, and $OUT/${SAFE[0]}/"
}

# ---- the self-test ---------------------------------------------------------------

# selftest fast|full: grade the adversarial class and compare with tests/grading/.
# fast (make test): lesson 1 only, and the students of FAST_CLASS.
FAST_CLASS="correct stubs exit-call underscore-exit thread-exit hang ctor-cheat fake-print interposer process-flood no-compile"
selftest() {
    local mode=$1 class=$BUILD/grade/selftest-class out=$BUILD/grade/selftest l f lessons=${GRADE_LESSONS:-} student rc
    OK=0 BAD=0
    [ "$mode" = fast ] && lessons=$(GRADE_LESSONS='' exercise_lessons | head -n 1)
    rm -rf "$class"
    mkdir -p "$class" || die "cannot write $class"
    cp -a tests/grading/class/. "$class/"
    # Made here, so that they follow the workbook: the reference answers, the
    # stubs as committed, and (full) the stubs with every function hanging.
    for l in $(GRADE_LESSONS=$lessons exercise_lessons); do
        mkdir -p "$class/correct/lessons/$l" "$class/stubs/lessons/$l"
        [ "$mode" = fast ] || mkdir -p "$class/hang-all/lessons/$l"
        for f in $(exercise_files "$l"); do
            cp "solutions/$l/$f" "$class/correct/lessons/$l/$f"
            git show "HEAD:lessons/$l/$f" >"$class/stubs/lessons/$l/$f" 2>/dev/null ||
                cp "lessons/$l/$f" "$class/stubs/lessons/$l/$f"
            [ "$mode" = fast ] || awk '{ print } /^\{$/ {
                    print "    static pthread_mutex_t hang_m = PTHREAD_MUTEX_INITIALIZER;"
                    print "    static pthread_cond_t hang_c = PTHREAD_COND_INITIALIZER;"
                    print "    pthread_mutex_lock(&hang_m);"
                    print "    for (;;)"
                    print "        pthread_cond_wait(&hang_c, &hang_m);" }' \
                "$class/stubs/lessons/$l/$f" >"$class/hang-all/lessons/$l/$f"
        done
    done
    # (full) racer: the wrong answers of the corpus that only ThreadSanitizer catches.
    if [ "$mode" = full ]; then
        mkdir -p "$class/racer/lessons/03-many-threads" "$class/racer/lessons/12-parallel-speedup"
        cp tests/wrong/03-many-threads/next_taken_without_a_lock.c "$class/racer/lessons/03-many-threads/parallel_map.c"
        cp tests/wrong/12-parallel-speedup/shared_total_without_a_lock.c "$class/racer/lessons/12-parallel-speedup/parallel_sum.c"
    fi
    if [ "$mode" = fast ]; then
        for student in "$class"/*/; do
            student=${student%/}
            grep -qw -- "${student##*/}" <<<"$FAST_CLASS" || rm -rf "$student"
        done
    fi
    echo "grade-selftest: tests/grading/class, and correct, stubs$([ "$mode" = fast ] || echo ', hang-all, racer') made from the workbook${lessons:+ (lesson $lessons only)}"
    GRADE_OUT=$out GRADE_LESSONS=$lessons "$SELF" "$class"
    rc=$?
    if [ "$rc" -ne 0 ]; then echo "FAIL grade-selftest: the grader ended with status $rc"; return 1; fi
    compare_gradebook "$out" tests/grading/expected.csv
    check_messages "$out" class
    reports_valid "$out"
    expect "no process of the grading users is left" no_leftover_processes

    if [ "$mode" = full ]; then
        # Without the screen, the limits alone must hold a process flood, a
        # memory hog and a constructor that hangs (and weights count).
        local limits=$BUILD/grade/selftest-limits-class
        rm -rf "$limits" && mkdir -p "$limits"
        for student in process-flood memory-hog ctor-hang; do cp -a "$class/$student" "$limits/"; done
        l=$(exercise_lessons | head -n 1)
        echo "grade-selftest: the limits alone (GRADE_SCREEN=off): process-flood, memory-hog, ctor-hang (lesson $l)"
        GRADE_SCREEN=off GRADE_LESSONS=$l GRADE_WEIGHTS=tests/grading/selftest-weights.tsv GRADE_OUT=$out-limits \
            "$SELF" "$limits"
        rc=$?
        if [ "$rc" -ne 0 ]; then
            echo "FAIL the grader ended with status $rc"; BAD=$((BAD + 1))
        else
            compare_gradebook "$out-limits" tests/grading/expected-limits.csv
            check_messages "$out-limits" limits
            reports_valid "$out-limits"
        fi
        expect "no process of the grading users is left" no_leftover_processes
        expect "every file in solutions/ and tests/wrong/ passes the screen" screen_corpus
    fi
    echo "grade-selftest: $OK passed, $BAD failed"
    [ "$BAD" -eq 0 ]
}

# check_messages OUT RUN: the lines of tests/grading/expected-messages.tsv
# for RUN, for the students and lessons OUT graded.
check_messages() {
    local run student lesson text
    while IFS=$'\t' read -r run student lesson text; do
        if [ "$run" != "$2" ] || [ ! -f "$1/$student/log.txt" ]; then continue; fi
        cut -f1 "$1/points.tsv" | grep -qx -- "$lesson" || continue
        expect "$student's log.txt says '$text' for $lesson" lesson_log_has "$1/$student/log.txt" "$lesson" "$text"
    done <tests/grading/expected-messages.tsv
}

# expect WHAT CMD...: count CMD's success as a passed check.
expect() {
    local what=$1
    shift
    if "$@"; then OK=$((OK + 1)); else echo "FAIL $what"; BAD=$((BAD + 1)); fi
}

# lesson_log_has LOG LESSON TEXT: the lesson's part of a log.txt holds TEXT.
lesson_log_has() {
    awk -v l="==== $2" '$0 == l { on = 1; next } /^==== / { on = 0 } on' "$1" | grep -qF -- "$3"
}

# reports_valid OUT: results.json as Gradescope reads it, junit.xml as JUnit (python3 checks).
reports_valid() {
    if ! command -v python3 >/dev/null; then
        echo "note: no python3 here: results.json and junit.xml were not validated"
        return
    fi
    expect "every results.json has Gradescope's fields and every junit.xml reads as JUnit" \
        python3 tests/grading/check_reports.py "$1"
}

# no_leftover_processes: no process of the users the last grading claimed
# lives (root only; another grader on the machine has users of its own).
no_leftover_processes() {
    local users found
    [ "$ME" -eq 0 ] || return 0
    users=$(cat "$WORK/users" 2>/dev/null) || { echo "$WORK/users is missing"; return 1; }
    found=$(ps -eo uid=,pid=,stat=,comm= | awk -v users=" $users " 'index(users, " " $1 " ")')
    [ -z "$found" ] || echo "$found"
    [ -z "$found" ]
}

# compare_gradebook OUT EXPECTED: each student's row of OUT/gradebook.csv as
# EXPECTED says. A cell is N, max (the lesson's points), max-N, or * (any).
compare_gradebook() {
    local out=$1 want=$2 row student i j col w g why
    local -a head whead cells got
    local -A gb=() max=()
    while IFS=$'\t' read -r col student w; do max[$col]=$((${max[$col]:-0} + w)); done <"$out/points.tsv"
    IFS=, read -r -a head <"$out/gradebook.csv"
    while IFS= read -r row; do gb[${row%%,*}]=$row; done < <(tail -n +2 "$out/gradebook.csv")
    IFS=, read -r -a whead < <(grep -v '^#' "$want" | head -n 1)
    while IFS=, read -r -a cells; do
        student=${cells[0]:-}
        [[ -z $student || $student == \#* || $student == student ]] && continue
        if [ -z "${gb[$student]:-}" ]; then
            # (only the students the run graded are compared)
            continue
        fi
        IFS=, read -r -a got <<<"${gb[$student]}"
        why=''
        for ((i = 1; i < ${#whead[@]}; i++)); do
            col=${whead[i]} w=${cells[i]:-*}
            [ -n "${max[$col]:-}" ] || continue
            for ((j = 1; j < ${#head[@]}; j++)); do [ "${head[j]}" = "$col" ] && break; done
            g=${got[j]}
            case $w in
                '*') continue ;;
                max) w=${max[$col]} ;;
                max-*) w=$((max[$col] - ${w#max-})) ;;
            esac
            [ "$g" = "$w" ] || why+=" $col: $g, expected $w (${cells[i]});"
        done
        if [ -z "$why" ]; then
            OK=$((OK + 1))
        else
            echo "FAIL $student:$why see $out/$student/log.txt"
            BAD=$((BAD + 1))
        fi
    done < <(grep -v '^#' "$want")
}

# screen_corpus: every reference answer and every tests/wrong/ answer,
# compiled as a student's file is, passes the screen.
screen_corpus() {
    local l f w t bad=0 set=$BUILD/sets/grade-corpus
    WORK=$BUILD/grade/corpus-work JOBS=1 SLOT_UID=()
    rm -rf "$WORK" && mkdir -p "$WORK"
    RUNROOT=$(mktemp -d /tmp/workbook-grade.XXXXXX) && chmod 711 "$RUNROOT"
    MAKE_ARGS=("BUILD=$BUILD" NO_DEMOS=1 "CHECK_CFLAGS=$(pkg-config --cflags check)" "CHECK_LIBS=$(pkg-config --libs check)")
    if [ "$ROOT" = yes ]; then claim_uids; else SLOT_UID=("$ME"); fi
    load_screen
    compile_tree
    for l in $(exercise_lessons); do EXFILES[$l]=$(exercise_files "$l" | paste -sd' '); done
    for l in $(exercise_lessons); do
        for w in "solutions/$l" tests/wrong/"$l"/*.c; do
            [ -e "$w" ] || continue
            rm -rf "${set:?}/$l" && mkdir -p "$set/$l"
            for f in $(exercise_files "$l"); do cp "solutions/$l/$f" "$set/$l/$f"; done
            t=$(exercise_files "$l" | head -n 1)
            if [ -f "$w" ]; then
                t=$(sed -n '1s|^/\* *\([a-z0-9_]*\.c\), wrong: .*|\1|p' "$w")
                [ -n "$t" ] || continue
                cp "$w" "$set/$l/$t"
            fi
            if ! compile_set 0 grade-corpus "$l" >/dev/null 2>&1; then
                echo "$w does not compile"; bad=1; continue
            fi
            elf_facts "$set/$l"/*.o
            screen "$set/$l"/*.o >"$WORK/screen.txt" || { sed "s|^|$w: |" "$WORK/screen.txt"; bad=1; }
        done
    done
    FINISHED=yes cleanup
    return "$bad"
}

usage() {
    sed -n '3,8s/^# \{0,1\}//p' "$0"
    exit 2
}

case "${1:-}" in
    --selftest) selftest full ;;
    --selftest-fast) selftest fast ;;
    --one) [ $# -eq 3 ] || usage; [ -d "$2" ] || die "$2 is not a folder"
           add_student "$3" "$2"; run_grading one ;;
    -h | --help) usage ;;
    -*) usage ;;
    '') add_student working-tree .; run_grading tree ;;
    *) [ $# -eq 1 ] || usage
       [ -d "$1" ] || die "SUBMISSIONS=$1 is not a folder"
       for d in "$1"/*/; do [ -d "$d" ] && { d=${d%/}; add_student "${d##*/}" "$d"; }; done
       [ "${#NAMES[@]}" -gt 0 ] || die "$1 holds no submission: each student's submission is one subfolder of it"
       run_grading class ;;
esac
