"""What a class's grading says about the class, the tests and the READMEs:
build/grade/<class>/summary.md and summary.csv (per lesson the mean, the
median and a text histogram of the scores; per test its pass rate, so a test
that most students fail points at a bad test or a misleading README), and
similarity/<lesson>/ laid out for MOSS or JPlag (each student's taken files in
a folder of its own, the stubs as the base code). Read from the reports
folders, so a regrade updates it."""
import csv
import io
import json
import os
import shutil
import statistics

BAR = 30


def histogram(scores, top, bins=5):
    """Lines "lo-hi | ####### n" of how many scores fall in each of bins ranges."""
    top = float(top) or 1.0
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, int(float(s) / top * bins))] += 1
    most = max(counts) or 1
    out = []
    for i, n in enumerate(counts):
        lo, hi = top * i / bins, top * (i + 1) / bins
        out.append(f"{lo:6.1f}-{hi:<6.1f}| {'#' * round(n / most * BAR):<{BAR}} {n}")
    return out


def pass_rates(out, folders):
    """{test name: [passed, ran]} over the students' results.json (folders:
    {report folder: the lessons whose tests ran there})."""
    rates = {}
    for d, ran in folders.items():
        try:
            with open(os.path.join(out, d, "results.json"), encoding="utf-8") as f:
                tests = json.load(f)["tests"]
        except (OSError, ValueError, KeyError):
            continue
        for t in tests:
            if t["name"].split(": ", 1)[0] not in ran:
                continue
            r = rates.setdefault(t["name"], [0, 0])
            r[0] += t["status"] == "passed"
            r[1] += 1
    return rates


def write(out, lessons, lmax, rows):
    """rows: the gradebook's (student, cells, total, statuses); only students
    whose lesson ran count in its figures (missing or not started is no evidence)."""
    md = ["# Class summary", "", "Per lesson, the scores of the submissions whose tests ran (missing, not started "
          "and not compiling are counted apart):", ""]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["lesson", "test", "max", "ran", "mean", "median", "passed", "pass rate"])
    for k, l in enumerate(lessons):
        ran = [cells[k] for _, cells, _, st in rows if st[k] == "ran"]
        others = {}
        for _, _, _, st in rows:
            if st[k] != "ran":
                others[st[k]] = others.get(st[k], 0) + 1
        mean = statistics.mean(ran) if ran else 0
        median = statistics.median(ran) if ran else 0
        md += [f"## {l}", "", f"{len(ran)} ran: mean {float(mean):.2f}, median {float(median):.2f} of {lmax[l]}"
               + ("; " + ", ".join(f"{n} {s}" for s, n in sorted(others.items())) if others else ""), ""]
        md += ["```"] + histogram(ran, lmax[l]) + ["```", ""]
        w.writerow([l, "", lmax[l], len(ran), f"{float(mean):.2f}", f"{float(median):.2f}", "", ""])
    rates = pass_rates(out, {st.safe: {l for l, s in zip(lessons, statuses) if s == "ran"}
                             for st, _, _, statuses in rows if st.safe})
    md += ["## Pass rate per test", "", "Of the submissions whose lesson ran, lowest first:", "",
           "| test | passed | of | rate |", "|---|---|---|---|"]
    for name, (p, n) in sorted(rates.items(), key=lambda x: (x[1][0] / max(x[1][1], 1), x[0])):
        md.append(f"| {name} | {p} | {n} | {100 * p / max(n, 1):.0f}% |")
        lesson, test = name.split(": ", 1)
        w.writerow([lesson, test, "", n, "", "", p, f"{p / max(n, 1):.2f}"])
    with open(os.path.join(out, "summary.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(out, "summary.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def keep_files(out, student, lesson, files, set_dir):
    """A student's taken files of a lesson, for the similarity checker."""
    d = os.path.join(out, "similarity", lesson, student.safe)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for f in files:
        if os.path.exists(os.path.join(set_dir, f)):
            shutil.copyfile(os.path.join(set_dir, f), os.path.join(d, f))


def keep_base(out, lesson, stubs):
    """The stubs as committed: the base code (JPlag -bc base, MOSS -b)."""
    d = os.path.join(out, "similarity", lesson, "base")
    os.makedirs(d, exist_ok=True)
    for f, data in stubs.items():
        with open(os.path.join(d, f), "wb") as g:
            g.write(data)
