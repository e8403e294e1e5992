"""What a learner and an instructor read first: the question statuses (grading/questions.py),
the feedback summary for a submission that ran too long, a hidden test without a message,
lesson links that lead to a real section, and the tampering note on a copy of the solutions.

The class report and the feedback of the small graded class are in test_feedback_export_report.py.
"""

from __future__ import annotations

import re
import secrets

import graded_class
import nbformat
import pytest
import submissions
from bs4 import BeautifulSoup
from conftest import REPO
from graded_class import ASSIGNMENT, NOTEBOOK, RELEASE, SOURCE

from borderdesk.chapters import ready_chapters
from borderdesk.grading.feedback import HIDDEN_NO_MESSAGE, summary_rows
from borderdesk.grading.questions import FAILED, NOT_ATTEMPTED, PASSED, questions, statuses, summary_line
from borderdesk.grading.report import question_rows
from borderdesk.grading.results import GRADED, ClassResults, StudentResult

HIDDEN_SECRET = "assert respond_by('ebay.de', SECRET_CASE) == 42"


def _executed_test_cell(source: str, line: int, evalue: str):
    """A test cell as nbclient leaves it after line ``line`` raised an AssertionError."""
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "test_q", "points": 2, "locked": True}
    arrow = f"\x1b[0;32m---> {line}\x1b[0m " + source.splitlines()[line - 1]
    cell.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue=evalue,
            traceback=[
                "\x1b[0;31m----------\x1b[0m",
                "\x1b[0;31mAssertionError\x1b[0m   Traceback (most recent call last)",
                f"Cell \x1b[0;32mIn[3], line {line}\x1b[0m\n      1 x = 1\n{arrow}",
                f"\x1b[0;31mAssertionError\x1b[0m: {evalue}",
            ],
        )
    ]
    return cell


def _notebook(*cells):
    heading = nbformat.v4.new_markdown_cell("### Question 1 · `respond_by(site, day)` (2 points)")
    return nbformat.v4.new_notebook(cells=[heading, *cells])


def test_a_hidden_test_without_a_message():
    source = f"x = 1\nassert x == 1, 'visible'\n### BEGIN HIDDEN TESTS\n{HIDDEN_SECRET}\n### END HIDDEN TESTS"
    nb = _notebook(_executed_test_cell(source, 4, ""))
    (status,) = statuses(nb)
    assert (status.state, status.hidden, status.failing_line) == (FAILED, True, HIDDEN_SECRET)
    assert status.question.title == "Question 1 · respond_by(site, day)" and status.question.points == 2

    # The instructor sees the failing statement; the learner a message that gives nothing away.
    results = ClassResults(
        "hw", ["test_q"], {"test_q": 2.0}, ["test_q"], [StudentResult("ana", GRADED, total=0, scores={"test_q": 0})]
    )
    (row,) = question_rows(results, {"test_q": status.question}, {"ana": {"test_q": status}}, REPO, REPO)
    (mistake,) = row.mistakes
    assert (mistake.message, mistake.hidden, mistake.students) == (HIDDEN_SECRET, True, ["ana"])
    (learner,) = summary_rows([status], {"test_q": 0.0}, [], {"test_q": 2.0})
    assert learner.result == "wrong" and learner.message.endswith(HIDDEN_NO_MESSAGE)
    assert "SECRET_CASE" not in learner.message + learner.review


def test_a_visible_failure_and_placeholders():
    source = "x = 1\nassert x == 2, (\n    'x should be 2')\n"
    (status,) = statuses(_notebook(_executed_test_cell(source, 2, "x should be 2")))
    assert (status.state, status.hidden) == (FAILED, False)
    assert status.failing_line == "assert x == 2, (\n    'x should be 2')", "the whole statement, not one line"
    assert status.message == "AssertionError: x should be 2"

    placeholder = _executed_test_cell(source, 2, "")
    placeholder.outputs[0].update(ename="NotImplementedError", evalue="Not attempted yet: `f` still raises")
    passed = _executed_test_cell(source, 2, "")
    passed.outputs = []
    found = statuses(_notebook(placeholder, passed))
    assert [s.state for s in found] == [NOT_ATTEMPTED, PASSED]
    assert summary_line(found) == "1 of 2 questions pass"


