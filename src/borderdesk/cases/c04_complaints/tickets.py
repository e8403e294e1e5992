"""tickets.csv: a Zendesk ticket export (the export's own column names, then custom fields) of a
Shenzhen seller's buyer support, 2026-04-01 to 2026-09-30, with a crisis in August.

Outcomes follow the situation (contact reason, tracking status, days late) and the agent's handling
(first reply time, apology, the remedy chosen), never the buyer's language or country: those only
pick the words. Content: ``tickets.yaml``; the schedule: ``ZENDESK_SCHEDULE`` in ``__init__.py``.
"""

from __future__ import annotations

import math
import random
import re
import string
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

import numpy as np
from pydantic import Field, model_validator

from ..catalog import Column, Dataset
from ..common import Fakers, Table, money, read_table, stream, weighted, zone
from . import (
    ACCOUNT_TZ,
    CHAPTER,
    CLOSED_AFTER_DAYS,
    CRISIS_POSTED_UTC,
    CRISIS_PRODUCT,
    CRISIS_START,
    EXPORTED_AT,
    FIRST_DAY,
    HERE,
    LAST_DAY,
    TEMPLATE_TEST_START,
    VALUES,
    ZENDESK_SCHEDULE,
)

Market = str
Lang = str
Reason = str


# --------------------------------------------------------------------------- content table
class MarketSpec(Table):
    share: float = Field(gt=0)
    languages: dict[str, float]
    countries: dict[str, float]
    tz: str
    order_id: str
    carriers: dict[str, float]


class ProductSpec(Table):
    electronic: bool
    share: float = Field(gt=0)
    price: tuple[float, float]
    cost_share: float = Field(gt=0, lt=1)
    shipping: tuple[float, float]
    resellable: bool


class ReasonSpec(Table):
    weight: float = Field(ge=0)
    type: str
    priority: str


class TrackingSpec(Table):
    weight: float = Field(gt=0)
    days_late: tuple[int, int]
    first_contact: float = Field(ge=0, le=1)


class Risk(Table):
    claim: float = Field(ge=0, le=1)
    chargeback: float = Field(ge=0, le=1)
    negative: float = Field(ge=0, le=1)


class Factor(Table):
    claim: float = Field(ge=0)
    chargeback: float = Field(ge=0)
    negative: float = Field(ge=0)


class Agent(Table):
    load: float = Field(gt=0)
    first_reply: float = Field(gt=0)
    apology: float = Field(ge=0, le=1)
    first_contact: float = Field(gt=0)
    reopen: float = Field(ge=0, le=1)
    remedy: float
    feedback: float = Field(ge=0, le=1)
    joined: date | None = None


class Crisis(Table):
    extra: tuple[float, ...]
    reasons: dict[str, float]
    lag: dict[str, int]
    early_signal_from: date
    early_signal_daily: float = Field(ge=0)
    slowdown: float = Field(ge=0)


class Content(Table):
    daily_tickets: float = Field(gt=0)
    markets: dict[str, MarketSpec]
    language_countries: dict[str, tuple[str, ...]]
    local_carriers: dict[str, tuple[str, ...]]
    products: dict[str, ProductSpec]
    return_label_usd: float = Field(ge=0)
    partial_refund_shares: tuple[float, ...]
    reasons: dict[str, ReasonSpec]
    tracking: dict[str, TrackingSpec]
    first_contact: dict[str, float]
    remedies: dict[str, dict[str, float]]
    risk: dict[str, Risk]
    handling: dict[str, Factor]
    feedback_updated: float = Field(ge=0, le=1)
    survey_response: float = Field(ge=0, le=1)
    good_base: float = Field(ge=0, le=1)
    good_minus: dict[str, float]
    wismo_b_bonus: float
    wismo_b_first_contact_bonus: float
    agents: dict[str, Agent]
    weekend_on_call: float = Field(ge=0, le=1)
    crisis: Crisis

    @model_validator(mode="after")
    def _allowed_values(self) -> Content:
        v = VALUES
        problems = []

        def check(where: str, names, allowed) -> None:
            bad = sorted(set(names) - set(allowed))
            if bad:
                problems.append(f"{where}: {', '.join(map(str, bad))} not in values.yaml")

        check("markets", self.markets, v.marketplaces)
        for cc, names in self.local_carriers.items():
            check(f"local_carriers.{cc}", names, v.carriers)
        for m, spec in self.markets.items():
            check(f"markets.{m}.languages", spec.languages, v.languages)
            check(f"markets.{m}.carriers", spec.carriers, v.carriers)
        check("products", self.products, v.products)
        check("reasons", self.reasons, v.reasons)
        check("reasons (missing)", v.reasons, self.reasons)
        for r, spec in self.reasons.items():
            check(f"reasons.{r}.type", [spec.type], v.ticket_types)
            check(f"reasons.{r}.priority", [spec.priority], v.priorities)
        check("tracking", self.tracking, v.tracking_statuses)
        situations = [*v.tracking_statuses, *(r for r in v.reasons if r != "where_is_my_order")]
        for name in ("remedies", "risk"):
            check(f"{name} (missing)", situations, getattr(self, name))
        for s, weights in self.remedies.items():
            check(f"remedies.{s}", weights, v.remedies)
        check("crisis.reasons", self.crisis.reasons, v.reasons)
        check("crisis.lag", self.crisis.lag, v.languages)
        if problems:
            raise ValueError("; ".join(problems))
        return self


