"""Class results: every student's per-question scores and grading status on one assignment.

Per-question scores come from nbgrader's gradebook; whether a submission was graded
at all comes from borderdesk's outcome store (``outcome_store.load``), because nbgrader
records a crashed or timed-out submission as an ordinary 0. A question without a score
(submission could not be graded, not submitted, or a written answer still waiting for
the grader) has the score ``None``, never 0. Read by export, report and feedback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
    from .config import safe_url

    root = root or course_root()
    with Gradebook(db_url) as gradebook:
        try:
            spec = gradebook.find_assignment(assignment)
        except MissingEntry:
            known = ", ".join(a.name for a in gradebook.assignments) or "none"
            raise BorderDeskError(
                f"assignment {assignment!r} is not in the gradebook ({safe_url(db_url)}); known: {known}. "
                f"It has not been released: run `borderdesk release {assignment}` (it records the assignment "
                f"in the gradebook), then `borderdesk grade {assignment}`"
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
