"""Chapter 04's case data: a Zendesk ticket export of a Shenzhen seller's buyer support, with
complaint threads, remedies and their costs, outcomes, and one crisis.

The dates and the schedule the data is built around are here; every list of allowed values is in
``values.yaml`` (read into ``VALUES``), which the generators and the column schemas both use.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import partial
from pathlib import Path

from pydantic import BaseModel

from ..common import Table, WorkingHours, is_weekday_not_holiday, read_table

CHAPTER = "04_complaints"
HERE = Path(__file__).parent

ACCOUNT_TZ = "Asia/Shanghai"  # the Zendesk account's time zone: every timestamp is wall-clock time here
FIRST_DAY = date(2026, 4, 1)  # first day tickets were created
LAST_DAY = date(2026, 9, 30)  # last day tickets were created
EXPORTED_AT = datetime(2026, 10, 12, 10, 0)  # when the CSV export was taken (statuses as on this moment)
BUSINESS_HOURS = (time(9, 0), time(18, 0))  # the Zendesk schedule: Mon-Fri, China's public holidays off
SCHEDULE_COUNTRY = "CN"
# Zendesk's "... within business hours" metrics count this schedule: a weekly Mon-Fri one with holidays as
# exceptions, so unlike chapter 03's shift it has no make-up working Saturdays
ZENDESK_SCHEDULE = WorkingHours(*BUSINESS_HOURS, partial(is_weekday_not_holiday, SCHEDULE_COUNTRY))
CLOSED_AFTER_DAYS = 4  # Zendesk closes a solved ticket after 4 days (default automation)

CRISIS_PRODUCT = "usb_c_charger_65w"
CRISIS_POSTED_UTC = datetime(2026, 8, 11, 1, 30)  # Mon 10 Aug, 21:30 in New York: the video goes up
CRISIS_START = date(2026, 8, 11)  # first day of the spike (Shanghai date)
TEMPLATE_TEST_START = date(2026, 7, 1)  # where_is_my_order first replies randomised to wismo_a / wismo_b from here


class Reason(BaseModel):
    complaint: bool


class Values(Table):
    marketplaces: tuple[str, ...]
    languages: tuple[str, ...]
    groups: tuple[str, ...]
    statuses: tuple[str, ...]
    priorities: tuple[str, ...]
    vias: tuple[str, ...]
    ticket_types: tuple[str, ...]
    satisfaction: tuple[str, ...]
    products: tuple[str, ...]
    reasons: dict[str, Reason]
    tracking_statuses: tuple[str, ...]
    carriers: tuple[str, ...]
    remedies: tuple[str, ...]
    escalations: tuple[str, ...]
    outcomes: tuple[str, ...]
    reply_templates: tuple[str, ...]
    authors: tuple[str, ...]
    feedback_mentions: tuple[str, ...]

    @property
    def complaint_reasons(self) -> tuple[str, ...]:
        return tuple(r for r, spec in self.reasons.items() if spec.complaint)


VALUES = read_table(HERE / "values.yaml", Values)
