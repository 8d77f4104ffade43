#!/usr/bin/env bash
# scripts/workbook.sh - runs what the Makefile builds. Called by make:
#   make lesson-N | exercise-N | test | grade | list
set -u
cd "$(dirname "$0")/.." || exit 2

. scripts/lib.sh
load_model

title_of() { sed -n '1s/^# *\(Lesson [0-9]* — \)\{0,1\}//p' "lessons/$1/README.md" 2>/dev/null; }
# The test programs make test runs: those of common/ and the harness, those
# of lessons without an exercise, and the reference answers' sets (never a
# leftover of an older build, such as a lesson's before it had an exercise).
suites() {
    local f l
    for f in tests/test_[a-z]*.c; do f=${f##*/}; echo "$BUILD/tests/${f%.c}"; done
    for l in "${LESSONS[@]}"; do
        if [ -n "${FILES[$l]:-}" ]; then echo "$BUILD/sets/solution/$l/test"
        else echo "$BUILD/tests/test_${l//-/_}"; fi
    done
}

# Check is the one dependency of the tests: install it where we may.
ensure_check() {
    pkg-config --exists check 2>/dev/null && return
    local sudo=
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=sudo; fi
    fi
    if command -v apt-get >/dev/null && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
        echo "Installing the Check unit-test framework (apt-get install check pkg-config)..."
        if $sudo apt-get update -qq >/dev/null && \
           DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq check pkg-config >/dev/null; then
            pkg-config --exists check && return
        fi
        die "installing Check failed: run 'sudo apt-get install check pkg-config' and try again"
    fi
    if command -v apt-get >/dev/null; then
        die "the tests need Check: run 'sudo apt-get install check pkg-config', then make test again"
    elif command -v dnf >/dev/null; then
        die "the tests need Check: run 'sudo dnf install check-devel pkgconf-pkg-config', then make test again"
    elif command -v brew >/dev/null; then
        die "the tests need Check: run 'brew install check pkg-config', then make test again"
    fi
    die "the tests need the Check unit-test framework and pkg-config: install them with your package manager"
}

# ---- sets

# The wrong-answer corpus: tests/wrong/<lesson>/<bug>.c, whose first line is
# "/* <exercise file>, wrong: <what is wrong> */" (the Makefile builds each
# with the reference answers for the lesson's other exercise files).
# (make -s facts names those of this build: one that says "Not a bug with
# PORTABLE=1" is left out of that build.)
wrong_answers() {
    local l ls=("${LESSONS[@]}")
    [ -z "${1:-}" ] || ls=("$1")
    local -a ws
    for l in "${ls[@]}"; do
        read -ra ws <<<"${WRONG[$l]:-}"
        [ "${#ws[@]}" -eq 0 ] || printf '%s\n' "${ws[@]}"
    done
}
wrong_line() {
    local first
    read -r first <"$1" 2>/dev/null
    [[ $first =~ ^/\*\ *([a-z0-9_]+\.c),\ wrong:\ (.*[^ ])\ *\*/\ *$ ]] || return 1
}
wrong_file() { wrong_line "$1" && echo "${BASH_REMATCH[1]}"; }
wrong_what() { wrong_line "$1" && echo "${BASH_REMATCH[2]}"; }
wrong_tag() { local l=${1#tests/wrong/} b=${1##*/}; echo "wrong-${b%.c}/${l%%/*}"; }

set_binary() { echo "$BUILD/sets/$1/$2/test"; }

# ---- ThreadSanitizer: a data race no pthread call brackets (an unlocked
# next++) fails under it every run. The same sets, built into $TSAN_BUILD.

# tsan_check LESSON: build the student's set with ThreadSanitizer and run its
# exercise suite; sets CHECKS FAILURES ERRORS.
tsan_check() {
    local bin env
    bin=$TSAN_BUILD/sets/student/$1/test
    "${TSAN_MAKE[@]}" "$bin" || return 1
    mapfile -t env < <(tsan_env)
    run_suite "$bin" exercise "${env[@]}"
}

# run_suite BINARY [SUITE [NAME=VALUE...]]: run a test binary (in that
# environment); sets CHECKS FAILURES ERRORS.
run_suite() {
    local bin=$1 suite=${2:-} result
    [ "$suite" = all ] && suite=
    result=$BUILD/results/${1//\//_}
    mkdir -p "$BUILD/results"
    rm -f "$result"
    env -u CK_RUN_SUITE ${suite:+CK_RUN_SUITE=$suite} WORKBOOK_RESULT_FILE="$result" "${@:3}" "$bin"
    if [ -s "$result" ]; then read -r CHECKS FAILURES ERRORS <"$result"; else CHECKS=0 FAILURES=0 ERRORS=0; fi
    # A binary that crashed, or ran no test, counts as one error.
    if [ "$CHECKS" -eq 0 ]; then CHECKS=1 ERRORS=1; fi
}

# log_counts BINARY: the log make test keeps of BINARY's run ($BUILD/X/test
# or $BUILD/X: $BUILD/logs/X.log); sets LOG CHECKS FAILURES ERRORS, and
# COUNTED (empty when there is no log: that counts as one error).
log_counts() {
    local rel=${1#"$BUILD"/} line
    rel=${rel%/test}
    LOG=$BUILD/logs/$rel.log
    CHECKS='' FAILURES='' ERRORS=''
    [ -f "$LOG" ] && while IFS= read -r line; do
        [[ $line == 'counts: '* ]] && read -r CHECKS FAILURES ERRORS <<<"${line#counts: }"
    done <"$LOG"
    COUNTED=$CHECKS
    if [ -z "${CHECKS:-}" ]; then CHECKS=1 FAILURES=0 ERRORS=1; fi
}

cmd_list() {
    local l
    for l in "${LESSONS[@]}"; do
        printf '%2d  %-45s %s\n' "$((10#${l%%-*}))" "$(title_of "$l")" "${DEMOS[$l]}"
    done
}

# demo_command LESSON DEMO [WRAPPER...]: DEMO_CMD, the words that run a demo
# as make lesson-N does: through the lesson's run.sh when it has one (lesson
# 11 runs each server with its clients), each program behind WRAPPER.
demo_command() {
    local l=$1 d=$2
    shift 2
    if [ -x "lessons/$l/run.sh" ]; then
        DEMO_CMD=(env "RUN_WITH=$*" "lessons/$l/run.sh" "$BUILD/bin" "$d")
    else
        DEMO_CMD=("$@" "$BUILD/bin/$d")
    fi
}

cmd_lesson() {
    local dir progs p rc
    dir=$(lesson_dir "$1") || exit 2
    case ${VIEW:-} in
        '') ;;
        timeline)
            # One column per thread (scripts/timeline.sh); its status is the demos'.
            VIEW='' TIMELINE=1 cmd_lesson "$1" | scripts/timeline.sh
            return "${PIPESTATUS[0]}" ;;
        *) die "VIEW=$VIEW is not known: VIEW=timeline shows each demo's log as one column per thread" ;;
    esac
    progs=$(tr ' ' '\n' <<<"${DEMOS[$dir]}")
    if [ -n "${PROGRAM:-}" ]; then
        grep -qx "$PROGRAM" <<<"$progs" ||
            die "lesson $1 has no program '$PROGRAM': choose one of $(paste -sd' ' <<<"$progs")"
        progs=$PROGRAM
    fi
    # shellcheck disable=SC2046  # one make target per program
    "${MAKE_CMD[@]}" $(sed "s|^|$BUILD/bin/|" <<<"$progs") || exit 2
    # A run.sh may start a partner of another lesson (lesson 16's servers: threaded_client).
    if [ -x "lessons/$dir/run.sh" ]; then "${MAKE_CMD[@]}" demos || exit 2; fi
    # A demo its watchdog ended (status 3) has shown its deadlock: go on.
    for p in $progs; do
        printf '\n==== %s: %s ====\n' "$dir" "$p"
        demo_command "$dir" "$p"
        # shellcheck disable=SC2086  # ARGS is split into words on purpose
        "${DEMO_CMD[@]}" ${ARGS:-}
        rc=$?
        [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || exit "$rc"
    done
}

# tsan_report LOG DIR: ThreadSanitizer's first report in LOG, the accesses
# and the lines of the student's files they were made at (as the student
# knows them), then each failing test's line.
tsan_report() {
    sed 's| ([^ ]*+0x[0-9a-f]*)$||' "$1" |
        awk -v dir="lessons/$2/" '
            /^WARNING: ThreadSanitizer/ { reports++; if (reports == 1) { print; on = 1 }; next }
            /^SUMMARY: ThreadSanitizer/ || /^=+$/ { on = 0; next }
            on && /^  [A-Z]/ { keep = $0 !~ /created by|<null>/; if (keep) print; next }
            on && keep && /^    #[0-9]/ && index($0, dir) { print }
            /:[FE]:/ { fails[++n] = $0 }
            END {
                if (reports > 1) printf "(and %d more reports like it: the whole log has them)\n", reports - 1
                for (i = 1; i <= n; i++) print fails[i]
            }' | head -n 40
}

cmd_exercise() {
    local dir
    dir=$(exercise_dir "$1") || exit 2
    case ${SANITIZE:-} in
        '' | thread) ;;
        *) die "SANITIZE=${SANITIZE} is not known: SANITIZE=thread runs the tests under ThreadSanitizer" ;;
    esac
    ensure_check
    echo "Building your answer: $(paths_of "$dir")"
    if [ "${SANITIZE:-}" = thread ]; then
        tsan_works || die "ThreadSanitizer does not work with ${CC:-cc} here (gcc needs libtsan: apt-get install libtsan2)"
        echo "Running the tests under ThreadSanitizer, which reports a data race even on a run where it did no"
        echo "visible harm: each report names the two lines that touched the same memory, and with which threads."
        CK_VERBOSITY=verbose tsan_check "$dir" >"$BUILD/tsan-exercise.log" 2>&1 || CHECKS=1 FAILURES=1 ERRORS=0
        tsan_report "$BUILD/tsan-exercise.log" "$dir"
        grep -E '^[0-9]+%: Checks' "$BUILD/tsan-exercise.log"
        if [ "$FAILURES" -eq 0 ] && [ "$ERRORS" -eq 0 ]; then
            echo "exercise $1 under ThreadSanitizer: all $CHECKS tests pass, and no data race was seen."
            return 0
        fi
        echo "exercise $1 under ThreadSanitizer: $((CHECKS - FAILURES - ERRORS)) of $CHECKS tests pass; the whole log is $BUILD/tsan-exercise.log"
        exit 1
    fi
    if ! "${MAKE_CMD[@]}" "$(set_binary student "$dir")"; then
        echo "Your file does not compile: the compiler's message is above."
        exit 1
    fi
    CK_VERBOSITY=verbose run_suite "$(set_binary student "$dir")" exercise
    if [ "$FAILURES" -eq 0 ] && [ "$ERRORS" -eq 0 ] && tsan_works; then
        echo "All $CHECKS pass. Now the same tests under ThreadSanitizer, which finds a data race even on a run"
        echo "where the race did no visible harm:"
        # (normal: each failing test's line, which says what the race means)
        if ! CK_VERBOSITY=normal tsan_check "$dir" >"$BUILD/tsan-exercise.log" 2>&1; then
            CHECKS=1 FAILURES=1
        fi
        tsan_report "$BUILD/tsan-exercise.log" "$dir"
        [ "$FAILURES" -eq 0 ] && [ "$ERRORS" -eq 0 ] ||
            echo "(ThreadSanitizer's whole log is $BUILD/tsan-exercise.log; make exercise-$1 SANITIZE=thread runs this part alone)"
    fi
    if [ "$FAILURES" -eq 0 ] && [ "$ERRORS" -eq 0 ]; then
        echo "exercise $1: all $CHECKS tests pass. Well done."
    else
        echo "exercise $1: $((CHECKS - FAILURES - ERRORS)) of $CHECKS tests pass; each failing line above says why."
        exit 1
    fi
}

# check_log LOG OK FAIL PATTERN: one of make test's single checks, whose log
# ends "counts: 1 0 0" when it passed: an "ok OK" line, or a "FAIL FAIL" line
# with the log's lines that match PATTERN (and the three after each).
check_log() {
    if grep -qx 'counts: 1 0 0' "$1" 2>/dev/null; then
        echo "ok   $2"
        passed=$((passed + 1))
    else
        echo "FAIL $3: see $1"
        grep -E -A3 -- "$4" "$1" 2>/dev/null | head -n 12
        failed=$((failed + 1))
    fi
}
# last_line LOG: its last line before the counts.
last_line() { grep -v '^counts: ' "$1" 2>/dev/null | tail -n 1; }

# cmd_test [N]: everything, or only lesson N's exercise (its reference answer
# passes, its stub and each of its wrong answers fail). Each run is a make
# target that writes a log (the Makefile, "make test and make check-N"); one
# make -k -j makes them all, and the report follows, in order, from the logs.
# A run mostly waits (for the hang a wrong answer provokes, for a thread that
# must be asleep), so eight at a time on two cores is not eight times the
# load, and every test is built to pass with the cores busy.
cmd_test() {
    local bin l w tag only='' lessons goal=test-logs passed=0 failed=0 checks=0 fails=0 errs=0
    local graded='' no_tsan=1 tsan_lessons='' more=() status=0 made=$BUILD/logs/make.log
    ensure_check
    lessons=${EXERCISES[*]}
    if [ -n "${1:-}" ]; then
        only=$(exercise_dir "$1") || exit 2
        lessons=$only goal=check-logs-$only
    fi
    for w in $(wrong_answers "$only"); do
        l=${w#tests/wrong/} l=${l%%/*}
        [ -n "$(wrong_file "$w")" ] && [ -e "solutions/$l/$(wrong_file "$w")" ] ||
            die "$w: its first line must be '/* <one of: $(exercise_files "$l" | paste -sd' ')>, wrong: <what> */'"
    done
    # The lessons the grader runs under ThreadSanitizer (lesson.mk's tsan).
    if tsan_works; then
        no_tsan=''
        for l in $lessons; do [ -z "${TSAN_REASON[$l]:-}" ] || graded+=" $l"; done
    fi
    rm -rf "$BUILD/logs" && mkdir -p "$BUILD/logs"
    "${MAKE_CMD[@]}" -k -j"${WORKBOOK_JOBS:-8}" ${no_tsan:+NO_TSAN=1} "$goal" >"$made" 2>&1 || status=1
    # A wrong answer of another lesson that passed its run: under ThreadSanitizer
    # now, one at a time (their builds share that lesson's test object).
    if [ -z "$no_tsan" ]; then
        for w in $(wrong_answers "$only"); do
            tag=$(wrong_tag "$w")
            log_counts "$BUILD/sets/$tag/test"
            [ -n "$COUNTED" ] && [ $((FAILURES + ERRORS)) -eq 0 ] && [ ! -e "$BUILD/logs/tsan/sets/$tag.log" ] &&
                more+=("$BUILD/logs/tsan/sets/$tag.log")
        done
        [ "${#more[@]}" -eq 0 ] || "${MAKE_CMD[@]}" -k "${more[@]}" >>"$made" 2>&1 || status=1
    fi
    # What did not build (a wrong answer that does not compile is reported below).
    if [ "$status" -ne 0 ] && grep '\*\*\*' "$made" | grep -qv " $BUILD/sets/wrong-"; then
        echo "---- the build failed (make's messages: $made):"
        grep -E '(error|undefined reference|\*\*\*)' "$made" | grep -v "$BUILD/sets/wrong-" | head -n 30
    fi

    for bin in $(if [ -n "$only" ]; then set_binary solution "$only"; else suites; fi); do
        log_counts "$bin"
        echo "---- $bin"
        grep -v '^counts: ' "$LOG" 2>/dev/null
        checks=$((checks + CHECKS)) fails=$((fails + FAILURES)) errs=$((errs + ERRORS))
    done
    passed=$((checks - fails - errs)) failed=$((fails + errs))

    # expect_failure SET LOG NAME WHY: a stub or a wrong answer must fail its tests.
    expect_failure() {
        log_counts "$2"
        if [ ! -x "$1/test" ] || grep '\*\*\*' "$made" | grep -qF -- " $1/"; then
            echo "FAIL $3 does not compile"
            failed=$((failed + 1))
        elif [ -z "$COUNTED" ]; then
            echo "FAIL $3: its tests did not run (no log)"
            failed=$((failed + 1))
        elif [ $((FAILURES + ERRORS)) -gt 0 ]; then
            echo "ok   $3 fails: $(first_failure_line "$LOG")"
            passed=$((passed + 1))
        else
            echo "FAIL $3 passes all $CHECKS exercise tests: $4"
            failed=$((failed + 1))
        fi
    }
    echo "---- stubs: each shipped exercise stub must fail its tests"
    for l in $lessons; do
        expect_failure "$BUILD/sets/stub/$l" "$BUILD/sets/stub/$l/test" "stub lessons/$l" "a stub must leave the work to the student"
    done
    echo "---- wrong answers: each one in tests/wrong/ must fail its exercise's tests"
    # A wrong answer that passed the spies: a data race no pthread call
    # brackets. ThreadSanitizer must find it, again up to the first failure.
    for w in $(wrong_answers "$only"); do
        tag=$(wrong_tag "$w")
        log_counts "$BUILD/sets/$tag/test"
        if [ -z "$no_tsan" ] && [ -x "$BUILD/sets/$tag/test" ] && [ $((FAILURES + ERRORS)) -eq 0 ]; then
            tsan_lessons+=" ${tag#*/}"
            expect_failure "$BUILD/sets/$tag" "$BUILD/tsan/sets/$tag/test" "${w#tests/} (ThreadSanitizer)" \
                "neither the tests nor ThreadSanitizer catch it: $(wrong_what "$w")"
        else
            expect_failure "$BUILD/sets/$tag" "$BUILD/sets/$tag/test" "${w#tests/}" "the tests miss this bug: $(wrong_what "$w")"
        fi
    done
    # The grader must run those lessons under ThreadSanitizer too.
    for l in $(tr ' ' '\n' <<<"$tsan_lessons" | sort -u); do
        if [ -z "${TSAN_REASON[$l]:-}" ]; then
            echo "FAIL $l has a wrong answer that only ThreadSanitizer catches, but lessons/$l/lesson.mk has no 'tsan := <why>': the grader would give that answer full marks"
            failed=$((failed + 1))
        fi
    done
    for l in $graded; do
        log_counts "$BUILD/tsan/sets/solution/$l/test"
        if [ -n "$COUNTED" ] && [ $((FAILURES + ERRORS)) -eq 0 ]; then
            echo "ok   solutions/$l passes under ThreadSanitizer"
            passed=$((passed + 1))
        else
            echo "FAIL solutions/$l under ThreadSanitizer: $(first_failure_line "$LOG")"
            failed=$((failed + 1))
        fi
    done

    if [ -z "$only" ]; then
        local logs=$BUILD/logs
        check_log "$logs/grade-selftest.log" "the grader: $(last_line "$logs/grade-selftest.log")" \
            "the grader (make grade-selftest)" '^(FAIL|grade:)'
        check_log "$logs/grader-unit.log" "the grader's unit tests: $(grep '^Ran ' "$logs/grader-unit.log" 2>/dev/null)" \
            "the grader's unit tests (make grader-unit)" '^(FAIL|ERROR):'
        # The READMEs' quoted output (make docs-check), and a lesson added alone.
        check_log "$logs/docs-check.log" "$(last_line "$logs/docs-check.log")" docs-check '^FAIL'
        check_log "$logs/add-lesson.log" "$(last_line "$logs/add-lesson.log")" add-lesson '^FAIL'
    fi

    echo "$((checks ? 100 * (checks - fails - errs) / checks : 0))%: Checks: $checks, Failures: $fails, Errors: $errs"
    echo "test: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

# cmd_sanitize thread|address|helgrind: every demo, every test of common/
# and every reference answer's exercise suite, built with that sanitizer
# into a folder of its own (helgrind: the demos only, as built, under
# valgrind; a forked test suite under it would take minutes). Each demo must report exactly the kinds that
# its lesson.mk expects of it (sanitize.<tool>.<demo>; none when it is not there); every
# test must pass (a report fails the test that caused it).
cmd_sanitize() {
    local tool=$1 flags opts test_opts d l want got out rc ok=0 bad=0 line bin
    case $tool in
        thread)  flags=$TSAN_CFLAGS
                 # (TSan's own second at exit lets daemon_thread's thread end: a leak it reports)
                 opts=(TSAN_OPTIONS="exitcode=66 ${TSAN_OPTIONS:-}")
                 # (a test's process ends with its threads still there, on purpose)
                 test_opts=(TSAN_OPTIONS="exitcode=66 $TSAN_TEST_OPTIONS ${TSAN_OPTIONS:-}") ;;
        address) flags="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
                 opts=(ASAN_OPTIONS="exitcode=66 ${ASAN_OPTIONS:-}" UBSAN_OPTIONS="print_stacktrace=1")
                 # (LeakSanitizer cannot stop the threads a forked test child no longer has)
                 test_opts=(ASAN_OPTIONS="exitcode=66 detect_leaks=0 ${ASAN_OPTIONS:-}" UBSAN_OPTIONS="print_stacktrace=1") ;;
        helgrind) command -v valgrind >/dev/null ||
                      die "make helgrind needs valgrind: run 'sudo apt-get install valgrind'"
                  flags=${CFLAGS:--O2 -g} opts=() ;;
        *) die "usage: scripts/workbook.sh sanitize thread|address|helgrind" ;;
    esac
    ensure_check
    [ "$tool" = helgrind ] || BUILD=$BUILD/$tool
    echo "Building everything with -fsanitize=$tool into $BUILD/ ..."
    "${MAKE_CMD[@]}" "BUILD=$BUILD" "CFLAGS=$flags" NO_DEMOS= -j2 tests \
        $(for l in "${EXERCISES[@]}"; do echo "$(set_binary solution "$l")"; done) ||
        die "the $tool build failed: see the compiler's message above"

    echo "---- demos: the reports each lesson.mk expects (sanitize.$tool.<demo>), and no other"
    for l in "${LESSONS[@]}"; do
        for d in ${DEMOS[$l]}; do
            want=${FACT["$l sanitize.$tool.$d"]:-}
            if [[ $want == skip:* ]]; then echo "skip $d: ${want#skip: }"; continue; fi
            if [ "$tool" = helgrind ]; then
                demo_command "$l" "$d" valgrind --tool=helgrind
                out=$(WORKBOOK_TIME_SCALE=0.05 timeout -s KILL 120 "${DEMO_CMD[@]}" 2>&1 </dev/null)
            else
                demo_command "$l" "$d"
                out=$(env "${opts[@]}" WORKBOOK_TIME_SCALE=0.05 timeout -s KILL 120 "${DEMO_CMD[@]}" 2>&1 </dev/null)
            fi
            rc=$?
            got=$(report_kinds <<<"$out" | sort -u | paste -sd, | sed 's/,/, /g')
            if [ "$rc" -eq 137 ]; then
                echo "FAIL $d: still running after 120 s under -fsanitize=$tool"; bad=$((bad + 1))
            elif [ "$got" = "$(tr ',' '\n' <<<"$want" | sed 's/^ *//' | sort -u | paste -sd, | sed 's/,/, /g')" ]; then
                echo "ok   $d: ${got:-no report}"; ok=$((ok + 1))
            else
                echo "FAIL $d: reports '${got:-nothing}', expected '${want:-nothing}'"; bad=$((bad + 1))
                grep -E -A12 '^(WARNING|ERROR): ' <<<"$out" | head -n 30
            fi
        done
    done

    if [ "$tool" = helgrind ]; then
        echo "sanitize $tool: $ok passed, $bad failed"
        [ "$bad" -eq 0 ]
        return
    fi
    echo "---- tests: every test of common/ and every reference answer's exercise suite"
    for bin in $(suites); do
        case $bin in
            */test_harness) continue ;;                  # its probes end processes on purpose
            */sets/solution/*) run_sanitized "$bin" exercise ;;
            *) run_sanitized "$bin" "" ;;
        esac
    done
    echo "sanitize $tool: $ok passed, $bad failed"
    [ "$bad" -eq 0 ]
}

# The kinds of report a sanitizer's or helgrind's output holds, one a line,
# named as lesson.mk's sanitize.<tool>.<demo> names them.
report_kinds() {
    sed -nE 's/^(WARNING|ERROR): (ThreadSanitizer|AddressSanitizer|LeakSanitizer): ([a-z -]*[a-z]).*/\3/p
             s/.*runtime error: ([a-z -]*[a-z]).*/\1/p
             s/^==[0-9]+== Possible data race.*/data race/p
             s/^==[0-9]+== Thread #[0-9]+ unlocked lock at .* currently held by .*/unlock by a non-owner/p
             s/^==[0-9]+== Thread #[0-9]+ unlocked a not-locked lock.*/unlock of an unlocked mutex/p
             s/^==[0-9]+== Thread #[0-9]+.s call to ([a-z_]+) failed.*/failed \1/p
             s/^==[0-9]+== Thread #[0-9]+: lock order .* violated.*/lock order violated/p
             s/^==[0-9]+== Thread #[0-9]+: Exiting thread still holds.*/exit holding a lock/p'
}

