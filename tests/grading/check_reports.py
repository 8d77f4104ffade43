#!/usr/bin/env python3
"""check_reports.py OUT - checks what scripts/grade wrote in OUT (make grade-selftest),
each report read by what reads it in the field.

Each OUT/<report>/results.json must be JSON with Gradescope's fields (a top-level
"score", "tests" each with "name", "score", "max_score", "status" "passed" or "failed",
"output", "visibility"); each junit.xml must validate against tests/grading/junit.xsd
(Jenkins' JUnit rules; xmllint) with a <failure>, <error> or <skipped> on each test that
did not pass and the counts right; each report.tap with a failure must be read by Perl's
TAP::Parser (prove) without a parse error, its tests in order; gradebook.csv, read with
Python's csv module, must have one row per report folder, agree with every student's
results.json, and hold no cell a spreadsheet would take for a formula.
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
VISIBILITY = ("visible", "hidden", "after_due_date", "after_published")


def check_results(d, problems):
    with open(os.path.join(d, "results.json"), encoding="utf-8") as f:
        r = json.load(f)
    if not isinstance(r.get("score"), (int, float)):
        problems.append(f"{d}/results.json: no numeric top-level score")
    tests = r.get("tests")
    if not isinstance(tests, list) or not tests:
        problems.append(f"{d}/results.json: no tests")
        return None, []
    total = 0
    for t in tests:
        for key, kind in (("name", str), ("score", (int, float)), ("max_score", (int, float)),
                          ("status", str), ("output", str), ("visibility", str)):
            if not isinstance(t.get(key), kind):
                problems.append(f"{d}/results.json: a test without a proper {key!r}: {t}")
        if t.get("status") not in ("passed", "failed") or t.get("visibility") not in VISIBILITY:
            problems.append(f"{d}/results.json: status or visibility: {t}")
        if t.get("score", 0) > t.get("max_score", 0):
            problems.append(f"{d}/results.json: score above max_score: {t}")
        if (t.get("status") == "passed") != (t.get("score") == t.get("max_score")) and t.get("max_score"):
            problems.append(f"{d}/results.json: status and score disagree: {t}")
        total += t.get("score", 0)
    if abs(total - r.get("score", 0)) > 1e-9:
        problems.append(f"{d}/results.json: score {r.get('score')} is not the sum {total} of its tests")
    return r["score"], tests


def check_junit(d, tests, problems):
    path = os.path.join(d, "junit.xml")
    if shutil.which("xmllint"):
        v = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(HERE, "junit.xsd"), path],
                           capture_output=True, text=True)
        if v.returncode:
            problems.append(f"{path}: does not validate against junit.xsd: {v.stderr.strip()[:300]}")
    root = ET.parse(path).getroot()
    if root.tag != "testsuites":
        problems.append(f"{path}: the root is {root.tag}, not testsuites")
    cases = bad = 0
    for suite in root.findall("testsuite"):
        sc = suite.findall("testcase")
        kinds = {k: [c for c in sc if c.find(k) is not None] for k in ("failure", "error", "skipped")}
        if [int(suite.get(a, "0")) for a in ("tests", "failures", "errors", "skipped")] != \
                [len(sc)] + [len(kinds[k]) for k in ("failure", "error", "skipped")]:
            problems.append(f"{path}: suite {suite.get('name')} counts are wrong")
        for c in sc:
            if not c.get("name") or not c.get("classname"):
                problems.append(f"{path}: a testcase without name or classname")
            for k in kinds:
                if c.find(k) is not None and c.find(k).get("message") is None:
                    problems.append(f"{path}: a {k} without a message")
        cases += len(sc)
        bad += sum(len(v) for v in kinds.values())
    if cases != len(tests) or bad != sum(t["status"] == "failed" for t in tests):
        problems.append(f"{path}: {cases} testcases, {bad} did not pass; results.json disagrees")


def check_taps(taps, problems):
    """prove reads each report.tap: the plan, every test once and in order, no
    parse error. taps: {path: the tests results.json lists}. One prove for
    all (its own start-up is most of its time); its output is split by the
    line that opens each file ("<path> .. ") and its summary's file lines."""
    if not taps or not shutil.which("prove"):
        return 0
    p = subprocess.run(["prove", "-v", "-e", "cat", *taps], capture_output=True, text=True)
    section, got, parse = None, {path: [] for path in taps}, {}
    for line in (p.stdout + "\n" + p.stderr).splitlines():
        opened = next((t for t in taps if line.startswith(t + " ")), None)
        if opened:
            section = opened
        elif section and line.startswith(("ok ", "not ok ")):
            got[section].append(line.startswith("ok"))
        elif section and ("Parse error" in line or "Bad plan" in line):
            parse.setdefault(section, []).append(line.strip())
    for path, tests in taps.items():
        if path in parse:
            problems.append(f"{path}: prove: " + " ".join(parse[path])[:300])
        if got[path] != [t["status"] == "passed" for t in tests]:
            problems.append(f"{path}: prove read {len(got[path])} tests; results.json disagrees")
    return len(taps)


def main():
    out = sys.argv[1]
    problems = []
    with open(os.path.join(out, "gradebook.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    if head[:5] != ["student", "id", "name", "email", "report"]:
        problems.append(f"gradebook.csv: the header is {head}")
    lessons = [h for h in head[5:] if h not in ("total", "max") and not h.endswith(" status")]
    folders = {e for e in os.listdir(out) if os.path.isdir(os.path.join(out, e))} - {"similarity"}
    students = 0
    reported, taps = set(), {}
    for row in rows[1:]:
        cell = dict(zip(head, row))
        if any(c[:1] and c[:1] in "=+-@" for c in row):
            problems.append(f"gradebook.csv: a cell a spreadsheet takes for a formula: {row}")
        total = sum(float(cell[l]) for l in lessons)
        if "total" in cell and abs(total - float(cell["total"])) > 1e-9:
            problems.append(f"gradebook.csv: {cell['student']}'s total is not the sum of its lessons")
        if not cell["report"]:
            continue
        reported.add(cell["report"])
        d = os.path.join(out, cell["report"])
        if cell["report"] not in folders:
            problems.append(f"gradebook.csv: no folder {cell['report']} for {cell['student']}")
            continue
        score, tests = check_results(d, problems)
        if score is not None and abs(score - total) > 1e-9:
            problems.append(f"{cell['student']}: results.json scores {score}, the gradebook {total}")
        check_junit(d, tests, problems)
        if any(t["status"] == "failed" for t in tests):
            taps[os.path.join(d, "report.tap")] = tests
        students += 1
    proved = check_taps(taps, problems)
    for extra in folders - reported:
        problems.append(f"{out}/{extra}: a report folder that no gradebook row names")
    for tool, what in (("xmllint", "no junit.xml was validated against junit.xsd"),
                       ("prove", "no report.tap was read by TAP::Parser")):
        if not shutil.which(tool):
            print(f"note: no {tool} here: {what}")
    for p in problems:
        print("problem:", p)
    print(f"check_reports: {students} students ({proved} report.tap read by prove), {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
