"""One grading run: the pristine parts built once, the reference answers run
under the limits (they give each lesson's tests and their cap), then every
submission built and run, GRADE_JOBS jobs at a time, each job in a slot of
its own (one user each when root). A fault of the grader itself (the workbook
not building, a tool missing, the reference answer failing under the limits)
stops grading with status 3: it is never recorded as a student's score.

Each test's time limit is capped, per lesson, at the least of
GRADE_TEST_SECONDS, twice that, four times that... under half of which the
reference answer passes all of the lesson's tests."""
import collections
import fcntl
import glob
import os
import shutil
import subprocess
import tempfile
import threading
import traceback

from . import build as B
from .checkrun import Runner, TIMED_OUT, cap_text, how_it_ended, read_check_xml
from .model import Fault, Usage, exercise_files, exercise_lessons, read_facts, tsan_lessons, tsan_policy
from .sandbox import Sandbox

TOOLS = ["make", "nm", "objdump", "readelf", "objcopy", "timeout", "pkill", "pgrep", "ps", "pkg-config"]


def say(text):
    print(text, flush=True)


def capture(argv):
    return subprocess.run(argv, capture_output=True, text=True).stdout.strip()


def committed(root, path):
    """A file as git's HEAD holds it (as on disk where there is no git)."""
    r = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=root, capture_output=True)
    if r.returncode == 0:
        return r.stdout
    with open(os.path.join(root, path), "rb") as f:
        return f.read()


