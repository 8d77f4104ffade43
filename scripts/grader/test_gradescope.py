"""Unit tests of gradescope.py: the zip's layout and the late penalty."""
import os
import tempfile
import unittest
import zipfile
from decimal import Decimal

from grader import gradescope as G

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
META = {"created_at": "2026-03-03T10:00:00.000000-07:00", "assignment": {"due_date": "2026-03-01T23:00:00-07:00"}}


class Zip(unittest.TestCase):
    def test_the_workbook_at_the_root_with_setup_and_run_autograder(self):
        path = os.path.join(tempfile.mkdtemp(), "ag.zip")
        G.make_zip(ROOT, path, "1")
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            self.assertIn("Makefile", names)
            self.assertIn("scripts/grade", names)
            for script in ("setup.sh", "run_autograder"):
                self.assertTrue(z.read(script).startswith(b"#!/usr/bin/env bash\n"))
                self.assertEqual((z.getinfo(script).external_attr >> 16) & 0o777, 0o755)
            self.assertIn(b"GRADE_LESSONS='1'", z.read("autograder.env"))
            self.assertIn(b"procps", z.read("setup.sh"))


class Late(unittest.TestCase):
    def test_each_started_day_late_costs_the_rate(self):
        off, why = G.late_penalty(META, Decimal(10), Decimal(100))
        self.assertEqual(off, 20)
        self.assertIn("late by 2 day(s)", why)

    def test_on_time_no_rate_or_no_due_date_costs_nothing(self):
        on_time = dict(META, created_at="2026-03-01T22:59:00-07:00")
        self.assertEqual(G.late_penalty(on_time, Decimal(10), Decimal(100))[0], 0)
        self.assertEqual(G.late_penalty(META, Decimal(0), Decimal(100))[0], 0)
        self.assertEqual(G.late_penalty({"created_at": "x"}, Decimal(10), Decimal(100))[0], 0)

    def test_the_cap_and_the_score(self):
        self.assertEqual(G.late_penalty(META, Decimal(40), Decimal(50))[0], 50)
        r = G.apply_penalty({"score": 5, "output": "x\n"}, Decimal(20), "late")
        self.assertEqual((r["score"], r["output"]), (4, "late: 5 -> 4 points\nx\n"))

    def test_the_submitter_fills_a_roster_line(self):
        self.assertEqual(G.student_from({"users": [{"id": 7, "name": "Ann", "email": "a@x"}]}),
                         {"id": "7", "name": "Ann", "email": "a@x"})


if __name__ == "__main__":
    unittest.main()
