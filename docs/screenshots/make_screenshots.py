"""Take docs/screenshots/report.png and feedback.png: the class report and one learner's feedback.

    python docs/screenshots/make_screenshots.py                 # grades a small class first (about a minute)
    python docs/screenshots/make_screenshots.py --course DIR    # a course already graded by tests/graded_class.py

The class is tests/graded_class.py's (five kinds of learner, graded by the real `borderdesk grade`
in the sandbox); the pages are the real `borderdesk report` and `borderdesk feedback` output,
opened in Debian's Chromium through Playwright (tests/browser.py's launch), as an instructor
and a learner first see them. Needs bubblewrap and chromium; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

import graded_class  # noqa: E402  (tests/ is not a package)
from browser import launch_chromium  # noqa: E402
from graded_class import ASSIGNMENT, NOTEBOOK  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

OUT = REPO / "docs" / "screenshots"
STUDENT = "wrong"  # one visible and one hidden failure, a written answer awaiting grading


def pages(course: Path) -> tuple[Path, Path]:
    """Write the report and the feedback of ``course`` with the real commands."""
    from borderdesk.grading.feedback import feedback
    from borderdesk.grading.report import report

    os.environ.setdefault("BORDERDESK_DB_URL", f"sqlite:///{course / 'autograder' / 'gradebook.db'}")
    page = report(ASSIGNMENT, root=course)
    feedback(ASSIGNMENT, student=STUDENT, allow_pending=True, release=False, root=course)
    return page, course / "autograder" / "feedback" / STUDENT / ASSIGNMENT / f"{NOTEBOOK}.html"


def shoot(report_page: Path, feedback_page: Path) -> None:
    with tempfile.TemporaryDirectory() as home, sync_playwright() as playwright:
        browser = launch_chromium(playwright, "/usr/bin/chromium", Path(home))
        try:
            for source, name, height in ((report_page, "report.png", 1500), (feedback_page, "feedback.png", 1000)):
                page = browser.new_page(viewport={"width": 1200, "height": height})
                page.goto(source.as_uri())
                page.wait_for_load_state("load")
                page.screenshot(path=str(OUT / name))  # the first screen: what is read first
                print(f"wrote {OUT / name}")
                page.close()
        finally:
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", type=Path, help="a course folder graded by tests/graded_class.py")
    args = parser.parse_args()
    if args.course:
        course = args.course.resolve()
    else:
        course = Path(tempfile.mkdtemp(prefix="borderdesk-screens-")) / "course"
        graded_class.build(course, f"sqlite:///{course / 'autograder' / 'gradebook.db'}")
    shoot(*pages(course))
    return 0


if __name__ == "__main__":
    sys.exit(main())