@cache
def content() -> Content:
    return read_table(HERE / "tickets.yaml", Content)


# --------------------------------------------------------------------------- helpers
LOCALES = {
    "US": "en_US", "GB": "en_GB", "AU": "en_AU", "CA": "en_CA", "DE": "de_DE", "AT": "de_AT", "CH": "de_CH",
    "FR": "fr_FR", "BE": "fr_BE", "ES": "es_ES", "MX": "es_MX", "JP": "ja_JP",
}  # fmt: skip
AMAZON_TLD = {
    "amazon.com": "com", "amazon.co.uk": "co.uk", "amazon.de": "de", "amazon.fr": "fr", "amazon.es": "es",
    "amazon.co.jp": "co.jp",
}  # fmt: skip
SHANGHAI = zone(ACCOUNT_TZ)
WAIT_FITS = {"in_transit", "customs_hold", "address_problem"}  # "tell the buyer and wait" fits these, if not late
REFUNDS = ("full_refund", "return_and_refund", "partial_refund")


def _digits(rng: random.Random, pattern: str) -> str:
    return re.sub(r"\{D(\d+)\}", lambda m: "".join(rng.choices(string.digits, k=int(m.group(1)))), pattern)


def _stamp(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


def _minutes(start: datetime, end: datetime | None) -> str:
    return "" if end is None else str(int((end - start).total_seconds() // 60))


def _business(start: datetime, end: datetime | None) -> str:
    return "" if end is None else str(ZENDESK_SCHEDULE.minutes_between(start, end))


def _lognormal(rng: random.Random, median: float, sigma: float = 0.9) -> float:
    return median * math.exp(rng.gauss(0, sigma))


def situation(reason: str, tracking: str) -> str:
    """The key of the risk, remedy and first-contact tables: the tracking status for where-is-my-order."""
    return tracking if reason == "where_is_my_order" else reason


def remedy_fits(situation_: str, remedy: str, days_late: int | None) -> bool:
    """A concrete remedy always fits; "none" (inform and wait) fits questions and a parcel that is not yet late."""
    if remedy != "none":
        return True
    if situation_ in VALUES.reasons and not VALUES.reasons[situation_].complaint:
        return True
    return situation_ in WAIT_FITS and (days_late is None or days_late <= 3)


def remedy_cost(remedy: str, value: float, item_cost: float, shipping: float, resellable: bool, share: float) -> float:
    c = content()
    return {
        "none": 0.0,
        "reship": item_cost + shipping,
        "full_refund": value,
        "partial_refund": share * value,
        "return_and_refund": value + c.return_label_usd - (item_cost if resellable else 0.0),
    }[remedy]


# --------------------------------------------------------------------------- arrivals
def _arrivals(seed: int) -> list[tuple[date, str, str | None]]:
    """(day, kind, language) of every ticket: kind "base", "early" (the faulty lot) or "crisis"."""
    c = content()
    counts = np.random.default_rng([seed, 4, 1])
    out: list[tuple[date, str, str | None]] = []
    span = (LAST_DAY - FIRST_DAY).days
    lang_share: dict[str, float] = {}
    total = sum(m.share for m in c.markets.values())
    for m in c.markets.values():
        w = sum(m.languages.values())
        for lang, x in m.languages.items():
            lang_share[lang] = lang_share.get(lang, 0) + m.share / total * x / w
    day = FIRST_DAY
    while day <= LAST_DAY:
        mean = c.daily_tickets * (1 + 0.1 * (day - FIRST_DAY).days / span) * (1.15 if day.weekday() == 0 else 1.0)
        out += [(day, "base", None)] * int(counts.poisson(mean))
        if c.crisis.early_signal_from <= day < CRISIS_START:
            out += [(day, "early", None)] * int(counts.poisson(c.crisis.early_signal_daily))
        k = (day - CRISIS_START).days
        for lang in VALUES.languages:
            j = k - c.crisis.lag[lang]
            if 0 <= j < len(c.crisis.extra):
                out += [(day, "crisis", lang)] * int(counts.poisson(c.crisis.extra[j] * lang_share[lang]))
        day += timedelta(days=1)
    return out


def _created(rng: random.Random, day: date, tz: str, kind: str) -> datetime:
    """A time on ``day`` (Shanghai date) when a buyer in ``tz`` is awake (mostly 8:00-23:00 there)."""
    if kind == "crisis" and day == CRISIS_START:  # after the post went up
        posted = CRISIS_POSTED_UTC.replace(tzinfo=UTC).astimezone(SHANGHAI).replace(tzinfo=None)
        return posted + timedelta(
            minutes=rng.randrange(20, int((datetime.combine(day, time(23, 59)) - posted).total_seconds() // 60))
        )
    noon = datetime.combine(day, time(12)).replace(tzinfo=SHANGHAI)
    offset = (noon.astimezone(zone(tz)).utcoffset() - noon.utcoffset()).total_seconds() / 3600
    local_hour = rng.choices(
        range(24), weights=[1, 1, 1, 1, 1, 1, 2, 4, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 8, 6, 3]
    )[0]
    hour = int(local_hour - offset) % 24
    return datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))


# --------------------------------------------------------------------------- one ticket
def _first_reply(rng: random.Random, agent: Agent, created: datetime, priority: str, load: float) -> datetime:
    c = content()
    if not ZENDESK_SCHEDULE.is_working_day(created.date()) and rng.random() < c.weekend_on_call and created.hour < 20:
        start = max(created, datetime.combine(created.date(), time(10)))
        return start + timedelta(minutes=rng.randrange(10, 240))
    urgency = {"Urgent": 0.5, "High": 0.8}.get(priority, 1.0)
    slowdown = 1 + c.crisis.slowdown * max(0.0, load - 1)
    return ZENDESK_SCHEDULE.add_minutes(created, max(2.0, _lognormal(rng, agent.first_reply * urgency * slowdown)))


def _ticket(rng: random.Random, fakers: Fakers, day: date, kind: str, lang: str | None, load: float) -> dict:
    c = content()
    v = VALUES
    # who writes, about what
    if lang is None:
        market = weighted(rng, {m: s.share for m, s in c.markets.items()})
        lang = weighted(rng, c.markets[market].languages)
    else:
        market = weighted(rng, {m: s.share * s.languages.get(lang, 0) for m, s in c.markets.items()})
    spec = c.markets[market]
    countries = {k: w for k, w in spec.countries.items() if k in c.language_countries[lang]} or spec.countries
    country = weighted(rng, countries)
    if kind == "base":
        reason = weighted(rng, {r: s.weight for r, s in c.reasons.items()})
        products = {p: s.share for p, s in c.products.items() if s.electronic or reason != "defective"}
        product = weighted(rng, products)
    else:
        reason = "defective" if kind == "early" else weighted(rng, c.crisis.reasons)
        product = CRISIS_PRODUCT
    created = _created(rng, day, spec.tz, kind)
    active = {a: s.load for a, s in c.agents.items() if s.joined is None or s.joined <= day}
    name = weighted(rng, active)
    agent = c.agents[name]
    complaint = v.reasons[reason].complaint
    priority = c.reasons[reason].priority

    # the order and the parcel
    prod = c.products[product]
    value = round(rng.uniform(*prod.price), 2)
    item_cost = round(value * prod.cost_share, 2)
    shipping = round(rng.uniform(*prod.shipping), 2)
    has_order = reason != "product_question"
    tracking, carrier, days_late = "", "", None
    if reason == "where_is_my_order":
        tracking = weighted(rng, {t: s.weight for t, s in c.tracking.items()})
        days_late = rng.randint(*c.tracking[tracking].days_late)
        carrier = weighted(rng, spec.carriers)
        national = {name for names in c.local_carriers.values() for name in names}
        if carrier in national and carrier not in c.local_carriers[country]:
            carrier = rng.choice(c.local_carriers[country])
        if tracking == "no_tracking":
            carrier = ""
    where = situation(reason, tracking)

    # handling
    weights = dict(c.remedies[where])
    if agent.remedy > 0 and complaint:
        for r in REFUNDS:
            if r in weights:
                weights[r] += agent.remedy / 2
    elif agent.remedy < 0 and complaint:
        weights["none"] = weights.get("none", 0) - agent.remedy
    remedy = weighted(rng, weights)
    share = rng.choice(c.partial_refund_shares)
    cost = remedy_cost(remedy, value, item_cost, shipping, prod.resellable, share)
    fits = remedy_fits(where, remedy, days_late)
    apology = complaint and rng.random() < agent.apology
    template = "none"
    if reason == "where_is_my_order" and day >= TEMPLATE_TEST_START:
        template = rng.choice(["wismo_a", "wismo_b"])

    first = _first_reply(rng, agent, created, priority, load)
    fc = c.tracking[tracking].first_contact if tracking else c.first_contact[reason]
    fc = fc * agent.first_contact + (c.wismo_b_first_contact_bonus if template == "wismo_b" else 0)
    if not fits:
        fc *= 0.6
    replies = [first]
    if rng.random() >= min(0.97, fc):
        for _ in range(1 + int(rng.random() < 0.45) + int(rng.random() < 0.2)):
            buyer = replies[-1] + timedelta(minutes=_lognormal(rng, 360, 1.0))
            replies.append(ZENDESK_SCHEDULE.add_minutes(buyer, _lognormal(rng, agent.first_reply * 0.8)))
    first_solved = replies[-1]
    reopened = rng.random() < agent.reopen + (0.08 if not fits else 0)
    back = None  # when the buyer wrote again after the first "solved"
    if reopened:
        back = first_solved + timedelta(days=rng.uniform(0.2, 3.8))  # before the ticket closes: closed ones stay closed
        replies.append(ZENDESK_SCHEDULE.add_minutes(back, _lognormal(rng, agent.first_reply * 0.8)))
        if rng.random() < 0.35:
            buyer = replies[-1] + timedelta(minutes=_lognormal(rng, 360, 1.0))
            replies.append(ZENDESK_SCHEDULE.add_minutes(buyer, _lognormal(rng, agent.first_reply * 0.8)))
    solved = replies[-1]
    slow = (first - created) > timedelta(hours=48)

    # what happened next
    risk = c.risk[where]
    factor = {"claim": 1.0, "chargeback": 1.0, "negative": 1.0}
    for cond, key in (
        (not fits, "no_fitting_remedy"),
        (complaint and not apology, "no_apology"),
        (slow, "slow_first_reply"),
        (remedy in ("full_refund", "return_and_refund"), "refund_given"),
    ):
        if cond:
            for f in factor:
                factor[f] *= getattr(c.handling[key], f)
    if days_late and days_late > 0:
        for f in factor:
            factor[f] *= getattr(c.handling["per_day_late"], f) ** days_late
    if rng.random() < min(0.9, risk.chargeback * factor["chargeback"]):
        outcome = "chargeback"
    elif rng.random() < min(0.9, risk.claim * factor["claim"]):
        outcome = "claim_opened"
    elif rng.random() < min(0.9, risk.negative * factor["negative"]):
        updated = rng.random() < c.feedback_updated * (1.0 if fits else 0.3)
        outcome = "feedback_updated" if updated else "negative_feedback"
    else:
        outcome = "resolved"

    # as seen at the export
    shown = [r for r in replies if r <= EXPORTED_AT]
    is_solved = solved <= EXPORTED_AT
    first_solved_shown = first_solved if first_solved <= EXPORTED_AT else None
    if not is_solved:
        outcome = "open"
    escalation = "none"
    if outcome in ("claim_opened", "chargeback"):
        escalation = "platform"
    elif rng.random() < (0.5 if reason == "safety_concern" else 0.15 if reopened else 0.04 if complaint else 0.0):
        escalation = "team_lead"

    score = "Not Offered"
    via = "Web form" if rng.random() < 0.35 else ("Web service" if market == "aliexpress" else "Mail")
    if via == "Web form" and is_solved and solved + timedelta(days=1) <= EXPORTED_AT:
        score = "Offered"
        if rng.random() < c.survey_response:
            m = c.good_minus
            good = c.good_base
            good -= m["no_apology"] if complaint and not apology else 0
            good -= m["no_fitting_remedy"] if not fits else 0
            good -= m["not_first_contact"] if len(replies) > 1 else 0
            good -= m["per_reopen"] * reopened
            good -= m["slow_first_reply"] if slow else 0
            good -= m["defect"] if outcome in ("negative_feedback", "claim_opened", "chargeback") else 0
            good += c.wismo_b_bonus if template == "wismo_b" else 0
            score = "Good" if rng.random() < min(0.97, max(0.03, good)) else "Bad"

    reopens = int(back is not None and back <= EXPORTED_AT)
    if not is_solved:
        buyer_waits = not shown or (reopens and shown[-1] < back)
        status = "Open" if buyer_waits else "Pending"
        updated_at = max([created, *shown, *([back] if reopens else [])])
    elif solved + timedelta(days=CLOSED_AFTER_DAYS) <= EXPORTED_AT:
        closed = solved + timedelta(days=CLOSED_AFTER_DAYS, minutes=rng.randrange(60))
        status, updated_at = "Closed", min(closed, EXPORTED_AT)
    else:
        status, updated_at = "Solved", solved
    if score in ("Good", "Bad"):
        updated_at = max(updated_at, min(EXPORTED_AT, solved + timedelta(days=1, minutes=rng.randrange(600))))

    tags = {reason, market.replace(".", "_"), product}
    if apology:
        tags.add("apology")
    if remedy != "none" and is_solved:
        tags.add(f"remedy_{remedy}")
    if template != "none":
        tags.add(template)
    if kind == "crisis":
        tags.add("charger_heat_2026_08")  # the incident tag the team added once the video was known
    if kind != "base" and reason == "defective":
        tags.add("overheating")  # the symptom tag agents add to a defect report, before and during the crisis
    if escalation != "none":
        tags.add(f"escalated_{escalation}")

    fake = fakers(LOCALES[country])
    first, last = fake.first_name(), fake.last_name()  # no titles or suffixes ("Dr.", "B.Eng.")
    requester = f"{last} {first}" if country == "JP" else f"{first} {last}"
    if via == "Web form" or market == "ebay":
        email = fake.free_email()
    elif market == "aliexpress":
        email = f"buyer{rng.randrange(10**9, 10**10)}@aliexpress-buyer.example"
    else:
        email = f"{''.join(rng.choices(string.ascii_lowercase + string.digits, k=16))}@marketplace.amazon.{AMAZON_TLD[market]}"
    order_id = _digits(rng, spec.order_id) if has_order else ""

    return {
        "_created": created,
        "Requester": requester,
        "Requester email": email,
        "Assignee": name,
        "Group": "Amazon" if market.startswith("amazon") else "AliExpress & eBay",
        "Subject": "",  # filled in by ticket_messages' phrase tables, see generate()
        "Tags": " ".join(sorted(tags)),
        "Status": status,
        "Priority": priority,
        "Via": via,
        "Ticket type": c.reasons[reason].type,
        "Created at": _stamp(created),
        "Updated at": _stamp(updated_at),
        "Solved at": _stamp(solved if is_solved else None),
        "Satisfaction Score": score,
        "Reopens": str(reopens),
        "Replies": str(len(shown)),
        "First reply time in minutes": _minutes(created, shown[0] if shown else None),
        "First reply time in minutes within business hours": _business(created, shown[0] if shown else None),
        "First resolution time in minutes": _minutes(created, first_solved_shown),
        "First resolution time in minutes within business hours": _business(created, first_solved_shown),
        "Full resolution time in minutes": _minutes(created, solved if is_solved else None),
        "Full resolution time in minutes within business hours": _business(created, solved if is_solved else None),
        "Marketplace [list]": market,
        "Language [list]": lang,
        "Buyer country [list]": country,
        "Order id": order_id,
        "Product [list]": product,
        "Contact reason [list]": reason,
        "Tracking status [list]": tracking,
        "Carrier [list]": carrier,
        "Days late": "" if days_late is None else str(days_late),
        "Remedy [list]": remedy if is_solved else "none",
        "Order value USD": money(value) if has_order else "0.00",
        "Item cost USD": money(item_cost) if has_order else "0.00",
        "Shipping cost USD": money(shipping) if has_order else "0.00",
        "Remedy cost USD": money(cost if is_solved else 0.0),
        "Escalation [list]": escalation,
        "Outcome [list]": outcome,
        "Reply template [list]": template,
    }


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    from .ticket_messages import subject  # the phrase tables live with the threads

    rng = stream(seed, "tickets")
    fakers = Fakers(seed)
    arrivals = _arrivals(seed)
    per_day: dict[date, int] = {}
    for day, _, _ in arrivals:
        per_day[day] = per_day.get(day, 0) + 1
    baseline = content().daily_tickets
    rows = [_ticket(rng, fakers, day, kind, lang, per_day[day] / baseline) for day, kind, lang in arrivals]
    rows.sort(key=lambda r: r["_created"])
    for i, row in enumerate(rows):
        row["Id"] = str(20001 + i)
        row["Subject"] = subject(rng, row)
    return rows


def _schema() -> dict[str, Column]:
    v = VALUES
    minutes = {"nullable": True, "ge": 0}
    return {
        "Id": Column("int", unique=True, ge=1),
        "Requester": Column("str", min_length=2),
        "Requester email": Column("str", pattern=r"^[^@\s]+@[^@\s]+\.[a-z.]+$", pattern_name="an e-mail address"),
        "Assignee": Column("str", isin=tuple(content().agents)),
        "Group": Column("str", isin=v.groups),
        "Subject": Column("str", min_length=3),
        "Tags": Column("str", pattern=r"^[a-z0-9_]+( [a-z0-9_]+)*$", pattern_name="space-separated lowercase tags"),
        "Status": Column("str", isin=v.statuses),
        "Priority": Column("str", isin=v.priorities),
        "Via": Column("str", isin=v.vias),
        "Ticket type": Column("str", isin=v.ticket_types),
        "Created at": Column("datetime"),
        "Updated at": Column("datetime"),
        "Solved at": Column("datetime", nullable=True),
        "Satisfaction Score": Column("str", isin=v.satisfaction),
        "Reopens": Column("int", ge=0),
        "Replies": Column("int", ge=0),
        "First reply time in minutes": Column("int", **minutes),
        "First reply time in minutes within business hours": Column("int", **minutes),
        "First resolution time in minutes": Column("int", **minutes),
        "First resolution time in minutes within business hours": Column("int", **minutes),
        "Full resolution time in minutes": Column("int", **minutes),
        "Full resolution time in minutes within business hours": Column("int", **minutes),
        "Marketplace [list]": Column("str", isin=v.marketplaces),
        "Language [list]": Column("str", isin=v.languages),
        "Buyer country [list]": Column("str", isin=tuple(LOCALES)),
        "Order id": Column("str"),
        "Product [list]": Column("str", isin=v.products),
        "Contact reason [list]": Column("str", isin=tuple(v.reasons)),
        "Tracking status [list]": Column("str", isin=("", *v.tracking_statuses)),
        "Carrier [list]": Column("str", isin=("", *v.carriers)),
        "Days late": Column("int", nullable=True),
        "Remedy [list]": Column("str", isin=v.remedies),
        "Order value USD": Column("float", ge=0),
        "Item cost USD": Column("float", ge=0),
        "Shipping cost USD": Column("float", ge=0),
        "Remedy cost USD": Column("float", ge=0),
        "Escalation [list]": Column("str", isin=v.escalations),
        "Outcome [list]": Column("str", isin=v.outcomes),
        "Reply template [list]": Column("str", isin=v.reply_templates),
    }


DATASET = Dataset(
    name="tickets",
    chapter=CHAPTER,
    file="tickets.csv",
    description="Zendesk ticket export of a Shenzhen seller's buyer support, 2026-04-01 to 2026-09-30",
    generator=generate,
    schema=_schema(),
)
