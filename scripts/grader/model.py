"""The workbook as the grader sees it: its exercise lessons and their files, the
lessons graded under ThreadSanitizer too, the tests' points and visibility,
the settings (environment), and a class's submissions. Nothing here runs a
program: every list is read from the workbook's files, never written down."""
import csv
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


class Fault(Exception):
    """The grader itself failed (status 3): nothing of the run is recorded."""


class Usage(Exception):
    """Bad input: a one-line message, status 2."""


def exercise_files(root, lesson):
    """The exercise files of a lesson: those with a twin in solutions/."""
    d = os.path.join(root, "solutions", lesson)
    try:
        return sorted(f for f in os.listdir(d) if f.endswith(".c"))
    except OSError:
        return []


def lesson_wanted(lesson, only):
    """Whether GRADE_LESSONS (folder names or numbers; empty: all) names a lesson."""
    words = [w for w in re.split(r"[\s,]+", only or "") if w]
    if not words:
        return True
    number = int(lesson[:2])
    return any(w == lesson or (w.isdigit() and int(w) == number) for w in words)


def exercise_lessons(root, only=""):
    """The lesson folders that have an exercise, in order (GRADE_LESSONS filters)."""
    found = []
    for d in sorted(os.listdir(os.path.join(root, "lessons"))):
        if re.fullmatch(r"\d\d-.+", d) and exercise_files(root, d) and lesson_wanted(d, only):
            found.append(d)
    return found


def list_file(path):
    """A file's lines without comments ('#' on) and blanks, stripped."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line)
    return out


def read_facts(root):
    """The workbook's model as its Makefile states it (make -s facts: one
    line a fact, lesson TAB key TAB value; README, "Adding a lesson")."""
    import subprocess
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    done = subprocess.run(["make", "--no-print-directory", "-s", "facts"], cwd=root, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise Fault("make -s facts failed: " + (done.stderr.strip().splitlines() or ["no message"])[-1])
    return [tuple(line.split("\t", 2)) for line in done.stdout.splitlines() if line.count("\t") >= 2]


def tsan_policy(facts):
    """How a ThreadSanitizer build compiles, and the environment of a test run
    under it, as the Makefile states them once (the facts of lesson "*")."""
    common = {key: value for lesson, key, value in facts if lesson == "*"}
    try:
        return common["tsan.cflags"], ["TSAN_OPTIONS=" + common["tsan.options"],
                                       "CK_TIMEOUT_MULTIPLIER=" + common["tsan.timeout_multiplier"]]
    except KeyError as missing:
        raise Fault(f"make -s facts states no {missing.args[0]}") from None


def tsan_lessons(root, lessons, facts=None):
    """The lessons among these whose lesson.mk says tsan (graded under
    ThreadSanitizer too); facts: read_facts(root)'s lines."""
    named = {l for l, key, _ in (facts if facts is not None else read_facts(root)) if key == "tsan"}
    return [l for l in lessons if l in named]


@dataclass
class Weight:
    points: Decimal
    visibility: str = "visible"


def parse_points(text):
    """Decimal points: '3', '0.5'; None when it is not a number of points."""
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def load_weights(path, tests, checked):
    """Points and visibility of every test: {(lesson, test): Weight}. tests:
    {lesson: [test names]}. A weights line is <lesson> TAB <test> TAB <points>
    [TAB <visibility>]; a test it does not name is worth 1, visible. A line
    about a lesson in `checked` that names no test of it is the grader's fault
    (checked None: every lesson; a lesson left out by GRADE_LESSONS is not
    checked)."""
    weights = {(l, t): Weight(Decimal(1)) for l, names in tests.items() for t in names}
    if not os.path.exists(path):
        return weights
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if len(cells) not in (3, 4):
                raise Fault(f"{path} line {n}: expected <lesson> TAB <test> TAB <points> [TAB <visibility>]")
            lesson, test, points = cells[:3]
            if (lesson, test) not in weights:
                if checked is not None and lesson not in checked:
                    continue
                raise Fault(f"{path} line {n}: lesson {lesson} has no exercise test '{test}'")
            p = parse_points(points)
            if p is None:
                raise Fault(f"{path} line {n}: points must be a number such as 3 or 0.5, not '{points}'")
            vis = cells[3] if len(cells) == 4 else "visible"
            if vis not in VISIBILITIES:
                raise Fault(f"{path} line {n}: visibility must be one of {', '.join(VISIBILITIES)}, not '{vis}'")
            weights[(lesson, test)] = Weight(p, vis)
    return weights


def number(p):
    """Points as JSON and CSV want them: 3, 2.5 (never 3.0 nor 1E+1)."""
    p = Decimal(p)
    if p == p.to_integral_value():
        return int(p)
    return float(p.normalize())


def text_points(p):
    return str(number(p))


@dataclass
class Student:
    name: str       # as the instructor knows it (the folder's name)
    src: str        # the submission's folder
    safe: str       # the report folder's name
    extra: dict = field(default_factory=dict)     # roster fields: id, name, email


