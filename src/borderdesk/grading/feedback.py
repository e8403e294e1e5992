"""`borderdesk feedback ASSIGNMENT`: per-student HTML feedback, released through the exchange.

nbgrader does the work: ``generate_feedback`` renders each autograded notebook
with its scores (our config routes it through HideHiddenTests, so hidden tests
and the tracebacks quoting them never reach a learner), and ``release_feedback``
puts the pages where ``nbgrader fetch_feedback`` and the Assignments panel find
them. What we add: each page opens with a summary in plain words (every question right,
wrong with its first failing message, or not attempted; the points; the lesson section to
review; a timeout said plainly with the cell), a written answer nobody has graded yet says
"awaiting grading" instead of 0, and a learner whose submission could not be graded gets a
page saying so, and why, instead of nbgrader's page of zeros.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

# release_feedback files each page under a hash of the learner's submission secret,
# which nbgrader's exchange writes on submit; without it the learner cannot fetch it.
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


SUMMARY_ID = "borderdesk-summary"
HIDDEN_NO_MESSAGE = (
    "it checks cases that the visible tests do not, such as an empty input, a tie or rows in another order; "
    "read the question again for the cases it names"
)


@dataclass
class SummaryRow:
    title: str
    result: str  # right / partly right / wrong / not attempted / awaiting grading / graded by hand
    css: str
    points: str
    message: str = ""
    review: str = ""


def _readable(message: str) -> str:
    """``AssertionError: text`` -> ``text``; other errors keep their name (``KeyError: 'x'``)."""
    return message.removeprefix("AssertionError:").strip() if message.startswith("AssertionError") else message


def summary_rows(found, scores: dict, pending: list[str], max_scores: dict, key=lambda q: q.grade_id) -> list:
    """One plain-words row per question from its status (``questions.statuses``) and gradebook score."""
    from .questions import AUTOGRADED, FAILED, NOT_ATTEMPTED, PASSED

    rows = []
    for status in found:
        q = status.question
        column = key(q)
        top = max_scores.get(column, q.points)
        score = scores.get(column)
        points = f"{score or 0:g} of {top:g}"
        review = f"“{q.section}” in {q.lesson}" if q.lesson and q.section else q.lesson
        if column in pending:
            rows.append(SummaryRow(q.title, "awaiting grading", "waiting", f"{top:g} points, not graded yet"))
            continue
        full = score is not None and score >= top
        if status.state == NOT_ATTEMPTED:
            row = SummaryRow(q.title, "not attempted", "skipped", points)
        elif q.kind != AUTOGRADED:
            row = SummaryRow(q.title, "graded by hand", "right" if full else "wrong", points)
        elif status.state == PASSED and full:
            row = SummaryRow(q.title, "right", "right", points)
        elif status.state == PASSED and score:  # a test that gives part of the points prints why
            row = SummaryRow(q.title, "partly right", "wrong", points, "see the notes under its test below")
        elif status.state == PASSED:  # nbgrader gives 0 to a test cell that wrote a warning (stderr)
            row = SummaryRow(q.title, "no points", "wrong", points, "the test raised no error; see the output under it")
        elif status.state == FAILED and status.hidden:
            text = _readable(status.message) or HIDDEN_NO_MESSAGE
            row = SummaryRow(q.title, "wrong", "wrong", points, f"a hidden test (one you cannot see) failed: {text}")
        else:
            row = SummaryRow(q.title, "wrong", "wrong", points, _readable(status.message))
        if status.timed_out:
            row.message = "; ".join(m for m in (row.message, f"cell {status.timed_out_cell} ran too long") if m)
        if not full:
            row.review = review
        rows.append(row)
    return rows


def lead_line(found, result, results, key) -> str:
    """``6 of 8 questions pass. Autograded: 18 of 22 points. Written answers: 8 points awaiting grading.``"""
    from .questions import summary_line

    tested = [key(s.question) for s in found if key(s.question) in results.autograded]
    written = [key(s.question) for s in found if key(s.question) not in results.autograded]
    waiting = [c for c in written if c in result.pending_manual]
    graded = [c for c in written if c not in waiting]

    def points(columns):
        return sum(result.scores.get(c) or 0 for c in columns), sum(results.max_scores[c] for c in columns)

    parts = [f"{summary_line(found)}.", "Autograded: {:g} of {:g} points.".format(*points(tested))]
    if written:
        shown = ["{:g} of {:g} points".format(*points(graded))] if graded else []
        shown += [f"{points(waiting)[1]:g} points awaiting grading"] if waiting else []
        parts.append(f"Written answers: {', '.join(shown)}.")
    return " ".join(parts)


def _mark_pending(page: str, grade_ids: list[str], awaiting_points: float) -> str:
    """nbgrader's "Score: 0.0 / 8.0" of a written answer nobody has graded yet -> "awaiting grading"."""
    for grade_id in grade_ids:
        gid = re.escape(grade_id)
        page = re.sub(
            rf'(<a href="#{gid}">[^<]*</a>) \(Score: [\d.]+ / ([\d.]+)\)',
            lambda m: f"{m.group(1)} (awaiting grading, {float(m.group(2)):g} points)",
            page,
        )
        page = re.sub(
            rf'(<a name="{gid}"></a><div class="panel-heading">.*?<span class="pull-right">\s*)Score: [\d.]+ / ([\d.]+)',
            lambda m: f"{m.group(1)}Awaiting grading ({float(m.group(2)):g} points)",
            page,
            count=1,
            flags=re.S,
        )
    if grade_ids:
        page = re.sub(
            r"(<h4>[^<]*\(Score: [\d.]+ / [\d.]+)\)",
            lambda m: f"{m.group(1)} so far; {awaiting_points:g} points awaiting grading)",
            page,
            count=1,
        )
    return page


