"""Assignment 01's own test cells, run in-process on answers the shared suite does not try.

The shared suite (tests/test_assignments.py) grades one known-wrong answer per question through
nbgrader. These tests run the solution notebook's cells directly (setup, toy frames, an answer,
then its test cell with the hidden tests) to check what one wrong answer per question cannot:

* Question 4 gives partial points per inquiry (nbgrader takes a test cell's last value as its
  score), its notes never name an expected label or signal, and judging by the header lines
  (free mail, IP, hour, a price-list request) scores badly;
* further plausible mistakes are each caught by a hidden test: a fixed UTC offset, a cancel
  rule that ignores the reason, the on-time delivery rule read as "below 90 % is fine
  everywhere" for amazon.com, one calendar for every eBay site;
* the toy frames have exactly the columns and dtypes of the real data.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re

import pytest
from assignment_suite import HIDDEN_START, nbgrader_meta, read, source_path

ASSIGNMENT = "01_platform_rules"
SOURCE = read(source_path(ASSIGNMENT))
CELLS = {nbgrader_meta(c).get("grade_id"): c.source for c in SOURCE.cells if nbgrader_meta(c).get("grade_id")}
SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)


def run(source: str, namespace: dict):
    """Execute a cell as Jupyter does; return the value of its last line if that is an expression."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None


@pytest.fixture(scope="module")
def base():
    """The setup cells, then every solution answer (a test cell may use another question's answer)."""
    namespace: dict = {}
    answers = [nbgrader_meta(c)["grade_id"] for c in SOURCE.cells if nbgrader_meta(c).get("solution")]
    with contextlib.redirect_stdout(io.StringIO()):
        for grade_id in ("setup", "toy_frames", "unseen_inquiries", "judge_signals"):
            run(CELLS[grade_id], namespace)
        for grade_id in answers:
            if grade_id != "reply_to_inquiry":
                run(SOLUTION_MARKERS.sub("", CELLS[grade_id]), namespace)
    return namespace


def grade(base, grade_id: str, answer: str | None = None):
    """(value of the test cell, its printed text) with ``answer`` (default: the solution) in the answer cell."""
    namespace = dict(base)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        run(SOLUTION_MARKERS.sub("", CELLS[grade_id]) if answer is None else answer, namespace)
        value = run(CELLS[f"test_{grade_id}"], namespace)
    return value, out.getvalue()


def visible_part(grade_id: str) -> str:
    return CELLS[f"test_{grade_id}"].split(HIDDEN_START)[0]


def judgement_answer(pairs: dict) -> str:
    return f"judgements = {pairs!r}"


def solution_judgements(base) -> dict:
    namespace = dict(base)
    run(SOLUTION_MARKERS.sub("", CELLS["judgements"]), namespace)
    return dict(namespace["judgements"])


# --- Question 4: partial points per inquiry -------------------------------------------------


def test_the_solution_earns_the_five_points(base):
    score, notes = grade(base, "judgements")
    assert score == 5.0 and notes.count("0.5 of 0.5") == 10


def test_each_inquiry_scores_its_label_and_its_signal(base):
    key = solution_judgements(base)
    answer = dict(key)
    answer["U02"] = ("genuine", "specific_request")  # label wrong: 0 of 0.5
    answer["U03"] = ("spy", "asks_full_price_list")  # label right, signal wrong: 0.25 of 0.5
    score, notes = grade(base, "judgements", judgement_answer(answer))
    assert score == pytest.approx(4.25)
    lines = {line.split(":")[0]: line for line in notes.splitlines() if re.match(r"U\d\d:", line)}
    assert lines["U02"].startswith("U02: 0 of 0.5") and lines["U03"].startswith("U03: 0.25 of 0.5")
    # The notes help without giving the key away: no expected label or signal is named.
    for inquiry in ("U02", "U03"):
        expected_label, expected_signal = key[inquiry]
        assert expected_signal not in lines[inquiry] and expected_label not in lines[inquiry]


FREE_MAIL = {"gmail.com", "outlook.com", "hotmail.com", "mail.ru", "wp.pl"}
COUNTRY_CODES = {
    "Kenya": "KE",
    "Germany": "DE",
    "Spain": "ES",
    "Brazil": "BR",
    "Netherlands": "NL",
    "Russia": "RU",
    "Poland": "PL",
    "USA": "US",
    "Australia": "AU",
    "Saudi Arabia": "SA",
}