def same_text(a, b):
    """Whether two files hold the same text, whatever their line ends and
    trailing blanks (a stub saved on Windows is still the stub)."""
    def norm(x):
        return b"\n".join(line.rstrip() for line in x.replace(b"\r\n", b"\n").split(b"\n")).rstrip()
    return norm(a) == norm(b)


# What each lesson status says in the reports.
STATUS = {"ran": "ran", "missing": "missing", "compile": "does not compile", "link": "does not compile",
          "refused": "refused", "notstarted": "not started", "budget": "out of time",
          "nottsan": "not graded: ThreadSanitizer cannot run here"}


def safe_names(names):
    """A report folder name for each submission name: [A-Za-z0-9._-] only, not
    hidden nor an option (no leading . or -), unique (a second a_b is a_b-2)."""
    used, out = set(), []
    for name in names:
        s = re.sub(r"[^A-Za-z0-9._-]", "_", name)
        if s[:1] in (".", "-"):
            s = "_" + s[1:]
        s = s or "student"
        base, n = s, 2
        while s in used:
            s, n = f"{base}-{n}", n + 1
        used.add(s)
        out.append(s)
    return out


def class_students(folder):
    """The submissions of a class folder (one subfolder each, in name order) and
    what was not taken, each with why: [(entry, why)]."""
    names, skipped = [], []
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if os.path.islink(path) or not os.path.isdir(path):
            skipped.append((entry, "not a folder (each submission is one folder)"))
        elif entry.startswith("."):
            skipped.append((entry, "a hidden folder"))
        else:
            names.append(entry)
    return [Student(n, os.path.join(folder, n), s) for n, s in zip(names, safe_names(names))], skipped


def load_roster(path):
    """{submission folder: {"id", "name", "email"}} from a CSV file whose header
    names a "folder" column and any of id, name, email."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    if rows and "folder" not in rows[0]:
        raise Usage(f"GRADE_ROSTER={path}: its first line must name the columns: folder,id,name,email")
    return {r["folder"]: {k: (r.get(k) or "") for k in ("id", "name", "email")} for r in rows if r.get("folder")}


def env_int(env, name, default, least=1):
    text = env.get(name, "") or str(default)
    if not re.fullmatch(r"\d+", text) or int(text) < least:
        raise Usage(f"{name} must be a whole number of at least {least}, not '{text}'")
    return int(text)


@dataclass
class Settings:
    """What the environment sets (README, "For instructors")."""
    build: str = "build"
    jobs: int = 2
    test_ms: int = 500
    student_seconds: int = 300
    memory_mb: int = 2048
    processes: int = 256
    open_files: int = 128
    cpu_seconds: int = 30
    compile_seconds: int = 60
    output_kb: int = 256
    file_kb: int = 16384
    source_kb: int = 512
    weights: str = "tests/grading/weights.tsv"
    lessons: str = ""
    out: str = ""
    screen: bool = True
    cflags: str = "-O2"
    cc: str = ""
    uids: str = "64123-64222"
    without_tsan: bool = False
    no_tsan: bool = False
    junit_class: bool = False
    roster: str = ""
    totals: bool = True

    @classmethod
    def from_env(cls, env):
        s = cls()
        s.build = env.get("BUILD") or "build"
        s.jobs = env_int(env, "GRADE_JOBS", 2)
        s.student_seconds = env_int(env, "GRADE_STUDENT_SECONDS", 300)
        s.memory_mb = env_int(env, "GRADE_MEMORY_MB", 2048)
        s.processes = env_int(env, "GRADE_PROCESSES", 256)
        s.open_files = env_int(env, "GRADE_OPEN_FILES", 128)
        s.cpu_seconds = env_int(env, "GRADE_CPU_SECONDS", 30)
        secs = env.get("GRADE_TEST_SECONDS") or "0.5"
        if not re.fullmatch(r"\d+(\.\d{1,3})?", secs) or Decimal(secs) < Decimal("0.1"):
            raise Usage(f"GRADE_TEST_SECONDS must be seconds of at least 0.1, such as 0.5, not '{secs}'")
        s.test_ms = int(Decimal(secs) * 1000)
        s.weights = env.get("GRADE_WEIGHTS") or s.weights
        s.lessons = env.get("GRADE_LESSONS", "")
        s.out = env.get("GRADE_OUT", "")
        s.screen = env.get("GRADE_SCREEN", "on") != "off"
        s.cflags = env.get("CFLAGS") or "-O2"
        s.cc = env.get("CC", "")
        s.uids = env.get("GRADE_UIDS") or s.uids
        s.without_tsan = env.get("GRADE_WITHOUT_TSAN", "") == "1"
        s.no_tsan = env.get("GRADE_NO_TSAN", "") == "1"
        s.junit_class = env.get("GRADE_JUNIT", "") == "class"
        s.roster = env.get("GRADE_ROSTER", "")
        s.totals = env.get("GRADE_TOTALS", "1") != "0"
        return s
