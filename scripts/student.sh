#!/usr/bin/env bash
# scripts/student.sh - the student's loop. Called by make:
#   make progress | next | hint-N [ALL=1] [FILE=x.c] | reset-N [FILE=x.c] | watch-N | grade
#   make exercise-N (scripts/workbook.sh's run, then, the first time it passes,
#   where the reference answer and the lesson's common mistakes are)
# What it remembers (hints shown, exercises passed, test results) is kept in
# $BUILD/student/, which make rebuilds nothing from and git ignores.
set -u
cd "$(dirname "$0")/.." || exit 2

. scripts/lib.sh
STATE=$BUILD/student
# (the runs make progress starts two at a time need no model)
case ${1:-} in _run_plain | _run_tsan) ;; *) load_model ;; esac

# chosen_files DIR: the exercise files FILE names (all of them without FILE),
# or exit 2 when FILE is not one of them.
chosen_files() {
    local all f
    all=$(exercise_files "$1")
    [ -z "${FILE:-}" ] && { echo "$all"; return; }
    f=${FILE##*/}
    grep -qxF "$f" <<<"$all" ||
        die "lessons/$1/$f is not an exercise: the exercise files of lesson $(number_of "$1") are $(paste -sd' ' <<<"$all")"
    echo "$f"
}

# ---- colours: only on a terminal, never with NO_COLOR (https://no-color.org)

color_init() {
    if [ -t 1 ] && [ -z "${NO_COLOR+set}" ] && [ "${TERM:-dumb}" != dumb ]; then
        BOLD=$'\e[1m' DIM=$'\e[2m' GREEN=$'\e[32m' YELLOW=$'\e[33m' RED=$'\e[31m' OFF=$'\e[0m'
    else
        BOLD='' DIM='' GREEN='' YELLOW='' RED='' OFF=''
    fi
}

# ---- the stub as committed

# stub_to LESSON FILE DEST: the stub as git's HEAD holds it, byte for byte;
# false when there is no git or HEAD lacks the file.
stub_to() {
    git show "HEAD:./lessons/$1/$2" >"$3" 2>/dev/null
}

# changed_lessons: the lessons with an exercise file that differs from the
# stub as committed (or that git cannot compare), in two git calls in all.
# (--no-optional-locks: reading the tree never writes git's index.)
changed_lessons() {
    local l f paths=() in_head changed
    for l in "${EXERCISES[@]}"; do for f in ${FILES[$l]}; do paths+=("lessons/$l/$f"); done; done
    if ! in_head=$(git --no-optional-locks ls-tree --name-only HEAD -- "${paths[@]}" 2>/dev/null) ||
       ! changed=$(git --no-optional-locks diff --name-only HEAD -- "${paths[@]}" 2>/dev/null); then
        printf '%s\n' "${EXERCISES[@]}"
        return
    fi
    for l in "${EXERCISES[@]}"; do
        for f in ${FILES[$l]}; do
            if ! grep -qxF "lessons/$l/$f" <<<"$in_head" || grep -qxF "lessons/$l/$f" <<<"$changed"; then
                echo "$l"
                break
            fi
        done
    done
}

# file_state LESSON FILE: "stub" (as committed), "changed", or "unknown" (no git).
file_state() {
    local tmp rc
    tmp=$(mktemp)
    if ! stub_to "$1" "$2" "$tmp"; then
        rm -f "$tmp"
        echo unknown
        return
    fi
    cmp -s "$tmp" "lessons/$1/$2"
    rc=$?
    rm -f "$tmp"
    if [ "$rc" -eq 0 ]; then echo stub; else echo changed; fi
}

# ---- after the first pass

# first_pass LESSON: once per exercise, where to look next.
first_pass() {
    local l=$1 n marker line wrong
    n=$(number_of "$l")
    marker=$STATE/passed-$n
    [ -e "$marker" ] && return
    mkdir -p "$STATE" && : >"$marker"
    wrong=$(find "tests/wrong/$l" -name '*.c' 2>/dev/null | wc -l)
    # The README's "Common mistakes", else its exercise section's first word of them, else the section.
    line=$(awk '/^Common mistakes/ { print NR; exit } /^## Exercise/ && !ex { ex = NR }
                ex && /[Mm]istake/ && !m { m = NR } END { if (m) print m; else if (ex) print ex }' \
                "lessons/$l/README.md" 2>/dev/null | head -n 1)
    echo
    echo "${BOLD}Exercise $n passes for the first time.${OFF} Now compare your answer with"
    echo "  the reference answer:"
    for f in ${FILES[$l]}; do echo "    solutions/$l/$f"; done
    echo "  the lesson's common mistakes, explained:"
    echo "    lessons/$l/README.md${line:+:$line}"
    echo "  and each of them as a whole wrong answer ($wrong files; the first line says what):"
    echo "    tests/wrong/$l/"
}

# ---- make exercise-N

cmd_exercise() {
    local dir rc
    dir=$(exercise_dir "$1") || exit 2
    color_init
    scripts/workbook.sh exercise "$1"
    rc=$?
    [ "$rc" -eq 0 ] && first_pass "$dir"
    return "$rc"
}

# ---- progress: done, started, not started

# stamp FILE...: what identifies a build's output, cheaply.
stamp() { stat -c '%n %s %y' "$@" 2>/dev/null | cksum | cut -d' ' -f1; }

# run_plain LESSON (in parallel, 2 at a time): the student's tests, up to
# the first failure; $STATE/status/LESSON says "KEY passed|failed TEST<TAB>MESSAGE".
run_plain() {
    local l=$1 bin key out=$STATE/status/$1 log=$STATE/logs/$1.log result stop
    bin=$BUILD/sets/student/$l/test
    key=$(stamp "$bin" $(paths_of "$l"))
    [ -s "$out" ] && [ "$(cut -d' ' -f1 "$out")" = "$key" ] && return 0
    result=$STATE/logs/$l.result stop=$STATE/logs/$l.stop
    rm -f "$result" "$stop"
    CK_RUN_SUITE=exercise CK_VERBOSITY=verbose WORKBOOK_RESULT_FILE=$result WORKBOOK_STOP_FILE=$stop \
        "$bin" >"$log" 2>&1
    local checks=0 failures=0 errors=0
    [ -s "$result" ] && read -r checks failures errors <"$result"
    if [ "$checks" -gt 0 ] && [ $((failures + errors)) -eq 0 ]; then
        echo "$key passed $checks" >"$out"
    else
        echo "$key failed $(first_failure "$log")" >"$out"
    fi
}

# run_tsan LESSON: the same tests under ThreadSanitizer, once they pass.
run_tsan() {
    local l=$1 out=$STATE/status/$1.tsan log=$STATE/logs/$1.tsan.log result=$STATE/logs/$1.tsan.result
    local checks=0 failures=0 errors=0 key
    key=$(cut -d' ' -f1 "$STATE/status/$l")
    if [ ! -x "$TSAN_BUILD/sets/student/$l/test" ]; then
        printf '%s race build\tthe ThreadSanitizer build failed: see %s\n' "$key" "$STATE/logs/tsan-build.log" >"$out"
        return
    fi
    rm -f "$result"
    tsan_run CK_RUN_SUITE=exercise CK_VERBOSITY=verbose WORKBOOK_RESULT_FILE="$result" \
        "$TSAN_BUILD/sets/student/$l/test" >"$log" 2>&1
    [ -s "$result" ] && read -r checks failures errors <"$result"
    if [ "$checks" -gt 0 ] && [ $((failures + errors)) -eq 0 ]; then
        echo "$key done" >"$out"
    else
        echo "$key race $(first_failure "$log")" >"$out"
    fi
}

need_check() {
    pkg-config --exists check 2>/dev/null ||
        die "the tests need the Check framework: make test installs it, or run 'sudo apt-get install check pkg-config'"
}

# compute: STATUS[lesson] = todo | done | failed | broken | race, and
# DETAIL[lesson] = the first failing test and its message. A lesson whose
# files are all the stubs as committed is "todo" without running anything;
# the others are built in one make (shared parts once), run two at a time,
# and what a run found is kept until the test binary or the files change.
declare -A STATUS DETAIL
compute() {
    local l state started=() runs=() passed=() tsan=() bins=() key
    mkdir -p "$STATE/status" "$STATE/logs"
    for l in "${EXERCISES[@]}"; do STATUS[$l]=todo DETAIL[$l]=''; done
    mapfile -t started < <(changed_lessons)
    [ "${#started[@]}" -gt 0 ] || return 0
    need_check
    for l in "${started[@]}"; do bins+=("$BUILD/sets/student/$l/test"); done
    "${MAKE_CMD[@]}" -k -j2 "${bins[@]}" >"$STATE/logs/build.log" 2>&1
    for l in "${started[@]}"; do
        # A file that does not compile leaves the last good binary behind: ask the log.
        if [ ! -x "$BUILD/sets/student/$l/test" ] ||
           grep -q "^make.*\*\*\* .*/sets/student/$l/" "$STATE/logs/build.log"; then
            STATUS[$l]=broken
            rm -f "$STATE/status/$l"
        else
            runs+=("$l")
        fi
    done
    [ "${#runs[@]}" -gt 0 ] && printf '%s\n' "${runs[@]}" | xargs -P 2 -n 1 "$0" _run_plain
    for l in "${runs[@]}"; do
        read -r key state "DETAIL[$l]" <"$STATE/status/$l"
        STATUS[$l]=$state
        if [ "$state" = passed ]; then
            # ThreadSanitizer next, as make exercise-N does, unless it ran on this very build.
            if [ -s "$STATE/status/$l.tsan" ] && [ "$(cut -d' ' -f1 "$STATE/status/$l.tsan")" = "$key" ]; then
                read -r key "STATUS[$l]" "DETAIL[$l]" <"$STATE/status/$l.tsan"
            else
                passed+=("$l")
            fi
        fi
    done
    if [ "${#passed[@]}" -gt 0 ]; then
        if tsan_works; then
            for l in "${passed[@]}"; do tsan+=("$TSAN_BUILD/sets/student/$l/test"); done
            "${TSAN_MAKE[@]}" -k -j2 "${tsan[@]}" >"$STATE/logs/tsan-build.log" 2>&1
            printf '%s\n' "${passed[@]}" | xargs -P 2 -n 1 "$0" _run_tsan
            for l in "${passed[@]}"; do read -r key "STATUS[$l]" "DETAIL[$l]" <"$STATE/status/$l.tsan"; done
        else
            for l in "${passed[@]}"; do STATUS[$l]='done'; done
        fi
    fi
}

# next_lesson: the first exercise, in lesson order, that does not pass.
next_lesson() {
    local l
    for l in "${EXERCISES[@]}"; do
        [ "${STATUS[$l]}" = 'done' ] || { echo "$l"; return; }
    done
}

cmd_progress() {
    local l n done=0 total=0 width=30 fill bar text test msg next start
    start=$(date +%s%N)
    compute || exit 2
    color_init
    for l in "${EXERCISES[@]}"; do
        n=$((10#${l%%-*}))
        total=$((total + 1))
        text=${FILES[$l]}
        printf '%2d  %-28s ' "$n" "$text"
        test=${DETAIL[$l]%%$'\t'*} msg=''
        [[ ${DETAIL[$l]} == *$'\t'* ]] && msg=${DETAIL[$l]#*$'\t'}
        case ${STATUS[$l]} in
            done)   done=$((done + 1)); echo "${GREEN}done${OFF}" ;;
            todo)   echo "${DIM}not started${OFF}" ;;
            broken) echo "${YELLOW}started${OFF}: does not compile (make exercise-$n shows why)" ;;
            race)   echo "${YELLOW}started${OFF}: passes, but ThreadSanitizer finds a race" ;;
            *)      echo "${YELLOW}started${OFF}: ${test:-its tests did not run} fails" ;;
        esac
        if [ -n "$msg" ]; then
            # The test's message, on at most two lines of 80 columns.
            awk -v on="$DIM" -v off="$OFF" '{
                n = split($0, w, " "); line = ""; k = 0
                for (i = 1; i <= n; i++) {
                    if (line != "" && length(line) + 1 + length(w[i]) > 76) {
                        if (++k == 2) { print "    " on substr(line, 1, 73) "..." off; exit }
                        print "    " on line off; line = w[i]
                    } else line = line == "" ? w[i] : line " " w[i]
                }
                if (line != "") print "    " on line off
            }' <<<"$msg"
        fi
    done
    fill=$((total ? width * done / total : 0))
    bar=$(printf '%*s' "$fill" '' | tr ' ' '#')$(printf '%*s' $((width - fill)) '' | tr ' ' '-')
    echo "[${GREEN}${bar:0:fill}${OFF}${bar:fill}] $done of $total exercises done"
    next=$(next_lesson)
    if [ -n "$next" ]; then
        n=$(number_of "$next")
        echo "next: exercise $n, $(paths_of "$next")"
        echo "      make next runs its tests; make hint-$n gives a hint"
    else
        echo "Every exercise passes its tests."
    fi
    start=$(( ($(date +%s%N) - start) / 1000000 ))
    printf '%s(checked in %d.%d s)%s\n' "$DIM" $((start / 1000)) $((start % 1000 / 100)) "$OFF"
    # Exercises that pass for the first time: where to look next (in short
    # when there are several at once).
    local new=()
    for l in "${EXERCISES[@]}"; do
        [ "${STATUS[$l]}" = 'done' ] && [ ! -e "$STATE/passed-$((10#${l%%-*}))" ] && new+=("$l")
    done
    if [ "${#new[@]}" -eq 1 ]; then
        first_pass "${new[0]}"
    elif [ "${#new[@]}" -gt 1 ]; then
        echo
        echo "${BOLD}Exercises $(for l in "${new[@]}"; do printf '%d ' "$((10#${l%%-*}))"; done)pass for the first time.${OFF}"
        echo "Compare each with its reference answer in solutions/NN-slug/, and read its"
        echo "lesson's common mistakes (in the README, and one a file in tests/wrong/NN-slug/)."
        for l in "${new[@]}"; do : >"$STATE/passed-$((10#${l%%-*}))"; done
    fi
    return 0
}

cmd_next() {
    local next
    compute || exit 2
    next=$(next_lesson)
    if [ -z "$next" ]; then
        echo "Every exercise passes its tests: nothing left to do (make progress shows them all)."
        return 0
    fi
    echo "next: exercise $(number_of "$next"), $(paths_of "$next")"
    cmd_exercise "$(number_of "$next")"
}

# ---- hints: lessons/NN-slug/hints.md
#
#   # squares.c            one section per exercise file
#   ## Hint 1              two or three hints, a nudge first,
#   ...                    nearly the answer last
#
# Text before a section's first "## Hint" is not shown.

# hints_of LESSON FILE: the hints of FILE, separated by a line holding only \f.
hints_of() {
    awk -v file="$2" '
        /^# / { section = substr($0, 3); sub(/[ \t]+$/, "", section); inhint = 0; next }
        section != file { next }
        /^## Hint/ { if (n++) print "\f"; inhint = 1; next }
        inhint { print }
    ' "lessons/$1/hints.md" 2>/dev/null
}

# hint_count LESSON FILE
hint_count() { local c; c=$(hints_of "$1" "$2" | grep -c $'^\f$'); [ -n "$(hints_of "$1" "$2")" ] && c=$((c + 1)); echo "$c"; }

# hint_text LESSON FILE K: hint K (1-based), blank lines at its ends trimmed.
hint_text() {
    hints_of "$1" "$2" | awk -v k="$3" '
        $0 == "\f" { i++; next }
        i == k - 1 { lines[++n] = $0 }
        END { s = 1; while (s <= n && lines[s] ~ /^[ \t]*$/) s++
              e = n; while (e >= s && lines[e] ~ /^[ \t]*$/) e--
              for (j = s; j <= e; j++) print lines[j] }'
}

# hint_file LESSON: the file a hint is for. With several, FILE chooses; else
# the one the student changed last, else the first in hints.md.
hint_file() {
    local l=$1 files f best='' best_t=0 t
    files=$(exercise_files "$l")
    if [ -n "${FILE:-}" ] || [ "$(wc -l <<<"$files")" -eq 1 ]; then
        chosen_files "$l"
        return
    fi
    for f in $files; do
        [ "$(file_state "$l" "$f")" = stub ] && continue
        t=$(stat -c %Y "lessons/$l/$f" 2>/dev/null || echo 0)
        [ "$t" -gt "$best_t" ] && best=$f best_t=$t
    done
    [ -n "$best" ] || best=$(sed -n 's/^# *\([a-z0-9_]*\.c\) *$/\1/p' "lessons/$l/hints.md" | head -n 1)
    echo "${best:-$(head -n 1 <<<"$files")}"
}

cmd_hint() {
    local dir n f count seen k counter others
    dir=$(exercise_dir "$1") || exit 2
    f=$(hint_file "$dir") || exit 2
    n=$(number_of "$dir")
    color_init
    [ -f "lessons/$dir/hints.md" ] || die "lesson $n has no hints yet (lessons/$dir/hints.md)"
    count=$(hint_count "$dir" "$f")
    [ "$count" -gt 0 ] || die "lessons/$dir/hints.md has no hint for $f"
    counter=$STATE/hints-$n-$f
    seen=0
    [ -s "$counter" ] && read -r seen <"$counter"
    [[ $seen =~ ^[0-9]+$ ]] || seen=0
    others=$(exercise_files "$dir" | grep -vxF "$f" | paste -sd' ')
    mkdir -p "$STATE"
    if [ -n "${ALL:-}" ] && [ "${ALL}" != 0 ]; then
        for ((k = 1; k <= count; k++)); do
            echo "${BOLD}Hint $k of $count for exercise $n ($f):${OFF}"
            echo
            hint_text "$dir" "$f" "$k"
            echo
        done
        echo "$count" >"$counter"
    elif [ "$seen" -ge "$count" ]; then
        echo "You have seen all $count hints for exercise $n ($f): make hint-$n ALL=1 shows them again."
        echo "The reference answer is solutions/$dir/$f: read it once you have tried."
    else
        k=$((seen + 1))
        echo "${BOLD}Hint $k of $count for exercise $n (lessons/$dir/$f):${OFF}"
        echo
        hint_text "$dir" "$f" "$k"
        echo
        echo "$k" >"$counter"
        if [ "$k" -lt "$count" ]; then
            echo "${DIM}(make hint-$n again for the next one)${OFF}"
        else
            echo "${DIM}(that was the last hint; make hint-$n ALL=1 shows them all again)${OFF}"
        fi
    fi
    [ -z "$others" ] || [ -n "${FILE:-}" ] ||
        echo "${DIM}(these are $f's hints; for $others: make hint-$n FILE=${others%% *})${OFF}"
}

# ---- reset: the stub back, the student's file kept beside it

cmd_reset() {
    local dir n f stamp saved path k
    dir=$(exercise_dir "$1") || exit 2
    n=$(number_of "$dir")
    local files
    files=$(chosen_files "$dir") || exit 2
    RESET_TMP=$(mktemp)
    trap 'rm -f "$RESET_TMP"' EXIT
    local tmp=$RESET_TMP
    for f in $files; do
        path=lessons/$dir/$f saved=''
        stub_to "$dir" "$f" "$tmp" ||
            die "cannot read the stub of $path from git (git show HEAD:$path failed); nothing was changed"
        if [ -e "$path" ] && cmp -s "$tmp" "$path"; then
            echo "$path is already the stub: nothing to save or restore."
            continue
        fi
        if [ -e "$path" ]; then
            stamp=$(date +%Y-%m-%dT%H-%M-%S)
            saved=$path.$stamp
            k=1
            while [ -e "$saved" ]; do k=$((k + 1)); saved=$path.$stamp-$k; done
            # Keep the student's work first, and check the copy, before touching the file.
            if ! cp -p "$path" "$saved" || ! cmp -s "$path" "$saved"; then
                die "could not save $path as $saved; nothing was changed"
            fi
            echo "saved your $f as $saved"
        fi
        if ! cp "$tmp" "$path.reset-tmp" || ! mv -f "$path.reset-tmp" "$path"; then
            die "could not write $path (your work is in ${saved:-$path})"
        fi
        echo "restored $path as committed (the stub)"
    done
    rm -f "$tmp"
    rm -f "$STATE/passed-$n"
}

# ---- watch: rerun on every save

# signature DIR: what changes when a file of the exercise is saved.
signature() {
    local f
    for f in $(exercise_files "$1"); do stat -c '%n %s %y %i' "lessons/$1/$f" 2>/dev/null || echo "$f missing"; done
}

# first_error LOG: the compiler's first error, with its source line and caret.
first_error() {
    local log=$1
    awk '
        shown && /^ +[0-9]* *\|/ && extra++ < 3 { print; next }
        shown { exit }
        /(^|: )(fatal )?error:|undefined reference/ { print; shown = 1 }
    ' "$log"
    grep -qE '(^|: )(fatal )?error:|undefined reference' "$log" || head -n 5 "$log"
}

watch_run() {
    local dir=$1 n=$2 log=$STATE/logs/watch-build.log
    if ! "${MAKE_CMD[@]}" "$BUILD/sets/student/$dir/test" >"$log" 2>&1; then
        echo "${RED}Your file does not compile.${OFF} The compiler's first error:"
        echo
        first_error "$log"
        echo
        echo "(make exercise-$n shows all its messages)"
        return 1
    fi
    "$0" exercise "$n"
}

WATCH_CHILD=''
watch_stop() {
    trap - INT TERM
    if [ -n "$WATCH_CHILD" ]; then
        kill -TERM -- "-$WATCH_CHILD" 2>/dev/null || kill -TERM "$WATCH_CHILD" 2>/dev/null
        wait "$WATCH_CHILD" 2>/dev/null
    fi
    printf '\nstopped watching.\n'
    exit 0
}

# in_background CMD...: run CMD in a process group of its own (so a stop
# ends all of it) and wait for it; signals reach watch_stop at once.
in_background() {
    set -m
    "$@" &
    WATCH_CHILD=$!
    set +m
    wait "$WATCH_CHILD" 2>/dev/null
    local rc=$?
    WATCH_CHILD=''
    return "$rc"
}

cmd_watch() {
    local dir n sig how round=0 files
    dir=$(exercise_dir "$1") || exit 2
    n=$(number_of "$dir")
    need_check
    mkdir -p "$STATE/logs"
    color_init
    files=$(paths_of "$dir")
    how='polling every second'
    if [ "${STUDENT_WATCH:-}" != poll ] && command -v inotifywait >/dev/null; then how='inotify'; fi
    trap watch_stop INT TERM
    while :; do
        sig=$(signature "$dir")
        round=$((round + 1))
        if [ -t 1 ]; then printf '\e[H\e[2J\e[3J'; else echo "-------- run $round"; fi
        echo "${BOLD}make watch-$n${OFF}: $files, run $round at $(date +%H:%M:%S)"
        echo
        in_background watch_run "$dir" "$n"
        echo
        echo "${DIM}watching $files for a save ($how); Ctrl-C stops${OFF}"
        while [ "$(signature "$dir")" = "$sig" ]; do
            if [ "$how" = inotify ]; then
                in_background inotifywait -qq -t 5 -e close_write -e moved_to -e create -e delete "lessons/$dir" 2>/dev/null
            else
                in_background sleep 1
            fi
        done
        # An editor may save in steps: let it finish.
        in_background sleep 0.2
    done
}

# ---- make grade: your score, as the instructor's grader counts it

# xml_tests XML: "result<TAB>test" for each test Check's XML names.
xml_tests() {
    awk '/<test result="/ { match($0, /result="[a-z]*"/); r = substr($0, RSTART + 8, RLENGTH - 9) }
         /<id>/ { s = $0; sub(/.*<id>/, "", s); sub(/<\/id>.*/, "", s); print r "\t" s }' "$1" 2>/dev/null
}

# grade_names LESSON: the lesson's exercise tests, one a line, from a run of
# the reference answer (kept in $STATE/grade/ until its test program changes).
grade_names() {
    local bin=$BUILD/sets/solution/$1/test out=$STATE/grade/$1.tests key
    key=$(stamp "$bin")
    if [ ! -s "$out" ] || [ "$(head -n 1 "$out")" != "$key" ]; then
        CK_RUN_SUITE=exercise CK_VERBOSITY=silent CK_XML_LOG_FILE_NAME=$STATE/grade/$1.ref.xml "$bin" >/dev/null 2>&1
        { echo "$key"; xml_tests "$STATE/grade/$1.ref.xml" | cut -f2; } >"$out"
    fi
    tail -n +2 "$out"
}

# cmd_grade: every exercise's tests against your files (and, for the lessons
# whose lesson.mk says tsan, once more under ThreadSanitizer: a test
# passes only if it passes both), points from tests/grading/weights.tsv, as
# scripts/grade counts them for a class; a lesson whose files are the stubs as
# committed is "not started", 0 points. No limits and no screen: these are
# your own files. Reports: build/grade/summary.tsv and Check's XML per lesson.
cmd_grade() {
    local l bins=() tsan=() started out=$BUILD/grade names passed status tsan_ok=''
    need_check
    mkdir -p "$out" "$STATE/grade" "$STATE/logs"
    started=" $(changed_lessons | paste -sd' ') "
    for l in "${EXERCISES[@]}"; do bins+=("$BUILD/sets/student/$l/test" "$BUILD/sets/solution/$l/test"); done
    "${MAKE_CMD[@]}" -k -j2 "${bins[@]}" >"$STATE/logs/grade-build.log" 2>&1
    if tsan_works; then
        tsan_ok=1
        for l in "${!TSAN_REASON[@]}"; do
            [ -n "${FILES[$l]:-}" ] && [[ $started == *" $l "* ]] || continue
            tsan+=("$TSAN_BUILD/sets/student/$l/test")
        done
        [ "${#tsan[@]}" -eq 0 ] || "${TSAN_MAKE[@]}" -k -j2 "${tsan[@]}" >"$STATE/logs/grade-tsan-build.log" 2>&1
    fi
    printf 'lesson\tpassed\ttests\tcompiled\tstatus\n' >"$out/summary.tsv"
    : >"$STATE/grade/points"
    for l in "${EXERCISES[@]}"; do
        names=$(grade_names "$l")
        passed='' status=ran
        rm -f "$out/$l.xml"
        echo "==== $l"
        if [[ $started != *" $l "* ]]; then
            status='not started'
            echo "not started: $(paths_of "$l") as committed"
        elif [ ! -x "$BUILD/sets/student/$l/test" ] || grep -q "^make.*\*\*\* .*/sets/student/$l/" "$STATE/logs/grade-build.log"; then
            status='does not compile'
            echo "does not compile: make exercise-$(number_of "$l") shows why"
        else
            CK_RUN_SUITE=exercise CK_VERBOSITY=normal CK_XML_LOG_FILE_NAME=$out/$l.xml \
                "$BUILD/sets/student/$l/test" 2>&1 | grep -E '^[^:]*:[0-9]+:[FE]:|^[0-9]+%: '
            passed=$(xml_tests "$out/$l.xml" | awk -F'\t' '$1 == "success" { print $2 }')
            if [ -n "$passed" ] && [ -x "$TSAN_BUILD/sets/student/$l/test" ] && [ "${#tsan[@]}" -gt 0 ] &&
               printf '%s\n' "${tsan[@]}" | grep -qx -- "$TSAN_BUILD/sets/student/$l/test"; then
                tsan_run CK_RUN_SUITE=exercise CK_VERBOSITY=normal CK_XML_LOG_FILE_NAME=$out/$l.tsan.xml \
                    "$TSAN_BUILD/sets/student/$l/test" 2>&1 | grep -E '^[^:]*:[0-9]+:[FE]:' | sed 's/^/under ThreadSanitizer: /'
                passed=$(grep -xFf <(xml_tests "$out/$l.tsan.xml" | awk -F'\t' '$1 == "success" { print $2 }') <<<"$passed")
            elif [ -n "$passed" ] && [ -z "$tsan_ok" ] && [ -n "${TSAN_REASON[$l]:-}" ]; then
                echo "(ThreadSanitizer does not work here: the grader would run these tests under it too)"
            fi
        fi
        printf '%s\t%d\t%d\t%s\t%s\n' "$l" "$(grep -c . <<<"$passed")" "$(grep -c . <<<"$names")" \
            "$([[ $status == 'does not compile' ]] && echo no || echo yes)" "$status" >>"$out/summary.tsv"
        while read -r t; do
            [ -n "$t" ] || continue
            printf '%s\t%s\t%s\n' "$l" "$t" "$(grep -qxF -- "$t" <<<"$passed" && echo 1 || echo 0)"
        done <<<"$names" >>"$STATE/grade/points"
    done
    # Points: tests/grading/weights.tsv's (decimals allowed), 1 for a test it does not name.
    echo
    awk -F'\t' 'FNR == NR { if ($0 !~ /^#/ && NF >= 3) w[$1 "\t" $2] = $3; next }
        FILENAME ~ /summary/ { if (FNR > 1) st[$1] = $5; next }
        { p = ($1 "\t" $2) in w ? w[$1 "\t" $2] : 1
          if (!($1 in max)) order[++n] = $1
          max[$1] += p; got[$1] += $3 * p }
        END { printf "%-32s %s\n", "lesson", "points / max"
              for (i = 1; i <= n; i++) { l = order[i]; s = st[l] == "ran" ? "" : st[l]
                  line = sprintf("%-32s %3g / %-4g %s", l, got[l], max[l], s); sub(/ +$/, "", line)
                  print line; tg += got[l]; tm += max[l] }
              printf "%-32s %3g / %g\n", "total", tg, tm }' \
        tests/grading/weights.tsv "$out/summary.tsv" "$STATE/grade/points"
    echo "reports: $out/summary.tsv, Check's XML per lesson in $out/"
}

case "${1:-}" in
    progress)   cmd_progress ;;
    next)       cmd_next ;;
    exercise)   cmd_exercise "${2:-}" ;;
    hint)       cmd_hint "${2:-}" ;;
    reset)      cmd_reset "${2:-}" ;;
    watch)      cmd_watch "${2:-}" ;;
    _run_plain) run_plain "$2" ;;
    _run_tsan)  run_tsan "$2" ;;
    grade)      cmd_grade ;;
    *)          die "usage: scripts/student.sh progress | next | exercise N | hint N | reset N | watch N | grade" ;;
esac
