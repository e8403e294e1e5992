"""market_holidays.csv: one row per market and holiday date in 2026, from ``holidays``.

Public holidays (``holidays``' default category) are days off. China also moves working days onto
weekends around its long holidays (调休): those Saturdays and Sundays are working days for the
Shenzhen team, listed here with ``non_working`` False, so a join on the team's market shows both.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..catalog import Column, Dataset
from ..common import iso
from . import CHAPTER, VALUES, YEAR
from .markets import holiday_calendar, holidays_of_year

MAKE_UP_DAY = "Make-up working day"


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    rows = []
    for market in VALUES.markets:
        cal = holiday_calendar(market)
        days = [(day, "; ".join(cal.get_list(day)), True) for day in holidays_of_year(market)]
        workdays = getattr(cal, "weekend_workdays", set())
        days += [(day, MAKE_UP_DAY, False) for day in workdays if day.year == YEAR]
        for day, name, off in sorted(days):
            rows.append(
                dict(
                    market=market,
                    date=iso(day),
                    weekday=VALUES.weekdays[day.weekday()],
                    name=name,
                    non_working=str(off),
                )
            )
    return rows


DATASET = Dataset(
    name="market_holidays",
    chapter=CHAPTER,
    file="market_holidays.csv",
    description="public holidays of 2026 in every market (and China's make-up working days), from the holidays package",
    generator=generate,
    key="market",  # sorted by market; within a market, by date
    schema={
        "market": Column("str", isin=VALUES.markets),
        "date": Column("date"),
        "weekday": Column("str", isin=VALUES.weekdays),
        "name": Column("str", min_length=3),
        "non_working": Column("bool"),
    },
)
