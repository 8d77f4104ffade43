"""GitHub Classroom: make classroom-workflow writes .github/workflows/classroom.yml
for GitHub's autograding actions (classroom-resources/autograding-command-grader
and its grading reporter): a step per exercise, `make exercise-N`, worth its
lesson's points from the weights (GRADE_WEIGHTS). A step passes or fails whole:
a lesson's points come only when every one of its tests passes (and under
ThreadSanitizer too, where make exercise-N runs it)."""
import os
import subprocess

from .checkrun import read_check_xml
from .model import exercise_lessons, load_weights, text_points
from .reports import lesson_max

HEAD = """# .github/workflows/classroom.yml - GitHub Classroom's autograding, written by
# make classroom-workflow from {weights}: a step per exercise
# (make exercise-N), worth its lesson's points, earned when all of its tests pass.
name: Autograding Tests
'on': [push, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
    - name: Checkout code
      uses: actions/checkout@v4
    - name: Install Check
      run: sudo apt-get update -qq && sudo apt-get install -y -qq check pkg-config
"""
STEP = """    - name: {lesson}
      id: {id}
      uses: classroom-resources/autograding-command-grader@v1
      with:
        test-name: {lesson}
        command: make exercise-{n}
        timeout: 10
        max-score: {points}
"""


def test_names(root, build, lessons):
    """{lesson: its exercise tests}, from a run of each reference answer."""
    bins = [f"{build}/sets/solution/{l}/test" for l in lessons]
    subprocess.run(["make", "--no-print-directory", "-s", "-j2", f"BUILD={build}"] + bins, cwd=root, check=True,
                   stdout=subprocess.DEVNULL)
    names = {}
    for l, b in zip(lessons, bins):
        xml = os.path.join(root, build, "grade", f"classroom-{l}.xml")
        os.makedirs(os.path.dirname(xml), exist_ok=True)
        subprocess.run([os.path.join(root, b)], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=dict(os.environ, CK_RUN_SUITE="exercise", CK_VERBOSITY="silent", CK_XML_LOG_FILE_NAME=xml))
        names[l] = [r[1] for r in read_check_xml(xml)]
    return names


def workflow(root, settings):
    lessons = exercise_lessons(root, settings.lessons)
    names = test_names(root, settings.build, lessons)
    weights = load_weights(os.path.join(root, settings.weights), names, set(lessons))
    ids = [f"lesson-{l[:2]}" for l in lessons]
    text = HEAD.format(weights=settings.weights)
    for l, i in zip(lessons, ids):
        text += STEP.format(lesson=l, id=i, n=int(l[:2]), points=text_points(lesson_max(weights, l, names[l])))
    text += "    - name: Autograding Reporter\n      uses: classroom-resources/autograding-grading-reporter@v1\n"
    text += "      env:\n" + "".join(f"        {i.upper()}_RESULTS: \"${{{{steps.{i}.outputs.result}}}}\"\n" for i in ids)
    text += f"      with:\n        runners: {','.join(ids)}\n"
    return text, sum((lesson_max(weights, l, names[l]) for l in lessons))
