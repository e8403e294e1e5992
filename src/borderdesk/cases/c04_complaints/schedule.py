"""The support team's Zendesk schedule: Mon-Fri 09:00-18:00 in the account's time zone, China's
public holidays off (``holidays``). It turns a span of wall-clock time into business minutes, the way
Zendesk's "... within business hours" metrics count it, and finds when a business-time delay ends."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

from ..common import is_weekday_not_holiday
from . import BUSINESS_HOURS, SCHEDULE_COUNTRY

OPEN, CLOSE = BUSINESS_HOURS
DAY_MINUTES = (CLOSE.hour * 60 + CLOSE.minute) - (OPEN.hour * 60 + OPEN.minute)


@cache
def is_business_day(day: date) -> bool:
    return is_weekday_not_holiday(SCHEDULE_COUNTRY, day)


def _window(day: date) -> tuple[datetime, datetime]:
    return datetime.combine(day, OPEN), datetime.combine(day, CLOSE)


def business_minutes(start: datetime, end: datetime) -> int:
    """Whole minutes of [start, end] inside the schedule (0 when end <= start)."""
    if end <= start:
        return 0
    seconds, day = 0.0, start.date()
    while day <= end.date():
        if is_business_day(day):
            opens, closes = _window(day)
            overlap = (min(end, closes) - max(start, opens)).total_seconds()
            seconds += max(0.0, overlap)
        day += timedelta(days=1)
    return int(seconds // 60)


def add_business_minutes(start: datetime, minutes: float) -> datetime:
    """The moment ``minutes`` of schedule time after ``start`` (from the next opening if start is outside it)."""
    left, day = timedelta(minutes=minutes), start.date()
    moment = start
    while True:
        if is_business_day(day):
            opens, closes = _window(day)
            begin = max(moment, opens)
            if begin < closes:
                if begin + left <= closes:
                    return begin + left
                left -= closes - begin
        day += timedelta(days=1)
        moment = datetime.combine(day, OPEN)
