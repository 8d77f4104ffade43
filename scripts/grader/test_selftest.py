"""Unit tests of selftest.py: how it compares a gradebook and reads a log."""
import io
import os
import tempfile
import unittest
from contextlib import redirect_stdout

from grader import selftest as S


def files(d, content):
    for name, text in content.items():
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(text)


class Compare(unittest.TestCase):
    def test_cells_n_max_max_minus_and_any(self):
        d = tempfile.mkdtemp()
        files(d, {"points.tsv": "01-a\tt1\t2\n01-a\tt2\t1\n02-b\tu\t1\n",
                  "gradebook.csv": "student,01-a,02-b,total,max\nann,3,0,3,4\nbob,2,1,3,4\n",
                  "want.csv": "# comment\nstudent,01-a,02-b,total,max\nann,max,0,*,*\nbob,max-2,*,*,*\nzed,0,0,*,*\n"})
        checks = S.Checks()
        with redirect_stdout(io.StringIO()) as out:
            S.compare_gradebook(checks, d, os.path.join(d, "want.csv"))
        self.assertEqual((checks.ok, checks.bad), (1, 1))
        self.assertIn("FAIL bob: 01-a: 2, expected 1 (max-2)", out.getvalue())


class Logs(unittest.TestCase):
    def test_a_lessons_part_of_a_log(self):
        log = "head\n\n==== 01-a\ntook x\nscore: 1/2\n\n==== 02-b\nnot run: y\n"
        self.assertEqual(S.lesson_part(log, "01-a"), "took x\nscore: 1/2\n")
        self.assertEqual(S.lesson_part(log, "02-b"), "not run: y\n")

    def test_hang_all_waits_in_every_function(self):
        out = S.hang_all(b"int f(void)\n{\n    return 0;\n}\n").decode()
        self.assertIn("{\n    static pthread_mutex_t hang_m", out)
        self.assertIn("pthread_cond_wait(&hang_c, &hang_m);\n    return 0;", out)


if __name__ == "__main__":
    unittest.main()
