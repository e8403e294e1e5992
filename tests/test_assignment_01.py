"""Assignment 01 through nbgrader, end to end, with one `nbgrader autograde` for every student.

A throwaway copy of the course (config, solutions/, data/ linked) gets a fresh release, then
these submissions, graded in a single plain `nbgrader autograde 01_platform_rules` run:

* ``solution``: the source notebook, which must earn every autograded point;
* ``blank``: the committed release, unanswered, which must earn none;
* ``wrong_<grade_id>``: the solution with one answer cell replaced by a known-wrong answer
  (tests/assignment_01_wrong_answers.py), which must lose exactly that question's points.

Scores are read back from the gradebook with nbgrader's own API.
"""

from __future__ import annotations

import re
import time

import nbformat
import pytest
from assignment_01_wrong_answers import WRONG_ANSWERS
from bs4 import BeautifulSoup
from conftest import REPO, copy_course
from nbgrader.api import Gradebook

from borderdesk.grading.release import nbgrader

ASSIGNMENT = "01_platform_rules"
NOTEBOOK = "01_platform_rules"
SOURCE = REPO / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
RELEASE = REPO / "exercises" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
NOT_ATTEMPTED = "Not attempted yet"
REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)


def _nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def _autograded_points(nb):
    """{test grade_id: points} of the autograded test cells."""
    return {
        _nbgrader_meta(c)["grade_id"]: _nbgrader_meta(c)["points"]
        for c in nb.cells
        if _nbgrader_meta(c).get("grade") and not _nbgrader_meta(c).get("solution")
    }


def _with_answer(grade_id: str, source: str):
    nb = nbformat.read(SOURCE, as_version=4)
    cells = [c for c in nb.cells if _nbgrader_meta(c).get("grade_id") == grade_id]
    assert len(cells) == 1 and _nbgrader_meta(cells[0]).get("solution"), f"no answer cell {grade_id!r}"
    cells[0].source = source.strip("\n")
    return nb


