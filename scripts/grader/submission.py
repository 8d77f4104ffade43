"""One submission's jobs: take its exercise files, build and screen them (one
compile and one link for all of its lessons), then run each lesson's tests
(and, for the lessons graded under ThreadSanitizer, once more from that build:
a test passes only if it passes both)."""
import os
import shutil
import time

from . import build as B
from .checkrun import Test, lesson_seconds, cap_text, merge_again, merge_tsan, read_check_xml, timed_out
from .model import STATUS, Fault, same_text

NOT_GRADED = STATUS["nottsan"]
from .reports import Lesson


def not_run(names, status, reason):
    return Lesson(status=status, reason=reason, tests=[Test(t, "notrun", "not run: " + reason) for t in names])


def find_file(src, lesson, f):
    """Where a submission holds an exercise file: lessons/<lesson>/f, <lesson>/f or f."""
    for where in (f"lessons/{lesson}/{f}", f"{lesson}/{f}", f):
        if os.path.lexists(os.path.join(src, where)):
            return where
    return None


class Submission:
    def __init__(self, ctx, student):
        self.ctx, self.st = ctx, student
        self.tag = "class-" + student.safe
        self.dir = os.path.join(ctx.work, "s", student.safe)
        self.lessons = {}
        self.start = self.deadline = 0.0
        self.build_log = ""

    def set_dir(self, lesson, tsan=False):
        return self.ctx.builder.set_dir(self.tag, lesson, self.ctx.tsan_build if tsan else None)

    def take(self, lesson):
        """Copy the lesson's files into the student's set; False (and the lesson
        says why) when one is missing, not a plain file, or too large."""
        c, names = self.ctx, self.ctx.names[lesson]
        for f in c.files[lesson]:
            where = find_file(self.st.src, lesson, f)
            if where is None:
                self.lessons[lesson] = not_run(names, "missing", f"{f} is missing: the submission has no "
                                                                 f"lessons/{lesson}/{f} (nor {lesson}/{f}, nor {f})")
                return False
            path = os.path.join(self.st.src, where)
            if os.path.islink(path) or not os.path.isfile(path):
                self.lessons[lesson] = not_run(names, "refused", f"{where} is not a plain file (a link, say): "
                                                                 "only plain files are taken")
                return False
            if os.path.getsize(path) > c.s.source_kb * 1024:
                self.lessons[lesson] = not_run(names, "refused", f"{where} is larger than {c.s.source_kb} KB")
                return False
            shutil.copyfile(path, os.path.join(self.set_dir(lesson), f))
            self.lessons[lesson].log.append(f"took {where}")
        return True

    def objects(self, lesson):
        return [f"{self.set_dir(lesson)}/{f[:-2]}.o" for f in self.ctx.files[lesson]]

    def build(self, slot):
        """Take, compile, screen and link every lesson; the lessons whose tests may run."""
        c = self.ctx
        c.box.slot_user(slot)
        self.start = time.monotonic()
        self.deadline = self.start + c.s.student_seconds
        for d in (self.dir, f"{c.s.build}/sets/{self.tag}", f"{c.tsan_build}/sets/{self.tag}"):
            shutil.rmtree(d, ignore_errors=True)
        taken = []
        for l in c.lessons:
            os.makedirs(self.set_dir(l))
            self.lessons[l] = Lesson()
            if l in c.not_graded:
                self.refuse(l, "nottsan", NOT_GRADED + " (the grader runs this lesson's tests under it too)")
            elif self.take(l):
                if all(same_text(open(f"{self.set_dir(l)}/{f}", "rb").read(), c.stubs[l][f]) for f in c.files[l]):
                    self.refuse(l, "notstarted", "not started: " + " ".join(c.files[l]) +
                                (" is" if len(c.files[l]) == 1 else " are") + " the stub as committed")
                else:
                    taken.append(l)
        t0 = time.monotonic()
        text = c.builder.compile_set(slot, self.tag, taken, c.files)[1] if taken else ""
        t1 = time.monotonic()
        facts = B.elf_facts(c.root, [o for l in taken for o in self.objects(l) if os.path.exists(o)])
        built = []
        for l in taken:
            res, objs, set_dir = self.lessons[l], self.objects(l), self.set_dir(l)
            part = B.lesson_part(text, set_dir, f"{c.s.build}/sets/{self.tag}")
            lesson_facts = facts
            if not all(os.path.exists(o) for o in objs):
                # Alone, for its own message (and in case the batch ran out of time).
                rc, part = c.builder.compile_set(slot, self.tag, [l], c.files)
                if rc:
                    msg = B.compiler_text(part, set_dir)
                    if not c.builder.probe_reference(slot, l, c.files[l], "compile"):
                        raise Fault(f"even the reference answer of {l} does not compile here: {msg}")
                    self.lessons[l] = not_run(c.names[l], "compile", f"{' '.join(c.files[l])} does not compile; "
                                                                     f"the compiler says:\n{msg}")
                    self.lessons[l].log = res.log
                    continue
                lesson_facts = B.elf_facts(c.root, objs)
            if part.strip():
                res.log.append("the compiler warns:\n" + B.compiler_text(part, set_dir))
            if c.s.screen:
                why = c.screen.check(objs, lesson_facts)
                if why:
                    self.refuse(l, "refused", "refused before it ran:\n" + "\n".join(why))
                    continue
            defined = {n for o, k, n in lesson_facts if k == "defines" and o in objs}
            missing = [n for n in c.api[l] if n not in defined]
            if missing:
                self.refuse(l, "link", "it does not define " + " ".join(f"{n}()" for n in missing) +
                            ", which the tests call")
                continue
            # The names it defines beyond what the tests call become local: its own
            # fprintf (say) cannot replace the one Check's runner writes results with.
            if len([n for o, k, n in lesson_facts if k == "defines" and o in objs]) > len(c.api[l]):
                c.builder.keep_global(objs, c.api_file(l))
            built.append(l)
        t2 = time.monotonic()
        if built:
            c.builder.link_set(self.tag, built)
        runnable = []
        for l in built:
            set_dir = self.set_dir(l)
            if not os.access(f"{set_dir}/test", os.X_OK):
                rc, text = c.builder.link_set(self.tag, [l])
                if rc:
                    msg = B.compiler_text(text, set_dir)
                    if not c.builder.probe_reference(slot, l, c.files[l], "link"):
                        raise Fault(f"even the reference answer of {l} does not link here: {msg}")
                    self.refuse(l, "link", "it does not link; the linker says:\n" + msg)
                    continue
            if l in c.tsan:
                ok, text = c.builder.tsan_build(slot, self.tag, l, c.files[l], c.api_file(l), c.tsan_args,
                                                c.tsan_old, c.tsan_cflags)
                if not ok:
                    self.refuse(l, "link", "it does not build for ThreadSanitizer, which grades this lesson "
                                           "too:\n" + B.compiler_text(text, set_dir))
                    continue
            runnable.append(l)
        t3 = time.monotonic()
        self.build_log = (f"built: {len(taken)} files compiled in {int((t1 - t0) * 1000)} ms, screened in "
                          f"{int((t2 - t1) * 1000)} ms, linked in {int((t3 - t2) * 1000)} ms")
        return runnable

    def refuse(self, lesson, status, reason):
        log = self.lessons[lesson].log
        self.lessons[lesson] = not_run(self.ctx.names[lesson], status, reason)
        self.lessons[lesson].log = log

    def seconds_left(self, secs):
        return min(secs, int(self.deadline - time.monotonic()))

    def run(self, slot, lesson):
        """Run a built lesson's tests."""
        c = self.ctx
        c.box.slot_user(slot)
        res, jd, cap = self.lessons[lesson], os.path.join(self.dir, lesson), c.cap_ms[lesson]
        names = c.names[lesson]
        secs = self.seconds_left(lesson_seconds(len(names), cap))
        if secs <= 0:
            self.refuse(lesson, "budget", f"the submission used up its {c.s.student_seconds} s before this "
                                          "lesson's tests ran")
            return
        t0 = time.monotonic()
        binary = f"{self.set_dir(lesson)}/test"
        ran, tests = c.runner.tests(slot, names, binary, secs, jd, cap)
        if not read_check_xml(os.path.join(jd, "results.xml")) and ran.rc not in (0, 1):
            # No report at all: the reference must still run here, or the fault is the grader's.
            probe = os.path.join(jd, "probe")
            c.runner.run(slot, f"{c.s.build}/sets/solution/{lesson}/test", 120, probe)
            if not any(r[0] == "success" for r in read_check_xml(os.path.join(probe, "results.xml"))):
                raise Fault(f"the test program of {lesson} no longer runs, even with the reference answer")
            shutil.rmtree(probe)
        res.tests = self.again(slot, lesson, tests, binary, cap, jd, False)
        res.output = ran.output
        res.seconds = time.monotonic() - t0
        res.log.append(f"tests ran in {int((time.monotonic() - t0) * 1000)} ms ({cap_text(cap)} s a test, "
                       f"{secs} s in all)")
        if lesson in c.tsan:
            self.run_tsan(slot, lesson)

    def again(self, slot, lesson, tests, binary, cap, jd, tsan):
        """The tests that ran out of time run once more with three times the cap
        (unless all of the lesson's did), and their second result counts."""
        n = sum(timed_out(t) for t in tests)
        if n == 0 or n >= len(tests):
            return tests
        cap *= 3
        secs = self.seconds_left(lesson_seconds(len(tests), cap * 4 if tsan else cap))
        if secs <= 0:
            return tests
        _, again = self.ctx.runner.tests(slot, self.ctx.names[lesson], binary, secs, os.path.join(jd, "retry"),
                                         cap, tsan)
        self.lessons[lesson].log.append(f"{n} test(s) ran out of time and ran once more with {cap_text(cap)} s each")
        return merge_again(tests, again)

    def run_tsan(self, slot, lesson):
        """The lesson's second run, under ThreadSanitizer, when the first passed a test."""
        c, res = self.ctx, self.lessons[lesson]
        if not any(t.passed for t in res.tests):
            return
        cap, names = c.tsan_cap_ms[lesson], c.names[lesson]
        secs = self.seconds_left(lesson_seconds(len(names), cap * 4))
        if secs <= 0:
            self.refuse(lesson, "budget", f"the submission used up its {c.s.student_seconds} s before this "
                                          "lesson's tests ran under ThreadSanitizer")
            return
        t0 = time.monotonic()
        jd = os.path.join(self.dir, lesson, "tsan")
        binary = f"{self.set_dir(lesson, True)}/test"
        ran, tests = c.runner.tests(slot, names, binary, secs, jd, cap, True)
        tests = self.again(slot, lesson, tests, binary, cap, jd, True)
        res.tests, more = merge_tsan(res.tests, tests)
        res.log.append(f"the same tests under ThreadSanitizer ran in {int((time.monotonic() - t0) * 1000)} ms: "
                       f"{more} more failed there")
        if ran.output:
            res.output += b"--- what the tests printed under ThreadSanitizer:\n" + ran.output
