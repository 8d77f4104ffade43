"""Unit tests of build.py: the screen and the compiler's messages."""
import os
import shutil
import subprocess
import tempfile
import unittest

from grader import build as B

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Text(unittest.TestCase):
    def test_clean_cuts_and_keeps_utf8(self):
        self.assertEqual(B.clean(b"ab\xffc"), "abc")
        self.assertTrue(B.clean(b"x" * 10, 4).startswith("xxxx\n[... cut"))

    def test_compiler_text_names_files_as_the_student_knows_them(self):
        text = "build/sets/t/01-a/x.c:3: error: no\nmake: *** [Makefile:9: x.o] Error 1\n"
        self.assertEqual(B.compiler_text(text, "build/sets/t/01-a"), "x.c:3: error: no")

    def test_a_lessons_part_of_one_compile(self):
        text = "build/sets/t/01-a/x.c: warn a\n  more a\nbuild/sets/t/02-b/y.c: warn b\n"
        self.assertEqual(B.lesson_part(text, "build/sets/t/01-a", "build/sets/t"), "build/sets/t/01-a/x.c: warn a\n  more a")


@unittest.skipUnless(shutil.which("cc") and shutil.which("readelf"), "needs cc and binutils")
class Screen(unittest.TestCase):
    def compiled(self, source):
        d = tempfile.mkdtemp(dir=os.path.join(ROOT, "build") if os.path.isdir(os.path.join(ROOT, "build")) else None)
        src = os.path.join(d, "x.c")
        with open(src, "w") as f:
            f.write(source)
        subprocess.run(["cc", "-c", "-MD", "-I", os.path.join(ROOT, "common"), src, "-o", os.path.join(d, "x.o")],
                       check=True)
        self.addCleanup(shutil.rmtree, d)
        return os.path.join(d, "x.o")

    def why(self, source):
        screen = B.Screen(ROOT, "cc")
        o = self.compiled(source)
        return screen.check([o], B.elf_facts(ROOT, [o]))

    def test_a_plain_file_passes(self):
        self.assertEqual(self.why("#include <stdlib.h>\nint f(int n) { return abs(n); }\n"), [])

    def test_a_constructor_a_syscall_and_a_call_outside_the_list_are_refused(self):
        why = self.why("#include <unistd.h>\n__attribute__((constructor)) static void c(void) { fork(); }\n"
                       "void g(void) { __asm__ volatile (\"syscall\"); }\n")
        self.assertTrue(any("constructor or destructor" in w for w in why), why)
        self.assertTrue(any("a system call of its own" in w for w in why), why)
        self.assertTrue(any("uses fork" in w for w in why), why)

    def test_an_include_outside_the_workbooks_headers_is_refused(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        with open(os.path.join(d, "evil.h"), "w") as f:
            f.write("int evil;\n")
        why = self.why(f'#include "{d}/evil.h"\n#include "pt.h"\n')
        self.assertEqual(len(why), 1, why)
        self.assertIn(f"includes {d}/evil.h: an exercise may include only", why[0])


if __name__ == "__main__":
    unittest.main()
