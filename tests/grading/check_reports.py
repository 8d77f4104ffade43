#!/usr/bin/env python3
"""check_reports.py OUT - checks what scripts/grade wrote in OUT (make grade-selftest).

Each OUT/<student>/results.json must be JSON with Gradescope's fields (a
top-level "score", "tests" each with "name", "score", "max_score", "status"
"passed" or "failed", "output"); each junit.xml must parse as JUnit
(testsuites/testsuite/testcase, a failure element on each failed test, the
counts right); each report.tap must be TAP (a plan, every test once, in
order); gradebook.csv must agree with every student's results.json. Only a
checking tool: the grader itself needs no Python.
"""
import csv
import json
import os
import re
import sys
import xml.etree.ElementTree as ET


def check_student(d, problems):
    with open(os.path.join(d, "results.json"), encoding="utf-8") as f:
        r = json.load(f)
    if not isinstance(r.get("score"), (int, float)):
        problems.append(f"{d}/results.json: no numeric top-level score")
    tests = r.get("tests")
    if not isinstance(tests, list) or not tests:
        problems.append(f"{d}/results.json: no tests")
        return None
    total = 0
    for t in tests:
        for key, kind in (("name", str), ("score", (int, float)), ("max_score", (int, float)),
                          ("status", str), ("output", str)):
            if not isinstance(t.get(key), kind):
                problems.append(f"{d}/results.json: a test without a proper {key!r}: {t}")
        if t.get("status") not in ("passed", "failed"):
            problems.append(f"{d}/results.json: status {t.get('status')!r}")
        if t.get("score", 0) > t.get("max_score", 0):
            problems.append(f"{d}/results.json: score above max_score: {t}")
        if (t.get("status") == "passed") != (t.get("score") == t.get("max_score")):
            problems.append(f"{d}/results.json: status and score disagree: {t}")
        total += t.get("score", 0)
    if total != r.get("score"):
        problems.append(f"{d}/results.json: score {r.get('score')} is not the sum {total} of its tests")

    root = ET.parse(os.path.join(d, "junit.xml")).getroot()
    if root.tag != "testsuites":
        problems.append(f"{d}/junit.xml: the root is {root.tag}, not testsuites")
    cases = failed = 0
    for suite in root.findall("testsuite"):
        sc = suite.findall("testcase")
        sf = [c for c in sc if c.find("failure") is not None]
        if int(suite.get("tests")) != len(sc) or int(suite.get("failures")) != len(sf):
            problems.append(f"{d}/junit.xml: suite {suite.get('name')} counts are wrong")
        for c in sc:
            if not c.get("name") or not c.get("classname"):
                problems.append(f"{d}/junit.xml: a testcase without name or classname")
            fl = c.find("failure")
            if fl is not None and fl.get("message") is None:
                problems.append(f"{d}/junit.xml: a failure without a message")
        cases += len(sc)
        failed += len(sf)
    if cases != len(tests) or failed != sum(t["status"] == "failed" for t in tests):
        problems.append(f"{d}/junit.xml: {cases} testcases, {failed} failed; results.json disagrees")
    if int(root.get("tests")) != cases or int(root.get("failures")) != failed:
        problems.append(f"{d}/junit.xml: the testsuites counts are wrong")

    with open(os.path.join(d, "report.tap"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[0] != "TAP version 13" or lines[1] != f"1..{len(tests)}":
        problems.append(f"{d}/report.tap: not TAP 13 with the plan 1..{len(tests)}")
    points = [m for m in (re.match(r"(ok|not ok) (\d+) - (.*)", l) for l in lines) if m]
    if [int(m.group(2)) for m in points] != list(range(1, len(tests) + 1)):
        problems.append(f"{d}/report.tap: the tests are not numbered 1..{len(tests)}")
    elif [m.group(1) == "ok" for m in points] != [t["status"] == "passed" for t in tests]:
        problems.append(f"{d}/report.tap: disagrees with results.json")
    return r["score"]


def main():
    out = sys.argv[1]
    problems = []
    with open(os.path.join(out, "gradebook.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    if head[0] != "student" or head[-2:] != ["total", "max"]:
        problems.append(f"gradebook.csv: the header is {head}")
    names = set(os.listdir(out))
    students = 0
    for row in rows[1:]:
        cells = [int(c) for c in row[1:]]
        if sum(cells[:-2]) != cells[-2]:
            problems.append(f"gradebook.csv: {row[0]}'s total is not the sum of its lessons")
        d = os.path.join(out, re.sub(r"[^A-Za-z0-9._-]", "_", row[0]))
        if os.path.basename(d) not in names:
            problems.append(f"gradebook.csv: no folder for {row[0]}")
            continue
        score = check_student(d, problems)
        if score is not None and score != cells[-2]:
            problems.append(f"{row[0]}: results.json scores {score}, the gradebook {cells[-2]}")
        students += 1
    for p in problems:
        print("problem:", p)
    print(f"check_reports: {students} students, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
