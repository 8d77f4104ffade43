"""The reports of a grading: per student results.json (Gradescope), junit.xml,
report.tap and log.txt; for the class gradebook.csv and the table printed at
the end. Every format is written by its library (json, xml.etree, csv), never
escaped by hand."""
import csv
import io
import json
import os
import re
import shutil
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal

from .build import clean
from .model import STATUS, number, text_points


@dataclass
class Lesson:
    """One lesson of one submission: how far it got, and each test's result."""
    status: str = "ran"     # missing, refused, compile, link, budget, ran
    reason: str = ""        # why its tests did not run
    log: list = field(default_factory=list)
    tests: list = field(default_factory=list)
    output: bytes = b""
    seconds: float = 0.0    # how long its tests ran, in all


@dataclass
class Graded:
    """A submission once graded."""
    student: object
    lessons: dict           # lesson -> Lesson
    seconds: float
    build_log: str = ""


NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text):
    """Text that XML 1.0 can hold (no control characters but tab and newline)."""
    return NOT_XML.sub("", text.replace("\r", ""))


NO_SUBMISSION = "no submission"


def shown(name):
    """A name as a terminal line may show it (no control characters)."""
    return "".join(c if c >= " " else "?" for c in name)


def csv_safe(text):
    """A cell a spreadsheet will not take for a formula: a leading = + - @ (or
    tab, CR) gets a ' before it (numbers are written as numbers)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def yaml_quote(text):
    """A YAML double-quoted string (backslash escapes; no raw control character)."""
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c < " " or c == "\x7f":
            out.append(f"\\x{ord(c):02x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def junit_kind(lesson, test):
    """The JUnit element of a test that did not pass (None when it passed)."""
    if test.passed:
        return None
    if test.outcome == "fail":
        return "failure"
    if lesson.status in ("missing", "compile", "link", "refused"):
        return "error"
    return "skipped"


def indent(text, prefix):
    return prefix + text.replace("\n", "\n" + prefix)


def lesson_score(weights, lesson, result):
    return sum((weights[(lesson, t.name)].points for t in result.tests if t.passed), Decimal(0))


def lesson_max(weights, lesson, names):
    return sum((weights[(lesson, t)].points for t in names), Decimal(0))


class Reports:
    def __init__(self, out, lessons, names, weights, limits, note="", junit_class=False):
        """note: what every report must say (grading without ThreadSanitizer);
        junit_class: the student's name in each JUnit classname."""
        self.out, self.lessons, self.names, self.weights, self.limits = out, lessons, names, weights, limits
        self.note, self.junit_class = note, junit_class
        self.lmax = {l: lesson_max(weights, l, names[l]) for l in lessons}
        self.total_max = sum(self.lmax.values(), Decimal(0))

    def points_tsv(self):
        with open(os.path.join(self.out, "points.tsv"), "w", encoding="utf-8") as f:
            for l in self.lessons:
                for t in self.names[l]:
                    f.write(f"{l}\t{t}\t{text_points(self.weights[(l, t)].points)}\n")

    def scores(self, g):
        cells = [lesson_score(self.weights, l, g.lessons[l]) for l in self.lessons]
        return cells, sum(cells, Decimal(0))

    def row(self, g):
        """A gradebook row: (student, cells, total, statuses)."""
        cells, total = self.scores(g)
        return g.student, cells, total, [STATUS[g.lessons[l].status] for l in self.lessons]

    def absent(self, student):
        """The row of a roster entry with no submission."""
        return student, [Decimal(0)] * len(self.lessons), Decimal(0), [NO_SUBMISSION] * len(self.lessons)

    def write_student(self, g):
        """Its four reports, in a folder made whole before it replaces the last one."""
        final = os.path.join(self.out, g.student.safe)
        tmp = final + ".new"
        os.makedirs(tmp, exist_ok=True)
        cells, total = self.scores(g)
        for name, text in (("results.json", self.results_json(g, cells, total)),
                           ("junit.xml", self.junit_xml(g)),
                           ("report.tap", self.report_tap(g)),
                           ("log.txt", self.log_txt(g, total))):
            with open(os.path.join(tmp, name), "w", encoding="utf-8", newline="") as f:
                f.write(text)
        if os.path.isdir(final):
            os.rename(final, final + ".old")
            os.rename(tmp, final)
            shutil.rmtree(final + ".old")
        else:
            os.rename(tmp, final)
        return cells, total

    def each_test(self, g):
        """(lesson, its result, test, its number within the lesson, points)."""
        for l in self.lessons:
            res = g.lessons[l]
            for k, t in enumerate(res.tests, 1):
                yield l, res, t, k, self.weights[(l, t.name)].points

    def results_json(self, g, cells, total):
        summary = "".join(
            f"{l}: {text_points(c)}/{text_points(self.lmax[l])}"
            + ("" if g.lessons[l].status == "ran" else f" ({g.lessons[l].reason.splitlines()[0]})") + "\n"
            for l, c in zip(self.lessons, cells))
        tests = []
        for l, res, t, k, p in self.each_test(g):
            tests.append({"name": f"{l}: {t.name}", "number": f"{int(l[:2])}.{k}",
                          "score": number(p if t.passed else 0), "max_score": number(p),
                          "status": "passed" if t.passed else "failed",
                          "output": "passed" if t.passed else t.message,
                          "visibility": self.weights[(l, t.name)].visibility})
        doc = {"score": number(total), "execution_time": int(-(-g.seconds // 1)),
               "output": f"{g.student.name}: {text_points(total)}/{text_points(self.total_max)} points\n"
                         + (f"{self.note}\n" if self.note else "") + summary,
               "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    def junit_xml(self, g):
        """JUnit as Jenkins reads it: <failure> a failed test, <error> a lesson
        that could not be tested (missing, does not compile, refused), <skipped>
        a test that did not run; the student in the classname with GRADE_JUNIT=class."""
        root = ET.Element("testsuites", name=xml_text(g.student.name))
        if self.note:
            root.append(ET.Comment(" " + self.note.replace("--", "-") + " "))
        totals = dict(tests=0, failures=0, errors=0, skipped=0)
        for l in self.lessons:
            res = g.lessons[l]
            suite = ET.SubElement(root, "testsuite", name=l)
            props = ET.SubElement(suite, "properties")
            ET.SubElement(props, "property", name="score", value=text_points(lesson_score(self.weights, l, res)))
            ET.SubElement(props, "property", name="max_score", value=text_points(self.lmax[l]))
            ET.SubElement(props, "property", name="status", value=STATUS[res.status])
            counts = dict(tests=len(res.tests), failures=0, errors=0, skipped=0)
            for t in res.tests:
                classname = f"{xml_text(g.student.name)}.{l}" if self.junit_class else l
                case = ET.SubElement(suite, "testcase", classname=classname, name=t.name, time=f"{t.seconds:.3f}")
                kind = junit_kind(res, t)
                if kind:
                    counts[{"failure": "failures", "error": "errors", "skipped": "skipped"}[kind]] += 1
                    msg = xml_text(t.message)
                    el = ET.SubElement(case, kind, message=msg.split("\n")[0],
                                       type=res.status if kind == "error" else (t.check or "not run"))
                    el.text = msg
            if res.reason:
                ET.SubElement(suite, "system-out").text = xml_text(res.reason)
            # (Check times only a test that returns; these end by _exit(), so the suite's time is the run's)
            secs = max(sum(t.seconds for t in res.tests), res.seconds)
            suite.attrib.update({k: str(v) for k, v in counts.items()}, time=f"{secs:.3f}")
            for k in totals:
                totals[k] += counts[k]
        root.attrib.update({k: str(v) for k, v in totals.items() if k != "skipped"}, time=f"{g.seconds:.1f}")
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

    def report_tap(self, g):
        """TAP 13, each failure's YAML block a message in one double-quoted
        string, as Perl's TAP::Parser (prove) reads it."""
        lines, n = [], 0
        for l, res, t, k, p in self.each_test(g):
            n += 1
            if t.passed:
                lines += [f"ok {n} - {l}: {t.name}", "  ---", f"  points: {text_points(p)}/{text_points(p)}", "  ..."]
            else:
                lines += [f"not ok {n} - {l}: {t.name}", "  ---", "  message: " + yaml_quote(t.message),
                          f"  points: 0/{text_points(p)}", "  ..."]
        note = f"# {self.note}\n" if self.note else ""
        return f"TAP version 13\n1..{n}\n{note}" + "".join(l + "\n" for l in lines)

    def log_txt(self, g, total):
        out = [f"grade of {g.student.name} ({g.student.src}), {time.strftime('%Y-%m-%d %H:%M:%S')}",
               f"total: {text_points(total)}/{text_points(self.total_max)} points, graded in {g.seconds:.1f} s",
               self.limits, g.build_log]
        for l in self.lessons:
            res = g.lessons[l]
            out += ["", f"==== {l}"] + res.log
            if res.reason:
                out.append("not run: " + indent(res.reason, "    ")[4:])
            for t in res.tests:
                if t.passed:
                    out.append(f"  PASS {t.name}")
                elif res.status == "ran":
                    out += [f"  FAIL {t.name}:", indent(t.message, "        ")]
                else:
                    out.append(f"  FAIL {t.name}")
            status = "" if res.status == "ran" else f" ({STATUS[res.status]})"
            out.append(f"score: {text_points(lesson_score(self.weights, l, res))}/{text_points(self.lmax[l])}{status}")
            if res.output:
                out += ["what the tests printed (the first 4 KB; the grader never reads it):",
                        indent(clean(res.output, 4096), "  | ")]
        return "\n".join(out) + "\n"

    def gradebook(self, rows, totals=True):
        """rows: [(student, cells, total, statuses)] in the students' order. A
        row per submission (and per roster entry without one), with the
        roster's id, name and email, the report folder, and each lesson's
        status beside its score; total and max unless totals is False."""
        head = ["student", "id", "name", "email", "report"]
        for l in self.lessons:
            head += [l, f"{l} status"]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(head + (["total", "max"] if totals else []))
        for student, cells, total, statuses in rows:
            row = [student.name] + [student.extra.get(k, "") for k in ("id", "name", "email")]
            row.append(student.safe if student.safe and os.path.isdir(os.path.join(self.out, student.safe)) else "")
            for c, st in zip(cells, statuses):
                row += [text_points(c), st]
            if totals:
                row += [text_points(total), text_points(self.total_max)]
            w.writerow([csv_safe(c) for c in row])
        with open(os.path.join(self.out, "gradebook.csv"), "w", encoding="utf-8", newline="") as f:
            f.write(buf.getvalue())

    def table(self, rows):
        out = ["", f"{'student':<28}" + "".join(f" {l[:2]:>3}" for l in self.lessons) + "   total"]
        for student, cells, total, _ in rows:
            out.append(f"{shown(student.name)[:28]:<28}" + "".join(f" {text_points(c):>3}" for c in cells) +
                       f"   {text_points(total)}/{text_points(self.total_max)}")
        out.append(f"{'(max)':<28}" + "".join(f" {text_points(self.lmax[l]):>3}" for l in self.lessons) +
                   f"   {text_points(self.total_max)}")
        return "\n".join(out)