@pytest.mark.parametrize("mode", ["Plain", "Context"])
def test_the_failing_statement_is_found_in_a_real_kernels_traceback(mode):
    """Grading kernels print tracebacks in Plain mode (zygote.GRADING_KERNEL_ARGS), Validate and the lab in Context:
    the report and Validate find the failing statement in both, from a traceback IPython really printed."""
    from nbclient import NotebookClient

    source = "x = 1\nassert x == 1, 'fine'\nassert x == 2, (\n    'x should be 2')\n"
    cell = _executed_test_cell(source, 3, "x should be 2")
    cell.outputs = []
    nb = _notebook(cell)
    NotebookClient(
        nb, kernel_name="python3", allow_errors=True, extra_arguments=[f"--InteractiveShell.xmode={mode}"]
    ).execute()
    (status,) = statuses(nb)
    assert (status.state, status.failing_line) == (FAILED, "assert x == 2, (\n    'x should be 2')")
    assert status.message == "AssertionError: x should be 2"


def test_every_lesson_link_leads_to_a_section_of_the_chapter():
    """Each grade cell of a ready assignment that names a lesson section names one that exists."""
    checked = 0
    for chapter in ready_chapters(REPO):
        if not chapter.assignment:
            continue
        headings = {}
        for lesson in chapter.lesson:
            cells = nbformat.read(REPO / lesson, as_version=4).cells
            headings[lesson] = {
                line.lstrip("#").strip()
                for c in cells
                if c.cell_type == "markdown"
                for line in c.source.splitlines()
                if line.startswith("#")
            }
        for q in questions(nbformat.read(REPO / "solutions" / chapter.assignment / f"{chapter.assignment}.ipynb", 4)):
            if not q.lesson and chapter.assignment not in ("01_platform_rules", "02_language", "04_complaints"):
                continue  # a new chapter may not name its sections yet; the report then links nothing
            assert q.lesson in headings, (
                f"{chapter.assignment} {q.grade_id}: {q.lesson!r} is not a lesson of the chapter"
            )
            assert q.section in headings[q.lesson], f"{chapter.assignment} {q.grade_id}: no heading {q.section!r}"
            checked += 1
    assert checked >= 25


def test_a_copy_of_the_solutions_is_named_as_such():
    from borderdesk.grading.integrity import tampering

    detail = tampering(nbformat.read(SOURCE, as_version=4), nbformat.read(RELEASE, as_version=4))
    assert detail.startswith(
        "this notebook contains the assignment's hidden tests: it looks like a copy of the solutions notebook, "
        "not a learner's submission; edited test cells "
    ), detail


@pytest.fixture(scope="module")
def looping_class(tmp_path_factory):
    """One submission with an endless loop after the setup, graded with a 3 s cell timeout."""
    graded_class.require_program("bwrap")
    root = graded_class.copy_course(tmp_path_factory.mktemp("looping") / "course", "solutions", "exercises")
    (root / "data").symlink_to(REPO / "data", target_is_directory=True)
    db_url = f"sqlite:///{root / 'autograder' / 'gradebook.db'}"
    graded_class.borderdesk(root, db_url, "release", ASSIGNMENT)
    folder = submissions.write(root, "looping", "infinite_loop")
    (folder / "timestamp.txt").write_text(graded_class.ON_TIME)
    (folder / "submission_secret.txt").write_text(secrets.token_hex(64))
    graded = graded_class.borderdesk(root, db_url, "grade", ASSIGNMENT, "--timeout", "3", "--budget", "300")
    return root, db_url, graded.stdout


def test_grade_says_the_written_answer_is_pending(looping_class):
    _, _, stdout = looping_class
    text = " ".join(stdout.split())
    assert "looping: 22/22 autograded + reply_to_inquiry pending - cell " in text, stdout
    assert re.search(r"written answers to grade by hand │ +1 │", stdout), stdout


def test_feedback_explains_a_timeout(looping_class, monkeypatch):
    from borderdesk.grading.feedback import feedback

    root, db_url, _ = looping_class
    monkeypatch.setenv("BORDERDESK_DB_URL", db_url)
    feedback(ASSIGNMENT, allow_pending=True, release=False, root=root)
    page = BeautifulSoup(
        (root / "autograder" / "feedback" / "looping" / ASSIGNMENT / f"{NOTEBOOK}.html").read_text(), "html.parser"
    )
    (note,) = page.select("#borderdesk-summary .timeout")
    frames = next(
        i
        for i, c in enumerate(nbformat.read(RELEASE, 4).cells)
        if c.metadata.get("nbgrader", {}).get("grade_id") == "toy_frames"
    )
    loop = frames + 2  # submissions.infinite_loop puts it after the toy frames; counted from 1
    text = " ".join(note.get_text().split())
    assert text.startswith(f"Your code ran too long. Cell {loop} (counting every cell from the top"), text
    assert "was still running after 3 s and was stopped. It starts with while True:" in text
    assert page.find(id="summary-line").get_text(strip=True).startswith("8 of 8 questions pass.")
    style = page.find(id="borderdesk-summary").find_previous("style").get_text()
    assert "white-space:pre-wrap" in style and ".output_subarea{max-height:24em;overflow:auto}" in style