def add_summaries(root: Path, db_url: str, assignment: str, student: str | None = None) -> list[str]:
    """Open every graded learner's feedback page with the summary; return the students done."""
    import nbformat

    from . import config, outcome_store
    from .pages import render_page
    from .questions import statuses
    from .results import GRADED, class_results

    course = config.load(root).CourseDirectory
    results = class_results(db_url, assignment, root)
    by_student = {r.student: r for r in results.students}
    reasons = {o.student: o.reason for o in outcome_store.load(db_url, assignment)}
    multi = any("/" in column for column in results.questions)
    done = []
    for page in sorted((root / course.feedback_directory).glob(f"{student or '*'}/{assignment}/*.html")):
        learner = page.parent.parent.name
        result = by_student.get(learner)
        notebook = root / course.autograded_directory / learner / assignment / f"{page.stem}.ipynb"
        if result is None or result.status != GRADED or not notebook.is_file():
            continue
        nb = nbformat.read(notebook, as_version=4)
        release, source = (
            nbformat.read(path, as_version=4) if path.is_file() else None
            for path in (root / folder / assignment / notebook.name for folder in ("exercises", "solutions"))
        )
        found = statuses(nb, release, source)

        def key(q, stem=page.stem):
            return f"{stem}/{q.grade_id}" if multi else q.grade_id

        rows = summary_rows(found, result.scores, result.pending_manual, results.max_scores, key)
        limit = re.search(r"timed out after (\d+) s", reasons.get(learner, ""))
        timeouts = [
            {
                "cell": s.timed_out_cell,
                "first_line": (nb.cells[s.timed_out_cell - 1].source.strip().splitlines() or [""])[0][:80],
                "limit": f"{limit.group(1)} s" if limit else "the time limit",
            }
            for s in found
            if s.timed_out
        ]
        lead = lead_line(found, result, results, key)
        summary = render_page("feedback_summary.html", assignment=assignment, lead=lead, rows=rows, timeouts=timeouts)
        text = page.read_text(encoding="utf-8")
        if SUMMARY_ID not in text:
            text = text.replace("<body>", "<body>\n" + summary, 1)
        waiting = [key(s.question) for s in found if key(s.question) in result.pending_manual]
        pending_ids = [c.split("/")[-1] for c in waiting]
        text = _mark_pending(text, pending_ids, sum(results.max_scores[c] for c in waiting))
        page.write_text(text, encoding="utf-8")
        done.append(learner)
    return done


def write_notes(root: Path, db_url: str, assignment: str, student: str | None = None) -> dict[str, Path]:
    """Replace the feedback of each ungradable submission by a note; return {student: folder}."""
    import shutil

    from nbgrader.api import Gradebook

    from . import config, outcome_store
    from .pages import render_page

    course = config.load(root).CourseDirectory
    with Gradebook(db_url) as gradebook:
        notebooks = sorted(nb.name for nb in gradebook.find_assignment(assignment).notebooks)
    notes = {}
    for outcome in outcome_store.load(db_url, assignment):
        if outcome.status != outcome_store.UNGRADABLE or (student and outcome.student != student):
            continue
        folder = root / course.feedback_directory / outcome.student / assignment
        submitted = root / course.submitted_directory / outcome.student / assignment
        if folder.exists():
            shutil.rmtree(folder)  # nbgrader's page of zeros for a submission that never ran
        folder.mkdir(parents=True)
        for name in EXCHANGE_FILES:
            if (submitted / name).is_file():
                shutil.copy(submitted / name, folder / name)
        for notebook in notebooks:
            (folder / f"{notebook}.html").write_text(
                render_page(
                    "not_graded.html",
                    assignment=assignment,
                    notebook=notebook,
                    student=outcome.student,
                    reason=outcome.reason or "the grader gave no reason",
                ),
                encoding="utf-8",
            )
        notes[outcome.student] = folder
    return notes


