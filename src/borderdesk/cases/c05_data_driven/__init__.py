"""Chapter 05's case data: a satisfaction survey and a reply-template test joined to chapter 04's
tickets, and a training programme's cohort with its agents' weekly KPIs.

The dates the data is built around are here; every list of allowed values is in ``values.yaml``
(read into ``VALUES``), which the generators and the column schemas both use.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from ..common import Table, read_table

CHAPTER = "05_data_driven"
HERE = Path(__file__).parent

SURVEY_DELAY = timedelta(hours=24)  # Zendesk's satisfaction automation: 24 hours after solved (help 203662256)
FOLLOWUP_DAYS = 7  # template_test: a further contact within this many days after solving

QUIZ_BEFORE = date(2026, 6, 5)  # the course's quiz, taken by both groups
COURSE_DAY = date(2026, 6, 8)  # the trained group's two-day course: Mon 8 and Tue 9 June 2026
QUIZ_AFTER = date(2026, 6, 26)  # the same quiz again, both groups
TOOL_LAUNCH = date(2026, 6, 15)  # the order-lookup side panel goes to every team: a change for everyone
WAITLIST_COURSE_DAY = date(2026, 8, 17)  # the waiting list's course, after the evaluation
WEEKS_BEFORE = tuple(date(2026, 4, 13) + timedelta(weeks=i) for i in range(8))  # Mondays, 13 Apr .. 1 Jun
WEEKS_AFTER = tuple(date(2026, 6, 15) + timedelta(weeks=i) for i in range(8))  # Mondays, 15 Jun .. 3 Aug


class Values(Table):
    comment_languages: tuple[str, ...]
    comment_sentiments: tuple[str, ...]
    comment_features: dict[str, str]
    comment_kinds: tuple[str, ...]
    topics: tuple[str, ...]
    templates: tuple[str, ...]
    teams: tuple[str, ...]
    groups: tuple[str, ...]
    periods: tuple[str, ...]


VALUES = read_table(HERE / "values.yaml", Values)
