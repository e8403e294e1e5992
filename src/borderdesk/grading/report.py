"""`borderdesk report ASSIGNMENT`: one self-contained HTML page about the class.

What an instructor reads first is what to re-teach: per question (its title, linked to
the lesson section it practises) how many got it right, tried and got it wrong, or did
not try it, with the commonest wrong-answer messages and the students who got each
(not-attempted placeholders are counted, never listed as a mistake). Then the score
distribution (totals with the written answers graded so far, median and quartiles), who
still waits for hand grading, who is late or has not submitted, and a student-by-question
table. Statuses come from the autograded notebooks (``questions.statuses``), scores from
the gradebook (``results.class_results``). Figures are matplotlib PNGs embedded in the
page, so the file can be mailed or opened anywhere.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

REPORTS = Path("autograder") / "reports"
TOP_MESSAGES = 5  # wrong-answer messages shown per question


def normalise(ename: str, evalue: str) -> str:
    """``ename: evalue`` on one line, so the same mistake by many students counts once."""
    text = " ".join(f"{ename}: {evalue}".split())
    text = re.sub(r"0x[0-9a-fA-F]+", "0x…", text)  # object addresses differ per run
    # Long decimals differ with each learner's data slip; three figures say enough.
    text = re.sub(r"\d+\.\d{4,}", lambda m: f"{float(m.group()):.3g}", text)
    return text if len(text) <= 300 else text[:299] + "…"


@dataclass
class Mistake:
    message: str  # the test's message, or the failing statement of a hidden test without one
    hidden: bool
    students: list[str] = field(default_factory=list)
    failing_line: str = ""  # shown when the message says nothing


@dataclass
class QuestionRow:
    key: str  # the column of results (grade id, or notebook/grade id)
    number: int
    title: str
    points: float
    written: bool
    lesson_href: str = ""
    section: str = ""
    right: int = 0
    wrong: int = 0
    not_attempted: int = 0
    pending: list[str] = field(default_factory=list)  # written answers still to grade: students
    mistakes: list[Mistake] = field(default_factory=list)


def lesson_href(lesson: str, section: str, page_dir: Path, root: Path) -> str:
    """A link from a page in ``page_dir`` to a lesson section (JupyterLab's heading anchors)."""
    if not lesson:
        return ""
    href = urllib.parse.quote(os.path.relpath(root / lesson, page_dir))
    return f"{href}#{urllib.parse.quote(section.replace(' ', '-'))}" if section else href


def load_questions(root: Path, assignment: str, results) -> dict:
    """{results column: questions.Question} from the solutions notebooks."""
    import nbformat

    from .questions import questions

    notebooks = sorted({key.split("/")[0] for key in results.questions if "/" in key})
    found = {}
    for notebook in notebooks or [assignment]:
        path = root / "solutions" / assignment / f"{notebook}.ipynb"
        if not path.is_file():  # a course without solutions (learner edition): ids stand in
            continue
        for q in questions(nbformat.read(path, as_version=4)):
            found[f"{notebook}/{q.grade_id}" if notebooks else q.grade_id] = q
    return found


def class_statuses(autograded: Path, assignment: str, students: list[str], root: Path) -> dict[str, dict]:
    """{student: {results column: questions.Status}} from the autograded notebooks.

    The released notebooks tell a written answer left as released (not attempted).
    """
    import nbformat

    from .questions import statuses

    found: dict[str, dict] = {}
    for student in students:
        paths = sorted((autograded / student / assignment).glob("*.ipynb"))
        mine = found.setdefault(student, {})
        for path in paths:
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception:  # a notebook nbgrader could not even write back: nothing to read
                continue
            given = root / "exercises" / assignment / path.name
            for status in statuses(nb, nbformat.read(given, as_version=4) if given.is_file() else None):
                key = status.question.grade_id if len(paths) == 1 else f"{path.stem}/{status.question.grade_id}"
                mine[key] = status
    return found


def question_rows(results, questions: dict, statuses: dict, page_dir: Path, root: Path) -> list[QuestionRow]:
    """Per question: right / wrong / not attempted over the graded students, and the mistakes."""
    from .questions import FAILED, NOT_ATTEMPTED
    from .results import GRADED

    graded = [r for r in results.students if r.status == GRADED]
    rows = []
    for number, key in enumerate(results.questions, start=1):
        q = questions.get(key)
        written = key not in results.autograded
        row = QuestionRow(
            key,
            number,
            q.title if q else key,
            results.max_scores[key],
            written,
            lesson_href(q.lesson, q.section, page_dir, root) if q else "",
            q.section if q else "",
        )
        mistakes: dict[str, Mistake] = {}
        for r in graded:
            score = r.scores.get(key)
            if key in r.pending_manual:
                row.pending.append(r.student)
                continue
            status = statuses.get(r.student, {}).get(key)
            if status is not None and status.state == NOT_ATTEMPTED:
                row.not_attempted += 1
            elif score is not None and score >= results.max_scores[key]:
                row.right += 1
            else:
                row.wrong += 1
                if status is not None and status.state == FAILED:
                    message = normalise(*status.message.split(": ", 1)) if ": " in status.message else status.message
                    silent = message.rstrip(": ") in ("AssertionError", "")
                    text = status.failing_line if silent and status.failing_line else message
                    mistake = mistakes.setdefault(text, Mistake(text, status.hidden, failing_line=status.failing_line))
                    mistake.students.append(r.student)
        row.mistakes = sorted(mistakes.values(), key=lambda m: (-len(m.students), m.message))
        rows.append(row)
    return rows


def _png(fig) -> str:
    import base64
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """Lower quartile, median, upper quartile (inclusive method: they lie within the scores)."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    low, median, high = statistics.quantiles(values, n=4, method="inclusive")
    return low, median, high


def figures(results, rows: list[QuestionRow]) -> dict[str, str]:
    """The two charts as data: URLs."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    from .results import GRADED

    graded = [r for r in results.students if r.status == GRADED]
    out = {}

    totals = [r.total or 0 for r in graded]
    top = results.max_total
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.hist(totals, bins=[x - 0.5 for x in range(int(top) + 2)], color="#4477aa", edgecolor="white")
    low, median, high = quartiles(totals)
    for value, style, label in ((low, ":", "quartile"), (median, "-", "median"), (high, ":", None)):
        ax.axvline(value, color="#222222", linestyle=style, linewidth=1.5, label=label)
    ax.legend(loc="upper left", frameon=False)
    ax.set_xlabel(f"total score (out of {top:g}; written answers as graded so far)")
    ax.set_ylabel("students")
    ax.set_title(f"Scores of {len(graded)} graded submissions: median {median:g}, quartiles {low:g} and {high:g}")
    ax.set_xlim(-0.5, top + 0.5)
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    out["distribution"] = _png(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(8, 0.45 * len(rows) + 1.2))
    labels = [f"Q{row.number} {row.title[:45]}" for row in rows]
    left = [0] * len(rows)
    for part, color, name in (
        ("right", "#228833", "right"),
        ("wrong", "#ee6677", "attempted, wrong"),
        ("not_attempted", "#bbbbbb", "not attempted"),
        ("pending", "#ccbb44", "awaiting hand grading"),
    ):
        counts = [len(getattr(row, part)) if part == "pending" else getattr(row, part) for row in rows]
        ax.barh(labels, counts, left=left, color=color, label=name)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.invert_yaxis()  # notebook order, top to bottom
    ax.set_xlim(0, max(len(graded), 1))
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("graded students")
    ax.set_title("Per question")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / max(len(rows), 1)), ncol=4, frameon=False)
    out["questions"] = _png(fig)
    plt.close(fig)
    return out


