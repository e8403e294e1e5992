"""Hand grades survive a regrade: a written answer the student did not change keeps its grade and comment.

nbgrader's autograde marks every hand-graded cell "needs manual grade" again when it
regrades a submission, so a grader's work would look undone and the total would drop.
Before a submission is regraded, ``saved`` reads each hand grade and the answer it was
given for: the cell in the autograded notebook, which formgrader showed the grader. Its
SHA-256 is also kept in our own table (``outcome_store.record_graded_answers``), because
nbgrader deletes the autograded copy when it fails to grade a submission, and the next
regrade must still know what was graded. After the regrade, ``restore`` puts back the
grade and comment of every answer whose text is unchanged, and returns the answers that
changed: those need grading again (and stay listed until the grader has looked at them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass
class HandGrade:
    notebook: str
    grade_id: str
    manual_score: float
    extra_credit: float | None
    comment: str | None
    answer: str | None  # SHA-256 of the cell's source when it was graded; None if unknown or to grade again


def digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def _answers(path: Path) -> dict[str, str]:
    """{grade_id: SHA-256 of the source} of the nbgrader cells of a notebook (empty if unreadable)."""
    import nbformat

    try:
        notebook = nbformat.read(path, as_version=4)
    except (OSError, ValueError, nbformat.reader.NotJSONError):
        return {}
    return {
        cell.metadata["nbgrader"]["grade_id"]: digest(cell.source)
        for cell in notebook.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    }


def saved(gradebook, db_url: str, assignment: str, student: str, autograded: Path) -> list[HandGrade]:
    """The hand grades of ``student``'s submission, with (the hash of) the answers they were given for."""
    from nbgrader.api import MissingEntry

    from . import outcome_store

    try:
        submission = gradebook.find_submission(assignment, student)
    except MissingEntry:
        return []
    remembered = None  # read only if a graded copy is missing
    found, seen = [], {}
    for notebook in submission.notebooks:
        hand = [grade for grade in notebook.grades if grade.manual_score is not None]
        if not hand:  # most submissions, before anyone graded them: no notebook to read
            continue
        answers = _answers(autograded / f"{notebook.name}.ipynb")
        comments = {c.name: c.manual_comment for c in notebook.comments}
        for grade in hand:
            if grade.needs_manual_grade:  # changed since it was graded, and not graded again yet
                answer = None
            elif grade.name in answers:
                answer = seen[(notebook.name, grade.name)] = answers[grade.name]
            else:  # no graded copy (an earlier run failed): the answer as we last saw it graded
                if remembered is None:
                    remembered = outcome_store.graded_answers(db_url, assignment, student)
                answer = remembered.get((notebook.name, grade.name))
            found.append(
                HandGrade(
                    notebook.name,
                    grade.name,
                    float(grade.manual_score),
                    grade.extra_credit,
                    comments.get(grade.name),
                    answer,
                )
            )
    outcome_store.record_graded_answers(db_url, assignment, student, seen)
    return found


def restore(gradebook, assignment: str, student: str, submitted: Path, grades: list[HandGrade]) -> list[str]:
    """Put back the hand grades of unchanged answers; return "notebook: grade_id" of the changed ones."""
    changed = []
    now = {}
    for hand in grades:
        if hand.notebook not in now:
            now[hand.notebook] = _answers(submitted / f"{hand.notebook}.ipynb")
        grade = gradebook.find_grade(hand.grade_id, hand.notebook, assignment, student)
        if hand.answer is not None and now[hand.notebook].get(hand.grade_id) == hand.answer:
            grade.manual_score, grade.extra_credit = hand.manual_score, hand.extra_credit
            grade.needs_manual_grade = False
            if hand.comment is not None:
                gradebook.find_comment(hand.grade_id, hand.notebook, assignment, student).manual_comment = hand.comment
        else:  # the earlier score stays visible in formgrader, marked to be looked at again
            grade.needs_manual_grade = True
            changed.append(f"{hand.notebook}: {hand.grade_id}")
    gradebook.db.commit()
    return changed
