#!/usr/bin/env python3
"""docs_check.py - make docs-check: the output a README quotes is still what
its command prints.

A quoted block says which command made it with a comment on the line
before its fence (blank lines between are allowed):

    <!-- docs-check: make lesson-1 PROGRAM=single_thread -->
    <!-- docs-check any-order: make lesson-4 PROGRAM=racecond -->
    <!-- docs-check ends: make lesson-4 PROGRAM=the_var -->

Each command runs once, a few at a time, each stopped after TIMEOUT
seconds (the blocks that quote it then fail, named) (from the workbook's root, WORKBOOK_TIME_SCALE=0.1
unless set, the build folder BUILD names), and each of its blocks is
compared with its output, both with what changes from run to run made
alike: clock times, addresses, process and thread ids, and decimal
fractions (seconds, ratios). A block's "..." lines (cut lines) and
"$ command" lines are not compared. The comparison:
  (default)  the block's lines appear in the output in the same order
             (others may come between them);
  any-order  each of the block's lines appears in the output, in any order
             (threads that race for the log);
  ends       the block's first and last lines are the output's (what the
             lines between say differs from run to run).
Exit status 1 on drift, each named: file, block, first line that differs.

  scripts/docs_check.py [README...]   (default: README.md and lessons/*/README.md)
"""
import concurrent.futures
import glob
import os
import re
import signal
import subprocess
import sys

TIMEOUT = 30   # seconds a block's command may run
JOBS = 3       # commands run at once
MARK = re.compile(r"^<!-- docs-check(?: (in-order|any-order|ends))?: (.+?) -->\s*$")
ALIKE = [
    (re.compile(r"\b\d\d:\d\d:\d\d(\.\d+)?\b"), "HH:MM:SS"),
    (re.compile(r"\b0x[0-9a-fA-F]+\b"), "0xADDR"),
    (re.compile(r"\b(getpid\(\)|gettid\(\)|pid|tid)( is |=)\d+"), r"\1\2ID"),
    (re.compile(r"\b\d+\.\d+\b"), "N.N"),
]


def alike(line):
    line = line.rstrip()
    for pattern, to in ALIKE:
        line = pattern.sub(to, line)
    return line


def blocks(path):
    """(line number of the opening fence, mode, command, lines) of each marked block."""
    with open(path, encoding="utf-8") as f:
        text = f.read().split("\n")
    found, i = [], 0
    while i < len(text):
        m = MARK.match(text[i])
        i += 1
        if not m:
            continue
        while i < len(text) and not text[i].strip():
            i += 1
        if i >= len(text) or not text[i].startswith("```"):
            found.append((i + 1, None, m.group(2), None))
            continue
        start, i = i + 1, i + 1
        lines = []
        while i < len(text) and not text[i].startswith("```"):
            lines.append(text[i])
            i += 1
        found.append((start, m.group(1) or "in-order", m.group(2), lines))
        i += 1
    return found


def run(command, build):
    env = dict(os.environ)
    for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(k, None)
    env.setdefault("WORKBOOK_TIME_SCALE", "0.1")
    env["NO_COLOR"] = "1"
    env["MAKEFLAGS"] = "BUILD=" + build
    p = subprocess.Popen(["bash", "-c", command], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        return p.communicate(timeout=TIMEOUT)[0].decode("utf-8", "replace").split("\n")
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return ["(docs-check: still running after %d s, stopped: the command of this block "
                "must end sooner)" % TIMEOUT]


def compare(mode, block, output):
    """The index in block of the first line the output does not bear out, or None."""
    want = [(j, alike(l)) for j, l in enumerate(block)
            if l.strip() and l.strip() not in ("...", "\u2026") and not l.startswith("$ ")]
    got = [alike(l) for l in output if l.strip()]
    if not want:
        return 0
    if mode == "ends":
        for (j, line), k in ((want[0], 0), (want[-1], -1)):
            if not got or got[k] != line:
                return j
        return None
    if mode == "any-order":
        return next((j for j, line in want if line not in got), None)
    k = 0
    for j, line in want:
        while k < len(got) and got[k] != line:
            k += 1
        if k == len(got):
            return j
        k += 1
    return None


def main(argv):
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    build = os.environ.get("BUILD", "build")
    if os.environ.get("PORTABLE"):
        print("docs-check: skipped with PORTABLE=1 (the READMEs quote the Linux build)")
        return 0
    paths = argv or ["README.md"] + sorted(glob.glob("lessons/*/README.md"))
    found = [(path, b) for path in paths for b in blocks(path)]
    commands = sorted({b[2] for _, b in found if b[3] is not None})
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        outputs = dict(zip(commands, pool.map(lambda c: run(c, build), commands)))
    ok, bad = 0, 0
    for path in paths:
        for start, mode, command, lines in blocks(path):
            where = "%s:%d (%s)" % (path, start, command)
            if lines is None:
                print("FAIL %s: the docs-check comment is not followed by a ``` block" % where)
                bad += 1
                continue
            j = compare(mode, lines, outputs[command])
            if j is None:
                print("ok   %s: %d lines, %s" % (where, len(lines), mode))
                ok += 1
            else:
                print("FAIL %s: line %d, %r, differs from what the command prints now (%s; times, "
                      "addresses and ids made alike); it printed:" % (where, start + 1 + j, lines[j], mode))
                for l in outputs[command][:40]:
                    print("     | " + l)
                bad += 1
    print("docs-check: %d blocks as quoted, %d drifted" % (ok, bad))
    return 1 if bad or not ok else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
