"""Every assignment of the manifest through nbgrader, end to end: one suite, written once.

For each assignment (``borderdesk.chapters.assignments()``) a throwaway copy of the course
(config, solutions/, data/ linked) gets a fresh release, then these submissions, graded in a
single plain ``nbgrader autograde`` run per assignment:

* ``solution``: the source notebook, which must earn every autograded point;
* ``blank``: the committed release, unanswered, which must earn none and say "Not attempted
  yet" in every test cell;
* ``wrong_<grade_id>``: the solution with one answer cell replaced by a known-wrong answer
  from ``tests/assignments/<assignment>.py``, which must lose exactly that question's points,
  caught where that file says (a visible test's message, or a hidden test only).

The same run checks that the committed exercises/ equal the fresh release, and feedback pages
that nbgrader renders from the graded notebooks never show hidden test text. Scores are read
back from the gradebook with nbgrader's own API. Adding an assignment adds no code here: its
manifest entry and its file of wrong answers (tests/assignment_suite.py says what it holds).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from assignment_suite import (
    NOT_ATTEMPTED,
    REGION,
    MissingAnswersFile,
    answer_cells,
    answers_path,
    autograded_points,
    error_line,
    expectations,
    has_answers_file,
    hidden_lines,
    hidden_start_line,
    manual_cells,
    nbgrader_meta,
    read,
    release_path,
    source_path,
    with_answer,
)
from bs4 import BeautifulSoup
from conftest import REPO, copy_course
from nbgrader.api import Gradebook

from borderdesk.chapters import assignments
from borderdesk.grading.release import nbgrader

ASSIGNMENTS = assignments(REPO)
FEEDBACK_SCORE_LINE = "Test cell (Score: 0.0 / "  # nbgrader's feedback page, on a failed test cell


def _wrong_cases():
    return [
        pytest.param(assignment, grade_id, id=f"{assignment}-{grade_id}")
        for assignment in ASSIGNMENTS
        if has_answers_file(assignment)
        for grade_id in sorted(expectations(assignment).wrong_answers)
    ]


each_assignment = pytest.mark.parametrize("assignment", ASSIGNMENTS)
each_wrong_answer = pytest.mark.parametrize("assignment, grade_id", _wrong_cases())


def _run_nbgrader(root: Path, *args: str):
    result = nbgrader(*args, root=root)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stderr[-3000:]}"
    return result


@dataclass
class GradedClass:
    """One assignment released, submitted and autograded in a throwaway course."""

    assignment: str
    root: Path
    scores: dict[str, dict[str, tuple]]  # student -> grade name -> (score, max_score, needs_manual_grade)
    log: str
    timings: dict[str, float]
    feedback: dict[str, str] = field(default_factory=dict)  # student -> text shown on the page

    def executed(self, student: str):
        a = self.assignment
        return read(self.root / "autograder" / "autograded" / student / a / f"{a}.ipynb")

    def autograded(self, student: str) -> dict[str, tuple]:
        """``{test grade_id: (score, max_score)}`` of the student's autograded questions."""
        points = autograded_points(read(source_path(self.assignment)))
        return {name: self.scores[student][name][:2] for name in points}

    def feedback_pages(self) -> dict[str, str]:
        """Every student's feedback page as text (nbgrader generate_feedback, run once)."""
        if not self.feedback:
            _run_nbgrader(self.root, "generate_feedback", self.assignment)
            a = self.assignment
            for student in self.scores:
                page = self.root / "autograder" / "feedback" / student / a / f"{a}.html"
                self.feedback[student] = " ".join(BeautifulSoup(page.read_text(), "html.parser").get_text().split())
        return self.feedback


