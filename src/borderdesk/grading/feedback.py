"""`borderdesk feedback ASSIGNMENT`: per-student HTML feedback, released through the exchange.

nbgrader does the work: ``generate_feedback`` renders each autograded notebook
with its scores (our config routes it through HideHiddenTests, so hidden tests
and the tracebacks quoting them never reach a learner), and ``release_feedback``
puts the pages where ``nbgrader fetch_feedback`` and the Assignments panel find
them. What we add: a learner whose submission could not be graded gets a page
saying so, and why, instead of nbgrader's page of zeros.
"""

from __future__ import annotations

import argparse
from pathlib import Path

# release_feedback files each page under a hash of the learner's submission secret,
# which nbgrader's exchange writes on submit; without it the learner cannot fetch it.
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


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
