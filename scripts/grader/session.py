"""A grading session of a class: which submissions it grades (all, --only one,
--failed: those with no report yet or one cut short), each student's reports
written to its folder as soon as it is graded (with row.json, its gradebook
row), and the gradebook rebuilt from every folder at the end, so that a
regrade lands in the existing gradebook and a run that is stopped keeps every
finished student's reports and says how to resume."""
import json
import os
import shutil
import threading
import time
from decimal import Decimal

from .grading import Context, Pool, lock, say
from .model import STATUS, Fault, Usage, load_weights
from .reports import Graded, Reports, shown
from .submission import Submission
from . import summary

NOT_YET = "not graded yet"
INCOMPLETE = (STATUS["budget"], STATUS["nottsan"])


def save_row(out, row):
    student, cells, total, statuses = row
    with open(os.path.join(out, student.safe, "row.json"), "w", encoding="utf-8") as f:
        json.dump({"cells": [str(c) for c in cells], "total": str(total), "statuses": statuses}, f)


def saved_row(out, student, lessons):
    """A student's last gradebook row, or a row of 0 "not graded yet"."""
    try:
        with open(os.path.join(out, student.safe, "row.json"), encoding="utf-8") as f:
            r = json.load(f)
        if len(r["cells"]) == len(lessons):
            return student, [Decimal(c) for c in r["cells"]], Decimal(r["total"]), r["statuses"]
    except (OSError, ValueError, KeyError):
        pass
    return student, [Decimal(0)] * len(lessons), Decimal(0), [NOT_YET] * len(lessons)


def to_grade(out, students, lessons, only, failed):
    """The submissions this session grades."""
    if only is not None:
        chosen = [st for st in students if only in (st.name, st.safe)]
        if not chosen:
            raise Usage(f"--only {only}: no submission of that name (the class has "
                        f"{', '.join(shown(st.name) for st in students[:5])}{', ...' if len(students) > 5 else ''})")
        return chosen
    if failed:
        return [st for st in students
                if any(s == NOT_YET or s in INCOMPLETE for s in saved_row(out, st, lessons)[3])]
    return students


def resume_hint(cls):
    return (f"to grade the rest: make grade SUBMISSIONS={cls} FAILED=1 "
            f"(or scripts/grade --failed {cls})")


def grade(root, settings, students, out, absent=(), only=None, failed=False, cls=""):
    """Grade the chosen submissions of a class into out, then write the
    gradebook of all of them."""
    start = time.monotonic()
    lock_fd = lock(settings.build)
    ctx = Context(root, settings)
    os.makedirs(out, exist_ok=True)
    chosen = to_grade(out, students, ctx.lessons, only, failed)
    if only is None and not failed:
        # A whole class again: no report of an earlier run is left to mix in.
        # (only what the grader writes there: report folders and similarity/)
        for e in os.listdir(out):
            d = os.path.join(out, e)
            if os.path.isdir(d) and (e == "similarity" or os.path.exists(os.path.join(d, "log.txt"))):
                shutil.rmtree(d)
    reports, graded = None, [0]
    try:
        shutil.rmtree(ctx.work, ignore_errors=True)
        ctx.setup()
        ctx.build_pristine()
        Pool(settings.jobs).run([lambda slot, l=l: ctx.reference(slot, l) for l in ctx.lessons])
        weights = load_weights(settings.weights, ctx.names, set(ctx.lessons) if settings.lessons else None)
        limits = ctx.limits_text()
        reports = Reports(out, ctx.lessons, ctx.names, weights, limits, ctx.tsan_note, settings.junit_class)
        reports.points_tsv()
        say(f"grading {len(chosen)} submission(s){f' of {len(students)}' if len(chosen) != len(students) else ''}: "
            f"{len(ctx.lessons)} lessons, {reports.total_max} points; the reference answers pass all under the "
            f"limits ({time.monotonic() - start:.1f} s)")
        say(limits)
        if not settings.screen:
            say("grade: GRADE_SCREEN=off: student objects are NOT screened (only for testing the limits)")
        Pool(settings.jobs).run(jobs(ctx, reports, chosen, graded, start))
        rows = gradebook(reports, out, students, absent, settings.totals)
        for l in ctx.lessons:
            summary.keep_base(out, l, ctx.stubs[l])
        summary.write(out, ctx.lessons, reports.lmax, rows)
        say(reports.table(rows))
        say(f"graded {len(chosen)} submission(s) in {time.monotonic() - start:.1f} s; reports: {out}/gradebook.csv "
            f"and {out}/<student>/ (results.json, junit.xml, report.tap, log.txt); the class: {out}/summary.md "
            f"(and .csv), {out}/similarity/ (for MOSS or JPlag)")
        return rows
    except (KeyboardInterrupt, SystemExit, Fault) as e:
        if reports is not None:
            gradebook(reports, out, students, absent, settings.totals)
            left = len(chosen) - graded[0]
            say(f"grade: stopped with {left} of {len(chosen)} submission(s) not graded; the reports of the "
                f"{graded[0]} graded are kept in {out}/; {resume_hint(cls)}")
        if isinstance(e, Fault):
            os.makedirs(ctx.work, exist_ok=True)
            with open(f"{ctx.work}/fault", "a") as f:
                f.write(str(e) + "\n")
        raise
    finally:
        ctx.close()
        os.close(lock_fd)


def jobs(ctx, reports, chosen, graded, start):
    """A build job per submission; each adds a run job per lesson it built."""
    lock_ = threading.Lock()
    left = {}

    def done(sub):
        secs = time.monotonic() - sub.start
        g = Graded(sub.st, sub.lessons, secs, sub.build_log)
        with lock_:
            _, total = reports.write_student(g)
            save_row(reports.out, reports.row(g))
            for l, res in sub.lessons.items():
                if res.status not in ("missing", "notstarted", "nottsan"):
                    summary.keep_files(reports.out, sub.st, l, ctx.files[l], sub.set_dir(l))
            graded[0] += 1
            el = int(time.monotonic() - start)
            w = len(str(len(chosen)))
            say(f"[{graded[0]:>{w}}/{len(chosen)}] {shown(sub.st.name):<28} {str(total):>4}/"
                f"{str(reports.total_max):<4} {secs:6.1f} s   elapsed {el // 60}:{el % 60:02d}")

    def run_job(sub, lesson):
        def job(slot):
            sub.run(slot, lesson)
            with lock_:
                left[sub.st.safe] -= 1
                last = left[sub.st.safe] == 0
            if last:
                done(sub)
        return job

    def build_job(st):
        def job(slot):
            sub = Submission(ctx, st)
            runnable = sub.build(slot)
            left[st.safe] = len(runnable)
            if not runnable:
                done(sub)
            return [run_job(sub, l) for l in runnable]
        return job

    return [build_job(st) for st in chosen]


def gradebook(reports, out, students, absent, totals):
    """The gradebook of the whole class, from every student's saved row."""
    rows = [saved_row(out, st, reports.lessons) for st in students] + [reports.absent(st) for st in absent]
    reports.gradebook(rows, totals)
    return rows


def prebuild(root, settings):
    """The pristine parts built once (Gradescope's setup.sh), nothing graded."""
    lock_fd = lock(settings.build)
    ctx = Context(root, settings)
    try:
        ctx.setup()
        ctx.build_pristine()
        say(f"built: the reference answers and tests of {len(ctx.lessons)} lesson(s)"
            + (f", {len(ctx.tsan)} under ThreadSanitizer too" if ctx.tsan else ""))
    finally:
        ctx.close()
        os.close(lock_fd)
