"""Unit tests of grading.py: the pool of jobs."""
import threading
import unittest

from grader.grading import Pool
from grader.model import Fault


class Pool_(unittest.TestCase):
    def test_added_jobs_go_first_and_each_worker_keeps_its_slot(self):
        order, slots, lock = [], set(), threading.Lock()

        def job(name, more=()):
            def run(slot):
                with lock:
                    order.append(name)
                    slots.add(slot)
                return [job(m) for m in more]
            return run
        Pool(1).run([job("build a", ["run a1", "run a2"]), job("build b")])
        self.assertEqual(order, ["build a", "run a1", "run a2", "build b"])
        self.assertEqual(slots, {0})

    def test_two_slots_run_at_once(self):
        both = threading.Barrier(2, timeout=5)
        Pool(2).run([lambda slot: [both.wait()] and None, lambda slot: [both.wait()] and None])

    def test_a_fault_stops_the_pool(self):
        ran = []

        def bad(slot):
            raise Fault("broken")
        with self.assertRaisesRegex(Fault, "broken"):
            Pool(1).run([bad, lambda slot: ran.append(1)])
        self.assertEqual(ran, [])

    def test_a_bug_is_a_fault_with_its_traceback(self):
        with self.assertRaisesRegex(Fault, "ZeroDivisionError"):
            Pool(1).run([lambda slot: 1 / 0])


if __name__ == "__main__":
    unittest.main()
