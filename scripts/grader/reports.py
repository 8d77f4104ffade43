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


def indent(text, prefix):
    return prefix + text.replace("\n", "\n" + prefix)


def lesson_score(weights, lesson, result):
    return sum((weights[(lesson, t.name)].points for t in result.tests if t.passed), Decimal(0))


def lesson_max(weights, lesson, names):
    return sum((weights[(lesson, t)].points for t in names), Decimal(0))


class Reports:
    def __init__(self, out, lessons, names, weights, limits, note=""):
        """note: what every report must say (grading without ThreadSanitizer)."""
        self.out, self.lessons, self.names, self.weights, self.limits = out, lessons, names, weights, limits
        self.note = note
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
        root = ET.Element("testsuites", name=xml_text(g.student.name))
        if self.note:
            root.append(ET.Comment(" " + self.note.replace("--", "-") + " "))
        ntests = nfail = 0
        for l in self.lessons:
            res = g.lessons[l]
            suite = ET.SubElement(root, "testsuite", name=l)
            props = ET.SubElement(suite, "properties")
            ET.SubElement(props, "property", name="score", value=text_points(lesson_score(self.weights, l, res)))
            ET.SubElement(props, "property", name="max_score", value=text_points(self.lmax[l]))
            fails = 0
            for t in res.tests:
                case = ET.SubElement(suite, "testcase", classname=l, name=t.name, time="0")
                if not t.passed:
                    fails += 1
                    msg = xml_text(t.message)
                    fl = ET.SubElement(case, "failure", type="failure", message=msg.split("\n")[0])
                    fl.text = msg
            if res.reason:
                ET.SubElement(suite, "system-out").text = xml_text(res.reason)
            suite.attrib.update(tests=str(len(res.tests)), failures=str(fails), errors="0", skipped="0", time="0")
            ntests, nfail = ntests + len(res.tests), nfail + fails
        root.attrib.update(tests=str(ntests), failures=str(nfail), errors="0", time=f"{g.seconds:.1f}")
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

    def report_tap(self, g):
        lines, n = [], 0
        for l, res, t, k, p in self.each_test(g):
            n += 1
            if t.passed:
                lines += [f"ok {n} - {l}: {t.name}", "  ---", f"  points: {text_points(p)}/{text_points(p)}", "  ..."]
            else:
                msg = "".join(c for c in t.message if c in "\t\n" or c >= " ")
                lines += [f"not ok {n} - {l}: {t.name}", "  ---", "  message: |-", indent(msg, "    "),
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

    def gradebook(self, rows):
        """rows: [(student, cells, total)] in the students' order."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["student"] + self.lessons + ["total", "max"])
        for student, cells, total in rows:
            w.writerow([student.name] + [text_points(c) for c in cells] +
                       [text_points(total), text_points(self.total_max)])
        with open(os.path.join(self.out, "gradebook.csv"), "w", encoding="utf-8", newline="") as f:
            f.write(buf.getvalue())

    def table(self, rows):
        out = ["", f"{'student':<28}" + "".join(f" {l[:2]:>3}" for l in self.lessons) + "   total"]
        for student, cells, total in rows:
            out.append(f"{student.name[:28]:<28}" + "".join(f" {text_points(c):>3}" for c in cells) +
                       f"   {text_points(total)}/{text_points(self.total_max)}")
        out.append(f"{'(max)':<28}" + "".join(f" {text_points(self.lmax[l]):>3}" for l in self.lessons) +
                   f"   {text_points(self.total_max)}")
        return "\n".join(out)
