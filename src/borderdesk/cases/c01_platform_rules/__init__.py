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


class Values(Table):
    marketplaces: tuple[str, ...]
    currencies: tuple[str, ...]
    channels: tuple[str, ...]
    languages: tuple[str, ...]
    domain_kinds: tuple[str, ...]
    website_checks: tuple[str, ...]
    red_flags: dict[str, Literal["weak", "spy", "fraud", "other"]]
    schemes: dict[str, tuple[str, ...]]
    cancelled_by: tuple[str, ...]
    atoz_claims: tuple[str, ...]
    platforms: tuple[str, ...]
    reasons: dict[str, tuple[str, ...]]
    evidence: tuple[str, ...]
    outcomes: tuple[str, ...]

    def flags(self, kind: str) -> list[str]:
        """The red flags of one kind (weak, spy, fraud, other)."""
        return [flag for flag, k in self.red_flags.items() if k == kind]

    @property
    def all_schemes(self) -> list[str]:
        return [s for schemes in self.schemes.values() for s in schemes]

    @property
    def all_reasons(self) -> list[str]:
        return [r for reasons in self.reasons.values() for r in reasons]


VALUES = read_table(HERE / "values.yaml", Values)
