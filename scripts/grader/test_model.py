"""Unit tests of model.py (python3 -m unittest, from scripts/)."""
import os
import tempfile
import unittest
from decimal import Decimal

from grader import model


def tree(files):
    d = tempfile.mkdtemp()
    for path, text in files.items():
        os.makedirs(os.path.join(d, os.path.dirname(path)), exist_ok=True)
        with open(os.path.join(d, path), "w") as f:
            f.write(text)
    return d


class Lessons(unittest.TestCase):
    def setUp(self):
        self.root = tree({"lessons/01-a/README.md": "", "solutions/01-a/x.c": "", "solutions/01-a/y.c": "",
                          "lessons/02-b/README.md": "", "lessons/15-c/README.md": "", "solutions/15-c/z.c": ""})

    def test_lessons_with_an_exercise_come_from_the_folders(self):
        self.assertEqual(model.exercise_lessons(self.root), ["01-a", "15-c"])
        self.assertEqual(model.exercise_files(self.root, "01-a"), ["x.c", "y.c"])

    def test_grade_lessons_takes_folders_or_numbers(self):
        self.assertEqual(model.exercise_lessons(self.root, "15"), ["15-c"])
        self.assertEqual(model.exercise_lessons(self.root, "01-a, 15-c"), ["01-a", "15-c"])
        self.assertEqual(model.exercise_lessons(self.root, "02-b"), [])

    def test_tsan_policy_is_the_makefiles(self):
        facts = [("*", "tsan.cflags", "-O1 -fsanitize=thread"), ("*", "tsan.options", "a=1"),
                 ("*", "tsan.timeout_multiplier", "4"), ("01-a", "demos", "x")]
        self.assertEqual(model.tsan_policy(facts),
                         ("-O1 -fsanitize=thread", ["TSAN_OPTIONS=a=1", "CK_TIMEOUT_MULTIPLIER=4"]))
        with self.assertRaises(model.Fault):
            model.tsan_policy(facts[1:])

    def test_tsan_lessons_are_those_the_model_names(self):
        facts = [("01-a", "demos", "x"), ("15-c", "tsan", "why"), ("02-b", "tsan", "why")]
        self.assertEqual(model.tsan_lessons(self.root, ["01-a", "15-c"], facts), ["15-c"])
        self.assertEqual(model.tsan_lessons(self.root, ["01-a"], facts), [])


class Weights(unittest.TestCase):
    def weights(self, text, checked=None):
        d = tree({"w.tsv": text})
        return model.load_weights(os.path.join(d, "w.tsv"), {"01-a": ["t1", "t2"]}, checked)

    def test_default_is_one_visible_point(self):
        w = self.weights("# nothing\n")
        self.assertEqual(w[("01-a", "t1")], model.Weight(Decimal(1), "visible"))

    def test_decimal_points_and_visibility(self):
        w = self.weights("01-a\tt1\t2.5\thidden\n01-a\tt2\t0\n")
        self.assertEqual(w[("01-a", "t1")], model.Weight(Decimal("2.5"), "hidden"))
        self.assertEqual(w[("01-a", "t2")].points, 0)

    def test_bad_lines_are_the_graders_fault(self):
        for text in ("01-a\tt3\t1\n", "01-a\tt1\tthree\n", "01-a\tt1\t1\tsecret\n", "01-a t1 1\n"):
            with self.assertRaises(model.Fault, msg=text):
                self.weights(text)

    def test_a_lesson_left_out_is_not_checked(self):
        self.weights("09-z\tt\t1\n", checked={"01-a"})

    def test_points_print_without_noise(self):
        self.assertEqual(model.text_points(Decimal("3.0")), "3")
        self.assertEqual(model.text_points(Decimal("2.50")), "2.5")
        self.assertEqual(model.number(Decimal("0.1") + Decimal("0.2")), 0.3)


class Students(unittest.TestCase):
    def test_safe_names_are_unique_and_not_hidden(self):
        self.assertEqual(model.safe_names(["a b", "a_b", ".x", "é", "-2+3"]), ["a_b", "a_b-2", "_x", "_", "_2_3"])

    def test_a_class_folder_says_what_it_did_not_take(self):
        d = tree({"ann/squares.c": "", ".git/HEAD": "", "notes.txt": ""})
        students, skipped = model.class_students(d)
        self.assertEqual([s.name for s in students], ["ann"])
        self.assertEqual([e for e, _ in skipped], [".git", "notes.txt"])


class Stubs(unittest.TestCase):
    def test_the_stub_with_other_line_ends_is_still_the_stub(self):
        self.assertTrue(model.same_text(b"int f(void)\n{\n}\n", b"int f(void)\r\n{  \r\n}\r\n\r\n"))
        self.assertFalse(model.same_text(b"int f(void)\n{\n}\n", b"int f(void)\n{ return 1; }\n"))


class Settings(unittest.TestCase):
    def test_defaults_and_bad_values(self):
        s = model.Settings.from_env({})
        self.assertEqual((s.jobs, s.test_ms, s.screen), (2, 500, True))
        self.assertEqual(model.Settings.from_env({"GRADE_TEST_SECONDS": "0.25"}).test_ms, 250)
        for env in ({"GRADE_JOBS": "0"}, {"GRADE_TEST_SECONDS": "0.05"}, {"GRADE_MEMORY_MB": "lots"}):
            with self.assertRaises(model.Usage):
                model.Settings.from_env(env)


if __name__ == "__main__":
    unittest.main()
