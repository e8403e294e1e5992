"""orders.csv: seller-fulfilled Amazon orders on six marketplaces, with the stories behind
the account-health breaches the lesson uncovers (content: ``orders.yaml``).

Each cancellation records how the buyer asked for it: a seller's cancellation stays out of the
pre-fulfilment cancel rate only when the buyer used Request Cancellation and the seller chose
"Buyer cancelled" (Seller Central help G201722390, checked 2026).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from ..catalog import Column, Dataset
from ..common import Table, add_business_days, iso, money, read_table, stream, weighted
from . import AS_OF, CHAPTER, HERE, STATUS_DATE, VALUES

FIRST_ORDER_DAY = date(2026, 5, 1)
LAST_DAY = AS_OF.date()
STATUS_DAY = STATUS_DATE.date()  # order statuses (shipping, delivery, feedback, claims) as recorded then

Marketplace = Literal[VALUES.marketplaces]
CarrierKind = Literal["express", "post", "cross_border"]
TRACKING = re.compile(r"\{([DL])(\d+)\}")


# --------------------------------------------------------------------------- content table
class Market(Table):
    daily: int = Field(gt=0)
    currency: Literal[VALUES.currencies]
    price: tuple[int, int]
    handling: int = Field(gt=0)
    promise: int = Field(gt=0)
    prefixes: tuple[str, ...] = Field(min_length=1)
    carriers: dict[str, int]


class Carrier(Table):
    kind: CarrierKind
    tracking: str = Field(pattern=r"^([A-Z0-9]|\{[DL]\d+\})+$")


class Event(Table):
    market: Marketplace
    since: date
    value: float = Field(ge=0)


class Story(Table):
    normal: float = Field(ge=0)
    events: tuple[Event, ...] = ()

    def at(self, market: str, day: date) -> float:
        for event in self.events:
            if event.market == market and day >= event.since:
                return event.value
        return self.normal


class CancelKind(Table):
    cancelled_by: Literal[VALUES.cancelled_by]
    request: Literal[VALUES.cancel_requests]
    reasons: dict[Literal[VALUES.cancel_reasons], int]


Shares = dict[str, float]


class Content(Table):
    markets: dict[Marketplace, Market]
    carriers: dict[str, Carrier]
    transit_days: dict[CarrierKind, tuple[int, int]]
    late_shipment: Story
    invalid_tracking: Story
    defect_boost: Story
    late_delivery: Story
    promise_extension: Story
    cancel_kinds: dict[str, CancelKind]
    cancel_odds: Shares
    window_default: Shares
    window: dict[Marketplace, Shares]
    reason_preselected: tuple[Marketplace, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Content:
        missing = [m for m in VALUES.marketplaces if m not in self.markets]
        if missing:
            raise ValueError(f"markets: add {', '.join(missing)} (every marketplace of values.yaml)")
        for name, market in self.markets.items():
            unknown = [c for c in market.carriers if c not in self.carriers]
            if unknown:
                raise ValueError(f"markets.{name}.carriers: {', '.join(unknown)} not in `carriers`")
        tables = {"cancel_odds": self.cancel_odds, "window_default": self.window_default}
        tables |= {f"window.{market}": shares for market, shares in self.window.items()}
        for name, shares in tables.items():
            unknown = [k for k in shares if k not in self.cancel_kinds]
            if unknown:
                raise ValueError(f"{name}: {', '.join(unknown)} not in `cancel_kinds`")
        return self


@cache
def content() -> Content:
    return read_table(HERE / "orders.yaml", Content)


# --------------------------------------------------------------------------- orders
def _tracking_id(rng: random.Random, carrier: str) -> str:
    """A tracking number in the carrier's format, drawn left to right."""

    def fill(match: re.Match) -> str:
        alphabet = "0123456789" if match.group(1) == "D" else "ABCDEFGHJKLMNPRSTUVWXYZ"
        return "".join(rng.choice(alphabet) for _ in range(int(match.group(2))))

    return TRACKING.sub(fill, content().carriers[carrier].tracking)


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    c = content()
    rng = stream(seed, "orders")
    counts = np.random.default_rng(seed).poisson
    days = [FIRST_ORDER_DAY + timedelta(days=i) for i in range((LAST_DAY - FIRST_ORDER_DAY).days + 1)]
    skeleton: list[tuple[str, date]] = []
    for day in days:
        season = 1.0 + 0.25 * (day - FIRST_ORDER_DAY).days / len(days) + (0.1 if day.weekday() >= 5 else 0.0)
        for market, spec in c.markets.items():
            skeleton += [(market, day)] * int(counts(spec.daily * season))

    # cancellations: drawn freely, then set exactly inside the 7-day window so the verdicts are stable
    odds = {**c.cancel_odds, "none": 1 - sum(c.cancel_odds.values())}
    cancelled = [weighted(rng, odds) for _ in skeleton]
    window_start = LAST_DAY - timedelta(days=6)
    for market in c.markets:
        idx = [i for i, (m, d) in enumerate(skeleton) if m == market and d >= window_start]
        counts = {kind: round(share * len(idx)) for kind, share in c.window.get(market, c.window_default).items()}
        chosen = rng.sample(idx, sum(counts.values()))
        for i in idx:
            cancelled[i] = "none"
        plan = [kind for kind, n in counts.items() for _ in range(n)]
        for i, kind in zip(chosen, plan, strict=True):
            cancelled[i] = kind
    used_ids: set[str] = set()
    rows = []
    for (market, day), kind in zip(skeleton, cancelled, strict=True):
        spec = c.markets[market]
        if kind == "official_wrong_reason" and market in c.reason_preselected:
            kind = "official"  # Seller Central Europe pre-selects "Buyer cancelled" for an official request
        cancel = c.cancel_kinds.get(kind)
        while True:
            oid = f"{rng.choice(spec.prefixes)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
            if oid not in used_ids:
                used_ids.add(oid)
                break
        lo, hi = spec.price
        total = rng.uniform(lo, hi)
        total = round(total) if spec.currency == "JPY" else round(total, 2)
        ship_by = add_business_days(day, spec.handling)
        latest = ship_by + timedelta(days=spec.promise)
        row = dict(
            order_id=oid,
            marketplace=market,
            order_date=iso(day),
            ship_by_date=iso(ship_by),
            shipped_date="",
            carrier="",
            tracking_id="",
            tracking_valid="False",
            latest_est_delivery=iso(latest),
            promise_extended_to="",
            delivered_date="",
            cancelled_by=cancel.cancelled_by if cancel else "none",
            cancel_request=cancel.request if cancel else "none",
            cancel_reason=weighted(rng, cancel.reasons) if cancel else "none",
            feedback_stars="",
            atoz_claim="none",
            chargeback="False",
            order_total=money(total),
            currency=spec.currency,
        )
        rows.append(row)
        if row["cancelled_by"] != "none":
            continue
        if rng.random() < c.late_shipment.at(market, day):
            shipped = ship_by + timedelta(days=rng.randint(1, 4))
        else:
            shipped = day + timedelta(days=rng.randint(0 if rng.random() < 0.3 else 1, (ship_by - day).days))
        if shipped > STATUS_DAY:
            continue  # not shipped yet when the statuses were recorded
        carrier = weighted(rng, spec.carriers)
        transit = rng.randint(*c.transit_days[c.carriers[carrier].kind])
        if rng.random() < 0.05:
            transit += rng.randint(2, 5)  # a customs or hub delay
        invalid = rng.random() < c.invalid_tracking.at(market, day)
        tracking = "" if invalid and rng.random() < 0.6 else _tracking_id(rng, carrier)
        if invalid and tracking:
            tracking = tracking[:-3]  # truncated upload: the carrier never scans it
        delivered = shipped + timedelta(days=min(transit, 20))
        lost = rng.random() < 0.004
        extended = None
        if rng.random() < c.late_delivery.at(market, day):  # a carrier delay past the promise
            delivered = min(max(delivered, latest + timedelta(days=rng.randint(1, 5))), shipped + timedelta(days=25))
            if rng.random() < c.promise_extension.at(market, day):
                extended = max(delivered, latest + timedelta(days=rng.randint(3, 6)))
        row.update(
            shipped_date=iso(shipped),
            carrier=carrier,
            tracking_id=tracking,
            tracking_valid=str(not invalid),
            promise_extended_to=iso(extended),
            delivered_date="" if lost or delivered > STATUS_DAY else iso(delivered),
        )
        _defects(rng, row, market, day, delivered if row["delivered_date"] else None, latest)
    return rows


