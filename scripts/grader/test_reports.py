"""Unit tests of reports.py: each report read back by its reader."""
import csv
import json
import os
import tempfile
import unittest
import xml.etree.ElementTree as ET
from decimal import Decimal

from grader.checkrun import Test
from grader.model import Student, Weight
from grader.reports import Graded, Lesson, Reports

NAMES = {"01-a": ["t1", "t2"], "02-b": ["u1"]}
NASTY = 'Ann, "Nan"\r\nO\'Neil\u00e9\x01'


def reports():
    out = tempfile.mkdtemp()
    weights = {("01-a", "t1"): Weight(Decimal("2.5")), ("01-a", "t2"): Weight(Decimal(1), "hidden"),
               ("02-b", "u1"): Weight(Decimal(1))}
    return Reports(out, ["01-a", "02-b"], NAMES, weights, "limits: some")


def graded():
    lessons = {"01-a": Lesson(tests=[Test("t1", "pass", "Passed", 0.5), Test("t2", "fail", "x <is> & 'bad'\x02\nline 2")],
                              log=["took lessons/01-a/x.c"], output=b"printed\n"),
               "02-b": Lesson(status="missing", reason="y.c is missing",
                              tests=[Test("u1", "notrun", "not run: y.c is missing")])}
    return Graded(Student(NASTY, "/class/x", "x"), lessons, 1.25, "built: ...")


class Reports_(unittest.TestCase):
    def setUp(self):
        self.r = reports()
        self.cells, self.total = self.r.write_student(graded())
        self.dir = os.path.join(self.r.out, "x")

    def test_scores_are_decimal_sums(self):
        self.assertEqual((self.cells, self.total, self.r.total_max), ([Decimal("2.5"), 0], Decimal("2.5"), Decimal("4.5")))

    def test_results_json(self):
        with open(os.path.join(self.dir, "results.json"), encoding="utf-8") as f:
            doc = json.load(f)
        self.assertEqual(doc["score"], 2.5)
        self.assertEqual([t["score"] for t in doc["tests"]], [2.5, 0, 0])
        self.assertEqual([t["visibility"] for t in doc["tests"]], ["visible", "hidden", "visible"])
        self.assertEqual(doc["tests"][1]["number"], "1.2")
        self.assertIn("02-b: 0/1 (y.c is missing)", doc["output"])

    def test_junit_parses(self):
        root = ET.parse(os.path.join(self.dir, "junit.xml")).getroot()
        self.assertEqual(root.get("tests"), "3")
        self.assertEqual(len(root.findall(".//testcase")), 3)

    def test_tap_plan_and_points(self):
        with open(os.path.join(self.dir, "report.tap"), encoding="utf-8") as f:
            tap = f.read()
        self.assertTrue(tap.startswith("TAP version 13\n1..3\nok 1 - 01-a: t1\n"))
        self.assertNotIn("\x02", tap)

    def test_log_says_each_lessons_story(self):
        with open(os.path.join(self.dir, "log.txt"), encoding="utf-8") as f:
            log = f.read()
        self.assertIn("==== 01-a\ntook lessons/01-a/x.c\n  PASS t1\n  FAIL t2:\n        x <is>", log)
        self.assertIn("not run: y.c is missing\n  FAIL u1\nscore: 0/1", log)
        self.assertIn("  | printed", log)

    def test_gradebook_reads_back(self):
        self.r.gradebook([self.r.row(graded())])
        with open(os.path.join(self.r.out, "gradebook.csv"), encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0], ["student", "id", "name", "email", "report", "01-a", "01-a status", "02-b",
                                   "02-b status", "total", "max"])
        self.assertEqual(rows[1], [NASTY, "", "", "", "x", "2.5", "ran", "0", "missing", "2.5", "4.5"])

    def test_a_formula_stays_text(self):
        from grader.reports import csv_safe
        self.assertEqual([csv_safe(x) for x in ("=1+2", "+a", "-b", "@c", "ok", "")], ["'=1+2", "'+a", "'-b", "'@c", "ok", ""])

    def test_tap_is_read_by_prove(self):
        import shutil
        import subprocess
        if not shutil.which("prove"):
            self.skipTest("no prove here")
        p = subprocess.run(["prove", "-e", "cat", os.path.join(self.dir, "report.tap")], capture_output=True, text=True)
        self.assertNotIn("Parse errors", p.stdout + p.stderr)
        self.assertIn("Failed tests:  2-3", p.stdout)

    def test_a_second_write_replaces_the_first(self):
        self.r.write_student(graded())
        self.assertEqual(sorted(os.listdir(self.r.out)), ["x"])


if __name__ == "__main__":
    unittest.main()
