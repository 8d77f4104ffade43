"""Building a submission and screening what it built.

Only a submission's exercise files are taken, into build/sets/<tag>/<lesson>/,
and compiled by the slot's user with the workbook's own headers (make -k, so
one file that does not compile leaves the others compiled). Each object is
screened before anything of it runs: no constructor or destructor, no ifunc,
no system call instruction, no include outside the system's and the workbook's
headers, no name outside tests/grading/allowed-calls.txt; the global names it
defines beyond what the tests call are made local (objcopy), so it cannot
replace a function of Check or of the C library. The test programs are linked
by the grader against the pristine test objects, harness and Check.
"""
import fnmatch
import os
import re
import shutil
import subprocess

from .model import Fault, list_file

MAKE_ERROR = re.compile(r"^make(\[\d+\])?: \*\*\*")
CUT = "\n[... cut: the rest is not shown]"


def clean(data, limit=65536):
    """Bytes as valid UTF-8 text, at most limit bytes of them."""
    text = data[:limit].decode("utf-8", errors="ignore")
    return text + (CUT if len(data) > limit else "")


def compiler_text(text, set_dir):
    """The compiler's or linker's messages, with files named as the student knows them."""
    text = clean(text.encode() if isinstance(text, str) else text, 8192).replace(set_dir + "/", "")
    return "\n".join(l for l in text.splitlines() if not MAKE_ERROR.match(l))


def lesson_part(text, set_dir, tag_dir):
    """The lesson's part of one compile's messages: from a line naming a file of
    its set up to a line naming another lesson's."""
    out, on = [], False
    for line in text.splitlines():
        if tag_dir + "/" in line:
            on = set_dir + "/" in line
        if on:
            out.append(line)
    return "\n".join(out)


class Screen:
    """What a compiled exercise file may be."""

    def __init__(self, root, cc):
        self.root = root
        self.allowed_file = "tests/grading/allowed-calls.txt"
        self.allow = list_file(os.path.join(root, self.allowed_file))
        with open(os.path.join(root, "tests/harness/spy_hook.h")) as f:
            hook = f.read()
        self.spies = set(re.findall(r"\b(spy_[a-z_]*)\(", hook))
        self.redirected = set(re.findall(r"^#define ([a-z_A-Z]*)\(", hook, re.M))
        self.redirected |= set(re.findall(r"^#define (pt_fail) ", hook, re.M))
        if not self.spies or not self.redirected:
            raise Fault("cannot read the hooks in tests/harness/spy_hook.h")
        r = subprocess.run([cc, "-xc", "-E", "-v", "-"], stdin=subprocess.DEVNULL, capture_output=True, text=True)
        m = re.search(r"search starts here:\n(.*?)End of search list", r.stderr, re.S)
        self.sys_includes = [os.path.realpath(l.strip()) for l in (m.group(1).splitlines() if m else [])
                             if l.startswith(" /")]
        if not self.sys_includes:
            raise Fault(f"cannot ask {cc} where its system headers are")

    def name_allowed(self, name):
        return name in self.spies or any(fnmatch.fnmatchcase(name, p) for p in self.allow)

    def include_allowed(self, path):
        if re.fullmatch(r"(common|tests/harness)/[^/]*\.h|lessons/\d\d-[^/]*/[^/]*\.h", path):
            return True
        return any(path.startswith(d + "/") for d in self.sys_includes)

    def includes(self, depfile, source):
        """Why each file the source included is not allowed."""
        with open(depfile, errors="replace") as f:
            deps = f.read().replace("\\\n", " ").split(":", 1)[-1].split()
        out = []
        for dep in deps:
            if dep == source:
                continue
            r = dep
            if ".." in r or "./" in r or (not r.startswith("/") and not os.path.exists(os.path.join(self.root, r))):
                r = os.path.realpath(os.path.join(self.root, dep))
            if r.startswith(self.root + "/"):
                r = r[len(self.root) + 1:]
            if not self.include_allowed(r):
                out.append(f"{os.path.basename(source)} includes {r}: an exercise may include only the system's "
                           "headers and the workbook's (common/, lessons/, tests/harness/)")
        return out

    def check(self, objects, facts):
        """Why each object may not run (facts: elf_facts of them)."""
        out = []
        for o in objects:
            src = os.path.basename(o)[:-2] + ".c"
            dep = o[:-2] + ".d"
            if os.path.exists(os.path.join(self.root, dep)):
                out += self.includes(os.path.join(self.root, dep), o[:-2] + ".c")
            else:
                out.append(f"{src}: no list of its includes was made")
            for obj, kind, name in facts:
                if obj != o:
                    continue
                if kind == "section":
                    out.append(f"{src} defines a constructor or destructor (section {name}): code that runs "
                               "before or after the tests is not allowed")
                elif kind == "ifunc":
                    out.append(f"{src} defines an indirect function (ifunc) {name}, whose resolver would run "
                               "before the tests")
                elif kind == "syscall":
                    out.append(f"{src} makes a system call of its own (a syscall instruction): an exercise "
                               "uses only the C library's calls")
                elif kind == "uses" and not self.name_allowed(name):
                    if name in self.redirected:
                        out.append(f"{src} calls {name}() in a way that goes around the workbook's checks of "
                                   f"it: write a plain call, {name}(...)")
                    else:
                        out.append(f"{src} uses {name}, which an exercise may not use (see {self.allowed_file}), "
                                   "or which is defined nowhere")
        return out


