"""Running a lesson's tests and reading what Check's runner wrote.

A test's result comes only from the XML file that Check's runner process (the
workbook's pristine code) writes, never from what the tests print. A test the
file does not name did not run, and says why (the limits, a signal, the end of
the program). Each test's time limit is capped (WORKBOOK_TEST_LIMIT); the tests
that ran out of time run once more with three times the cap, unless every test
of the lesson did, and their second result counts.
"""
import os
import re
import shutil
import signal
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .model import Fault

TIMED_OUT = "the test did not finish within "


@dataclass
class Test:
    name: str
    outcome: str            # pass, fail (Check: failure or error), notrun
    message: str = ""
    seconds: float = 0.0    # Check's duration (0 when it measured none)
    check: str = ""         # Check's result: success, failure (an assertion) or error (a crash, an exit)

    @property
    def passed(self):
        return self.outcome == "pass"


def read_check_xml(path):
    """[(result, id, message, seconds)] of Check's XML (result: success,
    failure or error). A file cut short (the runner was killed while writing)
    gives the tests it holds whole."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return []
    text = re.sub(r"<\?xml[^>]*\?>", "", text)
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        end = text.rfind("</test>")
        if end < 0:
            return []
        try:
            root = ET.fromstring(text[:end + 7] + "</suite></testsuites>")
        except ET.ParseError:
            return []
    out = []
    for test in root.iter():
        if test.tag.rsplit("}", 1)[-1] != "test":
            continue
        fields = {c.tag.rsplit("}", 1)[-1]: (c.text or "") for c in test}
        try:
            secs = max(0.0, float(fields.get("duration", "0")))
        except ValueError:
            secs = 0.0
        out.append((test.get("result", ""), fields.get("id", ""), fields.get("message", ""), secs))
    return out


def signal_name(n):
    try:
        return signal.Signals(n).name[3:]
    except ValueError:
        return "?"


def how_it_ended(ran, limit, memory_mb):
    """Why tests of a run have no result (ran: the sandbox's Result)."""
    secs = f"{ran.ms // 1000}.{ran.ms % 1000 // 100}"
    if ran.memory:
        return f"the tests were stopped after {secs} s: together they held more than {memory_mb} MB of memory"
    if ran.rc in (0, 1):
        return f"the test program ended ({secs} s) without reporting this test"
    if ran.rc == 137:
        return (f"the lesson's tests ran out of time: they were stopped after {secs} s "
                f"(the limit for all of this lesson's tests is {limit} s)")
    if ran.rc > 128:
        sig = ran.rc - 128
        return f"the test program was ended by signal {sig} ({signal_name(sig)}) after {secs} s"
    return f"the test program ended with status {ran.rc} after {secs} s, before this test ran"


def tests_of_run(names, results, why):
    """Each of the lesson's tests (names, in order) from Check's results; why():
    the reason a test has none."""
    seen = {}
    for res, name, msg, secs in results:
        seen.setdefault(name, []).append((res, msg, secs))
    out = []
    for name in names:
        got = seen.get(name, [])
        if len(got) == 1:
            res, msg, secs = got[0]
            out.append(Test(name, "pass" if res == "success" else "fail", msg, secs, res))
        elif got:
            out.append(Test(name, "fail", f"the report names this test {len(got)} times: "
                                          "something wrote into it besides the test runner"))
        else:
            out.append(Test(name, "notrun", "not run: " + why()))
    return out


def timed_out(test):
    return test.outcome == "fail" and test.message.startswith(TIMED_OUT)


def merge_again(first, again):
    """The tests that ran out of time take their second run's result."""
    by = {t.name: t for t in again}
    return [by[t.name] if timed_out(t) else t for t in first]


def merge_tsan(plain, tsan):
    """A test that passed fails if it failed under ThreadSanitizer; the merged
    tests and how many more failed there."""
    by = {t.name: t for t in tsan}
    out, more = [], 0
    for t in plain:
        u = by.get(t.name)
        if t.passed and u is not None and not u.passed:
            msg = u.message if u.message.startswith("ThreadSanitizer") else "under ThreadSanitizer: " + u.message
            t = Test(t.name, "fail", msg, u.seconds)
            more += 1
        out.append(t)
    return out, more


def lesson_seconds(ntests, cap_ms):
    """The wall-time limit of all of a lesson's tests."""
    return 5 + ntests * ((cap_ms + 999) // 1000 + 1)


def cap_text(ms):
    """'0.25' for 250, '2' for 2000."""
    text = f"{ms // 1000}.{ms % 1000:03d}".rstrip("0").rstrip(".")
    return text


class Runner:
    """Runs test programs in the sandbox, in a slot's private folder."""

    def __init__(self, sandbox, settings, runroot, tsan_env):
        self.box, self.s, self.runroot, self.tsan_env = sandbox, settings, runroot, tsan_env

    def run(self, slot, binary, secs, jobdir, cap_ms=None, tsan=False):
        """Run the exercise suite; leaves jobdir/results.xml (Check's runner
        wrote it) and jobdir/output.txt (what the tests printed, never read for
        results). Returns the sandbox's Result."""
        os.makedirs(jobdir, exist_ok=True)
        home = os.path.join(self.runroot, f"slot{slot}")
        self.box.private_dir(home, slot)
        shutil.copyfile(binary, os.path.join(home, "test"))
        os.chmod(os.path.join(home, "test"), 0o755)
        env = ["env", "-i", "PATH=/usr/bin:/bin", f"HOME={home}", f"TMPDIR={home}", "LC_ALL=C",
               "CK_RUN_SUITE=exercise", "CK_FORK=yes", "CK_VERBOSITY=silent",
               f"CK_XML_LOG_FILE_NAME={home}/results.xml"]
        if cap_ms:
            env.append(f"WORKBOOK_TEST_LIMIT={cap_text(cap_ms)}")
        if tsan:
            env += self.tsan_env
        mem = 0 if tsan else self.s.memory_mb
        ran = self.box.run(slot, secs, home, env + ["./test"], mem_mb=mem, out_kb=self.s.output_kb,
                           guard_mb=self.s.memory_mb if tsan else 0)
        self.box.reap(slot)
        with open(os.path.join(jobdir, "output.txt"), "wb") as f:
            f.write(ran.output)
        xml = os.path.join(jobdir, "results.xml")
        if os.path.exists(xml):
            os.remove(xml)
        if os.path.exists(os.path.join(home, "results.xml")):
            shutil.move(os.path.join(home, "results.xml"), xml)
        if ran.rc == 125:
            raise Fault(f"the limits could not be set for user {self.box.slot_uid[slot]} (status 125)")
        return ran

    def tests(self, slot, names, binary, secs, jobdir, cap_ms, tsan=False):
        """Run and read: the lesson's tests, each with its result."""
        ran = self.run(slot, binary, secs, jobdir, cap_ms, tsan)
        results = read_check_xml(os.path.join(jobdir, "results.xml"))
        return ran, tests_of_run(names, results, lambda: how_it_ended(ran, secs, self.s.memory_mb))
