"""What the shared assignment suite (tests/test_assignments.py) knows about one assignment.

Each assignment of the manifest has a file ``tests/assignments/<assignment>.py`` holding its
known-wrong answers, as data:

* ``WRONG_ANSWERS``: ``{grade_id of an answer cell: a whole answer cell}``, one per
  autograded question. The solution with that cell swapped in must lose exactly the points
  of the test cell ``test_<grade_id>`` and keep every other point.
* ``MESSAGES``: ``{grade_id: text}`` for the wrong answers a visible test catches: the text
  the learner must see in that test's message.
* ``HIDDEN_ONLY``: the grade_ids whose wrong answer passes every visible test, so that only
  a hidden test fails it (at least one: the feedback test needs it).

Every wrong answer is in exactly one of ``MESSAGES`` and ``HIDDEN_ONLY``.
``wrong_answers("01_platform_rules")`` is the import for other tests and benchmarks.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType

import nbformat

REPO = Path(__file__).resolve().parents[1]
ANSWERS = REPO / "tests" / "assignments"
EXAMPLE = "tests/assignments/01_platform_rules.py"
HIDDEN_START = "### BEGIN HIDDEN TESTS"
REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)
NOT_ATTEMPTED = "Not attempted yet"


def answers_path(assignment: str) -> Path:
    return ANSWERS / f"{assignment}.py"


class MissingAnswersFile(AssertionError):
    """An assignment of the manifest has no tests/assignments/<assignment>.py."""


@cache
def _module(assignment: str) -> ModuleType:
    path = answers_path(assignment)
    if not path.is_file():
        raise MissingAnswersFile(
            f"assignment {assignment} has no known-wrong answers: add {path.relative_to(REPO)} with "
            "WRONG_ANSWERS = {grade_id of each answer cell: a plausible wrong answer}, MESSAGES and "
            f"HIDDEN_ONLY (see {EXAMPLE} and the docstring of tests/assignment_suite.py)"
        )
    spec = importlib.util.spec_from_file_location(f"wrong_answers_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wrong_answers(assignment: str) -> dict[str, str]:
    """``{grade_id: answer cell source}`` of ``tests/assignments/<assignment>.py``."""
    return dict(_module(assignment).WRONG_ANSWERS)


@dataclass(frozen=True)
class Expectations:
    wrong_answers: dict[str, str]
    messages: dict[str, str] = field(default_factory=dict)
    hidden_only: frozenset[str] = frozenset()


def expectations(assignment: str) -> Expectations:
    module = _module(assignment)
    return Expectations(
        dict(module.WRONG_ANSWERS),
        dict(getattr(module, "MESSAGES", {})),
        frozenset(getattr(module, "HIDDEN_ONLY", ())),
    )


def has_answers_file(assignment: str) -> bool:
    return answers_path(assignment).is_file()


# --- the assignment's notebooks -------------------------------------------------------


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def source_path(assignment: str, root: Path = REPO) -> Path:
    return root / "solutions" / assignment / f"{assignment}.ipynb"


def release_path(assignment: str, root: Path = REPO) -> Path:
    return root / "exercises" / assignment / f"{assignment}.ipynb"


def read(path: Path):
    return nbformat.read(path, as_version=4)


def autograded_points(nb) -> dict[str, float]:
    """``{test grade_id: points}`` of the autograded test cells."""
    return {
        nbgrader_meta(c)["grade_id"]: nbgrader_meta(c)["points"]
        for c in nb.cells
        if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")
    }


def answer_cells(nb) -> list[str]:
    """grade_ids of the autograded answer cells (code cells with a solution)."""
    return [
        nbgrader_meta(c)["grade_id"] for c in nb.cells if nbgrader_meta(c).get("solution") and c.cell_type == "code"
    ]


def manual_cells(nb) -> dict[str, float]:
    """``{grade_id: points}`` of the answers graded by hand (a solution cell with points)."""
    return {
        nbgrader_meta(c)["grade_id"]: nbgrader_meta(c)["points"]
        for c in nb.cells
        if nbgrader_meta(c).get("grade") and nbgrader_meta(c).get("solution")
    }


def with_answer(nb, grade_id: str, source: str):
    """A copy of ``nb`` with the answer cell ``grade_id`` replaced by ``source``."""
    nb = nbformat.from_dict(nb)
    cells = [c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id]
    assert len(cells) == 1 and nbgrader_meta(cells[0]).get("solution"), f"no answer cell {grade_id!r}"
    cells[0].source = source.strip("\n")
    return nb


def hidden_lines(nb, min_length: int = 12) -> set[str]:
    """The whitespace-normalised lines of the hidden tests of ``nb`` (a source notebook)."""
    return {
        " ".join(line.split())
        for cell in nb.cells
        for kind, body in REGION.findall(cell.source)
        if kind == "HIDDEN TESTS"
        for line in body.splitlines()
        if len(line.strip()) > min_length
    }


ANSI = re.compile(r"\x1b\[[0-9;]*m")
FIRST_FRAME_LINE = re.compile(r"^-*> ?(\d+)", re.M)


def error_line(cell) -> int | None:
    """1-based line of ``cell`` (an executed code cell) where its error was raised, if any."""
    for out in cell.get("outputs", []):
        if out.output_type == "error":
            frames = [ANSI.sub("", frame) for frame in out.traceback]
            for frame in frames:  # the first frame that points at a line is the cell itself
                match = FIRST_FRAME_LINE.search(frame)
                if match:
                    return int(match.group(1))
    return None


def hidden_start_line(cell) -> int | None:
    for number, line in enumerate(cell.source.splitlines(), start=1):
        if line.strip() == HIDDEN_START:
            return number
    return None
