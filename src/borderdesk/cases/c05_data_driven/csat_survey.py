"""csat_survey.csv: the satisfaction survey behind chapter 04's ``Satisfaction Score``, one row per
survey sent (every ticket whose score is not ``Not Offered``).

Who answered is fixed by tickets.csv: ``responded`` is True exactly where the score is Good or Bad,
and the 1-5 rating agrees with it (Good = 4 or 5, Bad = 1, 2 or 3). The optional questions (NPS,
CES, a comment) are answered more by buyers who feel strongly and by buyers who waited long: the
non-response the lesson warns about. Answers follow the ticket's situation and handling, never the
buyer's language or country; the language only picks the comment's words. Parameters:
``survey.yaml``; comments: ``comments/<language>.yaml``, written for this course.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime
from functools import cache

from pydantic import Field, model_validator

from ..c04_complaints import VALUES as TICKET_VALUES
from ..catalog import Column, Dataset
from ..common import Table, read_table, stream, weighted
from . import CHAPTER, HERE, SURVEY_DELAY, VALUES

DEFECTS = ("negative_feedback", "claim_opened", "chargeback")
STAMP = "%Y-%m-%d %H:%M:%S"


# --------------------------------------------------------------------------- content tables
class Shift(Table):
    base: float = Field(ge=0, le=1)
    first_contact: float = 0.0
    slow: float = 0.0
    defect: float = 0.0
    reopened: float = 0.0


class Survey(Table):
    slow_minutes: int = Field(gt=0)
    good_five: Shift
    bad_one: Shift
    bad_three: Shift
    answer_nps: dict[int, float]
    answer_nps_slow: float
    ces_with_nps: float = Field(ge=0, le=1)
    ces_without_nps: float = Field(ge=0, le=1)
    comment: dict[int, float]
    comment_slow: float
    nps_mean: dict[int, float]
    nps_sd: float = Field(gt=0)
    nps_defect: float
    ces_mean: dict[int, float]
    ces_sd: float = Field(gt=0)
    ces_per_extra_reply: float
    ces_reopened: float
    topics: dict[str, str]
    kinds: dict[int, dict[str, float]]

    @model_validator(mode="after")
    def _allowed_values(self) -> Survey:
        problems = []
        for name in ("answer_nps", "comment", "nps_mean", "ces_mean", "kinds"):
            if set(getattr(self, name)) != {1, 2, 3, 4, 5}:
                problems.append(f"{name}: give the ratings 1 to 5 exactly")
        if set(self.topics) != set(TICKET_VALUES.reasons):
            problems.append(f"topics: give every contact reason of chapter 04 ({', '.join(TICKET_VALUES.reasons)})")
        bad = sorted(set(self.topics.values()) - set(VALUES.topics))
        if bad:
            problems.append(f"topics: {', '.join(bad)} not in values.yaml topics")
        for rating, weights in self.kinds.items():
            bad = sorted(set(weights) - set(VALUES.comment_kinds))
            if bad:
                problems.append(f"kinds.{rating}: {', '.join(bad)} not in values.yaml comment_kinds")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Comments(Table):
    """One language's comments: topic -> comment kind -> texts."""

    delivery: dict[str, tuple[str, ...]]
    product: dict[str, tuple[str, ...]]
    service: dict[str, tuple[str, ...]]

    @model_validator(mode="after")
    def _every_kind(self) -> Comments:
        problems, seen = [], set()
        for topic in VALUES.topics:
            table = getattr(self, topic)
            missing = [k for k in VALUES.comment_kinds if not table.get(k)]
            extra = sorted(set(table) - set(VALUES.comment_kinds))
            if missing:
                problems.append(f"{topic}: no comments of kind {', '.join(missing)}")
            if extra:
                problems.append(f"{topic}: {', '.join(extra)} not in values.yaml comment_kinds")
            for kind, texts in table.items():
                for text in texts:
                    if text in seen:
                        problems.append(f"{topic}.{kind}: {text!r} appears twice")
                    seen.add(text)
        if problems:
            raise ValueError("; ".join(problems))
        return self


@cache
def survey() -> Survey:
    return read_table(HERE / "survey.yaml", Survey)


@cache
def comments(language: str) -> Comments:
    return read_table(HERE / "comments" / f"{language}.yaml", Comments)


# --------------------------------------------------------------------------- one survey
def _chance(shift: Shift, **conditions: bool) -> float:
    return min(0.95, max(0.02, shift.base + sum(getattr(shift, k) for k, on in conditions.items() if on)))


