"""Helpers shared by every case-data generator: seeded random streams, one Faker per locale,
calendars and business days (``holidays``), time zones (``tzdata``), CSV writing, and
content tables (YAML files validated with pydantic).

Faker and holidays are imported on first use, so importing a generator module stays cheap
for a notebook that only loads the data.
"""

from __future__ import annotations

import csv
import random
import string
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import BorderDeskError

if TYPE_CHECKING:
    from faker import Faker

DEFAULT_SEED = 20260930


class CaseDataError(BorderDeskError):
    """A content table or a dataset declaration of the case data is wrong."""


# --------------------------------------------------------------------------- content tables
class Table(BaseModel):
    """Base of a content table's model: unknown keys are errors, values are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


T = TypeVar("T", bound=BaseModel)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _where(loc: tuple) -> str:
    return ".".join(str(p) for p in loc if p != "[key]") or "(top level)"


def describe(err: ValidationError) -> str:
    """pydantic's errors as ``entry 'a.b': message (got 'x')``, one per line."""
    lines = []
    for e in err.errors():
        got = repr(e["input"])
        shown = f" (got {got})" if len(got) <= 60 and e["type"] != "missing" else ""
        key = " (a key)" if "[key]" in e["loc"] else ""
        quote = ""
        if e["type"] == "string_type" and isinstance(e["input"], bool | int | float):
            quote = "; YAML read it as a number or yes/no: put it in quotes"
        lines.append(f"entry {_where(e['loc'])!r}{key}: {e['msg']}{shown}{quote}")
    return "\n  - ".join(lines)