def _defects(rng: random.Random, row: dict, market: str, day: date, delivered: date | None, latest: date) -> None:
    boost = content().defect_boost.at(market, day)
    late = delivered is None or delivered > latest
    if delivered and delivered + timedelta(days=2) <= STATUS_DAY and rng.random() < 0.05:
        bad = 0.35 if late else 0.04 * boost
        stars = rng.choice([1, 2]) if rng.random() < bad else rng.choices([3, 4, 5], weights=[8, 22, 70])[0]
        row["feedback_stars"] = str(stars)
    claim_possible = (delivered is not None) or latest + timedelta(days=3) <= STATUS_DAY
    if claim_possible and rng.random() < (0.03 if delivered is None else 0.002) * boost:
        row["atoz_claim"] = "granted" if rng.random() < 0.6 else "denied"
    if delivered and rng.random() < 0.0006 * boost:
        row["chargeback"] = "True"


DATASET = Dataset(
    name="orders",
    chapter=CHAPTER,
    file="orders.csv",
    description="Seller-fulfilled Amazon orders, 2026-05-01 to AS_OF, six marketplaces",
    generator=generate,
    schema={
        "order_id": Column("str", pattern=r"^\d{3}-\d{7}-\d{7}$", unique=True),
        "marketplace": Column("str", isin=VALUES.marketplaces),
        "order_date": Column("date", in_range=(pd.Timestamp(FIRST_ORDER_DAY), AS_OF)),
        "ship_by_date": Column("date"),
        "shipped_date": Column("date", le=STATUS_DATE, nullable=True),
        "carrier": Column("str"),
        "tracking_id": Column("str"),
        "tracking_valid": Column("bool"),
        "latest_est_delivery": Column("date"),
        "promise_extended_to": Column("date", nullable=True),
        "delivered_date": Column("date", le=STATUS_DATE, nullable=True),
        "cancelled_by": Column("str", isin=VALUES.cancelled_by),
        "cancel_request": Column("str", isin=VALUES.cancel_requests),
        "cancel_reason": Column("str", isin=VALUES.cancel_reasons),
        "feedback_stars": Column("int", in_range=(1, 5), nullable=True),
        "atoz_claim": Column("str", isin=VALUES.atoz_claims),
        "chargeback": Column("bool"),
        "order_total": Column("float", gt=0),
        "currency": Column("str", isin=VALUES.currencies),
    },
)