def _run_nbgrader(root, *args):
    result = nbgrader(*args, root=root)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Release and autograde every submission once; return scores and timings."""
    root = copy_course(tmp_path_factory.mktemp("assignment_01") / "course", "solutions")
    (root / "data").symlink_to(REPO / "data", target_is_directory=True)
    timings = {}

    start = time.perf_counter()
    _run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")  # fills the gradebook
    timings["generate_assignment"] = time.perf_counter() - start

    submissions = {
        "solution": nbformat.read(SOURCE, as_version=4),
        "blank": nbformat.read(RELEASE, as_version=4),
        **{f"wrong_{gid}": _with_answer(gid, src) for gid, src in WRONG_ANSWERS.items()},
    }
    for student, nb in submissions.items():
        folder = root / "autograder" / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")

    start = time.perf_counter()
    log = _run_nbgrader(root, "autograde", ASSIGNMENT).stderr
    timings["autograde"] = time.perf_counter() - start

    scores = {}
    with Gradebook(f"sqlite:///{root / 'autograder' / 'gradebook.db'}") as gradebook:
        for student in submissions:
            notebook = gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
            scores[student] = {
                grade.name: (grade.score, grade.max_score, grade.needs_manual_grade) for grade in notebook.grades
            }
    print(
        f"\nassignment 01 pipeline, {len(submissions)} submissions: "
        + ", ".join(f"{step} {seconds:.1f}s" for step, seconds in timings.items())
    )
    return {"root": root, "scores": scores, "log": log, "timings": timings}


def _autograded(graded, student):
    points = _autograded_points(nbformat.read(SOURCE, as_version=4))
    return {name: graded["scores"][student][name][:2] for name in points}


def test_source_notebook_has_the_planned_questions():
    nb = nbformat.read(SOURCE, as_version=4)
    points = _autograded_points(nb)
    answers = [
        _nbgrader_meta(c)["grade_id"] for c in nb.cells if _nbgrader_meta(c).get("solution") and c.cell_type == "code"
    ]
    assert 6 <= len(points) <= 8
    assert sorted(points) == sorted(f"test_{gid}" for gid in answers), "one test cell per answer cell"
    assert sorted(WRONG_ANSWERS) == sorted(answers), "every question needs a known-wrong answer"
    manual = [
        c
        for c in nb.cells
        if _nbgrader_meta(c).get("grade") and _nbgrader_meta(c).get("solution") and c.cell_type == "markdown"
    ]
    assert manual and all(_nbgrader_meta(c)["points"] > 0 for c in manual), "a manually graded reply task"


def test_every_submission_was_graded(graded):
    assert sorted(graded["scores"]) == sorted(["solution", "blank", *(f"wrong_{g}" for g in WRONG_ANSWERS)])
    assert "ERROR" not in graded["log"], graded["log"][-3000:]


def test_solution_earns_every_autograded_point(graded):
    scores = _autograded(graded, "solution")
    assert scores == {name: (maximum, maximum) for name, (_, maximum) in scores.items()}, scores
    points = _autograded_points(nbformat.read(SOURCE, as_version=4))
    assert {name: maximum for name, (_, maximum) in scores.items()} == points, "gradebook and notebook disagree"


def test_solution_reply_waits_for_the_grader(graded):
    manual = {name: s for name, s in graded["scores"]["solution"].items() if name == "reply_to_inquiry"}
    assert manual["reply_to_inquiry"][2], "a written reply must be flagged for manual grading"


def test_blank_release_earns_nothing(graded):
    scores = graded["scores"]["blank"]
    assert all(score == 0 for score, _, _ in scores.values()), scores
    # nbgrader scores an untouched written answer 0 by itself: nothing for the grader to read.
    assert not scores["reply_to_inquiry"][2], "an unchanged reply cell should not wait for manual grading"


@pytest.mark.parametrize("grade_id", sorted(WRONG_ANSWERS))
def test_wrong_answer_loses_exactly_its_question(graded, grade_id):
    scores = _autograded(graded, f"wrong_{grade_id}")
    target = f"test_{grade_id}"
    expected = {name: (0 if name == target else maximum, maximum) for name, (_, maximum) in scores.items()}
    assert scores == expected, f"the wrong {grade_id} should cost only {target}: {scores}"


def _executed(graded, student):
    return nbformat.read(
        graded["root"] / "autograder" / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4
    )


def _errors(nb):
    return [(c.id, out) for c in nb.cells if c.cell_type == "code" for out in c.outputs if out.output_type == "error"]


def test_graded_blank_fails_only_with_not_attempted(graded):
    # nbgrader ran the release with the hidden tests put back: still only the stub's message.
    errors = _errors(_executed(graded, "blank"))
    assert errors
    for cell_id, out in errors:
        assert out.ename == "NotImplementedError" and NOT_ATTEMPTED in out.evalue, (cell_id, out.ename, out.evalue)


def test_graded_solution_runs_without_errors(graded):
    nb = _executed(graded, "solution")
    assert not _errors(nb)
    hidden = [c for c in nb.cells if "### BEGIN HIDDEN TESTS" in c.source]
    assert len(hidden) == len(_autograded_points(nb)), "autograde should run the hidden tests of every question"


def test_release_holds_no_solutions_and_no_hidden_tests():
    source = nbformat.read(SOURCE, as_version=4)
    release = nbformat.read(RELEASE, as_version=4)
    released_lines = {line.strip() for cell in release.cells for line in cell.source.splitlines()}
    released_text = "\n".join(cell.source for cell in release.cells)
    assert "BEGIN SOLUTION" not in released_text and "HIDDEN TESTS" not in released_text
    secret, public = set(), set()
    for cell in source.cells:
        for kind, body in REGION.findall(cell.source):
            secret.update(line.strip() for line in body.splitlines())
        public.update(line.strip() for line in REGION.sub("", cell.source).splitlines())
    # Lines that also occur outside the regions (a bare ")" or "return out") prove nothing.
    leaked = sorted(line for line in secret - public if len(line) > 3 and line in released_lines)
    assert not leaked, f"the release shows solution or hidden-test lines: {leaked[:5]}"
    assert len(secret - public) > 100, "expected the source to hold solutions and hidden tests"


def test_feedback_never_shows_hidden_tests(graded):
    # This wrong answer passes the visible tests and fails a hidden one, so an
    # unfiltered feedback page would quote the hidden test in its traceback.
    student, root = "wrong_precision_recall", graded["root"]
    _run_nbgrader(root, "generate_feedback", ASSIGNMENT, "--student", student)
    page = root / "autograder" / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html"
    shown = " ".join(BeautifulSoup(page.read_text(), "html.parser").get_text().split())

    source = nbformat.read(SOURCE, as_version=4)
    hidden = {
        " ".join(line.split())
        for cell in source.cells
        for kind, body in REGION.findall(cell.source)
        if kind == "HIDDEN TESTS"
        for line in body.splitlines()
        if len(line.strip()) > 12
    }
    # Text a learner sees in the release anyway (a shared call, a hint) proves nothing.
    released = " ".join(" ".join(c.source.split()) for c in nbformat.read(RELEASE, as_version=4).cells)
    hidden = {line for line in hidden if line not in released}
    graded_text = " ".join(" ".join(c.source.split()) for c in _executed(graded, student).cells)
    assert hidden and all(line in graded_text for line in hidden), "autograde restores the hidden tests"
    leaked = sorted(line for line in hidden if line in shown)
    assert not leaked, f"feedback shows hidden test lines: {leaked[:3]}"
    assert "AssertionError" in shown, "the failing hidden test's message should still be shown"
    score = graded["scores"][student]["test_precision_recall"][0]
    assert score == 0 and "Test cell (Score: 0.0 / " in shown


def test_validate_button_messages():
    # `nbgrader validate` is what JupyterLab's Validate button runs.
    solved = nbgrader("validate", str(SOURCE), root=REPO)
    assert "Success! Your notebook passes all the tests." in solved.stdout, solved.stdout[-2000:]
    blank = nbgrader("validate", str(RELEASE), root=REPO).stdout
    assert "VALIDATION FAILED" in blank
    assert blank.count(f"NotImplementedError: {NOT_ATTEMPTED}") == len(
        _autograded_points(nbformat.read(SOURCE, as_version=4))
    ), "each unanswered question should say it was not attempted"
