"""`borderdesk report ASSIGNMENT`: one self-contained HTML page about the class.

Score distribution, pass rate per question, the most common failing messages
(read from the test cells' error outputs in the autograded notebooks) and the
submissions that could not be graded. The figures are matplotlib PNGs embedded
in the page, so the file can be mailed or opened anywhere.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from datetime import UTC
from pathlib import Path

REPORTS = Path("autograder") / "reports"
TOP_MESSAGES = 15


def normalise(ename: str, evalue: str) -> str:
    """``ename: evalue`` on one line, so the same mistake by many students counts once."""
    text = " ".join(f"{ename}: {evalue}".split())
    text = re.sub(r"0x[0-9a-fA-F]+", "0x…", text)  # object addresses differ per run
    # Long decimals differ with each learner's data slip; three figures say enough.
    text = re.sub(r"\d+\.\d{4,}", lambda m: f"{float(m.group()):.3g}", text)
    return text if len(text) <= 300 else text[:299] + "…"


def failing_messages(autograded: Path, assignment: str, students: list[str]) -> Counter:
    """{(question, message): number of students} from the test cells that raised."""
    import nbformat

    counts: Counter = Counter()
    for student in students:
        seen = set()
        for path in sorted((autograded / student / assignment).glob("*.ipynb")):
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception:  # a notebook nbgrader could not even write back: nothing to count
                continue
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
                    continue  # only test cells: their errors are the failed tests
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "error":
                        seen.add((meta.get("grade_id", "?"), normalise(out.ename, out.evalue)))
        counts.update(seen)
    return counts


def _png(fig) -> str:
    import base64
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def figures(results) -> dict[str, str]:
    """The two charts as data: URLs."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    from .results import GRADED

    graded = [r for r in results.students if r.status == GRADED]
    out = {}

    fig, ax = plt.subplots(figsize=(7, 3.2))
    autograded_max = sum(results.max_scores[q] for q in results.autograded)
    totals = [sum(r.scores[q] or 0 for q in results.autograded) for r in graded]
    ax.hist(totals, bins=range(int(autograded_max) + 2), align="left", color="#4477aa", edgecolor="white")
    ax.set_xlabel(f"autograded score (out of {autograded_max:g})")
    ax.set_ylabel("students")
    ax.set_title(f"Score distribution, {len(graded)} graded submissions")
    ax.set_xlim(-0.5, autograded_max + 0.5)
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    out["distribution"] = _png(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 0.45 * len(results.autograded) + 1))
    rates = [pass_rate(results, q) for q in results.autograded]
    ax.barh(results.autograded, [r * 100 for r in rates], color="#228833")
    ax.invert_yaxis()  # notebook order, top to bottom
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of graded submissions with full marks")
    ax.set_title("Pass rate per question")
    for y, rate in enumerate(rates):
        ax.text(min(rate * 100 + 1, 92), y, f"{rate:.0%}", va="center")
    out["pass_rate"] = _png(fig)
    plt.close(fig)
    return out


def pass_rate(results, question: str) -> float:
    from .results import GRADED

    graded = [r for r in results.students if r.status == GRADED]
    full = sum(
        1 for r in graded if r.scores[question] is not None and r.scores[question] >= results.max_scores[question]
    )
    return full / len(graded) if graded else 0.0


def render(results, messages: Counter, outcomes, title_note: str = "") -> str:
    """The report page (template ``templates/report.html``, autoescaped)."""
    from .pages import render_page
    from .results import GRADED, NOT_SUBMITTED, UNGRADABLE

    def count(status):
        return sum(1 for r in results.students if r.status == status)

    top = sorted(messages.items(), key=lambda item: (-item[1], item[0]))[:TOP_MESSAGES]
    return render_page(
        "report.html",
        assignment=results.assignment,
        title_note=title_note,
        counts={
            "students": len(results.students),
            "graded": count(GRADED),
            "ungradable": count(UNGRADABLE),
            "not_submitted": count(NOT_SUBMITTED),
            "late": sum(1 for r in results.students if r.late),
            "pending": sum(1 for r in results.students if r.pending_manual),
        },
        charts=figures(results),
        messages=[(question, n, message) for (question, message), n in top],
        ungradable=[r for r in results.students if r.status == UNGRADABLE],
        tampered=[o for o in outcomes if o.tampered],
        unsandboxed=sum(1 for o in outcomes if not o.sandboxed),
    )


def report(assignment: str, output: Path | None = None, root: Path | None = None) -> Path:
    from datetime import datetime

    from ..paths import course_root
    from . import config, outcome_store
    from .config import safe_url
    from .results import GRADED, class_results

    root = root or course_root()
    db_url = config.db_url(root)
    results = class_results(db_url, assignment, root)
    autograded = root / config.load(root).CourseDirectory.autograded_directory
    graded = [r.student for r in results.students if r.status == GRADED]
    messages = failing_messages(autograded, assignment, graded)
    note = f"Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from the gradebook {safe_url(db_url)}."
    output = output or root / REPORTS / f"{assignment}.html"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(results, messages, outcome_store.load(db_url, assignment), note), encoding="utf-8")
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
            "Write a self-contained HTML page: score distribution, pass rate per question, "
            "the most common failing test messages, and the submissions that could not be "
            f"graded with the reason. Default output: {REPORTS}/ASSIGNMENT.html."
        ),
    )
    parser.add_argument("assignment", help="e.g. 01_platform_rules")
    parser.add_argument("--output", "-o", type=Path, help="HTML file to write")
    parser.set_defaults(func=cmd_report)