def _scale(rng: random.Random, mean: float, sd: float, low: int, high: int) -> int:
    return min(high, max(low, round(rng.gauss(mean, sd))))


def _rating(rng: random.Random, good: bool, first_contact: bool, slow: bool, defect: bool, reopened: bool) -> int:
    s = survey()
    if good:
        return 5 if rng.random() < _chance(s.good_five, first_contact=first_contact, slow=slow) else 4
    if rng.random() < _chance(s.bad_one, defect=defect, slow=slow, reopened=reopened):
        return 1
    return 3 if rng.random() < _chance(s.bad_three, defect=defect, slow=slow) else 2


def _answers(rng: random.Random, words: random.Random, ticket: Mapping[str, str]) -> dict:
    s = survey()
    replies, reopened = int(ticket["Replies"]), int(ticket["Reopens"]) > 0
    first_contact = replies == 1 and not reopened
    slow = int(ticket["Full resolution time in minutes within business hours"]) > s.slow_minutes
    defect = ticket["Outcome [list]"] in DEFECTS
    csat = _rating(rng, ticket["Satisfaction Score"] == "Good", first_contact, slow, defect, reopened)
    row = {"csat": str(csat), "nps": "", "ces": "", "comment": "", "comment_language": ""}
    row |= {"comment_sentiment": "", "comment_feature": ""}
    answered_nps = rng.random() < min(0.95, s.answer_nps[csat] + (s.answer_nps_slow if slow else 0))
    if answered_nps:
        row["nps"] = str(_scale(rng, s.nps_mean[csat] + (s.nps_defect if defect else 0), s.nps_sd, 0, 10))
    if rng.random() < (s.ces_with_nps if answered_nps else s.ces_without_nps):
        mean = s.ces_mean[csat] + s.ces_per_extra_reply * min(3, replies - 1) + (s.ces_reopened if reopened else 0)
        row["ces"] = str(_scale(rng, mean, s.ces_sd, 1, 7))
    if rng.random() < min(0.95, s.comment[csat] + (s.comment_slow if slow else 0)):
        kind = weighted(rng, s.kinds[csat])
        language = ticket["Language [list]"]
        topic = s.topics[ticket["Contact reason [list]"]]
        sentiment, feature = kind.split("_", 1)
        row |= {"comment": words.choice(getattr(comments(language), topic)[kind]), "comment_language": language}
        row |= {"comment_sentiment": sentiment, "comment_feature": "contrast" if kind == "mixed_contrast" else feature}
    return row


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    rng = stream(seed, "csat_survey")
    words = stream(seed, "csat_survey-words")  # the language's word lists differ in length: keep them off rng
    sent = [t for t in inputs["tickets"] if t["Satisfaction Score"] != "Not Offered"]
    rows = []
    for i, ticket in enumerate(sorted(sent, key=lambda t: int(t["Id"])), start=1):
        solved = datetime.strptime(ticket["Solved at"], STAMP)
        row = {
            "survey_id": f"CS-{i:05d}",
            "ticket_id": ticket["Id"],
            "sent_at": (solved + SURVEY_DELAY).strftime(STAMP),
        }
        responded = ticket["Satisfaction Score"] in ("Good", "Bad")
        row["responded"] = str(responded)
        if responded:
            row |= _answers(rng, words, ticket)
        else:
            row |= dict.fromkeys(("csat", "nps", "ces", "comment", "comment_language"), "")
            row |= {"comment_sentiment": "", "comment_feature": ""}
        rows.append(row)
    return rows


def _schema() -> dict[str, Column]:
    v = VALUES
    return {
        "survey_id": Column("str", pattern=r"^CS-\d{5}$", pattern_name="CS- and five digits", unique=True),
        "ticket_id": Column("int", unique=True, ge=1),
        "sent_at": Column("datetime"),
        "responded": Column("bool"),
        "csat": Column("int", nullable=True, in_range=(1, 5)),
        "nps": Column("int", nullable=True, in_range=(0, 10)),
        "ces": Column("int", nullable=True, in_range=(1, 7)),
        "comment": Column("str"),
        "comment_language": Column("str", isin=("", *v.comment_languages)),
        "comment_sentiment": Column("str", isin=("", *v.comment_sentiments)),
        "comment_feature": Column("str", isin=("", *v.comment_features)),
    }


DATASET = Dataset(
    name="csat_survey",
    chapter=CHAPTER,
    file="csat_survey.csv",
    description="satisfaction surveys sent after solved Web-form tickets: 1-5 rating, NPS, CES, comments",
    generator=generate,
    schema=_schema(),
    needs=("tickets",),
)