class Context:
    """What every job of a grading run shares."""

    def __init__(self, root, settings):
        self.root, self.s = root, settings
        self.cc = settings.cc or "cc"
        self.work = f"{settings.build}/grade/work"
        self.tsan_build = f"{settings.build}/tsan"
        self.facts = read_facts(root)
        self.tsan_cflags, self.tsan_env = tsan_policy(self.facts)
        self.lessons = exercise_lessons(root, settings.lessons)
        if not self.lessons:
            raise Usage(f"no lesson to grade (GRADE_LESSONS='{settings.lessons}')")
        self.files = {l: exercise_files(root, l) for l in self.lessons}
        self.names, self.api, self.cap_ms, self.tsan_cap_ms = {}, {}, {}, {}
        self.tsan, self.not_graded, self.tsan_note = [], [], ""
        self.runroot = None
        self.box = Sandbox(settings)

    def api_file(self, lesson):
        return f"{self.work}/ref/{lesson}.api"

    def preflight(self):
        for t in TOOLS + [self.cc] + (["setpriv"] if self.box.root else []):
            if not shutil.which(t):
                raise Fault(f"the grader needs '{t}', which is not installed")
        if subprocess.run(["pkg-config", "--exists", "check"]).returncode:
            raise Fault("the tests need the Check framework and pkg-config (make test installs them, or: "
                        "sudo apt-get install check pkg-config)")

    def setup(self):
        """Everything before the first job: users, the screen, the pristine build."""
        self.preflight()
        self.runroot = tempfile.mkdtemp(prefix="workbook-grade.", dir="/tmp")
        os.chmod(self.runroot, 0o711)
        users = self.box.claim_uids() if self.box.root else [self.box.me]
        os.makedirs(f"{self.work}/ref", exist_ok=True)
        with open(f"{self.work}/users", "w") as f:
            f.write(" ".join(map(str, users)) + "\n")
        self.screen = B.Screen(self.root, self.cc)
        # (GCC_PCH=: a student's file is compiled from its own includes, never
        # through the build's precompiled copy of spy_hook.h, which the screen
        # would take for a header outside the workbook's)
        self.make_args = [f"BUILD={self.s.build}", "NO_DEMOS=1", "GCC_PCH=",
                          "CHECK_CFLAGS=" + capture(["pkg-config", "--cflags", "check"]),
                          "CHECK_LIBS=" + capture(["pkg-config", "--libs", "check"])]
        if self.s.cc:
            self.make_args.append(f"CC={self.s.cc}")
        self.builder = B.Builder(self.root, self.s, self.box, self.runroot, self.make_args)
        self.builder.compile_tree()
        self.runner = Runner(self.box, self.s, self.runroot, self.tsan_env)

    def pristine(self, build, args, cflags, lessons, what):
        """The reference answers' test programs (and with them the test objects,
        the harness and libcommon); their parts, never rebuilt while grading."""
        bins = []
        for l in lessons:
            d = f"{build}/sets/solution/{l}"
            os.makedirs(d, exist_ok=True)
            for f in self.files[l]:
                src, dst = f"solutions/{l}/{f}", f"{d}/{f}"
                if not os.path.exists(dst) or open(src, "rb").read() != open(dst, "rb").read():
                    shutil.copyfile(src, dst)
            bins.append(f"{d}/test")
        r = subprocess.run(["make", "--no-print-directory", "-s", f"-j{self.s.jobs}"] + args + [f"CFLAGS={cflags}"]
                           + bins, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, errors="replace")
        if r.returncode:
            tail = "\n".join(r.stdout.splitlines()[-5:])
            raise Fault(f"{what}: {tail}")
        old = glob.glob(f"{build}/obj/tests/harness/*.o") + [f"{build}/libcommon.a"] + \
            glob.glob(f"{build}/obj/common/*.o") + \
            [f"{build}/obj/tests/test_{l.replace('-', '_')}.o" for l in lessons]
        return [a for o in old for a in ("-o", o)]

    def tsan_works(self):
        """Whether a ThreadSanitizer program starts here, built and run as a
        test under it is (the slot's user, its limits); GRADE_NO_TSAN=1 says no."""
        if self.s.no_tsan:
            return False
        src = os.path.join(self.runroot, "tsan.c")
        with open(src, "w") as f:
            f.write("int main(void) { return 0; }\n")
        exe = os.path.join(self.runroot, "tsan")
        if subprocess.run([self.cc, "-fsanitize=thread", src, "-o", exe], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode:
            return False
        os.chmod(exe, 0o755)
        return self.box.run(0, 60, self.runroot, [exe], mem_mb=0, guard_mb=self.s.memory_mb).rc == 0

    def build_pristine(self):
        self.builder.pristine_old = self.pristine(self.s.build, self.make_args, self.s.cflags, self.lessons,
                                                  "the workbook itself does not build (run make test)")
        tsan = tsan_lessons(self.root, self.lessons, self.facts)
        if tsan and not self.tsan_works():
            # Fails closed: those lessons are not graded, unless the instructor says so.
            if self.s.without_tsan:
                self.tsan_note = ("graded WITHOUT ThreadSanitizer (GRADE_WITHOUT_TSAN=1; it cannot run here): "
                                  f"{', '.join(tsan)}; a race no pthread call brackets goes unseen there")
            else:
                self.not_graded = tsan
            tsan = []
        self.tsan = tsan
        self.tsan_args = self.make_args + [f"BUILD={self.tsan_build}"]
        if tsan:
            self.tsan_old = self.pristine(self.tsan_build, self.tsan_args, self.tsan_cflags, tsan,
                                          "the workbook does not build for ThreadSanitizer (run make tsan)")
        self.stubs = {l: {f: committed(self.root, f"lessons/{l}/{f}") for f in self.files[l]} for l in self.lessons}
        for l in self.lessons:
            # What the tests call: the names an exercise must define, and the only ones it keeps global.
            calls = {line.split()[0] for line in capture(["nm", "-P", "-u", self.test_object(l)]).splitlines()}
            objs = glob.glob(f"{self.s.build}/sets/solution/{l}/*.o")
            defined = {f[0] for f in (line.split() for line in capture(["nm", "-P", "-g", "--defined-only"] + objs)
                                      .splitlines()) if len(f) > 1}
            self.api[l] = sorted(calls & defined)
            if not self.api[l]:
                raise Fault(f"the tests of {l} call nothing that solutions/{l} defines")
            with open(self.api_file(l), "w") as f:
                f.write("".join(n + "\n" for n in self.api[l]))

    def test_object(self, lesson):
        return f"{self.s.build}/obj/tests/test_{lesson.replace('-', '_')}.o"

    def reference(self, slot, lesson):
        """The reference answer's run gives the lesson's tests and their cap."""
        self.box.slot_user(slot)
        binary = f"{self.s.build}/sets/solution/{lesson}/test"
        self.cap_ms[lesson], self.names[lesson] = self.ref_cap(slot, lesson, binary, self.s.test_ms, False)
        if lesson in self.tsan:
            binary = f"{self.tsan_build}/sets/solution/{lesson}/test"
            self.tsan_cap_ms[lesson], _ = self.ref_cap(slot, lesson, binary, self.cap_ms[lesson], True)

    def ref_cap(self, slot, lesson, binary, ms, tsan):
        """The least cap, from ms up, with which the reference answer passes every
        test in half of it. Any other failure under the limits is the grader's fault."""
        how = " under ThreadSanitizer" if tsan else ""
        jd = f"{self.work}/ref/{lesson}" + ("/tsan" if tsan else "")
        while True:
            shutil.rmtree(jd, ignore_errors=True)
            ran = self.runner.run(slot, binary, 240, jd, ms // 2, tsan)
            results = read_check_xml(f"{jd}/results.xml")
            if not results:
                raise Fault(f"the tests of {lesson} ran none{how} under the grader's limits "
                            f"({how_it_ended(ran, 240, self.s.memory_mb)})")
            slow = False
            for res, name, msg, _ in results:
                if res == "success":
                    continue
                if not msg.startswith(TIMED_OUT):
                    raise Fault(f"the reference answer solutions/{lesson} fails {name}{how} under the grader's "
                                f"limits ({msg}): the workbook or the limits are broken")
                slow = True
            if not slow:
                return ms, [r[1] for r in results]
            ms *= 2
            if ms > 60000:
                raise Fault(f"the reference answer of {lesson} does not pass its tests{how} with 30 s a test "
                            "under the limits")

    def limits_text(self):
        caps = sorted(self.cap_ms.values())
        text = cap_text(caps[0]) + ("" if caps[0] == caps[-1] else " to " + cap_text(caps[-1]))
        s = self.s
        out = (f"limits: {text} s a test (by lesson; a test that ran out of time runs again with 3 times that), "
               f"{s.student_seconds} s a submission, {s.memory_mb} MB of address space, {s.processes} processes "
               f"and threads, {s.open_files} open files, {s.cpu_seconds} s of CPU a process")
        out += f"; run as users {' '.join(map(str, self.box.slot_uid))}" if self.box.root else \
            f"; run as user {self.box.me}"
        out += ", in PID namespaces" if self.box.ns else ", in sessions of their own"
        if self.tsan:
            out += (f"\nunder ThreadSanitizer too: {', '.join(self.tsan)} (a test passes only if it passes both "
                    f"runs; there, {s.memory_mb} MB of memory in all instead of the address-space limit)")
        if self.not_graded:
            out += (f"\nNOT GRADED: {', '.join(self.not_graded)}, which the grader runs under ThreadSanitizer too: it "
                    "cannot run here (a race no pthread call brackets would go unseen; GRADE_WITHOUT_TSAN=1 grades "
                    "them without it)")
        if self.tsan_note:
            out += "\nWARNING: " + self.tsan_note
        return out

    def close(self):
        self.box.close()
        if self.runroot:
            shutil.rmtree(self.runroot, ignore_errors=True)


class Pool:
    """GRADE_JOBS workers, worker i in slot i; a job returns the jobs it adds
    (they go first). The first fault stops every worker from taking more."""

    def __init__(self, jobs):
        self.jobs, self.cond = jobs, threading.Condition()
        self.first, self.later = collections.deque(), collections.deque()
        self.active, self.fault = 0, None

    def run(self, jobs):
        self.later.extend(jobs)
        workers = [threading.Thread(target=self.worker, args=(s,), daemon=True) for s in range(self.jobs)]
        for w in workers:
            w.start()
        for w in workers:
            while w.is_alive():
                w.join(0.5)
        if self.fault:
            raise Fault(self.fault)

    def worker(self, slot):
        while True:
            with self.cond:
                while not (self.fault or self.first or self.later or self.active == 0):
                    self.cond.wait()
                if self.fault or not (self.first or self.later):
                    self.cond.notify_all()
                    return
                job = (self.first or self.later).popleft()
                self.active += 1
            more = []
            try:
                more = job(slot) or []
            except Fault as e:
                self.fault = self.fault or str(e)
            except Exception:
                self.fault = self.fault or "a grading job failed:\n" + traceback.format_exc()
            with self.cond:
                self.active -= 1
                self.first.extend(more)
                self.cond.notify_all()


def lock(build):
    os.makedirs(f"{build}/grade", exist_ok=True)
    fd = os.open(f"{build}/grade/.lock", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise Usage(f"another grading runs in {build}/grade: wait for it, or use another BUILD")
    return fd
