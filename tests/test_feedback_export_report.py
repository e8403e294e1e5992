"""Feedback, export and report on a small graded class, on SQLite and on PostgreSQL.

The class (tests/graded_class.py) is graded once per database by the real
`borderdesk grade`; then the grader marks one written reply as formgrader does. Every
command runs against that gradebook through BORDERDESK_DB_URL.
"""

from __future__ import annotations

import csv
import re

import graded_class
import nbformat
import pytest
from bs4 import BeautifulSoup
from graded_class import ASSIGNMENT, CRASHED_REASON, NOTEBOOK, RELEASE, RENAMED_REASON, SOURCE
from nbgrader.api import Gradebook
from nbgrader.utils import notebook_hash

from borderdesk.cli import main
from borderdesk.grading.export import write_csv
from borderdesk.grading.feedback import feedback
from borderdesk.grading.questions import questions
from borderdesk.grading.report import report

REGION = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
REPLY_SCORE = 5.0


def _weak_flag_false_alarms() -> int:
    """Genuine inquiries with any flag: what `wrong`'s flag_suspicious (red_flags != "") wrongly flags."""
    from borderdesk.datasets import load_inquiries

    inquiries = load_inquiries()
    return int(((inquiries["red_flags"] != "") & (inquiries["label"] == "genuine")).sum())


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def graded(request, tmp_path_factory):
    dest = tmp_path_factory.mktemp(f"class_{request.param}") / "course"
    if request.param == "sqlite":
        db_url = f"sqlite:///{dest / 'autograder' / 'gradebook.db'}"
    else:
        db_url = request.getfixturevalue("postgres_server").url(
            request.getfixturevalue("postgres_server").create_database()
        )
    built = graded_class.build(dest, db_url)
    # The grader reads the solution's written answer in formgrader and gives it 5 of 8;
    # `wrong`'s reply is left waiting.
    with Gradebook(db_url) as gradebook:
        grade = gradebook.find_grade("reply_to_inquiry", NOTEBOOK, ASSIGNMENT, "solution")
        grade.manual_score, grade.needs_manual_grade = REPLY_SCORE, False
        gradebook.db.commit()
    return built


@pytest.fixture
def course(graded, monkeypatch):
    """Run commands on the graded class, with its gradebook."""
    monkeypatch.setenv("BORDERDESK_ROOT", str(graded["root"]))
    monkeypatch.setenv("BORDERDESK_DB_URL", graded["db_url"])
    return graded


def _points():
    nb = nbformat.read(SOURCE, as_version=4)
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    return {m["grade_id"]: float(m["points"]) for m in meta if m.get("grade")}


def _text(path):
    return " ".join(BeautifulSoup(path.read_text(), "html.parser").get_text().split())


def test_export_has_a_row_per_student_and_a_column_per_question(course, capsys):
    assert main(["export", ASSIGNMENT]) == 0
    output = course["root"] / "autograder" / "grades.csv"
    assert f"wrote {output}: 5 students" in capsys.readouterr().out
    with output.open() as fh:
        reader = csv.DictReader(fh)
        rows = {row["student"]: row for row in reader}
        header = reader.fieldnames
    points = _points()
    assert header == [
        "student",
        *points,
        "total",
        "max_total",
        "status",
        "reason",
        "late",
        "tampered",
        "pending_manual",
    ], "questions in notebook order, then the summary"
    assert sorted(rows) == ["blank", "crashed", "renamed", "solution", "wrong"]

    autograded = {q: p for q, p in points.items() if q.startswith("test_")}
    solution = rows["solution"]
    assert {q: float(solution[q]) for q in autograded} == autograded
    assert float(solution["reply_to_inquiry"]) == REPLY_SCORE
    assert float(solution["total"]) == sum(autograded.values()) + REPLY_SCORE
    assert float(solution["max_total"]) == sum(points.values()) == 30
    assert (solution["status"], solution["late"], solution["pending_manual"]) == ("graded", "no", "")

    # Graded, and worth nothing: zeros and status "graded".
    blank = rows["blank"]
    assert all(blank[q] == "0" for q in points) and blank["total"] == "0" and blank["status"] == "graded"

    wrong = rows["wrong"]
    assert wrong["test_flag_suspicious"] == wrong["test_precision_recall"] == "0"
    assert wrong["test_triage"] == "3"
    # The reply nobody has read yet is empty, not 0, and listed as pending.
    assert wrong["reply_to_inquiry"] == "" and wrong["pending_manual"] == "reply_to_inquiry"
    assert float(wrong["total"]) == sum(autograded.values()) - 4

    # Could not be graded: no score at all, the reason, the late flag.
    renamed = rows["renamed"]
    assert all(renamed[q] == "" for q in points) and renamed["total"] == ""
    assert (renamed["status"], renamed["reason"], renamed["late"]) == ("could not be graded", RENAMED_REASON, "yes")
    # nbgrader's gradebook holds 0s for the crashed kernel; the export must not.
    with Gradebook(course["db_url"]) as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, "crashed").score == 0
    crashed = rows["crashed"]
    assert all(crashed[q] == "" for q in points) and crashed["total"] == ""
    assert (crashed["status"], crashed["late"]) == ("could not be graded", "no")
    assert crashed["reason"].startswith(CRASHED_REASON), crashed["reason"]


