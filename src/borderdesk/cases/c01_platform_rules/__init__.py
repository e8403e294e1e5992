"""Chapter 01's case data: inquiries, orders and disputes of a Shenzhen seller.

The dates the data is built around are here; every list of allowed values is in
``values.yaml`` (read into ``VALUES``), which the generators, the column schemas and
``borderdesk.datasets`` all use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd

from ..common import Table, read_table

CHAPTER = "01_platform_rules"
HERE = Path(__file__).parent

AS_OF = pd.Timestamp("2026-09-30")  # last order day; metric windows end on it, inclusive
STATUS_DATE = pd.Timestamp("2026-10-31")  # orders' shipping/delivery/feedback/claims as recorded on this day
SELLER_TZ = "Asia/Shanghai"
JOHN_TOM_ID = "INQ-0137"  # the "John Tom" sweater e-mail (seed 004), label fraud


class Calendar(Table):
    """The arguments of ``holidays.country_holidays`` for one site's business days."""

    country: str
    subdiv: str | None = None


class Values(Table):
    marketplaces: tuple[str, ...]
    currencies: tuple[str, ...]
    channels: tuple[str, ...]
    languages: tuple[str, ...]
    domain_kinds: tuple[str, ...]
    website_checks: tuple[str, ...]
    verification: tuple[str, ...]
    red_flags: dict[str, Literal["weak", "spy", "fraud"]]
    schemes: dict[str, tuple[str, ...]]
    cancelled_by: tuple[str, ...]
    cancel_requests: tuple[str, ...]
    cancel_reasons: tuple[str, ...]
    atoz_claims: tuple[str, ...]
    platforms: tuple[str, ...]
    sites: dict[str, Calendar | None]
    reasons: dict[str, dict[str, tuple[str, ...]]]
    evidence: tuple[str, ...]
    outcomes: dict[str, tuple[str, ...]]
    refund_outcomes: tuple[str, ...]

    def flags(self, kind: str) -> list[str]:
        """The red flags of one kind (weak, spy, fraud)."""
        return [flag for flag, k in self.red_flags.items() if k == kind]

    @property
    def all_schemes(self) -> list[str]:
        return [s for schemes in self.schemes.values() for s in schemes]

    @property
    def groups(self) -> dict[str, list[str]]:
        """Every reason of each group (not received, not as described), all platforms together."""
        groups: dict[str, list[str]] = {}
        for by_group in self.reasons.values():
            for group, reasons in by_group.items():
                groups.setdefault(group, []).extend(reasons)
        return groups

    @property
    def all_reasons(self) -> list[str]:
        return [r for reasons in self.groups.values() for r in reasons]

    @property
    def all_outcomes(self) -> list[str]:
        return [o for outcomes in self.outcomes.values() for o in outcomes]

    def platform(self, site: str) -> str:
        """The platform of a site: ``aliexpress`` or ``ebay``."""
        return site.split(".", 1)[0]


VALUES = read_table(HERE / "values.yaml", Values)
