"""`borderdesk export`: the grades as a CSV, one row per student.

Per-question scores come from nbgrader's gradebook; whether a submission was
graded at all comes from borderdesk's outcome store (``outcome_store.load``), because
nbgrader records a crashed or timed-out submission as an ordinary 0. A question
without a score (submission could not be graded, not submitted, or a written
answer still waiting for the grader) is left empty, never written as 0.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_OUTPUT = Path("autograder") / "grades.csv"

GRADED = "graded"
UNGRADABLE = "could not be graded"
NOT_SUBMITTED = "not submitted"


@dataclass
class StudentResult:
    """One student's result on one assignment."""

    student: str
    status: str  # GRADED | UNGRADABLE | NOT_SUBMITTED
    reason: str = ""
    late: bool = False
    tampered: bool = False
    total: float | None = None
    scores: dict[str, float | None] = field(default_factory=dict)  # question -> score, None = no score
    pending_manual: list[str] = field(default_factory=list)  # questions waiting for the grader


@dataclass
class ClassResults:
    assignment: str
    questions: list[str]  # in notebook order
    max_scores: dict[str, float]
    autograded: list[str]  # the questions whose score comes from tests
    students: list[StudentResult]

    @property
    def max_total(self) -> float:
        return sum(self.max_scores.values())


def _question_order(root: Path, assignment: str, notebook: str, names: set[str]) -> list[str]:
    """Grade cells in the order of the source notebook (the gradebook keeps no order)."""
    import nbformat

    source = root / "solutions" / assignment / f"{notebook}.ipynb"
    order: list[str] = []
    if source.is_file():
        for cell in nbformat.read(source, as_version=4).cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in names:
                order.append(grade_id)
    return order + sorted(names - set(order))


def class_results(db_url: str, assignment: str, root: Path | None = None) -> ClassResults:
    """Every student's per-question scores and grading status on ``assignment``."""
    from nbgrader import api
    from nbgrader.api import Gradebook, MissingEntry

    from ..errors import BorderDeskError
    from ..paths import course_root
    from . import outcome_store

    root = root or course_root()
    with Gradebook(db_url) as gradebook:
        try:
            spec = gradebook.find_assignment(assignment)
        except MissingEntry:
            known = ", ".join(a.name for a in gradebook.assignments) or "none"
            raise BorderDeskError(
                f"assignment {assignment!r} is not in the gradebook ({_safe(db_url)}); known: {known}. "
                "Run `borderdesk grade` (or nbgrader generate_assignment) first"
            ) from None
        notebooks = sorted(nb.name for nb in spec.notebooks)

        def column(notebook: str, cell: str) -> str:
            # Plain grade ids; prefixed only when an assignment has several notebooks.
            return cell if len(notebooks) == 1 else f"{notebook}/{cell}"

        max_scores: dict[str, float] = {}
        autograded: list[str] = []
        questions: list[str] = []
        for notebook in notebooks:
            cells = {c.name: c for c in gradebook.find_notebook(notebook, assignment).grade_cells}
            for name in _question_order(root, assignment, notebook, set(cells)):
                questions.append(column(notebook, name))
                max_scores[column(notebook, name)] = float(cells[name].max_score)
                if cells[name].cell_type == "code":
                    autograded.append(column(notebook, name))

        # One query for every grade of the assignment: thousands of students stay fast.
        rows = (
            gradebook.db.query(
                api.SubmittedAssignment.id,
                api.Notebook.name,
                api.GradeCell.name,
                api.Grade.score,
                api.Grade.needs_manual_grade,
            )
            .select_from(api.Grade)
            .join(api.SubmittedNotebook, api.Grade.notebook_id == api.SubmittedNotebook.id)
            .join(api.SubmittedAssignment, api.SubmittedNotebook.assignment_id == api.SubmittedAssignment.id)
            .join(api.GradeCell, api.Grade.cell_id == api.GradeCell.id)
            .join(api.Notebook, api.GradeCell.notebook_id == api.Notebook.id)
            .filter(api.Notebook.assignment_id == spec.id)
            .all()
        )
        grades: dict[str, dict[str, tuple[float, bool]]] = {}
        for submission_id, notebook, cell, score, manual in rows:
            grades.setdefault(submission_id, {})[column(notebook, cell)] = (score, manual)
        # Plain columns: loading SubmittedAssignment objects computes every score
        # property with a subquery per row (seconds for a class of 2,000).
        submission_ids, late_by_nbgrader = {}, {}
        for student, submission_id, timestamp, extension in gradebook.db.query(
            api.SubmittedAssignment.student_id,
            api.SubmittedAssignment.id,
            api.SubmittedAssignment.timestamp,
            api.SubmittedAssignment.extension,
        ).filter(api.SubmittedAssignment.assignment_id == spec.id):
            submission_ids[student] = submission_id
            # nbgrader's SubmittedAssignment.total_seconds_late > 0, without loading the object
            due = spec.duedate + extension if spec.duedate and extension else spec.duedate
            late_by_nbgrader[student] = bool(timestamp and due and timestamp > due)
        students = [s for (s,) in gradebook.db.query(api.Student.id)]

    outcomes = {o.student: o for o in outcome_store.load(db_url, assignment)}
    results = []
    for student in sorted(set(students) | set(outcomes)):
        outcome = outcomes.get(student)
        if outcome is not None and outcome.status == outcome_store.UNGRADABLE:
            results.append(
                StudentResult(
                    student, UNGRADABLE, outcome.reason, outcome.late, outcome.tampered, scores=dict.fromkeys(questions)
                )
            )
            continue
        if student not in submission_ids:
            results.append(StudentResult(student, NOT_SUBMITTED, scores=dict.fromkeys(questions)))
            continue
        mine = grades.get(submission_ids[student], {})
        scores: dict[str, float | None] = {}
        pending = []
        for q in questions:
            score, manual = mine.get(q, (None, False))
            if manual:  # a written answer nobody has graded yet: no score, not 0
                pending.append(q)
                score = None
            scores[q] = score
        results.append(
            StudentResult(
                student,
                GRADED,
                late=outcome.late if outcome else late_by_nbgrader[student],
                tampered=outcome.tampered if outcome else False,
                total=sum(s for s in scores.values() if s is not None),
                scores=scores,
                pending_manual=pending,
            )
        )
    return ClassResults(assignment, questions, max_scores, autograded, results)