def test_export_of_every_assignment_prefixes_columns(course, tmp_path):
    output = tmp_path / "all.csv"
    assert write_csv(course["db_url"], output, root=course["root"]) == 5
    with output.open() as fh:
        rows = {row["student"]: row for row in csv.DictReader(fh)}
    assert rows["solution"][f"{ASSIGNMENT}:test_triage"] == "3"
    assert rows["renamed"][f"{ASSIGNMENT}:status"] == "could not be graded"


def test_export_unknown_assignment_says_which_exist(course, capsys):
    assert main(["export", "99_nothing"]) == 2
    err = capsys.readouterr().err
    assert "no assignment '99_nothing' in course/chapters.yaml" in err and ASSIGNMENT in err


def test_feedback_waits_for_manual_grading(course):
    from borderdesk.errors import BorderDeskError

    with pytest.raises(BorderDeskError, match=r"1 submission\(s\) still have written answers.*\(wrong\)"):
        feedback(ASSIGNMENT, root=course["root"])


def test_feedback_is_honest_and_released(course):
    root = course["root"]
    done = feedback(ASSIGNMENT, allow_pending=True, root=root)
    assert done["written"] == done["released"] == ["blank", "crashed", "renamed", "solution", "wrong"]
    assert done["notes"] == ["crashed", "renamed"] and done["unreleasable"] == []
    pages = {s: root / "autograder" / "feedback" / s / ASSIGNMENT / f"{NOTEBOOK}.html" for s in done["written"]}

    # The page opens with a summary in plain words, before nbgrader's notebook.
    titles = {q.grade_id: q.title for q in questions(nbformat.read(SOURCE, as_version=4))}
    for student in ("wrong", "blank", "solution"):
        body = BeautifulSoup(pages[student].read_text(), "html.parser").body
        assert body.find(["section", "div", "h1", "h4"])["id"] == "borderdesk-summary", student
    summary = {
        student: {
            tr.find("td").get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")[1:]]
            for tr in BeautifulSoup(pages[student].read_text(), "html.parser").find(id="summary-questions")("tr")[1:]
        }
        for student in ("wrong", "blank", "solution")
    }
    lead = BeautifulSoup(pages["wrong"].read_text(), "html.parser").find(id="summary-line").get_text(" ", strip=True)
    assert lead == "6 of 8 questions pass. Autograded: 18 of 22 points. Written answers: 8 points awaiting grading."
    wrong_rows = summary["wrong"]
    assert list(wrong_rows) == list(titles.values())
    assert wrong_rows[titles["test_triage"]] == ["right", "3 of 3"]
    result, points = wrong_rows[titles["test_flag_suspicious"]]
    assert (
        result.startswith(f"wrong : {_weak_flag_false_alarms()} genuine inquiries were flagged") and points == "0 of 2"
    )
    assert result.endswith(
        "Review: “6. Why the sender's country is not evidence” in course/01_platform_rules/3_b2b_inquiries.ipynb"
    )
    result, _ = wrong_rows[titles["test_precision_recall"]]
    assert result.startswith(
        "wrong : a hidden test (one you cannot see) failed: on two Series with the same labels in another order"
    ), result
    assert wrong_rows[titles["reply_to_inquiry"]] == ["awaiting grading", "8 points, not graded yet"]
    assert "awaiting grading, 8 points" in _text(pages["wrong"]) and "Score: 0.0 / 8.0" not in _text(pages["wrong"])
    for title, (result, points) in summary["blank"].items():  # each with the section to review
        assert result.startswith("not attempted Review: “") and points.startswith("0 of "), (title, result)
    result, points = summary["solution"][titles["reply_to_inquiry"]]
    assert result.startswith("graded by hand") and points == f"{REPLY_SCORE:g} of 8"
    # The learner's own values from a hidden case are not shown (they were a raw dict before).
    # (the learner's own "Try it" cell still prints its dict further down: that is their output).
    said = BeautifulSoup(pages["wrong"].read_text(), "html.parser").find(id="borderdesk-summary").get_text()
    assert "np.float64" not in said and "{'precision'" not in said

    # Scores and the visible tests' own messages.
    wrong = _text(pages["wrong"])
    assert "Score: 0.0 / 2.0" in wrong
    assert f"AssertionError: {_weak_flag_false_alarms()} genuine inquiries were flagged; do weak flags" in wrong
    assert "match the two Series by index, not position" in wrong  # a hidden test's message, not its code
    assert "Test cell (Score: 3.0 / 3.0)" in wrong

    # Never a hidden test's source.
    hidden = {
        " ".join(line.split())
        for cell in nbformat.read(SOURCE, as_version=4).cells
        for body in REGION.findall(cell.source)
        for line in body.splitlines()
        if len(line.strip()) > 12
    }
    released = " ".join(" ".join(c.source.split()) for c in nbformat.read(RELEASE, as_version=4).cells)
    hidden = {line for line in hidden if line not in released}
    assert len(hidden) > 20
    for student in ("solution", "wrong", "blank"):
        shown = _text(pages[student])
        leaked = sorted(line for line in hidden if line in shown)
        assert not leaked, f"{student}'s feedback shows hidden test lines: {leaked[:3]}"

    # Could not be graded: the reason, and no score.
    for student, reason in (("renamed", RENAMED_REASON), ("crashed", CRASHED_REASON)):
        note = _text(pages[student])
        assert "Your submission could not be graded" in note and reason in note
        assert "Score" not in note and "not a mark of 0" in note

    # A grade changed in formgrader afterwards reaches the page on the next run.
    assert f"Written response (Score: {REPLY_SCORE} / 8.0)" in _text(pages["solution"])
    with Gradebook(course["db_url"]) as gradebook:
        gradebook.find_grade("reply_to_inquiry", NOTEBOOK, ASSIGNMENT, "solution").manual_score = 8.0
        gradebook.db.commit()
    try:
        assert feedback(ASSIGNMENT, student="solution", root=root)["released"] == ["solution"]
        assert "Written response (Score: 8.0 / 8.0)" in _text(pages["solution"])
    finally:
        with Gradebook(course["db_url"]) as gradebook:
            gradebook.find_grade("reply_to_inquiry", NOTEBOOK, ASSIGNMENT, "solution").manual_score = REPLY_SCORE
            gradebook.db.commit()

    # In the exchange, where the learner's fetch_feedback looks (hash of its submission secret).
    exchange = root / "autograder" / "exchange" / "borderdesk" / "feedback"
    for student, page in pages.items():
        secret = (root / "autograder" / "submitted" / student / ASSIGNMENT / "submission_secret.txt").read_text()
        shipped = exchange / f"{notebook_hash(secret=secret, notebook_id=NOTEBOOK)}.html"
        assert shipped.read_text() == page.read_text(), student