SECTION = re.compile(r"^\s*\[\s*\d+\]\s*(\S+)")
CTOR = re.compile(r"(^|\.)(init_array|fini_array|preinit_array|ctors|dtors)(\.|$)")
SYSCALL = re.compile(r":\s+(syscall|sysenter|svc)(\s|$)|:\s+int\s+\$0x80")


def elf_facts(root, objects):
    """[(object, fact, name)]: "section" (a constructor's or destructor's),
    "ifunc", "uses" (an undefined name), "defines" (a global one), "syscall"."""
    if not objects:
        return []
    facts = []
    r = subprocess.run(["readelf", "-SsW"] + objects, cwd=root, capture_output=True, text=True, errors="replace")
    current = objects[0]
    for line in r.stdout.splitlines():
        if line.startswith("File: "):
            current = line[6:].strip()
            continue
        m = SECTION.match(line)
        if m:
            name = m.group(1)
            if CTOR.search(name) or name in (".init", ".fini"):
                facts.append((current, "section", name))
            continue
        f = line.split()
        if len(f) >= 8 and re.fullmatch(r"\d+:", f[0]):
            if f[3] == "IFUNC":
                facts.append((current, "ifunc", f[7]))
            if f[4] in ("GLOBAL", "WEAK"):
                facts.append((current, "uses" if f[6] == "UND" else "defines", f[7]))
    r = subprocess.run(["objdump", "-d", "--no-show-raw-insn"] + objects, cwd=root, capture_output=True, text=True,
                       errors="replace")
    for line in r.stdout.splitlines():
        m = re.match(r"^(\S+):\s+file format ", line)
        if m:
            current = m.group(1)
        elif SYSCALL.search(line):
            facts.append((current, "syscall", "-"))
    return facts


