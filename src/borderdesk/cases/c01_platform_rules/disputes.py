"""disputes.csv: AliExpress disputes and eBay Money Back Guarantee requests, whose outcomes
depend on whether the seller answered in time and with fitting evidence (content: ``disputes.yaml``).

AliExpress: the seller has 5 days, then the buyer's proposal is applied. eBay: the seller has 3
business days; after that the *buyer may* ask eBay to step in, and nothing happens on its own.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from typing import Literal

import pandas as pd
from pydantic import Field, model_validator

from ..catalog import Column, Dataset
from ..common import Table, iso, money, read_table, stream, weighted
from . import AS_OF, CHAPTER, HERE, VALUES

LAST_DAY = AS_OF.date()

Site = Literal[tuple(VALUES.sites)]
Reason = Literal[tuple(VALUES.all_reasons)]
Evidence = Literal[VALUES.evidence]


# --------------------------------------------------------------------------- content table
class Content(Table):
    count: int = Field(gt=0)
    first_day: date
    not_received_share: float = Field(ge=0, le=1)
    sites: dict[Site, int]
    reason_weights: dict[Reason, int]
    evidence_for: dict[Reason, tuple[Evidence, ...]]
    strong_evidence: dict[Reason, tuple[Evidence, ...]]
    aliexpress_buyers: dict[str, int]
    cross_border_share: float = Field(ge=0, le=1)
    cross_border: dict[str, int]
    currency: dict[Site, Literal[VALUES.currencies]]

    @model_validator(mode="after")
    def _complete(self) -> Content:
        for name in ("reason_weights", "evidence_for"):
            missing = [r for r in VALUES.all_reasons if r not in getattr(self, name)]
            if missing:
                raise ValueError(f"{name}: add {', '.join(missing)} (every reason of values.yaml)")
        missing = [s for s in VALUES.sites if s not in self.currency]
        if missing:
            raise ValueError(f"currency: add {', '.join(missing)} (every site of values.yaml)")
        return self


@cache
def content() -> Content:
    return read_table(HERE / "disputes.yaml", Content)


# --------------------------------------------------------------------------- deadlines
@cache
def _holidays(country: str, subdiv: str | None):
    import holidays

    return holidays.country_holidays(country, subdiv=subdiv)


def respond_by(site: str, opened_date) -> date:
    """The seller's last day to respond to a dispute opened on ``opened_date`` on ``site``.

    AliExpress: 5 calendar days after opening. eBay: the 3rd business day after opening, counted
    from the next day: Monday to Friday, skipping the public holidays of the site's country
    (values.yaml ``sites``; the course's assumption, since eBay does not say whose holidays count).
    """
    if site not in VALUES.sites:
        raise ValueError(f"unknown site {site!r}: expected one of {', '.join(VALUES.sites)}")
    day = pd.Timestamp(opened_date).date()
    calendar = VALUES.sites[site]
    if calendar is None:
        return day + timedelta(days=5)
    holidays = _holidays(calendar.country, calendar.subdiv)
    counted = 0
    while counted < 3:
        day += timedelta(days=1)
        counted += day.weekday() < 5 and day not in holidays
    return day


# --------------------------------------------------------------------------- outcomes
def _aliexpress_outcome(rng: random.Random, reason: str, evidence: set, in_time: bool, answered: bool, opened: date):
    if (LAST_DAY - opened).days < 8 and rng.random() < 0.7:
        return "open"
    if not in_time:  # after 5 days the buyer's proposal is applied
        return "full_refund" if rng.random() < (0.9 if not answered else 0.75) else "buyer_cancelled"
    strong = set(content().strong_evidence.get(reason, ())) & evidence
    if reason in ("in_transit", "customs_hold") and rng.random() < 0.45:
        return "buyer_cancelled" if rng.random() < 0.6 else "reship"
    if strong and rng.random() < 0.7:
        return "seller_won"
    odds = {"full_refund": 30, "partial_refund": 35, "reship": 20, "seller_won": 5 + 10 * len(evidence)}
    if not evidence:
        odds["full_refund"] += 40
    return weighted(rng, odds)


def _ebay_outcome(
    rng: random.Random, reason: str, evidence: set, in_time: bool, deadline: date, opened: date
) -> tuple[str, date | None]:
    """(outcome, day the buyer asked eBay to step in or None). Nothing is applied automatically."""
    strong = bool(set(content().strong_evidence.get(reason, ())) & evidence)
    if in_time:
        if (LAST_DAY - opened).days < 6 and rng.random() < 0.5:
            return "open", None
        settled = {"seller_refunded": 30, "partial_refund_accepted": 20, "replacement_sent": 15, "buyer_closed": 15}
        if reason == "item_not_received":
            settled.update(partial_refund_accepted=3, buyer_closed=30 + 20 * strong)
        if rng.random() < (0.25 if strong else 0.12):  # unresolved: the buyer asks eBay anyway
            asked = _escalation_day(rng, deadline)
            if asked:
                return _ebay_decision(rng, strong, asked), asked
        return weighted(rng, settled), None
    # no answer in time: the buyer MAY ask eBay to step in; most do
    asked = _escalation_day(rng, deadline) if rng.random() < 0.8 else None
    if asked:
        return _ebay_decision(rng, strong and rng.random() < 0.5, asked), asked
    if (LAST_DAY - deadline).days > 10 and rng.random() < 0.4:
        return "buyer_closed", None  # the parcel turned up, or the buyer gave up
    return "open", None


def _escalation_day(rng: random.Random, deadline: date) -> date | None:
    asked = deadline + timedelta(days=rng.randint(1, 6))
    return asked if asked <= LAST_DAY else None


def _ebay_decision(rng: random.Random, strong: bool, asked: date) -> str:
    if (LAST_DAY - asked).days < 3:
        return "waiting_for_ebay"
    return "ebay_decided_for_seller" if rng.random() < (0.75 if strong else 0.08) else "ebay_decided_for_buyer"


# --------------------------------------------------------------------------- disputes
def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    c = content()
    rng = stream(seed, "disputes")
    rows = []
    start = c.first_day
    for i in range(c.count):
        site = weighted(rng, c.sites)
        platform = VALUES.platform(site)
        if platform == "aliexpress":
            cc = weighted(rng, c.aliexpress_buyers)
        elif rng.random() < c.cross_border_share:
            cc = weighted(rng, c.cross_border)
        else:
            cc = VALUES.sites[site].country
        opened = start + timedelta(days=rng.randrange((LAST_DAY - start).days + 1))
        group = "not_received" if rng.random() < c.not_received_share else "not_as_described"
        reason = weighted(rng, {r: c.reason_weights[r] for r in VALUES.reasons[platform][group]})
        deadline = respond_by(site, opened)
        r = rng.random()
        if r < 0.12:
            answered = None
        elif r < 0.22:
            answered = deadline + timedelta(days=rng.randint(1, 4))
        else:
            answered = opened + timedelta(days=rng.randint(0, (deadline - opened).days))
        if answered and answered > LAST_DAY:
            answered = None
        options = c.evidence_for[reason]
        evidence = set(rng.sample(options, k=rng.randint(0, len(options)))) if answered else set()
        in_time = bool(answered and answered <= deadline)
        escalated = None
        if platform == "aliexpress":
            outcome = _aliexpress_outcome(rng, reason, evidence, in_time, bool(answered), opened)
        else:
            outcome, escalated = _ebay_outcome(rng, reason, evidence, in_time, deadline, opened)
        amount = round(rng.uniform(4, 120), 2)
        partial = round(amount * rng.choice([0.2, 0.3, 0.4, 0.5]), 2)
        refund = partial if outcome in ("partial_refund", "partial_refund_accepted") else amount
        if platform == "aliexpress":
            oid = f"81{rng.randrange(10**14):014d}"
        else:
            oid = f"{rng.randrange(10, 28)}-{rng.randrange(10**5):05d}-{rng.randrange(10**5):05d}"
        rows.append(
            dict(
                dispute_id=f"DSP-{i + 1:04d}",
                platform=platform,
                site=site,
                order_id=oid,
                buyer_country=cc,
                opened_date=iso(opened),
                reason_group=group,
                reason=reason,
                respond_by=iso(deadline),
                seller_response_date=iso(answered),
                evidence=";".join(sorted(evidence)),
                escalated_date=iso(escalated),
                outcome=outcome,
                refund_amount=money(refund if outcome in VALUES.refund_outcomes else 0.0),
                currency=c.currency[site],
            )
        )
    return rows


DATASET = Dataset(
    name="disputes",
    chapter=CHAPTER,
    file="disputes.csv",
    description="AliExpress disputes and eBay Money Back Guarantee requests (not received / not as described)",
    generator=generate,
    schema={
        "dispute_id": Column("str", pattern=r"^DSP-\d{4}$", unique=True),
        "platform": Column("str", isin=VALUES.platforms),
        "site": Column("str", isin=tuple(VALUES.sites)),
        "order_id": Column("str", min_length=5),
        "buyer_country": Column("str", pattern=r"^[A-Z]{2}$", pattern_name="ISO alpha-2 code"),
        "opened_date": Column("date", le=AS_OF),
        "reason_group": Column("str", isin=tuple(VALUES.groups)),
        "reason": Column("str", isin=tuple(VALUES.all_reasons)),
        "respond_by": Column("date"),
        "seller_response_date": Column("date", nullable=True),
        "evidence": Column("str", items_in=VALUES.evidence),
        "escalated_date": Column("date", le=AS_OF, nullable=True),
        "outcome": Column("str", isin=tuple(VALUES.all_outcomes)),
        "refund_amount": Column("float", ge=0),
        "currency": Column("str", isin=VALUES.currencies),
    },
)
