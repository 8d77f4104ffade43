"""Unit tests of session.py: rows kept between runs, and what a regrade takes."""
import os
import tempfile
import unittest
from decimal import Decimal

from grader import session as S
from grader.model import Student, Usage


class Rows(unittest.TestCase):
    def setUp(self):
        self.out = tempfile.mkdtemp()
        self.a, self.b, self.c = (Student(n, "/x/" + n, n) for n in ("ann", "bob", "cy"))
        os.makedirs(os.path.join(self.out, "ann"))
        S.save_row(self.out, (self.a, [Decimal("2.5"), Decimal(1)], Decimal("3.5"), ["ran", "ran"]))
        os.makedirs(os.path.join(self.out, "bob"))
        S.save_row(self.out, (self.b, [Decimal(0), Decimal(1)], Decimal(1), ["out of time", "ran"]))

    def test_a_saved_row_comes_back_and_a_missing_one_is_not_graded_yet(self):
        self.assertEqual(S.saved_row(self.out, self.a, ["l1", "l2"])[1:], ([Decimal("2.5"), 1], Decimal("3.5"), ["ran", "ran"]))
        self.assertEqual(S.saved_row(self.out, self.c, ["l1", "l2"])[3], [S.NOT_YET, S.NOT_YET])
        self.assertEqual(S.saved_row(self.out, self.a, ["l1"])[3], [S.NOT_YET])    # (the lessons changed)

    def test_what_a_session_grades(self):
        every = [self.a, self.b, self.c]
        self.assertEqual(S.to_grade(self.out, every, ["l1", "l2"], None, False), every)
        self.assertEqual(S.to_grade(self.out, every, ["l1", "l2"], "bob", False), [self.b])
        self.assertEqual(S.to_grade(self.out, every, ["l1", "l2"], None, True), [self.b, self.c])
        with self.assertRaises(Usage):
            S.to_grade(self.out, every, ["l1", "l2"], "zed", False)


if __name__ == "__main__":
    unittest.main()
