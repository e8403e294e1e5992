"""message_times.csv: when buyers in 15 markets wrote (their local time and UTC) and when the
Shenzhen team's reply reached them (content: ``message_times.yaml``).

The reply time follows only when a message arrives and how busy the team is: the shift
(``TEAM_HOURS``), the backlog after nights, weekends and Chinese holidays, and the day's load.
The buyer's market and language never enter it, so "replies land in the buyer's night" is a
consequence of time zones, not of who the buyer is.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from functools import cache

from pydantic import Field, model_validator

from ..catalog import Column, Dataset
from ..common import Table, read_table, stream, weighted, zone
from . import CHAPTER, FIRST_DAY, HERE, LAST_DAY, TEAM_HOURS, TEAM_TZ, VALUES

Weights = dict[str, int]
Hours = tuple[float, ...]
UTC_FORMAT, LOCAL_FORMAT = "%Y-%m-%d %H:%M:%S+00:00", "%Y-%m-%d %H:%M:%S"


class HourProfiles(Table):
    weekday: Hours = Field(min_length=24, max_length=24)
    weekend: Hours = Field(min_length=24, max_length=24)
    ramadan: Hours = Field(min_length=24, max_length=24)


class Content(Table):
    count: int = Field(gt=0)
    markets: dict[str, int]
    zones: dict[str, Weights]
    languages: dict[str, Weights]
    hours: HourProfiles
    weekend_factor: float = Field(gt=0)
    holiday_factor: float = Field(gt=0)
    peak_factors: dict[str, float]
    queue_median_minutes: float = Field(gt=0)
    queue_sigma: float = Field(ge=0)
    backlog_base_minutes: float = Field(ge=0)
    backlog_per_day_off_minutes: float = Field(ge=0)

    @model_validator(mode="after")
    def _known_markets(self) -> Content:
        for name in ("markets", "zones"):
            bad = [m for m in getattr(self, name) if m not in VALUES.buyer_markets]
            if bad:
                raise ValueError(f"{name}: {', '.join(bad)} not a buyer market of values.yaml")
        for market, langs in self.languages.items():
            bad = [lang for lang in langs if lang != "main" and lang not in VALUES.languages]
            if market != "default" and market not in VALUES.buyer_markets or bad:
                raise ValueError(f"languages.{market}: unknown market or language {', '.join(bad)}")
        return self


@cache
def content() -> Content:
    return read_table(HERE / "message_times.yaml", Content)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def in_peak(peaks: list[dict], market: str, day: date) -> list[str]:
    """peak_ids of the peaks covering ``day`` in ``market``."""
    iso = day.isoformat()
    return [p["peak_id"] for p in peaks if p["start"] and p["start"] <= iso <= p["end"] and market in p["markets"]]


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    c = content()
    rng = stream(seed, "message_times")
    markets = {r["market"]: r for r in inputs["markets"]}
    holidays = {(r["market"], r["date"]) for r in inputs["market_holidays"] if r["non_working"] == "True"}
    peaks = [dict(p, markets=p["markets"].split(";")) for p in inputs["peak_seasons"]]
    ramadan = [p for p in peaks if p["peak_id"] == "ramadan"]
    team_tz = zone(TEAM_TZ)

    # (market, day) slots, weighted: the market's share spread over its days by weekend, holiday and peak factors
    slots, weights = [], []
    for market, share in c.markets.items():
        weekend = markets[market]["weekend"].split(";")
        day_w = {}
        for day in days(FIRST_DAY, LAST_DAY):
            w = c.weekend_factor if VALUES.weekdays[day.weekday()] in weekend else 1.0
            w *= c.holiday_factor if (market, day.isoformat()) in holidays else 1.0
            for peak in in_peak(peaks, market, day):
                w *= c.peak_factors.get(peak, 1.0)
            day_w[day] = w
        total = sum(day_w.values())
        for day, w in day_w.items():
            slots.append((market, day))
            weights.append(share * w / total)

    drafts = []
    for market, day in rng.choices(slots, weights=weights, k=c.count):
        tz = weighted(rng, c.zones[market]) if market in c.zones else markets[market]["timezone"]
        language = weighted(rng, c.languages.get(market, c.languages["default"]))
        language = markets[market]["language"] if language == "main" else language
        weekend = VALUES.weekdays[day.weekday()] in markets[market]["weekend"].split(";")
        profile = "ramadan" if in_peak(ramadan, market, day) else ("weekend" if weekend else "weekday")
        hour = rng.choices(range(24), weights=getattr(c.hours, profile))[0]
        local = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
        sent = local.replace(tzinfo=zone(tz)).astimezone(UTC)
        drafts.append(dict(market=market, buyer_timezone=tz, language=language, sent=sent))

    # the team's load: messages arriving per Shenzhen day, over the mean day
    team_day = Counter(d["sent"].astimezone(team_tz).date() for d in drafts)
    mean_day = len(drafts) / len(team_day)
    drafts.sort(key=lambda d: (d["sent"], d["market"]))
    for i, d in enumerate(drafts):
        arrived = d["sent"].astimezone(team_tz).replace(tzinfo=None)
        load = team_day[arrived.date()] / mean_day
        queue = rng.lognormvariate(math.log(c.queue_median_minutes * math.sqrt(load)), c.queue_sigma)
        if TEAM_HOURS.is_open(arrived):
            wait = queue
        else:
            opening = TEAM_HOURS.next_opening(arrived)
            backlog = c.backlog_base_minutes + c.backlog_per_day_off_minutes * TEAM_HOURS.days_closed_before(opening)
            wait = rng.uniform(0, backlog) + queue
        # a reply due at closing time goes out at the next opening: it is always sent on shift
        replied = TEAM_HOURS.next_opening(TEAM_HOURS.add_minutes(arrived, wait))
        replied = replied.replace(tzinfo=team_tz).astimezone(UTC).replace(microsecond=0)
        buyer_tz = zone(d["buyer_timezone"])
        d.update(
            contact_id=f"CT-{i + 1:05d}",
            sent_utc=d["sent"].strftime(UTC_FORMAT),
            sent_local=d["sent"].astimezone(buyer_tz).strftime(LOCAL_FORMAT),
            replied_utc=replied.strftime(UTC_FORMAT),
            replied_local=replied.astimezone(buyer_tz).strftime(LOCAL_FORMAT),
            reply_delay_minutes=str(int((replied - d["sent"]).total_seconds() // 60)),
            sent_in_team_shift=str(TEAM_HOURS.is_open(arrived)),
        )
    return drafts


DATASET = Dataset(
    name="message_times",
    chapter=CHAPTER,
    file="message_times.csv",
    description="when buyers in 15 markets wrote, in their local time, and when the Shenzhen team's reply reached them",
    generator=generate,
    needs=("markets", "market_holidays", "peak_seasons"),
    schema={
        "contact_id": Column("str", pattern=r"^CT-\d{5}$", unique=True),
        "market": Column("str", isin=VALUES.buyer_markets),
        "buyer_timezone": Column("str", timezone=True),
        "language": Column("str", isin=VALUES.languages),
        "sent_utc": Column("utc"),
        "sent_local": Column("datetime"),
        "replied_utc": Column("utc"),
        "replied_local": Column("datetime"),
        "reply_delay_minutes": Column("int", ge=0),
        "sent_in_team_shift": Column("bool"),
    },
)
