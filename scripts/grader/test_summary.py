"""Unit tests of summary.py: the class's figures and the similarity folder."""
import json
import os
import tempfile
import unittest
from decimal import Decimal

from grader import summary as S
from grader.model import Student


class Summary(unittest.TestCase):
    def test_figures_count_only_the_lessons_that_ran(self):
        out = tempfile.mkdtemp()
        rows = []
        for name, score, status, passed in (("a", 6, "ran", True), ("b", 2, "ran", False), ("c", 0, "missing", False)):
            st = Student(name, "", name)
            rows.append((st, [Decimal(score)], Decimal(score), [status]))
            os.makedirs(os.path.join(out, name))
            with open(os.path.join(out, name, "results.json"), "w") as f:
                json.dump({"tests": [{"name": "01-a: t1", "status": "passed" if passed else "failed"}]}, f)
        S.write(out, ["01-a"], {"01-a": Decimal(6)}, rows)
        with open(os.path.join(out, "summary.md")) as f:
            md = f.read()
        self.assertIn("2 ran: mean 4.00, median 4.00 of 6; 1 missing", md)
        self.assertIn("| 01-a: t1 | 1 | 2 | 50% |", md)
        with open(os.path.join(out, "summary.csv")) as f:
            self.assertIn("01-a,t1,,2,,,1,0.50", f.read())

    def test_a_histogram_has_a_bar_per_range(self):
        lines = S.histogram([0, 6, 6, 3], 6)
        self.assertEqual(len(lines), 5)
        self.assertTrue(lines[-1].rstrip().endswith("2"))

    def test_similarity_keeps_each_students_files_and_the_stubs_as_base(self):
        out, src = tempfile.mkdtemp(), tempfile.mkdtemp()
        with open(os.path.join(src, "x.c"), "w") as f:
            f.write("int x;\n")
        S.keep_files(out, Student("ann", "", "ann"), "01-a", ["x.c"], src)
        S.keep_base(out, "01-a", {"x.c": b"stub\n"})
        self.assertEqual(sorted(os.listdir(os.path.join(out, "similarity", "01-a"))), ["ann", "base"])


if __name__ == "__main__":
    unittest.main()


class Classroom(unittest.TestCase):
    def test_a_step_per_lesson_worth_its_points(self):
        from unittest import mock
        from grader import classroom
        from grader.model import Settings
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        with mock.patch.object(classroom, "test_names", lambda r, b, ls: {l: ["a", "b"] for l in ls}):
            text, points = classroom.workflow(root, Settings(lessons="1 2", weights="/nonexistent.tsv"))
        self.assertEqual(points, 4)
        self.assertIn("command: make exercise-2\n        timeout: 10\n        max-score: 2\n", text)
        self.assertIn("runners: lesson-01,lesson-02\n", text)
        self.assertIn('LESSON-01_RESULTS: "${{steps.lesson-01.outputs.result}}"', text)