def _safe(db_url: str) -> str:
    """The URL without a password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(db_url).render_as_string(hide_password=True)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


RESULT_COLUMNS = ("total", "max_total", "status", "reason", "late", "tampered", "pending_manual")


def table(results: ClassResults, prefix: str = "") -> tuple[list[str], dict[str, dict[str, str]]]:
    """CSV header (without ``student``) and {student: {column: text}}."""
    header = [prefix + q for q in results.questions] + [prefix + c for c in RESULT_COLUMNS]
    rows = {}
    for r in results.students:
        values = [_number(r.scores.get(q)) for q in results.questions] + [
            _number(r.total),
            _number(results.max_total),
            r.status,
            r.reason,
            "yes" if r.late else "no",
            "yes" if r.tampered else "no",
            " ".join(r.pending_manual),
        ]
        rows[r.student] = dict(zip(header, values))
    return header, rows


def write_csv(db_url: str, output: Path, assignment: str | None = None, root: Path | None = None) -> int:
    """Write the grades CSV; return the number of students (rows)."""
    import csv

    from nbgrader.api import Gradebook

    if assignment is not None:
        header, rows = table(class_results(db_url, assignment, root))
    else:
        # Every assignment side by side: columns are "ASSIGNMENT:question", always
        # prefixed so a script's column names do not change when a second assignment arrives.
        with Gradebook(db_url) as gradebook:
            names = sorted(a.name for a in gradebook.assignments)
        header, rows = [], {}
        for name in names:
            more, by_student = table(class_results(db_url, name, root), prefix=f"{name}:")
            header += more
            for student, values in by_student.items():
                rows.setdefault(student, {}).update(values)
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, ["student", *header], restval="")
        writer.writeheader()
        for student in sorted(rows):
            writer.writerow({"student": student, **rows[student]})
    return len(rows)


def cmd_export(args: argparse.Namespace) -> int:
    from ..paths import course_root
    from .config import db_url

    root = course_root()
    output = args.output or root / DEFAULT_OUTPUT
    count = write_csv(db_url(root), output, args.assignment, root)
    what = args.assignment or "every assignment"
    print(f"wrote {output}: {count} students, {what}")
    return 0


def register(sub) -> None:
    parser = sub.add_parser(
        "export",
        help="write the grades as CSV: one row per student, one column per question",
        description=(
            "Write the gradebook as CSV, one row per student. With ASSIGNMENT: one column per "
            "question (nbgrader grade ids), then total, max_total, status (graded / could not "
            "be graded / not submitted), reason, late, tampered and pending_manual (written "
            "answers still to grade). Without ASSIGNMENT: every assignment, columns named "
            "ASSIGNMENT:column. A question without a score is left empty, never 0."
        ),
    )
    parser.add_argument("assignment", nargs="?", help="e.g. 01_platform_rules (default: every assignment)")
    parser.add_argument(
        "--output", "-o", type=Path, help=f"CSV file to write (default: {DEFAULT_OUTPUT} in the course folder)"
    )
    parser.set_defaults(func=cmd_export)