def test_judging_by_the_header_lines_scores_badly(base):
    """The stereotype judge: free mail, a foreign IP or a late hour means fraud; a price list means spy."""
    surface = {}
    for inquiry in base["UNSEEN"]:
        hour = int(inquiry["sent"][:2])
        free_mail = inquiry["from"].split("@")[1] in FREE_MAIL
        abroad = inquiry["ip"] != COUNTRY_CODES[inquiry["company"].rsplit(", ", 1)[1]]
        text = (inquiry["message"] + inquiry.get("translation", "")).lower()
        if free_mail or abroad or hour < 8 or hour >= 20:
            surface[inquiry["id"]] = ("fraud", "personal_data_request")
        elif "price list" in text or "catalogue" in text:
            surface[inquiry["id"]] = ("spy", "asks_full_price_list")
        else:
            surface[inquiry["id"]] = ("genuine", "specific_request")
    score, _ = grade(base, "judgements", judgement_answer(surface))
    assert score <= 1.0, f"the ten inquiries should resist judging by surface features; that judge scored {score}"


def test_an_answer_with_no_right_label_fails_the_cell(base):
    key = solution_judgements(base)
    wrong = {
        i: ("genuine", "specific_request") if label != "genuine" else ("spy", "asks_customer_list")
        for i, (label, _) in key.items()
    }
    with pytest.raises(AssertionError, match="none of the ten labels is right"):
        grade(base, "judgements", judgement_answer(wrong))


def test_the_visible_test_checks_form_only(base):
    assert "EXPECTED" not in visible_part("judgements")
    key = solution_judgements(base)
    namespace = dict(base)
    namespace["judgements"] = {**key, "U01": ("genuine", "fee_request")}
    with pytest.raises(AssertionError, match="cannot decide the label"):
        run(visible_part("judgements"), namespace)
    namespace["judgements"] = {k: v for k, v in key.items() if k != "U10"}
    with pytest.raises(AssertionError, match="is missing 1 of the 10 expected inquiry ids"):
        run(visible_part("judgements"), namespace)


# --- hidden tests catch further plausible mistakes ------------------------------------------

FIXED_OFFSET = """
def red_flag_features(inquiries):
    # The offset each zone has today (summer time), used for every date.
    offset = {tz: pd.Timestamp("2026-09-01", tz=tz).utcoffset() for tz in inquiries["sender_tz"].unique()}
    hour = (inquiries["received_utc"].dt.tz_localize(None) + inquiries["sender_tz"].map(offset)).dt.hour
    flag_sets = inquiries["red_flags"].str.split(";").map(set)
    return pd.DataFrame({
        "free_mail": inquiries["domain_kind"] == "free_mail",
        "ip_mismatch": inquiries["ip_country"] != inquiries["claimed_country"],
        "off_hours": (hour < 8) | (hour >= 20),
        "website_problem": inquiries["website_check"] != "ok",
        "fraud_signal": flag_sets.map(lambda flags: bool(flags & FRAUD_FLAGS)).astype(bool),
        "spy_signal": flag_sets.map(lambda flags: bool(flags & SPY_FLAGS)).astype(bool),
    }, index=inquiries.index)
"""


def variant(grade_id: str, old: str, new: str) -> str:
    """The solution of ``grade_id`` with one piece of code replaced."""
    source = SOLUTION_MARKERS.sub("", CELLS[grade_id])
    assert old in source, f"the solution of {grade_id} no longer contains {old!r}"
    return source.replace(old, new)


MISTAKES = {
    "fixed UTC offset": ("red_flag_features", FIXED_OFFSET, "summer time"),
    "cancel rule ignores the reason": (
        "account_health",
        variant("account_health", '& (last7["cancel_reason"] == "buyer_cancelled")', ""),
        "an official request cancelled with another reason counts",
    ),
    "cancel rule ignores the request": (
        "account_health",
        variant("account_health", '(last7["cancel_request"] == "official_request") & ', ""),
        "official request",
    ),
    "promise extension used": (
        "account_health",
        variant(
            "account_health",
            '<= tracked14["latest_est_delivery"])',
            '<= tracked14["promise_extended_to"].fillna(tracked14["latest_est_delivery"]))',
        ),
        "never the extended promise",
    ),
    "breach at exactly the floor": (
        "breaches",
        variant("breaches", "rate >= 0.90", "rate > 0.90"),
        "equal to an 'at least' limit meets it",
    ),
    "one calendar for every eBay site": (
        "respond_by",
        variant("respond_by", "holidays.country_holidays(**EBAY_CALENDARS[site])", 'holidays.country_holidays("US")'),
        "site's",
    ),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_hidden_or_visible_test_catches(base, mistake):
    grade_id, answer, words = MISTAKES[mistake]
    with pytest.raises(AssertionError, match=re.escape(words)):
        grade(base, grade_id, answer)


@pytest.mark.parametrize("grade_id", ["red_flag_features", "account_health", "breaches", "respond_by", "triage"])
def test_the_solution_passes_its_test_cell(base, grade_id):
    grade(base, grade_id)


# --- the toy frames ---------------------------------------------------------------------


def test_toy_frames_have_the_columns_and_dtypes_of_the_data(base):
    for toy, real in ((base["toy_inquiries"]([{}]), base["inquiries"]), (base["toy_orders"]([{}]), base["orders"])):
        assert list(toy.columns) == list(real.columns)
        assert dict(toy.dtypes) == dict(real.dtypes)