def _grade(assignment: str, workdir: Path) -> GradedClass:
    root = copy_course(workdir / "course", "solutions")
    (root / "data").symlink_to(REPO / "data", target_is_directory=True)
    timings = {}

    start = time.perf_counter()
    _run_nbgrader(root, "generate_assignment", assignment, "--force")  # fills the gradebook
    timings["generate_assignment"] = time.perf_counter() - start

    source = read(source_path(assignment))
    wrong = expectations(assignment).wrong_answers if has_answers_file(assignment) else {}
    submissions = {
        "solution": source,
        "blank": read(release_path(assignment)),
        **{f"wrong_{gid}": with_answer(source, gid, src) for gid, src in wrong.items()},
    }
    for student, nb in submissions.items():
        folder = root / "autograder" / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{assignment}.ipynb")

    start = time.perf_counter()
    log = _run_nbgrader(root, "autograde", assignment).stderr
    timings["autograde"] = time.perf_counter() - start

    scores = {}
    with Gradebook(f"sqlite:///{root / 'autograder' / 'gradebook.db'}") as gradebook:
        for student in submissions:
            notebook = gradebook.find_submission_notebook(assignment, assignment, student)
            scores[student] = {g.name: (g.score, g.max_score, g.needs_manual_grade) for g in notebook.grades}
    print(
        f"\n{assignment} pipeline, {len(submissions)} submissions: "
        + ", ".join(f"{step} {seconds:.1f}s" for step, seconds in timings.items())
    )
    return GradedClass(assignment, root, scores, log, timings)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """``graded(assignment)``: that assignment's class, graded once per test run and shared."""
    classes: dict[str, GradedClass] = {}

    def get(assignment: str) -> GradedClass:
        if assignment not in classes:
            classes[assignment] = _grade(assignment, tmp_path_factory.mktemp(assignment))
        return classes[assignment]

    return get


def _errors(nb):
    return [(c.id, out) for c in nb.cells if c.cell_type == "code" for out in c.outputs if out.output_type == "error"]


def _test_cell(nb, grade_id: str):
    (cell,) = [c for c in nb.cells if nbgrader_meta(c).get("grade_id") == f"test_{grade_id}"]
    return cell


# --- the assignment and its file of wrong answers, without grading -----------------------


def test_the_manifest_has_assignments():
    assert ASSIGNMENTS, "course/chapters.yaml lists no ready chapter with an assignment"


@each_assignment
def test_source_notebook_has_the_planned_questions(assignment):
    nb = read(source_path(assignment))
    points, answers = autograded_points(nb), answer_cells(nb)
    assert 4 <= len(points) <= 8, f"{assignment}: an assignment has 4 to 8 autograded questions, found {len(points)}"
    assert sorted(points) == sorted(f"test_{gid}" for gid in answers), (
        f"{assignment}: each answer cell <id> needs one test cell test_<id>; answers {answers}, tests {sorted(points)}"
    )
    manual = {gid: p for gid, p in manual_cells(nb).items() if gid not in answers}
    assert manual and all(p > 0 for p in manual.values()), f"{assignment}: needs a written task graded by hand"


@each_assignment
def test_every_question_has_a_known_wrong_answer(assignment):
    try:
        expected = expectations(assignment)
    except MissingAnswersFile as missing:
        pytest.fail(str(missing), pytrace=False)
    answers = answer_cells(read(source_path(assignment)))
    where = answers_path(assignment).relative_to(REPO)
    missing = sorted(set(answers) - set(expected.wrong_answers))
    assert not missing, f"{where}: add a known-wrong answer to WRONG_ANSWERS for {missing}"
    unknown = sorted(set(expected.wrong_answers) - set(answers))
    assert not unknown, f"{where}: WRONG_ANSWERS names {unknown}, which are not answer cells of {assignment}"
    both = sorted(set(expected.messages) & expected.hidden_only)
    assert not both, f"{where}: {both} are in MESSAGES and in HIDDEN_ONLY; a wrong answer is caught one way"
    untold = sorted(set(expected.wrong_answers) - set(expected.messages) - expected.hidden_only)
    assert not untold, (
        f"{where}: say how the wrong answers to {untold} are caught: the visible test's words in MESSAGES, "
        "or the grade_id in HIDDEN_ONLY"
    )
    assert expected.hidden_only, (
        f"{where}: HIDDEN_ONLY is empty; add a wrong answer that passes every visible test (an edge case), "
        "so the suite sees hidden tests at work and checks the feedback page hides them"
    )


def test_a_missing_answers_file_says_which_file_to_add():
    with pytest.raises(MissingAnswersFile) as missing:
        expectations("99_not_written")
    assert str(missing.value).startswith(
        "assignment 99_not_written has no known-wrong answers: add tests/assignments/99_not_written.py with "
        "WRONG_ANSWERS = {grade_id of each answer cell: a plausible wrong answer}"
    ), str(missing.value)


