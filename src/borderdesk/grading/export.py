"""`borderdesk export`: the grades as a CSV, one row per student.

The rows are the class results (``results.class_results``). A question without a
score (submission could not be graded, not submitted, or a written answer still
waiting for the grader) is left empty, never written as 0.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import BorderDeskError
from .results import ClassResults, class_results

DEFAULT_OUTPUT = Path("autograder") / "grades.csv"


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
        rows[r.student] = dict(zip(header, values, strict=True))
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
    if not rows:  # an empty CSV would look like a class with no students
        which = assignment or "any assignment"
        run = f"`borderdesk grade {assignment}`" if assignment else "`borderdesk grade ASSIGNMENT`"
        raise BorderDeskError(f"no grades for {which} in the gradebook yet; run {run} first, then export again")
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
    if args.output is not None and not output.parent.is_dir():
        # A typo in -o must not create folders (say at the file-system root); the default's folder is ours.
        raise BorderDeskError(
            f"--output {output}: the folder {output.parent} does not exist; create it first or give another path"
        )
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
