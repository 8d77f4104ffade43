#!/usr/bin/env bash
# tests/soak.sh - proves that luck decides no exercise test: every wrong
# answer of tests/wrong/ fails every run, every reference answer passes
# every run, idle, with both cores busy, and pinned to one core.
#
#   tests/soak.sh [WRONG_RUNS [SOLUTION_RUNS [MODES [LESSONS]]]]
#       WRONG_RUNS (20), SOLUTION_RUNS (200), MODES ("idle busy pinned"),
#       LESSONS (every lesson with an exercise, as 05-lock ...; - for none)
#   SOAK_JOBS (2): test programs run at once (in busy mode more only add load)
#   SOAK_MODULES="queue fastqueue ..." also runs those tests of common/
#   (build/tests/test_<name>, every suite) SOLUTION_RUNS times each; like a
#   reference answer, each must pass every run.
#
# It runs the test programs `make test` built (run that first), the wrong
# answers up to their first failure as make test does, SOAK_JOBS at a time. One
# line per mode: runs, and what went against the rule (a wrong answer that
# passed, a reference answer that failed), each named; exit status 1 if any.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
WRONG_RUNS=${1:-20} SOLUTION_RUNS=${2:-200} MODES=${3:-idle busy pinned}
LESSONS=${4:-$(cd solutions && ls -d [0-9][0-9]-*)}
[ "$LESSONS" != - ] || LESSONS=
SOAK_MODULES=${SOAK_MODULES:-} SOAK_JOBS=${SOAK_JOBS:-2}
[[ $WRONG_RUNS =~ ^[0-9]+$ && $SOLUTION_RUNS =~ ^[0-9]+$ && $SOAK_JOBS =~ ^[1-9][0-9]*$ ]] ||
    { echo "soak: runs and SOAK_JOBS must be whole numbers" >&2; exit 2; }

# The lessons the grader also runs under ThreadSanitizer: there a wrong
# answer and the reference answer run from the ThreadSanitizer build (spies
# and ThreadSanitizer both), as the grader and make test judge them.
# (scripts/lib.sh: the model, as make -s facts prints it, and the policy)
. scripts/lib.sh
load_model
TSAN_LESSONS=$(printf '%s\n' "${!TSAN_REASON[@]}")

# tsan_binary SET LESSON: the ThreadSanitizer build of a set make test made.
tsan_binary() {
    local t=$BUILD/tsan/sets/$1/$2
    mkdir -p "$t" && cp "$BUILD/sets/$1/$2"/*.c "$t/" &&
        "${TSAN_MAKE[@]}" "$t/test" >&2 &&
        echo "$t/test"
}

# One job: BINARY KIND RUNS; prints "KIND BINARY BAD" (BAD: runs against the rule).
one() {
    local bin=$1 kind=$2 runs=$3 bad=0 i stop rc env=()
    case $bin in */tsan/*) mapfile -t env < <(tsan_env) ;; esac
    for ((i = 0; i < runs; i++)); do
        stop=$(mktemp)
        if [ "$kind" = module ]; then
            CK_VERBOSITY=silent "$bin" >/dev/null 2>&1 || bad=$((bad + 1))
        elif [ "$kind" = wrong ]; then
            env "${env[@]}" CK_RUN_SUITE=exercise CK_VERBOSITY=silent WORKBOOK_STOP_FILE="$stop" "$bin" >/dev/null 2>&1
            rc=$?
            [ "$rc" -ne 0 ] || bad=$((bad + 1))
        else
            env "${env[@]}" CK_RUN_SUITE=exercise CK_VERBOSITY=silent "$bin" >/dev/null 2>&1 || bad=$((bad + 1))
        fi
        rm -f "$stop"
    done
    echo "$kind $bin $bad"
}
export -f one tsan_env

jobs_for() {
    local l w b
    for l in $LESSONS; do
        b=$BUILD/sets/solution/$l/test
        [ -x "$b" ] || { echo "soak: $b is missing: run make test first" >&2; exit 2; }
        echo "$b solution $SOLUTION_RUNS"
        grep -qx -- "$l" <<<"$TSAN_LESSONS" && echo "$(tsan_binary solution "$l") solution $SOLUTION_RUNS"
        for w in tests/wrong/"$l"/*.c; do
            [ -e "$w" ] || continue
            w=${w##*/}
            b=$BUILD/sets/wrong-${w%.c}/$l/test
            [ -x "$b" ] || { echo "soak: $b is missing: run make test first" >&2; exit 2; }
            grep -qx -- "$l" <<<"$TSAN_LESSONS" && b=$(tsan_binary "wrong-${w%.c}" "$l")
            echo "$b wrong $WRONG_RUNS"
        done
    done
    for m in $SOAK_MODULES; do
        b=$BUILD/tests/test_$m
        [ -x "$b" ] || { echo "soak: $b is missing: run make test first" >&2; exit 2; }
        echo "$b module $SOLUTION_RUNS"
    done
}

status=0
for mode in $MODES; do
    spinners=() pin=()
    case $mode in
        idle) ;;
        busy) for _ in 1 2; do (while :; do :; done) & spinners+=($!); done ;;
        pinned) pin=(taskset -c 0) ;;
        *) echo "soak: modes are idle, busy and pinned" >&2; exit 2 ;;
    esac
    start=$SECONDS
    out=$(jobs_for | "${pin[@]}" xargs -P "$SOAK_JOBS" -L 1 bash -c 'one "$@"' _)
    [ "${#spinners[@]}" -eq 0 ] || kill "${spinners[@]}" 2>/dev/null
    wrong=$(grep -c '^wrong ' <<<"$out") solutions=$(grep -c '^solution ' <<<"$out")
    modules=$(grep -c '^module ' <<<"$out")
    against=$(awk '$3 > 0' <<<"$out")
    printf '%-6s %d at a time, %d wrong answers x %d runs, %d reference answers%s x %d runs, %d s: %s\n' "$mode" "$SOAK_JOBS" \
        "$wrong" "$WRONG_RUNS" "$solutions" "$([ "$modules" -eq 0 ] || echo " and $modules tests of common/")" \
        "$SOLUTION_RUNS" "$((SECONDS - start))" \
        "$([ -z "$against" ] && echo 'every wrong answer failed every run, every reference answer passed every run' || echo "$(wc -l <<<"$against") against the rule")"
    if [ -n "$against" ]; then
        status=1
        awk '{ printf "  %s %s: %d run(s) %s\n", $1, $2, $3, $1 == "wrong" ? "passed" : "failed" }' <<<"$against"
    fi
done
exit "$status"
