"""The questions of an assignment notebook, and where each stands in an executed notebook.

One home for "per-question status", read by the class report, the learner's feedback and
Validate. A question is a grade cell: an autograded test cell (code, ``grade: true``) or a
written answer (a graded solution cell). Its title is the last markdown heading before it,
unless the cell's ``metadata.borderdesk.title`` says otherwise; ``metadata.borderdesk.lesson``
(a lesson notebook, e.g. ``course/01_platform_rules/3_b2b_inquiries.ipynb``) and
``metadata.borderdesk.section`` (a heading in it) name the lesson section it practises.

The status of a test cell comes from its outputs: no error is a pass; a placeholder still
raising ``NotImplementedError("Not attempted yet ...")`` is not attempted; any other error
fails, with its first error as the message. A failing line inside the cell's hidden-test
region makes it a hidden test's failure. Only nbformat is needed (no nbgrader, no kernel).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

PASSED, FAILED, NOT_ATTEMPTED, WRITTEN = "passed", "failed", "not attempted", "written"
AUTOGRADED, WRITTEN_ANSWER = "autograded", "written"
NOT_ATTEMPTED_TEXT = "Not attempted yet"  # borderdesk.checks.NOT_ATTEMPTED (that module imports pandas)
# What nbclient leaves in a cell it interrupted after the timeout.
TIMEOUT_ERRORS = ("KeyboardInterrupt", "CellTimeoutError", "TimeoutError")
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# A frame of the cell itself, in every traceback mode: "Cell In[3], line 4" (Plain, as grading kernels
# print them, and Context, as the lab does).
_CELL_FRAME = re.compile(r"^\s*Cell In\[\d+\], line (\d+)")
_POINTS_TAIL = re.compile(r"\s*\([^()]*\bpoints?\b[^()]*\)\s*$")
_DELIMITER = re.compile(r"^#+\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)")


@dataclass(frozen=True)
class Question:
    grade_id: str
    title: str
    points: float
    kind: str  # AUTOGRADED | WRITTEN_ANSWER
    lesson: str = ""  # a lesson notebook, relative to the course folder
    section: str = ""  # a heading of that lesson


@dataclass(frozen=True)
class Status:
    question: Question
    state: str  # PASSED | FAILED | NOT_ATTEMPTED | WRITTEN
    message: str = ""  # "AssertionError: ..." (the first error of the test cell)
    hidden: bool = False  # the failing line is a hidden test
    failing_line: str = ""  # the statement the traceback points at: for instructors only
    timed_out: bool = False  # a cell of this question ran too long and was interrupted
    timed_out_cell: int | None = None  # which one (1-based, in notebook order)


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _kind(cell) -> str | None:
    meta = _nbgrader(cell)
    if not meta.get("grade"):
        return None
    if cell.get("cell_type") == "code" and not meta.get("solution"):
        return AUTOGRADED
    return WRITTEN_ANSWER


def heading(line: str) -> str:
    """``### Question 1 · `f(x)` (3 points)`` -> ``Question 1 · f(x)``."""
    text = line.lstrip("#").strip().replace("`", "")
    return _POINTS_TAIL.sub("", text).strip()


def questions(nb) -> list[Question]:
    """The grade cells of ``nb`` in notebook order, with title, points and lesson section."""
    found, last_heading = [], ""
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            lines = [line for line in cell.source.splitlines() if line.startswith("#") and not _DELIMITER.match(line)]
            if lines and _kind(cell) is None:
                last_heading = heading(lines[-1])
        kind = _kind(cell)
        if kind is None:
            continue
        ours = cell.get("metadata", {}).get("borderdesk", {})
        meta = _nbgrader(cell)
        found.append(
            Question(
                grade_id=meta.get("grade_id", "?"),
                title=ours.get("title") or last_heading or meta.get("grade_id", "?"),
                points=float(meta.get("points", 0) or 0),
                kind=kind,
                lesson=ours.get("lesson", ""),
                section=ours.get("section", ""),
            )
        )
    return found


def _first_error(cell):
    return next((out for out in cell.get("outputs", []) if out.get("output_type") == "error"), None)


def _failing_line_number(error) -> int | None:
    """The line of the cell itself (its first ``Cell In[..]`` frame) that raised."""
    for frame in error.get("traceback", [])[1:]:
        match = _CELL_FRAME.match(_ANSI.sub("", frame))
        if match:
            return int(match.group(1))
    return None


def _statement_at(source: str, number: int) -> str:
    """The whole statement starting at line ``number`` (an assert often spans lines)."""
    lines = source.splitlines()
    if not 1 <= number <= len(lines):
        return ""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return lines[number - 1].strip()
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.lineno == number and not isinstance(node, ast.FunctionDef | ast.For):
            return ast.get_source_segment(source, node) or lines[number - 1].strip()
    return lines[number - 1].strip()


def _in_hidden_region(source: str, number: int) -> bool:
    inside = False
    for index, line in enumerate(source.splitlines(), start=1):
        if line.strip() == BEGIN_HIDDEN:
            inside = True
        elif line.strip() == END_HIDDEN:
            inside = False
        elif index == number:
            return inside
    return False


def error_message(error) -> str:
    """``ename: evalue`` of an error output."""
    return f"{error.get('ename', 'Error')}: {error.get('evalue', '')}".strip()


def statuses(nb, release=None, source=None) -> list[Status]:
    """Each question's status in the executed notebook ``nb`` (in notebook order).

    A timeout is pinned on the question whose cells (since the previous test cell) ran too long.
    With ``release`` (the notebook as learners got it), a written answer left as released is
    NOT_ATTEMPTED rather than WRITTEN. With ``source`` (the solutions notebook), titles, points
    and lesson sections come from it, not from the learner's copy (an old release, or edited).
    """
    truth = {q.grade_id: q for q in questions(source)} if source is not None else {}
    found = iter([truth.get(q.grade_id, q) for q in questions(nb)])
    released = {_nbgrader(c).get("grade_id"): c.source.strip() for c in (release.cells if release else [])}
    result, timed_out_cell = [], None
    for number, cell in enumerate(nb.cells, start=1):
        error = _first_error(cell) if cell.get("cell_type") == "code" else None
        if error is not None and error.get("ename") in TIMEOUT_ERRORS and timed_out_cell is None:
            timed_out_cell = number
        kind = _kind(cell)
        if kind is None:
            continue
        question = next(found)
        if kind == WRITTEN_ANSWER:
            untouched = released.get(question.grade_id) == cell.source.strip()
            result.append(Status(question, NOT_ATTEMPTED if untouched else WRITTEN))
            continue
        timeout = {"timed_out": timed_out_cell is not None, "timed_out_cell": timed_out_cell}
        timed_out_cell = None
        if error is None:
            result.append(Status(question, PASSED, **timeout))
            continue
        message = error_message(error)
        if error.get("ename") == "NotImplementedError" and NOT_ATTEMPTED_TEXT in str(error.get("evalue", "")):
            result.append(Status(question, NOT_ATTEMPTED, message, **timeout))
            continue
        line = _failing_line_number(error)
        source = cell.source
        result.append(
            Status(
                question,
                FAILED,
                message,
                hidden=line is not None and _in_hidden_region(source, line),
                failing_line=_statement_at(source, line) if line else "",
                **timeout,
            )
        )
    return result


def summary_line(found: list[Status]) -> str:
    """``3 of 8 questions pass`` (autograded questions only)."""
    tested = [s for s in found if s.question.kind == AUTOGRADED]
    passed = sum(s.state == PASSED for s in tested)
    return f"{passed} of {len(tested)} question{'s' if len(tested) != 1 else ''} pass"