@each_assignment
def test_release_holds_no_solutions_and_no_hidden_tests(assignment):
    source, release = read(source_path(assignment)), read(release_path(assignment))
    released_lines = {line.strip() for cell in release.cells for line in cell.source.splitlines()}
    released_text = "\n".join(cell.source for cell in release.cells)
    assert "BEGIN SOLUTION" not in released_text and "HIDDEN TESTS" not in released_text
    secret, public = set(), set()
    for cell in source.cells:
        for _kind, body in REGION.findall(cell.source):
            secret.update(line.strip() for line in body.splitlines())
        public.update(line.strip() for line in REGION.sub("", cell.source).splitlines())
    # Lines that also occur outside the regions (a bare ")" or "return out") prove nothing.
    leaked = sorted(line for line in secret - public if len(line) > 3 and line in released_lines)
    assert not leaked, f"the release of {assignment} shows solution or hidden-test lines: {leaked[:5]}"
    assert secret - public, f"expected {assignment}'s source to hold solutions and hidden tests"


@each_assignment
def test_validate_button_messages(assignment):
    # `nbgrader validate` is what JupyterLab's Validate button runs.
    solved = nbgrader("validate", str(source_path(assignment)), root=REPO)
    assert "Success! Your notebook passes all the tests." in solved.stdout, solved.stdout[-2000:]
    blank = nbgrader("validate", str(release_path(assignment)), root=REPO).stdout
    assert "VALIDATION FAILED" in blank
    questions = len(autograded_points(read(source_path(assignment))))
    assert blank.count(f"NotImplementedError: {NOT_ATTEMPTED}") == questions, (
        f"each of the {questions} unanswered questions should say it was not attempted:\n{blank[-3000:]}"
    )


# --- the graded class ---------------------------------------------------------------------


@each_assignment
def test_exercises_equal_a_fresh_release(graded, assignment):
    fresh_root, folder = graded(assignment).root, Path("exercises") / assignment
    fresh = sorted(p.relative_to(fresh_root) for p in (fresh_root / folder).rglob("*") if p.is_file())
    committed = sorted(p.relative_to(REPO) for p in (REPO / folder).rglob("*") if p.is_file())
    assert fresh == committed, f"{folder} holds other files than a fresh release: run `borderdesk release {assignment}`"
    for rel in committed:
        same = (
            read(fresh_root / rel) == read(REPO / rel)
            if rel.suffix == ".ipynb"
            else (fresh_root / rel).read_bytes() == (REPO / rel).read_bytes()
        )
        assert same, f"{rel} differs from a fresh release: run `borderdesk release {assignment}` and commit {folder}"


@each_assignment
def test_every_submission_was_graded(graded, assignment):
    graded_class = graded(assignment)
    wrong = expectations(assignment).wrong_answers if has_answers_file(assignment) else {}
    assert sorted(graded_class.scores) == sorted(["solution", "blank", *(f"wrong_{g}" for g in wrong)])
    assert "ERROR" not in graded_class.log, graded_class.log[-3000:]


@each_assignment
def test_solution_earns_every_autograded_point(graded, assignment):
    scores = graded(assignment).autograded("solution")
    assert scores == {name: (maximum, maximum) for name, (_, maximum) in scores.items()}, scores
    points = autograded_points(read(source_path(assignment)))
    assert {name: maximum for name, (_, maximum) in scores.items()} == points, "gradebook and notebook disagree"


@each_assignment
def test_solution_written_answers_wait_for_the_grader(graded, assignment):
    scores = graded(assignment).scores["solution"]
    manual = manual_cells(read(source_path(assignment)))
    waiting = {gid: scores[gid][2] for gid in manual if gid not in answer_cells(read(source_path(assignment)))}
    assert waiting and all(waiting.values()), f"written answers must be flagged for manual grading: {waiting}"


@each_assignment
def test_blank_release_earns_nothing(graded, assignment):
    scores = graded(assignment).scores["blank"]
    assert all(score == 0 for score, _, _ in scores.values()), scores
    # nbgrader scores an untouched written answer 0 by itself: nothing for the grader to read.
    waiting = [name for name, (_, _, needs_manual) in scores.items() if needs_manual]
    assert not waiting, f"unchanged answer cells should not wait for manual grading: {waiting}"


