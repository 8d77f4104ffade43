#!/usr/bin/env bash
# tests/add_lesson.sh - adding a lesson edits no file outside its own
# (README, "Adding a lesson"). In a copy of the workbook (its files, and
# the objects and demos make built, with their times, so that little is
# built again), it adds lesson N+1: a folder with its README, lesson.mk, a
# demo and an exercise (header and stub), its test file, its reference
# answer and one wrong answer; then make -s facts must show it, make
# lesson-N run its demo, and make check-N prove it (the answer passes, the
# stub and the wrong answer fail). make test runs it (a few seconds).
#
#   tests/add_lesson.sh       "ok"/"FAIL" lines, a summary; status 1 on a failure
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 2
BUILD=${BUILD:-build}
case $BUILD in /*) echo "add_lesson: BUILD must be a folder inside the workbook, not $BUILD" >&2; exit 2 ;; esac
for f in "$BUILD/libcommon.a" "$BUILD/obj" "$BUILD/bin"; do
    [ -e "$f" ] || { echo "add_lesson: $f is missing: run make test (or make demos harness) first" >&2; exit 2; }
done
tmp=$(mktemp -d /tmp/add-lesson.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT
wb=$tmp/workbook
passed=0 failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }

# The copy: the files git knows (or, outside git, all but the build), then
# what make built, less the harness object that names this folder's demos.
mkdir -p "$wb"
if files=$(git ls-files -z -co --exclude-standard 2>/dev/null | tr '\0' '\n') && [ -n "$files" ]; then
    tr '\n' '\0' <<<"$files" | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$wb" -xf -
else
    tar --exclude=./build -cf - . | tar -C "$wb" -xf -
fi
tar -cf - "$BUILD/obj" "$BUILD/libcommon.a" "$BUILD/bin" | tar -C "$wb" -xf -
rm -f "$wb/$BUILD/obj/tests/harness/harness.o"

# The lesson: the next number, a demo, an exercise (twice.c), its test file,
# reference answer and wrong answer.
folders=(lessons/[0-9][0-9]-*)
last=${folders[-1]#lessons/}
n=$((10#${last%%-*} + 1))
l=$(printf '%02d' "$n")-throwaway
t=test_$(printf '%02d' "$n")_throwaway
mkdir -p "$wb/lessons/$l" "$wb/solutions/$l" "$wb/tests/wrong/$l"
cat >"$wb/lessons/$l/README.md" <<EOF
# Lesson $n — A throwaway lesson

Made by tests/add_lesson.sh in a copy of the workbook.
EOF
cat >"$wb/lessons/$l/lesson.mk" <<'EOF'
# A throwaway lesson (tests/add_lesson.sh).
demos := throwaway_hello
EOF
cat >"$wb/lessons/$l/throwaway_hello.c" <<'EOF'
/* throwaway_hello.c - the throwaway lesson's demo: one line. */
#include "cli.h"
#include "log.h"

int main(int argc, char **argv)
{
    cli_no_args(argc, argv);
    log_info("Main    : hello from a throwaway lesson");
    return 0;
}
EOF
cat >"$wb/lessons/$l/twice.h" <<'EOF'
/* twice.h - the throwaway lesson's exercise. */
#ifndef TWICE_H
#define TWICE_H

/* x doubled. */
int twice(int x);

#endif
EOF
printf '/* twice.c - your answer. */\n#include "twice.h"\n\nint twice(int x)\n{\n    (void)x;\n    return 0;\n}\n' \
    >"$wb/lessons/$l/twice.c"
printf '/* twice.c - the reference answer. */\n#include "twice.h"\n\nint twice(int x)\n{\n    return 2 * x;\n}\n' \
    >"$wb/solutions/$l/twice.c"
printf '/* twice.c, wrong: adds two instead of doubling */\n#include "twice.h"\n\nint twice(int x)\n{\n    return x + 2;\n}\n' \
    >"$wb/tests/wrong/$l/adds_two.c"
cat >"$wb/tests/$t.c" <<'EOF'
/* The throwaway lesson's tests (tests/add_lesson.sh). */
#include "harness.h"
#include "twice.h"

START_TEST(the_demo_says_hello)
{
    struct run r = harness_run("throwaway_hello", NULL, 0.1, 5);
    ck_assert_msg(r.exit_code == 0 && output_index(r.out, "Main    : hello from a throwaway lesson") == 0,
                  "throwaway_hello printed, with status %d:\n%s", r.exit_code, r.out);
    run_free(&r);
}
END_TEST

START_TEST(twice_doubles)
{
    ck_assert_msg(twice(3) == 6, "twice(3) returned %d: it must return 6, 3 doubled", twice(3));
    ck_assert_msg(twice(-4) == -8, "twice(-4) returned %d: it must return -8", twice(-4));
}
END_TEST

int main(void)
{
    Suite *demo = suite_create("demo");
    TCase *tc = harness_tcase("throwaway_hello", 0);
    tcase_add_test(tc, the_demo_says_hello);
    suite_add_tcase(demo, tc);

    Suite *exercise = suite_create("exercise");
    tc = harness_tcase("twice", 0);
    tcase_add_test(tc, twice_doubles);
    suite_add_tcase(exercise, tc);

    return harness_main((Suite *[]){ demo, exercise, NULL });
}
EOF

# Each make in the copy is one run by hand (the build checks the lesson's
# contract), with jobs of its own.
cd "$wb" || exit 2
M=(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL WORKBOOK_JOBS=2 make --no-print-directory "BUILD=$BUILD")
out=$("${M[@]}" -s facts 2>&1)
if grep -qx "$l	demos	throwaway_hello" <<<"$out" && grep -qx "$l	exercise	twice.c" <<<"$out" &&
   grep -qx "$l	wrong.adds_two	twice.c" <<<"$out"; then
    ok "make -s facts shows lesson $n's demo, exercise and wrong answer"
else
    bad "make -s facts does not show lesson $n as its folder states it:"; grep -v '^[0-9*][0-9]*-[a-z]' <<<"$out" | head -n 5
    grep "^$l" <<<"$out"
fi
out=$("${M[@]}" lesson-"$n" 2>&1)
if grep -qx "==== $l: throwaway_hello ====" <<<"$out" && grep -q ': Main    : hello from a throwaway lesson$' <<<"$out"; then
    ok "make lesson-$n runs its demo"
else
    bad "make lesson-$n did not run its demo:"; tail -n 10 <<<"$out"
fi
out=$("${M[@]}" check-"$n" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && grep -qx 'test: 4 passed, 0 failed' <<<"$out" &&
   grep -q "^ok   stub lessons/$l fails: twice_doubles: twice(3) returned 0" <<<"$out" &&
   grep -q "^ok   wrong/$l/adds_two.c fails: twice_doubles: twice(3) returned 5" <<<"$out"; then
    ok "make check-$n: the reference answer passes, the stub and the wrong answer fail"
else
    bad "make check-$n (status $rc) did not prove the lesson:"; tail -n 20 <<<"$out"
fi
echo "add_lesson: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
