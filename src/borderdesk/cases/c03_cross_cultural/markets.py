"""markets.csv: one row per market, every fact looked up in a library, none typed.

Time zone and its offsets from ``zoneinfo``/``tzdata``, weekend days and public holidays from
``holidays``, currency, main language and the formats of dates and money from Babel (CLDR), the
country's name from pycountry (ISO 3166). ``values.yaml`` only lists which markets there are.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import cache

from ..catalog import Column, Dataset
from ..common import zone, zone_tab
from . import CHAPTER, VALUES, YEAR

SAMPLE_DATE = date(YEAR, 3, 9)  # day and month both below 13: 3/9 or 9/3 shows which order a market uses
SAMPLE_AMOUNT = 1234.5  # shows the thousands and decimal separators


@cache
def holiday_calendar(market: str):
    """``holidays``' calendar of the market for YEAR: public holidays (default category) and weekend."""
    import holidays

    return holidays.country_holidays(market, years=YEAR)


def holidays_of_year(market: str) -> list[date]:
    """The market's public holiday dates in YEAR (the calendar also fills in other years when asked about them)."""
    return sorted(day for day in holiday_calendar(market) if day.year == YEAR)


def main_zone(market: str) -> str:
    return VALUES.main_zone.get(market) or zone_tab()[market][0]


def utc_offset(name: str, day: date) -> float:
    """Hours ahead of UTC at noon on ``day`` (negative: behind)."""
    return zone(name).utcoffset(datetime(day.year, day.month, day.day, 12)).total_seconds() / 3600


def weekend(market: str) -> list[str]:
    return [VALUES.weekdays[d] for d in sorted(holiday_calendar(market).weekend)]


def facts(market: str) -> dict:
    import pycountry
    from babel import Locale, dates, languages, numbers

    tz = main_zone(market)
    language = languages.get_official_languages(market, de_facto=True)[0]
    locale = Locale.parse(f"{language}_{market}")
    currency = numbers.get_territory_currencies(market, SAMPLE_DATE)[0]
    jan, jul = utc_offset(tz, date(YEAR, 1, 15)), utc_offset(tz, date(YEAR, 7, 15))
    return dict(
        market=market,
        role="team" if market == VALUES.team_market else "buyer",
        country=pycountry.countries.get(alpha_2=market).name,
        timezone=tz,
        utc_offset_jan=f"{jan:.1f}",
        utc_offset_jul=f"{jul:.1f}",
        observes_dst=str(jan != jul),
        weekend=";".join(weekend(market)),
        public_holidays_2026=str(len(holidays_of_year(market))),
        currency=currency,
        language=language,
        locale=f"{language}_{market}",
        date_pattern=locale.date_formats["short"].pattern,
        sample_date=dates.format_date(SAMPLE_DATE, "short", locale=locale),
        sample_date_long=dates.format_date(SAMPLE_DATE, "long", locale=locale),
        sample_amount=numbers.format_currency(SAMPLE_AMOUNT, currency, locale=locale),
    )


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    return [facts(market) for market in VALUES.markets]  # no randomness: these are facts


DATASET = Dataset(
    name="markets",
    chapter=CHAPTER,
    file="markets.csv",
    description="the course's buyer markets and the support team's, with time zone, weekend, holidays and formats",
    generator=generate,
    schema={
        "market": Column("str", isin=VALUES.markets, unique=True),
        "role": Column("str", isin=VALUES.roles),
        "country": Column("str", min_length=4),
        "timezone": Column("str", timezone=True),
        "utc_offset_jan": Column("float", in_range=(-12, 14)),
        "utc_offset_jul": Column("float", in_range=(-12, 14)),
        "observes_dst": Column("bool"),
        "weekend": Column("str", items_in=VALUES.weekdays),
        "public_holidays_2026": Column("int", ge=0),
        "currency": Column("str", pattern=r"^[A-Z]{3}$", pattern_name="an ISO 4217 code"),
        "language": Column("str", isin=VALUES.languages + ("zh",)),
        "locale": Column("str", pattern=r"^[a-z]{2}_[A-Z]{2}$", pattern_name="a locale such as de_DE"),
        "date_pattern": Column("str", min_length=5),
        "sample_date": Column("str", min_length=6),
        "sample_date_long": Column("str", min_length=6),
        "sample_amount": Column("str", min_length=4),
    },
)
