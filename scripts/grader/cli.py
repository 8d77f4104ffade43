"""scripts/grade - grades exercises with the workbook's own pristine tests, under limits.

  scripts/grade DIR              a class: each subfolder of DIR is one student's submission
  scripts/grade --only NAME DIR  regrade one submission of the class into its gradebook
  scripts/grade --failed DIR     grade those with no report yet, or one cut short (a stopped
                                 run, a submission out of time, ThreadSanitizer missing)
  scripts/grade --one DIR NAME   one submission, as student NAME (scripts/run_autograder)
  scripts/grade --gradescope AG  Gradescope: AG/submission graded, AG/results/results.json written
                                 (AG: /autograder; scripts/run_autograder calls it)
  scripts/grade --autograder-zip ZIP   the autograder zip for Gradescope (make autograder-zip)
  scripts/grade --prebuild       the pristine parts built (the zip's setup.sh)
  scripts/grade --classroom-workflow YML   GitHub Classroom's workflow (make classroom-workflow)
  scripts/grade --selftest       grade tests/grading/class; compare with tests/grading/expected.csv
  scripts/grade --selftest-fast  the same for lesson 1 only (make test runs it)

make grade SUBMISSIONS=DIR and make grade-selftest call it (a student's make grade,
without SUBMISSIONS, is scripts/student.sh's, which needs no Python). Reports go to
$BUILD/grade/<class folder's name>/: gradebook.csv, and per student results.json
(Gradescope), junit.xml, report.tap and log.txt.

Settings (environment): GRADE_JOBS (2: jobs at a time), GRADE_TEST_SECONDS (0.5: the
least cap on a test's time limit), GRADE_STUDENT_SECONDS (300: a whole submission),
GRADE_MEMORY_MB (2048: address space of a test process), GRADE_PROCESSES (256:
processes and threads of a slot), GRADE_OPEN_FILES (128), GRADE_CPU_SECONDS (30: per
process), GRADE_WEIGHTS (tests/grading/weights.tsv), GRADE_LESSONS (only these lesson
folders or numbers), GRADE_OUT (the reports' folder), GRADE_UIDS (64123-64222: the users
that run student code when grading as root; no account may use them), GRADE_ROSTER (a CSV
file: folder,id,name,email), GRADE_TOTALS (0: no total and max columns), GRADE_JUNIT
(class: the student in each JUnit classname), GRADE_WITHOUT_TSAN (1: grade the lessons of
lessons whose lesson.mk says tsan without ThreadSanitizer where it cannot run; each report says
so), GRADE_NO_TSAN (1: act as if ThreadSanitizer could not run here).
"""
import json
import os
import signal
import sys

from . import classroom, gradescope
from .session import grade, prebuild
from .model import Fault, Settings, Student, Usage, class_students, load_roster, safe_names
from .selftest import selftest


def usage():
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


def main(argv, root):
    os.chdir(root)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    try:
        s = Settings.from_env(os.environ)
        if argv in (["--selftest"], ["--selftest-fast"]):
            return selftest(root, s, argv[0] == "--selftest")
        if argv[:1] == ["--autograder-zip"] and len(argv) == 2:
            n = gradescope.make_zip(root, argv[1], s.lessons)
            print(f"{argv[1]}: {n} files: the workbook as committed, setup.sh, run_autograder, autograder.env "
                  f"(GRADE_LESSONS='{s.lessons}'); upload it as the autograder (README, \"Gradescope\")")
            return 0
        if argv[:1] == ["--classroom-workflow"] and len(argv) == 2:
            text, points = classroom.workflow(root, s)
            os.makedirs(os.path.dirname(os.path.abspath(argv[1])), exist_ok=True)
            with open(argv[1], "w", encoding="utf-8") as f:
                f.write(text)
            print(f"{argv[1]}: GitHub Classroom's autograding, a step per exercise, {points} points in all; "
                  "commit it in the assignment's template repository")
            return 0
        if argv == ["--prebuild"]:
            prebuild(root, s)
            return 0
        if argv[:1] == ["--gradescope"] and len(argv) == 2:
            ag = os.path.abspath(argv[1])
            meta = {}
            if os.path.exists(f"{ag}/submission_metadata.json"):
                with open(f"{ag}/submission_metadata.json", encoding="utf-8") as f:
                    meta = json.load(f)
            if not os.path.isdir(f"{ag}/submission"):
                raise Usage(f"there is no submission folder {ag}/submission")
            st = Student("submission", f"{ag}/submission", "submission", gradescope.student_from(meta))
            out = s.out or f"{s.build}/grade/autograder"
            grade(root, s, [st], out, (), None, False, f"{ag}/submission")
            gradescope.finish(ag, f"{out}/submission/results.json", os.environ)
            return 0
        if argv[:1] == ["--one"] and len(argv) == 3:
            if not os.path.isdir(argv[1]):
                raise Usage(f"{argv[1]} is not a folder")
            students, absent = [Student(argv[2], argv[1], safe_names([argv[2]])[0])], []
            only, failed, folder = None, False, argv[1]
            out = s.out or f"{s.build}/grade/one"
        elif argv and not argv[-1].startswith("-") and (argv[:-1] in ([], ["--failed"]) or
                                                        (len(argv) == 3 and argv[0] == "--only")):
            only = argv[1] if argv[0] == "--only" else None
            failed = argv[0] == "--failed"
            folder = argv[-1].rstrip("/") or "/"
            if not os.path.isdir(folder):
                raise Usage(f"SUBMISSIONS={argv[-1]} is not a folder")
            students, skipped = class_students(folder)
            for entry, why in skipped:
                print(f"grade: not graded: {entry}: {why}", file=sys.stderr)
            if not students:
                raise Usage(f"{argv[-1]} holds no submission: each student's submission is one subfolder of it")
            out = s.out or f"{s.build}/grade/{os.path.basename(os.path.abspath(folder))}"
            a, b = os.path.realpath(out), os.path.realpath(folder)
            if a == b or a.startswith(b + "/") or b.startswith(a + "/"):
                raise Usage(f"the reports would go to {out}, which holds the submissions or is inside them: "
                            "move the class folder, or set GRADE_OUT to another folder")
            roster = load_roster(s.roster) if s.roster else {}
            for st in students:
                st.extra = roster.get(st.name, {})
            taken = {st.name for st in students}
            absent = [Student(f, "", "", r) for f, r in roster.items() if f not in taken]
        else:
            return usage()
        grade(root, s, students, out, absent, only, failed, folder)
        return 0
    except Usage as e:
        print(f"grade: {e}", file=sys.stderr)
        return 2
    except Fault as e:
        print(f"grade: the grader itself failed, so no score of the grading in progress was recorded: {e}",
              file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