def feedback(
    assignment: str,
    student: str | None = None,
    release: bool = True,
    allow_pending: bool = False,
    root: Path | None = None,
) -> dict[str, list[str]]:
    """Generate (and release) feedback; return {"written", "notes", "released", "unreleasable"}."""
    from ..errors import BorderDeskError
    from ..paths import course_root
    from . import config
    from .release import run_nbgrader
    from .results import class_results

    root = root or course_root()
    db_url = config.db_url(root)
    course = config.load(root).CourseDirectory
    pending = [
        r.student
        for r in class_results(db_url, assignment, root).students
        if r.pending_manual and student in (None, r.student)
    ]
    if pending and not allow_pending:
        # nbgrader would print "Score: 0.0 / 6.0" for an answer nobody has read yet.
        raise BorderDeskError(
            f"{len(pending)} submission(s) still have written answers to grade by hand "
            f"({', '.join(pending[:5])}{', ...' if len(pending) > 5 else ''}); their feedback would "
            "show 0 for those answers. Grade them in formgrader (Manual Grading) first, "
            "or pass --allow-pending to send the feedback now"
        )
    only = ["--student", student] if student else []
    autograded = root / course.autograded_directory
    if any(autograded.glob(f"{student or '*'}/{assignment}/*.ipynb")):
        # --force: without it nbgrader keeps any page newer than the submission, so
        # a grade changed in formgrader, or a submission graded after a "could not be
        # graded" note, would go out with the old page.
        run_nbgrader("generate_feedback", assignment, *only, "--force", root=root)
        add_summaries(root, db_url, assignment, student)
    notes = write_notes(root, db_url, assignment, student)
    if not notes and not any(autograded.glob(f"{student or '*'}/{assignment}/*.ipynb")):
        who = f"student {student!r}'s submission" if student else "submissions"
        raise BorderDeskError(
            f"no autograded {who} of {assignment!r} in {autograded}; run `borderdesk grade {assignment}` first"
        )

    feedback_root = root / course.feedback_directory
    folders = sorted(p.parent for p in feedback_root.glob(f"{student or '*'}/{assignment}/*.html"))
    written = sorted({f.parent.name for f in folders})
    # Submissions that did not come through the exchange (copied in by hand) have no
    # secret: release_feedback would crash on them, so they are left out and listed.
    unreleasable = sorted({f.parent.name for f in folders if not (f / "submission_secret.txt").is_file()})
    released: list[str] = []
    if release and set(written) - set(unreleasable):
        exclude = [f"--CourseDirectory.student_id_exclude={','.join(unreleasable)}"] if unreleasable else []
        run_nbgrader("release_feedback", assignment, *only, *exclude, root=root)
        released = sorted(set(written) - set(unreleasable))
    return {"written": written, "notes": sorted(notes), "released": released, "unreleasable": unreleasable}


def cmd_feedback(args: argparse.Namespace) -> int:
    from ..paths import course_root
    from . import config

    root = course_root()
    done = feedback(
        args.assignment, args.student, release=not args.no_release, allow_pending=args.allow_pending, root=root
    )
    course = config.load(root).CourseDirectory
    print(
        f"feedback for {len(done['written'])} students in {root / course.feedback_directory}/STUDENT/{args.assignment}/"
    )
    if done["notes"]:
        print(
            f"  {len(done['notes'])} could not be graded and get a note saying why instead of scores: "
            + ", ".join(done["notes"])
        )
    if args.no_release:
        print("  not released (--no-release)")
    else:
        exchange = Path(str(config.load(root).Exchange.root)) / str(course.course_id) / "feedback"
        print(
            f"  released {len(done['released'])} to the exchange ({exchange}); "
            "learners get them with Fetch Feedback or `nbgrader fetch_feedback`"
        )
    if done["unreleasable"]:
        print(
            f"  NOT released, no submission_secret.txt (submitted without the exchange): "
            f"{', '.join(done['unreleasable'])}; hand them their HTML page yourself"
        )
    return 0


def register(sub) -> None:
    parser = sub.add_parser(
        "feedback",
        help="write each learner's HTML feedback (scores, visible test messages) and release it",
        description=(
            "Run nbgrader generate_feedback (hidden tests removed from the pages) and "
            "release_feedback for ASSIGNMENT. Every page is rebuilt from the current gradebook. "
            "A learner whose submission could not be graded gets a page with the reason "
            "instead of a page of zeros."
        ),
    )
    parser.add_argument("assignment", help="e.g. 01_platform_rules")
    parser.add_argument("--student", help="only this student id")
    parser.add_argument(
        "--no-release", action="store_true", help="write the pages under autograder/feedback/ but do not release them"
    )
    parser.add_argument(
        "--allow-pending",
        action="store_true",
        help="send feedback although some written answers are not graded yet (their pages show 0 for them)",
    )
    parser.set_defaults(func=cmd_feedback)
