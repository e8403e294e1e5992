"""Hand grades survive a regrade: a written answer the student did not change keeps its grade and comment.

nbgrader's autograde marks every hand-graded cell "needs manual grade" again when it
regrades a submission, so a grader's work would look undone and the total would drop.
Before a submission is regraded, ``saved`` reads each hand grade and the answer it was
given for (the cell in the autograded notebook, which formgrader showed the grader).
After the regrade, ``restore`` puts back the grade and comment of every answer whose
text is unchanged, and returns the answers that changed: those need grading again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class HandGrade:
    notebook: str
    grade_id: str
    manual_score: float
    extra_credit: float | None
    comment: str | None
    answer: str | None  # the cell's source when it was graded; None if that notebook is gone


def _answers(path: Path) -> dict[str, str]:
    """{grade_id: source} of the nbgrader cells of a notebook (empty if unreadable)."""
    import nbformat

    try:
        notebook = nbformat.read(path, as_version=4)
    except (OSError, ValueError, nbformat.reader.NotJSONError):
        return {}
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in notebook.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    }


def saved(gradebook, assignment: str, student: str, autograded: Path) -> list[HandGrade]:
    """The hand grades of ``student``'s submission, with the answers they were given for."""
    from nbgrader.api import MissingEntry

    try:
        submission = gradebook.find_submission(assignment, student)
    except MissingEntry:
        return []
    found = []
    for notebook in submission.notebooks:
        answers = _answers(autograded / f"{notebook.name}.ipynb")
        comments = {c.name: c.manual_comment for c in notebook.comments}
        for grade in notebook.grades:
            if grade.manual_score is None:
                continue
            found.append(
                HandGrade(
                    notebook.name,
                    grade.name,
                    float(grade.manual_score),
                    grade.extra_credit,
                    comments.get(grade.name),
                    answers.get(grade.name),
                )
            )
    return found


def restore(gradebook, assignment: str, student: str, submitted: Path, grades: list[HandGrade]) -> list[str]:
    """Put back the hand grades of unchanged answers; return "notebook: grade_id" of the changed ones."""
    changed = []
    for hand in grades:
        now = _answers(submitted / f"{hand.notebook}.ipynb").get(hand.grade_id)
        grade = gradebook.find_grade(hand.grade_id, hand.notebook, assignment, student)
        if hand.answer is not None and now == hand.answer:
            grade.manual_score, grade.extra_credit = hand.manual_score, hand.extra_credit
            grade.needs_manual_grade = False
            if hand.comment is not None:
                gradebook.find_comment(hand.grade_id, hand.notebook, assignment, student).manual_comment = hand.comment
        else:  # the earlier score stays visible in formgrader, marked to be looked at again
            grade.needs_manual_grade = True
            changed.append(f"{hand.notebook}: {hand.grade_id}")
    gradebook.db.commit()
    return changed
