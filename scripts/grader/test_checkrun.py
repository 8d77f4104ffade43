"""Unit tests of checkrun.py."""
import os
import tempfile
import unittest

from grader import checkrun as C
from grader.sandbox import Result

XML = """<?xml version="1.0"?>
<?xml-stylesheet type="text/xsl" href="http://check.sourceforge.net/xml/check_unittest.xslt"?>
<testsuites xmlns="http://check.sourceforge.net/ns">
  <suite><title>exercise</title>
    <test result="success"><id>a</id><duration>0.250000</duration><message>Passed</message></test>
    <test result="failure"><id>b</id><duration>-1.000000</duration><message>x is 1 &amp; y &lt; 2&#xA;more</message></test>
    <test result="error"><id>c</id><message>Received signal 11</message></test>
"""


def xml_file(text):
    fd, path = tempfile.mkstemp(suffix=".xml")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


class ReadXml(unittest.TestCase):
    def test_a_whole_file(self):
        got = C.read_check_xml(xml_file(XML + "  </suite>\n</testsuites>\n"))
        self.assertEqual(got, [("success", "a", "Passed", 0.25), ("failure", "b", "x is 1 & y < 2\nmore", 0.0),
                               ("error", "c", "Received signal 11", 0.0)])

    def test_a_file_cut_short_gives_its_whole_tests(self):
        got = C.read_check_xml(xml_file(XML + "    <test result=\"success\"><id>d</id><mess"))
        self.assertEqual([g[1] for g in got], ["a", "b", "c"])

    def test_no_file_or_garbage_gives_nothing(self):
        self.assertEqual(C.read_check_xml("/nonexistent.xml"), [])
        self.assertEqual(C.read_check_xml(xml_file("<<<")), [])


class Tests(unittest.TestCase):
    def test_each_test_of_the_lesson_once(self):
        results = [("success", "a", "Passed", 0.1), ("failure", "b", "no", 0), ("success", "b", "Passed", 0),
                   ("success", "x", "Passed", 0)]
        got = C.tests_of_run(["a", "b", "c"], results, lambda: "it crashed")
        self.assertEqual([(t.name, t.outcome) for t in got], [("a", "pass"), ("b", "fail"), ("c", "notrun")])
        self.assertIn("names this test 2 times", got[1].message)
        self.assertEqual(got[2].message, "not run: it crashed")

    def test_how_a_run_ended(self):
        self.assertIn("ran out of time", C.how_it_ended(Result(137, b"", 17000, False), 17, 2048))
        self.assertIn("signal 11 (SEGV)", C.how_it_ended(Result(139, b"", 100, False), 17, 2048))
        self.assertIn("more than 2048 MB", C.how_it_ended(Result(137, b"", 100, True), 17, 2048))
        self.assertIn("without reporting", C.how_it_ended(Result(1, b"", 100, False), 17, 2048))

    def test_a_second_run_counts_only_for_timeouts(self):
        first = [C.Test("a", "fail", C.TIMED_OUT + "0.5 s"), C.Test("b", "fail", "wrong")]
        again = [C.Test("a", "pass"), C.Test("b", "pass")]
        self.assertEqual([t.outcome for t in C.merge_again(first, again)], ["pass", "fail"])

    def test_threadsanitizer_fails_what_passed(self):
        plain = [C.Test("a", "pass"), C.Test("b", "pass"), C.Test("c", "fail", "no")]
        tsan = [C.Test("a", "fail", "ThreadSanitizer: data race"), C.Test("b", "fail", "x"), C.Test("c", "pass")]
        merged, more = C.merge_tsan(plain, tsan)
        self.assertEqual(more, 2)
        self.assertEqual([t.message for t in merged], ["ThreadSanitizer: data race", "under ThreadSanitizer: x", "no"])

    def test_limits(self):
        self.assertEqual(C.lesson_seconds(6, 500), 17)
        self.assertEqual([C.cap_text(ms) for ms in (250, 500, 2000, 1500)], ["0.25", "0.5", "2", "1.5"])


if __name__ == "__main__":
    unittest.main()
