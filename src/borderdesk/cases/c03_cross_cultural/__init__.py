"""Chapter 03's case data: markets and their calendars (built from zoneinfo, holidays, Babel and
pycountry), peak seasons, when buyers write and when the Shenzhen team's replies land, messages
written directly and indirectly, and buyers who differ from their country's average.

The dates and the team's shift (``TEAM_HOURS``) are here; every list of allowed values is in ``values.yaml``
(read into ``VALUES``), which the generators and the column schemas both use.
"""

from __future__ import annotations

from datetime import date, time
from functools import partial
from pathlib import Path

from pydantic import model_validator

from ..common import Table, WorkingHours, is_official_working_day, read_table, zone_tab

CHAPTER = "03_cross_cultural"
HERE = Path(__file__).parent

YEAR = 2026  # the calendars (holidays, peak seasons) cover this year
FIRST_DAY = date(2026, 1, 1)  # first day buyers' messages were sent (message_times)
LAST_DAY = date(2026, 11, 30)  # last day
TEAM_TZ = "Asia/Shanghai"  # the support team in Shenzhen
TEAM_SHIFT = (time(9, 0), time(18, 0))  # on China's working days (make-up Saturdays included), public holidays off
NIGHT = (time(22, 0), time(7, 0))  # the buyer's night, local time: a reply landing then waits until morning


class Values(Table):
    buyer_markets: tuple[str, ...]
    team_market: str
    main_zone: dict[str, str]
    roles: tuple[str, ...]
    weekdays: tuple[str, ...]
    languages: tuple[str, ...]
    peak_kinds: tuple[str, ...]
    date_bases: tuple[str, ...]
    address_forms: dict[str, str]
    registers: tuple[str, ...]
    styles: tuple[str, ...]
    intents: tuple[str, ...]
    topics: tuple[str, ...]

    @model_validator(mode="after")
    def _known_codes_and_zones(self) -> Values:
        zones = zone_tab()
        unknown = [cc for cc in self.markets if cc not in zones]
        if unknown:
            raise ValueError(f"markets {', '.join(unknown)}: not ISO alpha-2 codes with a time zone in tzdata")
        for cc, zone in self.main_zone.items():
            if zone not in zones.get(cc, []):
                raise ValueError(
                    f"main_zone.{cc}: {zone} is not one of {cc}'s zones in tzdata ({', '.join(zones[cc])})"
                )
        bad = [f for f, r in self.address_forms.items() if r not in self.registers]
        if bad:
            raise ValueError(f"address_forms {', '.join(bad)}: register not in `registers`")
        return self

    @property
    def markets(self) -> tuple[str, ...]:
        """Buyer markets, then the team's."""
        return (*self.buyer_markets, self.team_market)


VALUES = read_table(HERE / "values.yaml", Values)
# the Shenzhen team's shift: China's official working days, so the make-up Saturdays (调休) are worked
TEAM_HOURS = WorkingHours(*TEAM_SHIFT, partial(is_official_working_day, VALUES.team_market))