# run_sanitized BINARY SUITE: one suite under the sanitizer, for cmd_sanitize.
run_sanitized() {
    mkdir -p "$BUILD/logs"
    line=$BUILD/logs/${1//\//_}.log
    env "${test_opts[@]}" CK_TIMEOUT_MULTIPLIER="$TSAN_TIMEOUT_MULTIPLIER" \
        ${2:+CK_RUN_SUITE=$2} CK_VERBOSITY=normal WORKBOOK_RESULT_FILE="$line.counts" "$1" >"$line" 2>&1
    if read -r c f e <"$line.counts" 2>/dev/null && [ "$((f + e))" -eq 0 ] && [ "$c" -gt 0 ]; then
        echo "ok   ${1#"$BUILD"/}: $c tests"; ok=$((ok + 1))
    else
        echo "FAIL ${1#"$BUILD"/}: $(first_failure_line "$line")"; bad=$((bad + 1))
    fi
}

# Score every exercise: scripts/grade grades a class (make grade
# SUBMISSIONS=dir) or the working tree, with the pristine tests under limits.
cmd_grade() {
    ensure_check
    exec scripts/grade "$@"
}

case "${1:-}" in
    lesson)   cmd_lesson "${2:-}" ;;
    exercise) cmd_exercise "${2:-}" ;;
    test)     cmd_test "${2:-}" ;;
    grade)    shift; cmd_grade "$@" ;;
    sanitize) cmd_sanitize "${2:-}" ;;
    list)     cmd_list ;;
    *)        die "usage: scripts/workbook.sh lesson N | exercise N | test | grade | list" ;;
esac
