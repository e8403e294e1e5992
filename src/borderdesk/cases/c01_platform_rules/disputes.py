"""disputes.csv: AliExpress and eBay buyer disputes, whose outcomes depend on whether the
seller answered in time and with fitting evidence (content: ``disputes.yaml``)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from typing import Literal

from pydantic import Field, model_validator

from ..catalog import Column, Dataset
from ..common import Table, add_business_days, iso, money, read_table, stream, weighted
from . import AS_OF, CHAPTER, HERE, VALUES

LAST_DAY = AS_OF.date()

Reason = Literal[tuple(VALUES.all_reasons)]
Evidence = Literal[VALUES.evidence]


# --------------------------------------------------------------------------- content table
class Content(Table):
    count: int = Field(gt=0)
    first_day: date
    aliexpress_share: float = Field(ge=0, le=1)
    not_received_share: float = Field(ge=0, le=1)
    reason_weights: dict[Reason, int]
    evidence_for: dict[Reason, tuple[Evidence, ...]]
    strong_evidence: dict[Reason, tuple[Evidence, ...]]
    buyers: dict[Literal[VALUES.platforms], dict[str, int]]
    ebay_currency: dict[str, Literal[VALUES.currencies]]

    @model_validator(mode="after")
    def _every_reason(self) -> Content:
        for name in ("reason_weights", "evidence_for"):
            missing = [r for r in VALUES.all_reasons if r not in getattr(self, name)]
            if missing:
                raise ValueError(f"{name}: add {', '.join(missing)} (every reason of values.yaml)")
        return self


@cache
def content() -> Content:
    return read_table(HERE / "disputes.yaml", Content)


# --------------------------------------------------------------------------- disputes
def _deadline(platform: str, opened: date) -> date:
    """AliExpress: 5 calendar days. eBay: 3 business days (Mon-Fri, no US federal holiday)."""
    if platform == "aliexpress":
        return opened + timedelta(days=5)
    return add_business_days(opened, 3, "US")


def _outcome(
    rng: random.Random, reason: str, evidence: set, answered_in_time: bool, answered: bool, opened: date
) -> str:
    if (LAST_DAY - opened).days < 8 and rng.random() < 0.7:
        return "open"
    if not answered_in_time:
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


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    c = content()
    rng = stream(seed, "disputes")
    rows = []
    start = c.first_day
    for i in range(c.count):
        platform = "aliexpress" if rng.random() < c.aliexpress_share else "ebay"
        cc = weighted(rng, c.buyers[platform])
        opened = start + timedelta(days=rng.randrange((LAST_DAY - start).days + 1))
        group = "not_received" if rng.random() < c.not_received_share else "not_as_described"
        reason = weighted(rng, {r: c.reason_weights[r] for r in VALUES.reasons[group]})
        deadline = _deadline(platform, opened)
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
        outcome = _outcome(rng, reason, evidence, bool(answered and answered <= deadline), bool(answered), opened)
        amount = round(rng.uniform(4, 120), 2)
        refund = {"full_refund": amount, "partial_refund": round(amount * rng.choice([0.2, 0.3, 0.4, 0.5]), 2)}
        if platform == "aliexpress":
            oid = f"81{rng.randrange(10**14):014d}"
        else:
            oid = f"{rng.randrange(10, 28)}-{rng.randrange(10**5):05d}-{rng.randrange(10**5):05d}"
        rows.append(
            dict(
                dispute_id=f"DSP-{i + 1:04d}",
                platform=platform,
                order_id=oid,
                buyer_country=cc,
                opened_date=iso(opened),
                reason_group=group,
                reason=reason,
                respond_by=iso(deadline),
                seller_response_date=iso(answered),
                evidence=";".join(sorted(evidence)),
                outcome=outcome,
                refund_amount=money(refund.get(outcome, 0.0)),
                currency=c.ebay_currency.get(cc, "USD") if platform == "ebay" else "USD",
            )
        )
    return rows


DATASET = Dataset(
    name="disputes",
    chapter=CHAPTER,
    file="disputes.csv",
    description="AliExpress and eBay buyer disputes (not received / not as described)",
    generator=generate,
    schema={
        "dispute_id": Column("str", pattern=r"^DSP-\d{4}$", unique=True),
        "platform": Column("str", isin=VALUES.platforms),
        "order_id": Column("str", min_length=5),
        "buyer_country": Column("str", pattern=r"^[A-Z]{2}$", pattern_name="ISO alpha-2 code"),
        "opened_date": Column("date", le=AS_OF),
        "reason_group": Column("str", isin=tuple(VALUES.reasons)),
        "reason": Column("str", isin=tuple(VALUES.all_reasons)),
        "respond_by": Column("date"),
        "seller_response_date": Column("date", nullable=True),
        "evidence": Column("str", items_in=VALUES.evidence),
        "outcome": Column("str", isin=VALUES.outcomes),
        "refund_amount": Column("float", ge=0),
        "currency": Column("str", isin=VALUES.currencies),
    },
)