def _rows(page, table):
    return [
        [td.get_text(" ", strip=True) for td in tr.find_all(["td", "th"])]
        for tr in page.find(id=table).find_all("tr")[1:]
    ]


def test_report_shows_what_to_reteach_first(course):
    with Gradebook(course["db_url"]) as gradebook:
        gradebook.add_student("absent")  # on the roster, never submitted
    try:
        path = report(ASSIGNMENT, root=course["root"])
    finally:
        with Gradebook(course["db_url"]) as gradebook:
            gradebook.remove_student("absent")
    assert path == course["root"] / "autograder" / "reports" / f"{ASSIGNMENT}.html"
    page = BeautifulSoup(path.read_text(), "html.parser")
    overview = " ".join(page.find(id="overview").get_text().split())
    assert overview.startswith("6 students: 3 graded, 2 could not be graded, 1 not submitted, 1 late."), overview
    # Totals hold the written answer graded so far: solution 22 + 5, wrong 18, blank 0.
    assert "Median total 18 of 30 (quartiles 9 and 22.5)." in overview
    assert "Waiting for hand grading: 1." in overview
    # The first section after the overview is per question.
    assert page.find("h2").get_text() == "What to re-teach: per question"

    titles = {q.grade_id: q.title for q in questions(nbformat.read(SOURCE, as_version=4))}
    rows = {r[1]: r for r in _rows(page, "questions")}
    assert list(rows) == list(titles.values()), "question titles in notebook order, not grade ids"
    # question: [Qn, title, points, right, attempted and wrong, not attempted, awaiting hand grading]
    assert rows[titles["test_flag_suspicious"]][3:] == ["1", "1", "1", "0"]
    assert rows[titles["test_triage"]][3:] == ["2", "0", "1", "0"]
    # solution's reply got 5 of 8 (not full marks), blank left it as released, wrong's waits for the grader.
    assert rows[titles["reply_to_inquiry"]][3:] == ["0", "1", "1", "1"]
    links = {a.get_text(): a["href"] for a in page.find(id="questions").find_all("a")}
    assert links[titles["test_respond_by"]] == (
        "../../course/01_platform_rules/2_disputes.ipynb#2.1-Whose-business-days%3F-An-eBay-deadline"
    )
    assert len(links) == len(titles), "every question links to its lesson section"

    mistakes = _rows(page, "mistakes")
    by_message = {m[3]: m for m in mistakes}
    assert not [m for m in by_message if "Not attempted yet" in m], "placeholders are not mistakes"
    false_alarms = (
        f"AssertionError: {_weak_flag_false_alarms()} genuine inquiries were flagged; do weak "
        "flags such as 'urgency' or context signals like free mail make your rule fire?"
    )
    assert by_message[false_alarms][:3] == [f"Q2 {titles['test_flag_suspicious']}", "1", "wrong"]
    hidden = [m for m in mistakes if m[0].startswith("Q3 ")]
    assert len(hidden) == 1 and hidden[0][2] == "wrong", hidden
    assert hidden[0][3].startswith("hidden test AssertionError: on two Series with the same labels in another order")

    assert [li.get_text() for li in page.find(id="pending").find_all("li")] == [f"wrong: {titles['reply_to_inquiry']}"]
    assert [li.get_text() for li in page.find(id="late").find_all("li")] == ["renamed"]
    assert [li.get_text() for li in page.find(id="not-submitted").find_all("li")] == ["absent"]

    table = {r[0]: r[1:] for r in _rows(page, "students")}
    assert table["wrong"] == ["3", "0", "0", "5", "3", "2", "2", "3", "awaiting grading", "18 + pending"]
    assert table["solution"][-2:] == ["5", "27"]
    assert table["renamed (late)"] == ["could not be graded: " + RENAMED_REASON]
    assert table["absent"] == ["not submitted"]
    for figure in ("distribution", "question-chart"):
        src = page.find(id=figure)["src"]
        assert src.startswith("data:image/png;base64,") and len(src) > 5000, figure

    ungradable = page.find(id="ungradable").get_text(" | ", strip=True)
    assert "renamed | " + RENAMED_REASON + " | late" in ungradable
    assert "crashed | " + CRASHED_REASON in ungradable
    assert "without the sandbox" not in page.get_text()


