# shellcheck shell=bash disable=SC2034  # (what it sets, the scripts that source it use)
# scripts/lib.sh - what scripts/workbook.sh and scripts/student.sh share,
# sourced from the workbook's root: the model of the lessons as the Makefile
# prints it (make -s facts; README, "Adding a lesson"), the ThreadSanitizer
# policy it states, and the helpers both need.

BUILD=${BUILD:-build}
export BUILD
MAKE_CMD=(make --no-print-directory -s "BUILD=$BUILD")
TSAN_BUILD=$BUILD/tsan

die() { printf 'error: %s\n' "$*" >&2; exit 2; }

# ---- the model

# load_model: one make run fills LESSONS (every lesson folder, in order),
# EXERCISES (those with an exercise), DEMOS[lesson] (in the order make
# lesson-N runs them), FILES[lesson] (its exercise files), TSAN_REASON[lesson]
# (set when the grader runs it under ThreadSanitizer too), WRONG[lesson] (its
# wrong answers in this build), FACT["lesson key"] (every fact), and the
# ThreadSanitizer policy: TSAN_CFLAGS, TSAN_TEST_OPTIONS, TSAN_TIMEOUT_MULTIPLIER
# (exported: a script's own children use them without asking make again).
declare -a LESSONS=() EXERCISES=()
declare -A DEMOS=() FILES=() TSAN_REASON=() WRONG=() FACT=()
load_model() {
    local facts l k v
    facts=$("${MAKE_CMD[@]}" facts) || die "make -s facts failed: make's message is above"
    while IFS=$'\t' read -r l k v; do
        FACT["$l $k"]=$v
        case $k in
            demos)    LESSONS+=("$l") DEMOS[$l]=$v ;;
            exercise) EXERCISES+=("$l") FILES[$l]=$v ;;
            tsan)     TSAN_REASON[$l]=$v ;;
            wrong.*)  WRONG[$l]+="${WRONG[$l]:+ }tests/wrong/$l/${k#wrong.}.c" ;;
        esac
    done <<<"$facts"
    TSAN_CFLAGS=${FACT["* tsan.cflags"]} TSAN_TEST_OPTIONS=${FACT["* tsan.options"]}
    TSAN_TIMEOUT_MULTIPLIER=${FACT["* tsan.timeout_multiplier"]}
    export TSAN_CFLAGS TSAN_TEST_OPTIONS TSAN_TIMEOUT_MULTIPLIER
    TSAN_MAKE=(make --no-print-directory -s "BUILD=$TSAN_BUILD" NO_DEMOS=1 "CFLAGS=$TSAN_CFLAGS")
}

number_of() { echo "$((10#${1%%-*}))"; }
exercise_files() { local f; for f in ${FILES[$1]:-}; do echo "$f"; done; }
paths_of() { local f out=''; for f in ${FILES[$1]:-}; do out+="${out:+ }lessons/$1/$f"; done; echo "$out"; }

# lesson_dir N: the folder of lesson N ("1" or "01"), or exit 2.
lesson_dir() {
    local n=$1 l
    if [[ $n =~ ^[0-9]{1,2}$ ]]; then
        for l in "${LESSONS[@]}"; do
            [ "$((10#${l%%-*}))" -eq "$((10#$n))" ] && { echo "$l"; return; }
        done
    fi
    die "there is no lesson '$n': the lessons are $(for l in "${LESSONS[@]}"; do number_of "$l"; done | paste -sd' ') (see make list)"
}

# exercise_dir N: the folder of lesson N, which must have an exercise.
exercise_dir() {
    local dir l
    dir=$(lesson_dir "$1") || exit 2
    [ -n "${FILES[$dir]:-}" ] ||
        die "lesson $1 has no exercise: the exercises are $(for l in "${EXERCISES[@]}"; do number_of "$l"; done | paste -sd' ')"
    echo "$dir"
}

# ---- sets: build/sets/<tag>/<lesson>/ holds the exercise files one build uses

# ---- ThreadSanitizer

# tsan_works: whether the compiler's ThreadSanitizer builds and runs a
# program here (asked once; TSAN_OK keeps the answer for child scripts).
tsan_works() {
    if [ -z "${TSAN_OK:-}" ]; then
        local d
        d=$(mktemp -d)
        printf '#include <pthread.h>\nstatic void *f(void *a) { return a; }\nint main(void) { pthread_t t; pthread_create(&t, 0, f, 0); return pthread_join(t, 0); }\n' >"$d/t.c"
        if "${CC:-cc}" -fsanitize=thread -pthread "$d/t.c" -o "$d/t" 2>/dev/null && "$d/t" 2>/dev/null; then
            TSAN_OK=yes
        else
            TSAN_OK=no
        fi
        rm -rf "$d"
        export TSAN_OK
    fi
    [ "$TSAN_OK" = yes ]
}

# tsan_env: the environment of a test run under ThreadSanitizer, one
# NAME=VALUE a line (the user's TSAN_OPTIONS after the policy's).
tsan_env() {
    printf '%s\n' "TSAN_OPTIONS=$TSAN_TEST_OPTIONS ${TSAN_OPTIONS:-}" "CK_TIMEOUT_MULTIPLIER=$TSAN_TIMEOUT_MULTIPLIER"
}
# tsan_run COMMAND...: COMMAND in that environment.
tsan_run() { local e; mapfile -t e < <(tsan_env); env "${e[@]}" "$@"; }

# ---- logs

# first_failure LOG: the first failing test of a Check log, "test<TAB>message".
first_failure() {
    local line
    while IFS= read -r line; do
        if [[ $line =~ ^[^:]*:[0-9]*:[FE]:[^:]*:([^:]*):[0-9]*:\ (.*)$ ]]; then
            printf '%s\t%s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
            return
        fi
    done <"$1" 2>/dev/null
}

# first_failure_line LOG: the same as one line, "test: message", at most 160 columns.
first_failure_line() {
    local line
    line=$(first_failure "$1")
    line=${line/$'\t'/: }
    echo "${line:0:160}"
}