@cache
def read_table(path: Path, model: type[T]) -> T:
    """Read the YAML file ``path`` and validate it as ``model``; errors name the file and the entry."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except FileNotFoundError:
        raise CaseDataError(f"content table {path} is missing; restore it with `git checkout -- {path.name}`") from None
    except yaml.YAMLError as exc:
        raise CaseDataError(f"{path} is not valid YAML: {exc}") from None
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise CaseDataError(f"{path} has {err.error_count()} problem(s):\n  - {describe(err)}") from None


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a str.format template fills in."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


# --------------------------------------------------------------------------- random streams
def stream(seed: int, name: str) -> random.Random:
    """The random stream of one dataset: the same seed and name give the same draws."""
    return random.Random(f"{seed}-{name}")


def weighted(rng: random.Random, table: Mapping):
    """One key of ``table``, drawn with its value as the weight."""
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


class Fakers:
    """One seeded Faker per locale, created on first use."""

    def __init__(self, seed: int):
        self.seed = seed
        self._cache: dict[str, Faker] = {}

    def __call__(self, locale: str) -> Faker:
        if locale not in self._cache:
            from faker import Faker

            fake = Faker(locale)
            fake.seed_instance(f"{self.seed}-{locale}")
            self._cache[locale] = fake
        return self._cache[locale]


def to_ascii(fake: Faker, text: str) -> str:
    """``text`` transliterated to ASCII the way Faker builds e-mail addresses for the locale."""
    internet = next(p for p in fake.get_providers() if type(p).__module__.startswith("faker.providers.internet"))
    return internet._to_ascii(text)


# --------------------------------------------------------------------------- calendars, time zones
@cache
def calendar(country: str | None = None):
    """Public holidays and weekend of ``country`` (ISO alpha-2); None: Saturday and Sunday off, no holidays."""
    import holidays

    return holidays.HolidayBase() if country is None else holidays.country_holidays(country)


def add_business_days(day: date, n: int, country: str | None = None) -> date:
    """The n-th business day after ``day`` (weekends and, for a country, its public holidays skipped)."""
    return calendar(country).get_nth_working_day(day, n)


def is_weekday_not_holiday(country: str, day: date) -> bool:
    """Not a weekend day and not a public holiday in ``country``.

    Unlike ``holidays``' ``is_working_day`` this ignores make-up working days on a weekend
    (China's, for example): chapter 01's data was drawn this way and must keep its bytes.
    """
    cal = calendar(country)
    return day.weekday() not in cal.weekend and day not in cal


def is_official_working_day(country: str, day: date) -> bool:
    """A working day by ``country``'s official calendar (``holidays``' ``is_working_day``).

    Public holidays are off, and the make-up working days on a weekend (China's 调休) are worked.
    """
    return calendar(country).is_working_day(day)


class WorkingHours:
    """A team's hours: ``opens`` to ``closes`` (wall-clock time in its zone) on each day ``is_working_day`` accepts.

    The day rule is an argument because the chapters count working days differently. Chapter 03's
    Shenzhen shift follows China's official calendar (``is_official_working_day``), so the team works
    the make-up Saturdays (调休): that chapter is about calendars. Chapter 04's Zendesk schedule is a
    weekly Mon-Fri schedule with holidays as exceptions (``is_weekday_not_holiday``). Zendesk holidays
    can only close a day, never open a Saturday, so that schedule has no make-up days.
    Source: https://support.zendesk.com/hc/en-us/articles/4408842938522 (checked 2026).
    All moments are naive datetimes in the team's zone; the hours do not cross midnight.
    """

    def __init__(self, opens: time, closes: time, is_working_day: Callable[[date], bool]):
        self.opens, self.closes = opens, closes
        self.is_working_day = cache(is_working_day)  # asked about the same few hundred days again and again

    def is_open(self, moment: datetime) -> bool:
        return self.is_working_day(moment.date()) and self.opens <= moment.time() < self.closes

    def next_opening(self, moment: datetime) -> datetime:
        """The first open moment at or after ``moment`` (``moment`` itself if the team is open then)."""
        if self.is_open(moment):
            return moment
        day = moment.date() if moment.time() < self.opens else moment.date() + timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.opens)

    def days_closed_before(self, opening: datetime) -> int:
        """Whole days off just before the day of ``opening`` (0 after a normal night)."""
        n, day = 0, opening.date() - timedelta(days=1)
        while not self.is_working_day(day):
            n, day = n + 1, day - timedelta(days=1)
        return n

    def minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole open minutes in [start, end] (0 when end <= start), as Zendesk's "within business hours" counts."""
        if end <= start:
            return 0
        seconds, day = 0.0, start.date()
        while day <= end.date():
            if self.is_working_day(day):
                opens, closes = datetime.combine(day, self.opens), datetime.combine(day, self.closes)
                seconds += max(0.0, (min(end, closes) - max(start, opens)).total_seconds())
            day += timedelta(days=1)
        return int(seconds // 60)

    def add_minutes(self, start: datetime, minutes: float) -> datetime:
        """The moment ``minutes`` of open time after ``start`` (counted from the next opening if closed then).

        Work that ends with the day ends at closing time itself, which is not an open moment:
        ``next_opening`` of the result gives the first moment the team could act on it.
        """
        left, day, moment = timedelta(minutes=minutes), start.date(), start
        while True:
            if self.is_working_day(day):
                opens, closes = datetime.combine(day, self.opens), datetime.combine(day, self.closes)
                begin = max(moment, opens)
                if begin < closes:
                    if begin + left <= closes:
                        return begin + left
                    left -= closes - begin
            day += timedelta(days=1)
            moment = datetime.combine(day, self.opens)


@cache
def zone(name: str) -> ZoneInfo:
    """The time zone ``name`` from the tzdata package, never the system's copy.

    ``ZoneInfo(name)`` reads /usr/share/zoneinfo first when it exists, and machines differ in how
    recent that copy is (a 2025 copy does not know Alberta's 2026 change): the package is pinned
    by pip, so every machine writes the same bytes.
    """
    with resources.files("tzdata").joinpath("zoneinfo", *name.split("/")).open("rb") as fh:
        return ZoneInfo.from_file(fh, key=name)


@cache
def zone_tab() -> dict[str, list[str]]:
    """IANA time zones by ISO country code, in tzdata's zone.tab order."""
    text = resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text()
    zones: dict[str, list[str]] = defaultdict(list)
    for line in text.splitlines():
        if line and not line.startswith("#"):
            cc, _, zone = line.split("\t")[:3]
            zones[cc].append(zone)
    return zones


def zone_for(rng: random.Random, country: str, major: Mapping[str, Iterable[str]]) -> str:
    """A time zone of ``country``: one of its ``major`` zones if listed, else zone.tab's first."""
    return rng.choice(list(major.get(country) or zone_tab()[country][:1]))


# --------------------------------------------------------------------------- CSV
def iso(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def money(x: float) -> str:
    return f"{x:.2f}"


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> Path:
    """Write ``rows`` (already in order) with ``columns``: UTF-8, ``\\n`` line ends."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row[c] for c in columns})
    return path
