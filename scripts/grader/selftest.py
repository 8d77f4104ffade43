"""make grade-selftest: grade the adversarial class of tests/grading/ and
compare with what tests/grading/ expects (the gradebook, each log's messages,
every report read by its consumer), then (full) the limits alone without the
screen, and the screen over every file of solutions/ and tests/wrong/.
fast (make test): lesson 1 only, and the students of FAST_CLASS."""
import csv
import json
import os
import re
import shutil
import subprocess
import sys

from . import build as B
from . import gradescope
from .grading import Context, committed, say
from .model import exercise_files, exercise_lessons

FAST_CLASS = "correct stubs exit-call underscore-exit thread-exit hang ctor-cheat fake-print interposer " \
             "process-flood no-compile".split()
HANG = ["    static pthread_mutex_t hang_m = PTHREAD_MUTEX_INITIALIZER;",
        "    static pthread_cond_t hang_c = PTHREAD_COND_INITIALIZER;",
        "    pthread_mutex_lock(&hang_m);", "    for (;;)", "        pthread_cond_wait(&hang_c, &hang_m);"]


def hang_all(stub):
    """The stub with every function waiting forever (after each line '{')."""
    out = []
    for line in stub.decode().split("\n"):
        out.append(line)
        if line == "{":
            out += HANG
    return "\n".join(out).encode()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def make_class(root, dest, lessons, full):
    """tests/grading/class, and correct, stubs (and full: hang-all, racer) made from the workbook."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(os.path.join(root, "tests/grading/class"), dest, symlinks=True)
    for l in lessons:
        for f in exercise_files(root, l):
            with open(os.path.join(root, "solutions", l, f), "rb") as src:
                write(f"{dest}/correct/lessons/{l}/{f}", src.read())
            stub = committed(root, f"lessons/{l}/{f}")
            write(f"{dest}/stubs/lessons/{l}/{f}", stub)
            if full:
                write(f"{dest}/hang-all/lessons/{l}/{f}", hang_all(stub))
    if full:
        for l, f, w in (("03-many-threads", "parallel_map.c", "next_taken_without_a_lock.c"),
                        ("12-parallel-speedup", "parallel_sum.c", "shared_total_without_a_lock.c")):
            with open(os.path.join(root, "tests/wrong", l, w), "rb") as src:
                write(f"{dest}/racer/lessons/{l}/{f}", src.read())
    else:
        for s in os.listdir(dest):
            if s not in FAST_CLASS:
                shutil.rmtree(os.path.join(dest, s))


class Checks:
    def __init__(self):
        self.ok = self.bad = 0

    def expect(self, what, good, detail=""):
        if good:
            self.ok += 1
        else:
            self.bad += 1
            say(f"FAIL {what}" + (f": {detail}" if detail else ""))


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [r for r in csv.reader(f) if r and not r[0].startswith("#")]


def compare_gradebook(checks, out, want):
    """Each student's row as want says: N, max (the lesson's points), max-N, or * (any)."""
    lmax = {}
    with open(f"{out}/points.tsv", encoding="utf-8") as f:
        for line in f:
            l, _, p = line.rstrip("\n").split("\t")
            lmax[l] = lmax.get(l, 0) + float(p)
    got = read_rows(f"{out}/gradebook.csv")
    head, rows = got[0], {r[0]: dict(zip(got[0], r)) for r in got[1:]}
    wanted = read_rows(want)
    for cells in wanted[1:]:
        student = cells[0]
        if student not in rows:
            continue    # (only the students the run graded are compared)
        why = []
        for col, cell in zip(wanted[0][1:], cells[1:]):
            if col not in lmax or cell == "*":
                continue
            w = lmax[col] if cell == "max" else lmax[col] - float(cell[4:]) if cell.startswith("max-") else float(cell)
            g = rows[student].get(col)
            if g is None or float(g) != w:
                why.append(f" {col}: {g}, expected {w:g} ({cell})")
        checks.expect(student, not why, ";".join(why).lstrip() + f"; see {out}/{student}/log.txt")


def lesson_part(log, lesson):
    out, on = [], False
    for line in log.split("\n"):
        if line == f"==== {lesson}":
            on = True
        elif line.startswith("==== "):
            on = False
        elif on:
            out.append(line)
    return "\n".join(out)


def check_messages(checks, root, out, run):
    """The lines of tests/grading/expected-messages.tsv for this run."""
    with open(f"{out}/points.tsv", encoding="utf-8") as f:
        graded = {line.split("\t")[0] for line in f}
    with open(os.path.join(root, "tests/grading/expected-messages.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            r, student, lesson, text = line.rstrip("\n").split("\t", 3)
            log = f"{out}/{student}/log.txt"
            if r != run or not os.path.exists(log) or lesson not in graded:
                continue
            with open(log, encoding="utf-8") as g:
                part = lesson_part(g.read(), lesson)
            checks.expect(f"{student}'s log.txt says '{text}' for {lesson}", text in part)


NASTY = ["Zoë, \"Z\" O'Neil\r\nline two 学生", "=1+2", "+cmd", "-2+3", "@SUM(A1)"]
ROSTER = "folder,id,name,email\ncorrect,1001,\"Correct, Carla\",carla@example.org\nghost,1002,Gus Host,gus@example.org\n"


def nasty_students(cls):
    """Submissions whose folder names a gradebook must keep whole: commas,
    quotes, CR, LF, Unicode, a leading = + - @ (each with nothing in it: every
    lesson "missing", so they cost no build)."""
    for name in NASTY:
        write(f"{cls}/{name}/README.txt", b"nothing here\n")


def check_gradebook(checks, cls, out):
    """Read back with the csv module: a row per submission and per roster entry,
    every name whole (a leading = + - @ behind a '), the roster's columns."""
    with open(f"{out}/gradebook.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    names = [r["student"][1:] if r["student"][:2] in ("'=", "'+", "'-", "'@") else r["student"] for r in rows]
    want = sorted(os.listdir(cls)) + ["ghost"]
    checks.expect("gradebook.csv has a row per submission and per roster entry, each name whole",
                  sorted(names) == sorted(want), f"{sorted(set(names) ^ set(want))}")
    by = dict(zip(names, rows))
    checks.expect("gradebook.csv has the roster's id, name and email",
                  [by.get("correct", {}).get(k) for k in ("id", "name", "email")] ==
                  ["1001", "Correct, Carla", "carla@example.org"])
    ghost = by.get("ghost", {})
    checks.expect("a roster entry with no submission is a row of 0 points, 'no submission'",
                  ghost.get("report") == "" and all(ghost[k] == "no submission" for k in ghost if k.endswith(" status")))


def check_reports(checks, root, out):
    if not shutil.which("prove") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "perl"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not shutil.which("prove"):
        say("note: prove cannot be installed here: no report.tap was read by TAP::Parser")
    r = subprocess.run([sys.executable, os.path.join(root, "tests/grading/check_reports.py"), out],
                       capture_output=True, text=True)
    if r.returncode:
        say(r.stdout.rstrip())
    say(r.stdout.rstrip().splitlines()[-1] if r.stdout.strip() else "check_reports: no output")
    checks.expect("every report read by its consumer: results.json (Gradescope's fields), junit.xml (Jenkins' "
                  "schema), report.tap (prove), gradebook.csv (csv)", r.returncode == 0)


def no_leftover_processes(checks, work):
    """No process of the users the last grading claimed lives (root only)."""
    if os.geteuid() != 0:
        return
    with open(f"{work}/users") as f:
        users = set(f.read().split())
    r = subprocess.run(["ps", "-eo", "uid=,pid=,stat=,comm="], capture_output=True, text=True)
    found = [l for l in r.stdout.splitlines() if l.split()[0] in users]
    checks.expect("no process of the grading users is left", not found, "\n".join(found))


def grade_run(root, env, folder):
    r = subprocess.run([os.path.join(root, "scripts/grade"), folder], env=env)
    return r.returncode


def regrade(checks, root, cls, out, lessons):
    """--only regrades one submission into the gradebook, the others' rows kept;
    --failed then finds nothing to grade."""
    before = read_rows(f"{out}/gradebook.csv")
    for args, what in ((["--only", "exit-call"], "regrades exit-call"), (["--failed"], "grades nothing more")):
        env = dict(os.environ, GRADE_OUT=out, GRADE_ROSTER=f"{os.path.dirname(out)}/selftest-roster.csv",
                   GRADE_JUNIT="class", GRADE_LESSONS=lessons)
        say(f"grade-selftest: scripts/grade {' '.join(args)}")
        r = subprocess.run([os.path.join(root, "scripts/grade")] + args + [cls], env=env, capture_output=True, text=True)
        print(r.stdout.splitlines()[0] if r.stdout else r.stderr, flush=True)
        checks.expect(f"scripts/grade {' '.join(args)} {what}, the gradebook as it was",
                      r.returncode == 0 and read_rows(f"{out}/gradebook.csv") == before and
                      (f"grading {1 if args[0] == '--only' else 0} submission(s) of" in r.stdout), r.stderr[-300:])


def gradescope_run(checks, root, build, lessons):
    """make autograder-zip's zip unpacked into a scratch /autograder (AUTOGRADER_ROOT),
    its run_autograder run on a submission two days late with a 10% a day
    penalty: results/results.json in Gradescope's format, the penalty applied."""
    ag = os.path.abspath(f"{build}/grade/selftest-autograder")
    shutil.rmtree(ag, ignore_errors=True)
    os.makedirs(f"{ag}/source")
    z = f"{ag}/autograder.zip"
    r = subprocess.run([os.path.join(root, "scripts/grade"), "--autograder-zip", z],
                       env=dict(os.environ, GRADE_LESSONS=lessons), capture_output=True, text=True)
    say(f"grade-selftest: {r.stdout.strip() or r.stderr.strip()}")
    gradescope.unpack(z, f"{ag}/source")
    with open(f"{ag}/source/run_autograder") as f:
        checks.expect("the zip holds setup.sh and run_autograder at its root, each with #!",
                      f.read(2) == "#!" and open(f"{ag}/source/setup.sh").read(2) == "#!")
    with open(f"{ag}/source/autograder.env", "a") as f:
        f.write("GRADE_LATE_PENALTY=10\n")
    shutil.copytree(f"{root}/tests/grading/class/exit-call", f"{ag}/submission")
    with open(f"{ag}/submission_metadata.json", "w") as f:
        json.dump({"created_at": "2026-03-03T10:00:00.000000-07:00", "users": [{"name": "Ann", "id": 7, "email": "a@x"}],
                   "assignment": {"due_date": "2026-03-01T23:00:00.000000-07:00", "late_due_date": None}}, f)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADE_", "BUILD", "MAKE"))}
    r = subprocess.run([f"{ag}/source/run_autograder"], cwd=ag, env=dict(env, AUTOGRADER_ROOT=ag),
                       capture_output=True, text=True)
    try:
        with open(f"{ag}/results/results.json", encoding="utf-8") as f:
            res = json.load(f)
    except (OSError, ValueError):
        checks.expect("run_autograder writes results/results.json", False, (r.stdout + r.stderr)[-500:])
        return
    tests = res.get("tests", [])
    full = sum(t.get("score", 0) for t in tests)
    checks.expect("results.json in Gradescope's format: a numeric score, execution_time, output, tests with name, "
                  "score, max_score, status, output, visibility",
                  isinstance(res.get("score"), (int, float)) and isinstance(res.get("execution_time"), int) and
                  isinstance(res.get("output"), str) and tests and all(
                      isinstance(t.get("name"), str) and isinstance(t.get("output"), str) and
                      t.get("status") in ("passed", "failed") and t.get("visibility") in
                      ("visible", "hidden", "after_due_date", "after_published") and
                      0 <= t.get("score", -1) <= t.get("max_score", -1) for t in tests), json.dumps(res)[:300])
    checks.expect("two days late at 10% a day: 80% of the tests' points, and the output says why",
                  full == 5 and abs(res["score"] - 4) < 1e-9 and "late by 2 day(s)" in res["output"],
                  f"score {res.get('score')} of {full}")


def reports_say(out, student, text):
    """Whether all four reports of a student hold text."""
    for name in ("results.json", "junit.xml", "report.tap", "log.txt"):
        with open(f"{out}/{student}/{name}", encoding="utf-8") as f:
            if text not in f.read().replace("\\n", "\n"):
                return False
    return True


def tsan_fails_closed(checks, root, cls, out):
    """Where ThreadSanitizer cannot run (GRADE_NO_TSAN=1 acts so), racer's
    lesson 3 is not graded, in every report; with GRADE_WITHOUT_TSAN=1 it is
    graded, and every report says how."""
    lesson = "03-many-threads"
    only = f"{cls}-tsan"
    shutil.rmtree(only, ignore_errors=True)
    shutil.copytree(f"{cls}/racer", f"{only}/racer")
    for extra, what in (({}, "not graded: ThreadSanitizer cannot run here"),
                        ({"GRADE_WITHOUT_TSAN": "1"}, "GRADE_WITHOUT_TSAN=1")):
        say(f"grade-selftest: racer, lesson 3, where ThreadSanitizer cannot run (GRADE_NO_TSAN=1)"
            + (" and GRADE_WITHOUT_TSAN=1" if extra else ""))
        o = f"{out}-no-tsan"
        env = dict(os.environ, GRADE_NO_TSAN="1", GRADE_LESSONS=lesson, GRADE_OUT=o, **extra)
        if not extra:
            env.pop("GRADE_WITHOUT_TSAN", None)
        rc = grade_run(root, env, only)
        checks.expect(f"the grader ended with status {rc}", rc == 0)
        if rc == 0:
            checks.expect(f"every report of racer says '{what}'", reports_say(o, "racer", what))
            if not extra:
                compare_gradebook(checks, o, os.path.join(root, "tests/grading/expected.csv"))


def screen_corpus(root, settings):
    """Every reference answer and every tests/wrong/ answer, compiled as a
    student's file is, passes the screen; the problems found."""
    settings.jobs = 1
    ctx = Context(root, settings)
    ctx.work = f"{settings.build}/grade/corpus-work"
    shutil.rmtree(ctx.work, ignore_errors=True)
    bad, tag = [], "grade-corpus"
    try:
        ctx.setup()
        for l in exercise_lessons(root):
            files = exercise_files(root, l)
            for w in [f"solutions/{l}"] + sorted(f"tests/wrong/{l}/{x}" for x in
                                                 (os.listdir(f"tests/wrong/{l}") if os.path.isdir(f"tests/wrong/{l}")
                                                  else []) if x.endswith(".c")):
                d = f"{settings.build}/sets/{tag}/{l}"
                shutil.rmtree(d, ignore_errors=True)
                os.makedirs(d)
                for f in files:
                    shutil.copyfile(f"solutions/{l}/{f}", f"{d}/{f}")
                if os.path.isfile(w):
                    with open(w) as f:
                        m = re.match(r"/\* *([a-z0-9_]*\.c), wrong: ", f.readline())
                    if not m:
                        continue
                    shutil.copyfile(w, f"{d}/{m.group(1)}")
                if ctx.builder.compile_set(0, tag, [l], {l: files})[0]:
                    bad.append(f"{w} does not compile")
                    continue
                objs = [f"{d}/{f[:-2]}.o" for f in files]
                bad += [f"{w}: {why}" for why in ctx.screen.check(objs, B.elf_facts(root, objs))]
    finally:
        ctx.close()
    return bad


def selftest(root, settings, full):
    checks = Checks()
    lessons = settings.lessons if full else exercise_lessons(root)[0]
    cls, out = f"{settings.build}/grade/selftest-class", f"{settings.build}/grade/selftest"
    make_class(root, cls, exercise_lessons(root, lessons), full)
    nasty_students(cls)
    roster = f"{settings.build}/grade/selftest-roster.csv"
    with open(roster, "w", encoding="utf-8") as f:
        f.write(ROSTER)
    say("grade-selftest: tests/grading/class, and correct, stubs" + (", hang-all, racer" if full else "") +
        " made from the workbook" + (f" (lesson {lessons} only)" if lessons else ""))
    env = dict(os.environ, GRADE_OUT=out, GRADE_LESSONS=lessons, GRADE_ROSTER=roster, GRADE_JUNIT="class")
    rc = grade_run(root, env, cls)
    if rc:
        say(f"FAIL grade-selftest: the grader ended with status {rc}")
        return 1
    compare_gradebook(checks, out, os.path.join(root, "tests/grading/expected.csv"))
    check_gradebook(checks, cls, out)
    check_messages(checks, root, out, "class")
    check_reports(checks, root, out)
    no_leftover_processes(checks, f"{settings.build}/grade/work")
    if full:
        regrade(checks, root, cls, out, lessons)
        # Without the screen, the limits alone must hold a process flood, a
        # memory hog and a constructor that hangs (and weights count).
        limits = f"{settings.build}/grade/selftest-limits-class"
        shutil.rmtree(limits, ignore_errors=True)
        for s in ("process-flood", "memory-hog", "ctor-hang"):
            shutil.copytree(f"{cls}/{s}", f"{limits}/{s}", symlinks=True)
        l = exercise_lessons(root)[0]
        say(f"grade-selftest: the limits alone (GRADE_SCREEN=off): process-flood, memory-hog, ctor-hang (lesson {l})")
        env = dict(os.environ, GRADE_SCREEN="off", GRADE_LESSONS=l, GRADE_OUT=out + "-limits",
                   GRADE_WEIGHTS="tests/grading/selftest-weights.tsv")
        rc = grade_run(root, env, limits)
        checks.expect(f"the grader ended with status {rc}", rc == 0)
        if rc == 0:
            compare_gradebook(checks, out + "-limits", os.path.join(root, "tests/grading/expected-limits.csv"))
            check_messages(checks, root, out + "-limits", "limits")
            check_reports(checks, root, out + "-limits")
        no_leftover_processes(checks, f"{settings.build}/grade/work")
        tsan_fails_closed(checks, root, cls, out)
        gradescope_run(checks, root, settings.build, exercise_lessons(root)[0])
        bad = screen_corpus(root, settings)
        for b in bad:
            say(b)
        checks.expect("every file in solutions/ and tests/wrong/ passes the screen", not bad)
    say(f"grade-selftest: {checks.ok} passed, {checks.bad} failed")
    return 0 if checks.bad == 0 else 1