@each_assignment
def test_graded_blank_says_not_attempted_on_each_question(graded, assignment):
    # nbgrader ran the release with the hidden tests put back: still only the stub's message.
    nb = graded(assignment).executed("blank")
    for name in autograded_points(nb):
        (cell,) = [c for c in nb.cells if nbgrader_meta(c).get("grade_id") == name]
        errors = [out for out in cell.outputs if out.output_type == "error"]
        assert len(errors) == 1, f"{name}: expected one error, got {[e.ename for e in errors]}"
        assert errors[0].ename == "NotImplementedError" and NOT_ATTEMPTED in errors[0].evalue, (
            f"{name} of the unanswered release should fail with {NOT_ATTEMPTED!r}, "
            f"got {errors[0].ename}: {errors[0].evalue}"
        )
    others = [(cell_id, out.ename) for cell_id, out in _errors(nb) if out.ename != "NotImplementedError"]
    assert not others, f"the unanswered release raised other errors: {others}"


@each_assignment
def test_graded_solution_runs_without_errors(graded, assignment):
    nb = graded(assignment).executed("solution")
    assert not _errors(nb), _errors(nb)[:3]
    hidden = [c for c in nb.cells if "### BEGIN HIDDEN TESTS" in c.source]
    assert len(hidden) == len(autograded_points(nb)), "autograde should run the hidden tests of every question"


@each_wrong_answer
def test_wrong_answer_loses_exactly_its_question(graded, assignment, grade_id):
    scores = graded(assignment).autograded(f"wrong_{grade_id}")
    target = f"test_{grade_id}"
    expected = {name: (0 if name == target else maximum, maximum) for name, (_, maximum) in scores.items()}
    assert scores == expected, f"the wrong {grade_id} should cost only {target}: {scores}"


@each_wrong_answer
def test_wrong_answer_is_caught_where_its_file_says(graded, assignment, grade_id):
    expected = expectations(assignment)
    cell = _test_cell(graded(assignment).executed(f"wrong_{grade_id}"), grade_id)
    errors = [out for out in cell.outputs if out.output_type == "error"]
    assert len(errors) == 1, f"test_{grade_id} should fail once, got {[e.ename for e in errors]}"
    line, hidden_from = error_line(cell), hidden_start_line(cell)
    assert line is not None and hidden_from is not None, "cannot tell which line of the test cell failed"
    where = answers_path(assignment).relative_to(REPO)
    if grade_id in expected.hidden_only:
        assert line > hidden_from, (
            f"a visible test (line {line}) catches the wrong {grade_id}: move it from HIDDEN_ONLY to MESSAGES in {where}"
        )
    else:
        assert line < hidden_from, f"only a hidden test catches the wrong {grade_id}: list it in HIDDEN_ONLY in {where}"
        shown = f"{errors[0].ename}: {errors[0].evalue}"
        assert expected.messages[grade_id] in shown, f"the visible test of {grade_id} now says: {shown}"


@each_assignment
def test_feedback_never_shows_hidden_tests(graded, assignment):
    graded_class = graded(assignment)
    pages = graded_class.feedback_pages()
    hidden = hidden_lines(read(source_path(assignment)))
    # Text a learner sees in the release anyway (a shared call, a hint) proves nothing.
    released = " ".join(" ".join(c.source.split()) for c in read(release_path(assignment)).cells)
    hidden = {line for line in hidden if line not in released}
    graded_text = " ".join(" ".join(c.source.split()) for c in graded_class.executed("solution").cells)
    assert hidden and all(line in graded_text for line in hidden), "autograde restores the hidden tests"
    for student, shown in pages.items():
        leaked = sorted(line for line in hidden if line in shown)
        assert not leaked, f"the feedback page of {student} shows hidden test lines: {leaked[:3]}"
    # These wrong answers fail a hidden test only, so an unfiltered page would quote it.
    for grade_id in sorted(expectations(assignment).hidden_only):
        shown = pages[f"wrong_{grade_id}"]
        cell = _test_cell(graded_class.executed(f"wrong_{grade_id}"), grade_id)
        (error,) = [out for out in cell.outputs if out.output_type == "error"]
        assert error.ename in shown, f"wrong_{grade_id}: the failing hidden test's error should still be shown"
        assert graded_class.scores[f"wrong_{grade_id}"][f"test_{grade_id}"][0] == 0
        assert FEEDBACK_SCORE_LINE in shown