def test_report_without_grades_is_an_error(course, tmp_path, capsys):
    """A released assignment nobody has been graded on: one line and exit 2, no empty chart."""
    with Gradebook(course["db_url"]) as gradebook:
        gradebook.add_assignment("00_nobody_graded")
    try:
        output = tmp_path / "report.html"
        from borderdesk.errors import BorderDeskError

        with pytest.raises(BorderDeskError, match=r"no graded submissions of '00_nobody_graded' yet.*borderdesk grade"):
            report("00_nobody_graded", output, root=course["root"])
        assert not output.exists()
    finally:
        with Gradebook(course["db_url"]) as gradebook:
            gradebook.remove_assignment("00_nobody_graded")


def test_report_names_tampering_and_grading_without_sandbox():
    from borderdesk.grading import outcome_store
    from borderdesk.grading.report import render
    from borderdesk.grading.results import GRADED, ClassResults, StudentResult

    results = ClassResults(
        "hw", ["test_q"], {"test_q": 2.0}, ["test_q"], [StudentResult("ana", GRADED, total=2.0, scores={"test_q": 2.0})]
    )
    outcome = outcome_store.Outcome(
        "hw",
        "ana",
        outcome_store.GRADED,
        tampered=True,
        tamper_detail="edited test cells test_q",
        score=2.0,
        max_score=2.0,
        sandboxed=False,
    )
    text = " ".join(BeautifulSoup(render(results, [], [outcome]), "html.parser").get_text().split())
    assert "ana: edited test cells test_q" in text
    assert "1 submission(s) were graded without the sandbox (--no-sandbox)" in text


def test_failing_messages_are_grouped_across_students():
    from borderdesk.grading.report import normalise

    first = normalise("AssertionError", "got <Frame at 0x7f3a2b>,\n  share 0.6666666666")
    second = normalise("AssertionError", "got <Frame at 0x55aa01>, share 0.66666667")
    assert first == second == "AssertionError: got <Frame at 0x…>, share 0.667"