def render(results, rows: list[QuestionRow], outcomes, title_note: str = "") -> str:
    """The report page (template ``templates/report.html``, autoescaped)."""
    from .pages import render_page
    from .results import GRADED, NOT_SUBMITTED, UNGRADABLE

    def named(condition):
        return [r.student for r in results.students if condition(r)]

    graded = [r for r in results.students if r.status == GRADED]
    low, median, high = quartiles([r.total or 0 for r in graded]) if graded else (0, 0, 0)
    return render_page(
        "report.html",
        assignment=results.assignment,
        title_note=title_note,
        counts={
            "students": len(results.students),
            "graded": len(graded),
            "ungradable": sum(r.status == UNGRADABLE for r in results.students),
            "max_total": results.max_total,
            "median": median,
            "quartiles": (low, high),
        },
        named={
            "not_submitted": named(lambda r: r.status == NOT_SUBMITTED),
            "late": named(lambda r: r.late),
            "pending": [
                (r.student, [row.title for row in rows if row.key in r.pending_manual])
                for r in graded
                if r.pending_manual
            ],
        },
        charts=figures(results, rows) if graded else {},
        rows=rows,
        top=TOP_MESSAGES,
        students=results.students,
        ungradable=[r for r in results.students if r.status == UNGRADABLE],
        tampered=[o for o in outcomes if o.tampered],
        unsandboxed=sum(1 for o in outcomes if not o.sandboxed),
        GRADED=GRADED,
        NOT_SUBMITTED=NOT_SUBMITTED,
    )


def report(assignment: str, output: Path | None = None, root: Path | None = None) -> Path:
    from datetime import datetime

    from ..errors import BorderDeskError
    from ..paths import course_root
    from . import config, outcome_store
    from .config import safe_url
    from .results import GRADED, class_results

    root = root or course_root()
    db_url = config.db_url(root)
    results = class_results(db_url, assignment, root)
    graded = [r.student for r in results.students if r.status == GRADED]
    if not graded:
        raise BorderDeskError(
            f"no graded submissions of {assignment!r} yet ({len(results.students)} students in the gradebook): "
            f"run `borderdesk grade {assignment}` first"
        )
    autograded = root / config.load(root).CourseDirectory.autograded_directory
    output = output or root / REPORTS / f"{assignment}.html"
    rows = question_rows(
        results,
        load_questions(root, assignment, results),
        class_statuses(autograded, assignment, graded, root),
        output.resolve().parent,
        root.resolve(),
    )
    note = f"Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from the gradebook {safe_url(db_url)}."
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(results, rows, outcome_store.load(db_url, assignment), note), encoding="utf-8")
    return output


def cmd_report(args: argparse.Namespace) -> int:
    path = report(args.assignment, args.output)
    print(f"wrote {path}")
    return 0


def register(sub) -> None:
    parser = sub.add_parser(
        "report",
        help="write a class report (HTML with figures) for one assignment",
        description=(
            "Write a self-contained HTML page: per question right / wrong / not attempted with the "
            "commonest wrong-answer messages and who got them, the score distribution, written answers "
            "still to grade, late and missing students, a student-by-question table, and the submissions "
            f"that could not be graded with the reason. Default output: {REPORTS}/ASSIGNMENT.html."
        ),
    )
    parser.add_argument("assignment", help="e.g. 01_platform_rules")
    parser.add_argument("--output", "-o", type=Path, help="HTML file to write")
    parser.set_defaults(func=cmd_report)