class Builder:
    """make, as the slot's user for a student's files, as the grader for the rest."""

    def __init__(self, root, settings, box, runroot, make_args):
        self.root, self.s, self.box, self.runroot = root, settings, box, runroot
        self.make_args = make_args
        self.pristine_old = []
        self.tree = root

    def compile_tree(self):
        """Where the slot's users compile: the workbook when they can read it,
        else a copy of what a compile reads (and of solutions/, so that an
        #include of it is refused by the screen, as here)."""
        self.tree = self.root
        if not self.box.root:
            return
        if subprocess.run(self.box.as_user(0, ["test", "-r", os.path.join(self.root, "Makefile")])).returncode == 0:
            return
        if os.path.isabs(self.s.build):
            raise Fault(f"the grading users cannot read {self.root}, and BUILD={self.s.build} is not a folder inside "
                        "it: use a relative BUILD, or open the checkout's parent folders to other users")
        self.tree = os.path.join(self.runroot, "tree")
        os.makedirs(os.path.join(self.tree, "tests"))
        for d in ("Makefile", "common", "lessons", "solutions", "tests/harness"):
            if subprocess.run(["cp", "-a", os.path.join(self.root, d), os.path.join(self.tree, d)]).returncode:
                raise Fault(f"cannot copy the workbook's sources to {self.tree}")
        subprocess.run(["chmod", "-R", "a+rX", self.tree])

    def make_as(self, slot, secs, dirs, args):
        """make -k as the slot's user, who may write into dirs alone, under the limits."""
        copy = self.tree != self.root
        for d in dirs:
            if copy:
                shutil.rmtree(os.path.join(self.tree, d), ignore_errors=True)
                shutil.copytree(os.path.join(self.root, d), os.path.join(self.tree, d), symlinks=True)
            self.box.chown_tree(os.path.join(self.tree, d), self.box.slot_uid[slot])
        home = os.path.join(self.runroot, f"slot{slot}")
        self.box.private_dir(home, slot)
        argv = ["env", "-i", f"PATH={os.environ.get('PATH', '/usr/bin:/bin')}", f"HOME={home}", f"TMPDIR={home}",
                "LC_ALL=C", "MAKELEVEL=1", "make", "--no-print-directory", "-s", "-k"] + args
        ran = self.box.run(slot, secs, self.tree, argv, cpu=secs, procs=64, out_kb=1024)
        self.box.reap(slot)
        for d in dirs:
            self.box.chown_tree(os.path.join(self.tree, d), 0)
            if copy:
                shutil.copytree(os.path.join(self.tree, d), os.path.join(self.root, d), symlinks=True,
                                dirs_exist_ok=True)
                shutil.rmtree(os.path.join(self.tree, d))
        return ran.rc, ran.output.decode("utf-8", errors="replace")

    def set_dir(self, tag, lesson, build=None):
        return f"{build or self.s.build}/sets/{tag}/{lesson}"

    def compile_set(self, slot, tag, lessons, files):
        """Compile the exercise files of these lessons' sets (with .d files for the screen)."""
        dirs = [self.set_dir(tag, l) for l in lessons]
        objs = [f"{self.set_dir(tag, l)}/{f[:-2]}.o" for l in lessons for f in files[l]]
        return self.make_as(slot, self.s.compile_seconds * len(lessons), dirs,
                            self.make_args + [f"CFLAGS={self.s.cflags} -MD"] + objs)

    def link_set(self, tag, lessons):
        """Link these sets' test programs as the grader (the objects are screened by now)."""
        bins = []
        for l in lessons:
            b = f"{self.set_dir(tag, l)}/test"
            if os.path.exists(os.path.join(self.root, b)):
                os.remove(os.path.join(self.root, b))
            bins.append(b)
        r = subprocess.run(["make", "--no-print-directory", "-s", "-k"] + self.make_args +
                           [f"CFLAGS={self.s.cflags}"] + self.pristine_old + bins,
                           cwd=self.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, errors="replace")
        return r.returncode, r.stdout

    def probe_reference(self, slot, lesson, files, stage):
        """Build the reference answer as a student's file is built; False when even
        that fails: the fault is the grader's, not the student's."""
        tag = f"grade-probe-{slot}"
        d = os.path.join(self.root, self.set_dir(tag, lesson))
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for f in files:
            shutil.copyfile(os.path.join(self.root, "solutions", lesson, f), os.path.join(d, f))
        if self.compile_set(slot, tag, [lesson], {lesson: files})[0] != 0:
            return False
        return stage == "compile" or self.link_set(tag, [lesson])[0] == 0

    def keep_global(self, objects, api_file):
        for o in objects:
            if subprocess.run(["objcopy", f"--keep-global-symbols={api_file}", o], cwd=self.root).returncode:
                raise Fault(f"objcopy failed on {o}")

    def tsan_build(self, slot, tag, lesson, files, api_file, tsan_args, tsan_old, tsan_cflags):
        """The lesson's ThreadSanitizer test program, from the .i files of its
        plain set (the very tokens the plain build compiled and the screen saw)."""
        plain, tset = self.set_dir(tag, lesson), self.set_dir(tag, lesson, self.s.build + "/tsan")
        shutil.rmtree(os.path.join(self.root, tset), ignore_errors=True)
        os.makedirs(os.path.join(self.root, tset))
        iis = [f"{plain}/{f[:-2]}.i" for f in files]
        objs = [f"{tset}/{f[:-2]}.o" for f in files]
        rc, text = self.make_as(slot, self.s.compile_seconds, [plain], self.make_args + [f"CFLAGS={self.s.cflags}"] + iis)
        if rc:
            return False, text
        for i in iis:
            shutil.copy(os.path.join(self.root, i), os.path.join(self.root, tset))
        rc, text = self.make_as(slot, self.s.compile_seconds, [tset], tsan_args + [f"CFLAGS={tsan_cflags}"] + objs)
        if rc:
            return False, text
        self.keep_global(objs, api_file)
        r = subprocess.run(["make", "--no-print-directory", "-s"] + tsan_args + [f"CFLAGS={tsan_cflags}"] +
                           tsan_old + [f"{tset}/test"], cwd=self.root, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, errors="replace")
        return r.returncode == 0, r.stdout
