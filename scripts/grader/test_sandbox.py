"""Unit tests of sandbox.py: a run's status, output, limits and memory guard."""
import os
import shutil
import tempfile
import unittest

from grader.model import Settings
from grader.sandbox import Sandbox, tree_rss_kb


@unittest.skipUnless(shutil.which("timeout") and shutil.which("pkill"), "needs coreutils and procps")
class Run(unittest.TestCase):
    def setUp(self):
        self.box = Sandbox(Settings(jobs=1))
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def run_sh(self, script, secs=10, **kw):
        return self.box.run(0, secs, self.dir, ["sh", "-c", script], **kw)

    def test_status_and_output(self):
        r = self.run_sh("echo hi; echo err >&2; exit 3")
        self.assertEqual((r.rc, r.output), (3, b"hi\nerr\n"))

    def test_it_runs_in_its_folder_under_the_limits(self):
        r = self.run_sh("pwd; ulimit -n; ulimit -c", mem_mb=512)
        self.assertEqual(r.output.decode().split(), [os.path.realpath(self.dir), "128", "0"])

    def test_the_wall_time_limit_kills(self):
        r = self.run_sh("sleep 30", secs=1)
        self.assertEqual(r.rc, 137)
        self.assertLess(r.ms, 10000)

    def test_output_is_kept_up_to_the_limit(self):
        r = self.run_sh("head -c 300000 /dev/zero", out_kb=4)
        self.assertEqual((r.rc, len(r.output)), (0, 4096))

    def test_the_memory_guard_stops_a_run_that_holds_too_much(self):
        r = self.run_sh("sleep 5", mem_mb=0, guard_mb=1)
        self.assertTrue(r.memory)
        self.assertNotEqual(r.rc, 0)

    def test_nothing_outlives_a_run_in_a_pid_namespace(self):
        if not self.box.ns:
            self.skipTest("no PID namespaces here")
        marker = os.path.join(self.dir, "left")
        self.run_sh(f"(sleep 1; touch {marker}) & exit 0")
        import time
        time.sleep(1.5)
        self.assertFalse(os.path.exists(marker))


class Rss(unittest.TestCase):
    def test_a_tree_of_this_process(self):
        self.assertIsInstance(tree_rss_kb(os.getpid()), dict)


if __name__ == "__main__":
    unittest.main()
