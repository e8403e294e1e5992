"""peak_seasons.csv: named peak seasons, holiday periods and team closures of 2026 with their sources
(content: ``peak_seasons.yaml``). Dates come from the libraries where they can: ``holidays`` for
holiday periods, hijridate (Umm al-Qura) for Ramadan and the Eids; only announced dates are typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from typing import Literal

from pydantic import Field, model_validator

from ..catalog import Column, Dataset
from ..common import Table, iso, read_table
from . import CHAPTER, HERE, VALUES, YEAR

Market = Literal[VALUES.markets]
SPECS = ("fixed", "holiday_span", "holiday_offset", "hijri", "dates")


class Fixed(Table):
    start: str = Field(pattern=r"^\d{2}-\d{2}$")
    end: str = Field(pattern=r"^\d{2}-\d{2}$")


class HolidaySpan(Table):
    market: Market
    first: str
    last: str
    categories: tuple[str, ...] = ("public",)


class HolidayOffset(Table):
    market: Market
    holiday: str
    from_: int = Field(alias="from")
    to: int


class Hijri(Table):
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=30)
    last_day: int = Field(ge=0, le=30)  # 0: the month's last day


class Dates(Table):
    start: date | None
    end: date | None


class Peak(Table):
    id: str = Field(pattern=r"^[a-z_]+$")
    name: str
    markets: tuple[Market, ...] = Field(min_length=1)
    kind: Literal[VALUES.peak_kinds]
    basis: Literal[VALUES.date_bases]
    what_changes: str
    source: str = Field(min_length=10)
    fixed: Fixed | None = None
    holiday_span: HolidaySpan | None = None
    holiday_offset: HolidayOffset | None = None
    hijri: Hijri | None = None
    dates: Dates | None = None

    @model_validator(mode="after")
    def _one_way_to_date_it(self) -> Peak:
        given = [s for s in SPECS if getattr(self, s) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of {', '.join(SPECS)} (got {', '.join(given) or 'none'})")
        return self


class Content(Table):
    peaks: tuple[Peak, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Content:
        ids = [p.id for p in self.peaks]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"peak ids used twice: {', '.join(twice)}")
        return self


@cache
def content() -> Content:
    return read_table(HERE / "peak_seasons.yaml", Content)


@cache
def calendar(market: str, categories: tuple[str, ...] = ("public",)):
    import holidays

    return holidays.country_holidays(market, years=YEAR, categories=categories)


def holiday_date(cal, name: str, peak: str) -> date:
    days = [d for d, n in sorted(cal.items()) if name in n.split("; ")]
    if not days:
        raise ValueError(f"peak_seasons.yaml, peak {peak!r}: no holiday named {name!r} in {YEAR}")
    return days[0]


def off_run(cal, day: date) -> tuple[date, date]:
    """The run of consecutive days off (weekend or holiday, make-up working days counted) holding ``day``."""

    def off(d: date) -> bool:
        return d in cal or not cal.is_working_day(d)

    start, end = day, day
    while off(start - timedelta(days=1)):
        start -= timedelta(days=1)
    while off(end + timedelta(days=1)):
        end += timedelta(days=1)
    return start, end


def hijri_year() -> int:
    """The Hijri year whose Ramadan falls in YEAR (1447 for 2026)."""
    from hijridate import Gregorian, Hijri

    year = Gregorian(YEAR, 1, 1).to_hijri().year
    return year if Hijri(year, 9, 1).to_gregorian().year == YEAR else year + 1


def span(peak: Peak) -> tuple[date | None, date | None]:
    """(start, end), both inclusive, of a peak in YEAR."""
    if peak.fixed:
        return (date.fromisoformat(f"{YEAR}-{peak.fixed.start}"), date.fromisoformat(f"{YEAR}-{peak.fixed.end}"))
    if peak.holiday_span:
        s = peak.holiday_span
        cal = calendar(s.market, s.categories)
        return off_run(cal, holiday_date(cal, s.first, peak.id))[0], off_run(cal, holiday_date(cal, s.last, peak.id))[1]
    if peak.holiday_offset:
        o = peak.holiday_offset
        day = holiday_date(calendar(o.market), o.holiday, peak.id)
        return day + timedelta(days=o.from_), day + timedelta(days=o.to)
    if peak.hijri:
        from hijridate import Hijri

        h, year = peak.hijri, hijri_year()
        last = h.last_day or Hijri(year, h.month, 1).month_length()
        return date(*Hijri(year, h.month, h.day).to_gregorian().datetuple()), date(
            *Hijri(year, h.month, last).to_gregorian().datetuple()
        )
    return peak.dates.start, peak.dates.end


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    rows = []
    for peak in content().peaks:
        start, end = span(peak)
        rows.append(
            dict(
                peak_id=peak.id,
                name=peak.name,
                markets=";".join(peak.markets),
                start=iso(start),
                end=iso(end),
                kind=peak.kind,
                date_basis=peak.basis,
                what_changes=peak.what_changes,
                source=peak.source,
                checked="2026",
            )
        )
    return rows


DATASET = Dataset(
    name="peak_seasons",
    chapter=CHAPTER,
    file="peak_seasons.csv",
    description="peak seasons, holiday periods and the support team's closures in 2026, each with its source",
    generator=generate,
    schema={
        "peak_id": Column("str", unique=True, pattern=r"^[a-z_]+$", pattern_name="lowercase words joined by _"),
        "name": Column("str", min_length=3),
        "markets": Column("str", items_in=VALUES.markets),
        "start": Column("date", nullable=True),
        "end": Column("date", nullable=True),
        "kind": Column("str", isin=VALUES.peak_kinds),
        "date_basis": Column("str", isin=VALUES.date_bases),
        "what_changes": Column("str", min_length=10),
        "source": Column("str", min_length=10),
        "checked": Column("str", isin=("2026",)),
    },
)
