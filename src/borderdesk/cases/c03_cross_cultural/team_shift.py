"""The Shenzhen support team's shift: 09:00-18:00 Asia/Shanghai on China's working days.

China's working days come from ``holidays``' ``is_working_day``: public holidays are off, and the
make-up working days on a weekend (调休) are worked. (Chapter 04's Zendesk schedule ignores the
make-up days to keep its committed bytes; this chapter is about calendars, so it counts them.)
Times here are naive wall-clock times in the team's zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

from . import TEAM_SHIFT, VALUES
from .markets import holiday_calendar

OPEN, CLOSE = TEAM_SHIFT


@cache
def is_team_day(day: date) -> bool:
    return holiday_calendar(VALUES.team_market).is_working_day(day)


def on_shift(moment: datetime) -> bool:
    return is_team_day(moment.date()) and OPEN <= moment.time() < CLOSE


def next_opening(moment: datetime) -> datetime:
    """The first opening of the shift at or after ``moment`` (``moment`` itself if on shift)."""
    if on_shift(moment):
        return moment
    day = moment.date() if moment.time() < OPEN else moment.date() + timedelta(days=1)
    while not is_team_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, OPEN)


def days_closed(opening: datetime) -> int:
    """Whole days without a shift just before the shift that opens at ``opening`` (0 after a normal night)."""
    n, day = 0, opening.date() - timedelta(days=1)
    while not is_team_day(day):
        n, day = n + 1, day - timedelta(days=1)
    return n


def add_shift_minutes(moment: datetime, minutes: float) -> datetime:
    """The moment ``minutes`` of shift time after ``moment`` (counted from the next opening if off shift)."""
    moment, left = next_opening(moment), timedelta(minutes=minutes)
    while True:
        closes = datetime.combine(moment.date(), CLOSE)
        if moment + left < closes:
            return moment + left
        left -= closes - moment
        moment = next_opening(closes)
