"""Gradescope: the autograder zip (make autograder-zip), and the run inside it
(scripts/run_autograder): one submission graded as a class of one, its
results.json put where Gradescope reads it, a late penalty from
submission_metadata.json's due date when the instructor sets one.

Gradescope's layout (gradescope-autograders.readthedocs.io, "Autograder
Specifications"): the zip's contents are unpacked into /autograder/source and
setup.sh runs there once; for each submission, /autograder/run_autograder runs
in /autograder, with the submission in /autograder/submission and
/autograder/submission_metadata.json beside it, and must write
/autograder/results/results.json. AUTOGRADER_ROOT moves /autograder (to try it
anywhere)."""
import io
import json
import math
import os
import subprocess
import zipfile
from datetime import datetime
from decimal import Decimal

from .model import Usage, number

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, in /autograder/source, when the autograder is built:
# the tools the grader needs (a C compiler and make, Check, pkg-config, procps for
# pkill/pgrep, util-linux for setpriv and unshare, Python 3, Perl for prove), then
# the workbook's pristine parts built once, so each submission only builds its own.
set -eu
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq build-essential check pkg-config procps util-linux python3 perl >/dev/null
chmod +x scripts/* run_autograder
set -a; . ./autograder.env; set +a
scripts/grade --prebuild
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for each submission (as /autograder/run_autograder, in /autograder).
cd "${AUTOGRADER_ROOT:-/autograder}/source" || exit 2
set -a; . ./autograder.env; set +a
exec scripts/run_autograder
"""


def workbook_files(root):
    """The workbook as committed ({path: bytes}): git's HEAD, so that the stubs
    are the stubs whatever lessons/ holds now (else the files on disk, without build/)."""
    r = subprocess.run(["git", "archive", "--format=zip", "HEAD"], cwd=root, capture_output=True)
    if r.returncode == 0:
        with zipfile.ZipFile(io.BytesIO(r.stdout)) as z:
            return {i.filename: (z.read(i), i.external_attr) for i in z.infolist() if not i.is_dir()}
    files = {}
    for d, dirs, names in os.walk(root):
        dirs[:] = [x for x in dirs if x not in ("build", ".git", "__pycache__")]
        for n in names:
            p = os.path.join(d, n)
            with open(p, "rb") as f:
                files[os.path.relpath(p, root)] = (f.read(), (os.stat(p).st_mode & 0o100777) << 16)
    return files


def make_zip(root, path, lessons):
    """The autograder zip: the workbook at its root, setup.sh, run_autograder
    (both with #!) and autograder.env (GRADE_LESSONS, the late-penalty rule)."""
    env = f"# The grader's settings on Gradescope (README, \"Gradescope\").\nGRADE_LESSONS='{lessons}'\n" \
          "GRADE_LATE_PENALTY=0      # percent of the score taken off per started day late (0: none)\n" \
          "GRADE_LATE_MAX=100        # at most this percent in all\n"
    extra = {"setup.sh": (SETUP.encode(), 0o100755 << 16), "run_autograder": (RUN.encode(), 0o100755 << 16),
             "autograder.env": (env.encode(), 0o100644 << 16)}
    files = workbook_files(root)
    files.update(extra)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            data, attr = files[name]
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = attr or (0o100644 << 16)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return len(files)


def when(text):
    """An ISO 8601 time as Gradescope writes it (2018-07-31T23:00:00.000000-07:00)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def late_penalty(metadata, per_day, most):
    """(percent taken off, why) for a submission: per_day percent for each
    started day after the due date, at most `most` percent."""
    try:
        due = when(metadata["assignment"]["due_date"])
        made = when(metadata["created_at"])
    except (KeyError, TypeError, ValueError):
        return Decimal(0), ""
    late = (made - due).total_seconds()
    if late <= 0 or per_day <= 0:
        return Decimal(0), ""
    days = math.ceil(late / 86400)
    off = min(Decimal(most), Decimal(per_day) * days)
    return off, (f"late by {days} day(s) (submitted {metadata['created_at']}, due {metadata['assignment']['due_date']}): "
                 f"{off}% off (GRADE_LATE_PENALTY={per_day}% a day, at most {most}%)")


def apply_penalty(results, off, why):
    """results.json with its top-level score reduced by off percent, and why."""
    if not off:
        return results
    full = Decimal(str(results["score"]))
    results["score"] = number((full * (100 - off) / 100).quantize(Decimal("0.01")))
    results["output"] = f"{why}: {number(full)} -> {results['score']} points\n" + results.get("output", "")
    return results


def student_from(metadata):
    """The submitter's name, id and email (a roster line)."""
    users = metadata.get("users") or [{}]
    u = users[0] or {}
    return {"id": str(u.get("id", "")), "name": str(u.get("name", "")), "email": str(u.get("email", ""))}


def finish(ag_root, graded_json, env):
    """Put the graded results.json where Gradescope reads it, with the late penalty."""
    with open(graded_json, encoding="utf-8") as f:
        results = json.load(f)
    meta_path = os.path.join(ag_root, "submission_metadata.json")
    if os.path.exists(meta_path):
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
        try:
            per_day, most = Decimal(env.get("GRADE_LATE_PENALTY") or 0), Decimal(env.get("GRADE_LATE_MAX") or 100)
        except ArithmeticError:
            raise Usage("GRADE_LATE_PENALTY and GRADE_LATE_MAX must be numbers of percent, such as 10")
        results = apply_penalty(results, *late_penalty(meta, per_day, most))
    os.makedirs(os.path.join(ag_root, "results"), exist_ok=True)
    with open(os.path.join(ag_root, "results", "results.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return results


def unpack(zip_path, dest):
    """A zip unpacked as Gradescope does it, modes kept (for the self-test)."""
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            z.extract(info, dest)
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(os.path.join(dest, info.filename), mode)
