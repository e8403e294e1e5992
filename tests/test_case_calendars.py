"""Calendars and time zones every generator shares (cases.common): the one working-hours schedule and the two
day rules chapters 03 and 04 give it, and the zones read from the pinned tzdata package."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from borderdesk.cases.c03_cross_cultural import TEAM_HOURS
from borderdesk.cases.c04_complaints import ZENDESK_SCHEDULE
from borderdesk.cases.common import WorkingHours, zone

MAKE_UP_SATURDAY = date(2026, 2, 14)  # China's 2026 calendar: worked to make up for the Spring Festival break
SPRING_FESTIVAL_DAY = date(2026, 2, 17)


def test_the_chapters_differ_only_in_the_make_up_days():
    assert TEAM_HOURS.is_working_day(MAKE_UP_SATURDAY)
    assert not ZENDESK_SCHEDULE.is_working_day(MAKE_UP_SATURDAY)
    for rule in (TEAM_HOURS, ZENDESK_SCHEDULE):
        assert not rule.is_working_day(SPRING_FESTIVAL_DAY)
        assert not rule.is_working_day(date(2026, 3, 7))  # an ordinary Saturday
        assert rule.is_working_day(date(2026, 3, 9))  # an ordinary Monday
    friday_evening = datetime(2026, 2, 13, 17, 30)
    assert TEAM_HOURS.add_minutes(friday_evening, 60) == datetime(2026, 2, 14, 9, 30)
    # the schedule stays closed over the whole break (16-23 Feb) and opens again on Tuesday 24 Feb
    assert ZENDESK_SCHEDULE.add_minutes(friday_evening, 60) == datetime(2026, 2, 24, 9, 30)


def test_opening_and_closing_times():
    hours = WorkingHours(time(9), time(18), lambda day: day.weekday() < 5)
    monday = date(2026, 3, 9)
    assert hours.is_open(datetime.combine(monday, time(9))) and not hours.is_open(datetime.combine(monday, time(18)))
    assert hours.next_opening(datetime(2026, 3, 9, 7, 0)) == datetime(2026, 3, 9, 9, 0)
    assert hours.next_opening(datetime(2026, 3, 9, 12, 0)) == datetime(2026, 3, 9, 12, 0)
    assert hours.next_opening(datetime(2026, 3, 6, 18, 0)) == datetime(2026, 3, 9, 9, 0)  # Friday close: Monday
    assert hours.days_closed_before(datetime(2026, 3, 9, 9, 0)) == 2
    assert hours.days_closed_before(datetime(2026, 3, 10, 9, 0)) == 0
    # work due at closing time ends then; the next moment the team can act is the next opening
    due = hours.add_minutes(datetime(2026, 3, 6, 17, 0), 60)
    assert due == datetime(2026, 3, 6, 18, 0) and hours.next_opening(due) == datetime(2026, 3, 9, 9, 0)
    assert hours.add_minutes(datetime(2026, 3, 7, 23, 0), 0) == datetime(2026, 3, 9, 9, 0)
    assert hours.minutes_between(datetime(2026, 3, 6, 17, 0), datetime(2026, 3, 9, 9, 30)) == 90
    assert hours.minutes_between(datetime(2026, 3, 9, 10, 0), datetime(2026, 3, 9, 9, 0)) == 0


def test_minutes_added_are_minutes_counted():
    start = datetime(2026, 9, 25, 16, 20)  # before China's National Day week
    for minutes in (1, 100, 540, 541, 4000):
        for schedule in (TEAM_HOURS, ZENDESK_SCHEDULE):
            assert schedule.minutes_between(start, schedule.add_minutes(start, minutes)) == minutes


def test_zones_come_from_the_pinned_tzdata_package():
    # tzdata 2026.6 has Alberta on UTC-6 all year from November 2026; a system copy from 2025 still says UTC-7
    edmonton = zone("America/Edmonton")
    assert edmonton.key == "America/Edmonton" and edmonton is zone("America/Edmonton")
    assert edmonton.utcoffset(datetime(2026, 12, 15, 12)) == timedelta(hours=-6)
    assert zone("Asia/Shanghai").utcoffset(datetime(2026, 7, 1, 12)) == timedelta(hours=8)
