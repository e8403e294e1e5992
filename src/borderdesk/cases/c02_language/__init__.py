"""Chapter 02's case data: buyer messages in six languages, agents' replies with labelled
defects, and reply templates.

Allowed values are in ``values.yaml`` (read into ``VALUES``); the message fragments are in
``messages/<language>.yaml`` and the reply fragments in ``replies/<language>.yaml``, all
written for this course. The reply pre-check (``borderdesk.reply_check``) reads the defect
labels from ``VALUES`` too.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from ..common import Table, read_table

CHAPTER = "02_language"
HERE = Path(__file__).parent
FIRST_DAY = "2026-06-01"
LAST_DAY = "2026-09-30"
SELLER_CONTACT = "Lily"  # the shop's contact name, as buyers address it (chapter 01's Lily)


class Market(Table):
    language: str
    locale: str
    currency: str


class Values(Table):
    platforms: tuple[str, ...]
    languages: tuple[str, ...]
    working_languages: tuple[str, ...]
    markets: dict[str, Market]
    contact_reasons: tuple[str, ...]
    buyer_statuses: tuple[str, ...]
    registers: tuple[str, ...]
    sentiments: tuple[str, ...]
    defects: dict[str, str]
    template_parts: tuple[str, ...]
    placeholders: tuple[str, ...]

    @model_validator(mode="after")
    def _markets_use_known_languages(self) -> Values:
        bad = [cc for cc, m in self.markets.items() if m.language not in self.languages]
        if bad:
            raise ValueError(f"markets {', '.join(bad)}: language not in `languages`")
        return self

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(m.locale for m in self.markets.values())

    @property
    def currencies(self) -> tuple[str, ...]:
        return tuple(sorted({m.currency for m in self.markets.values()}))


VALUES = read_table(HERE / "values.yaml", Values)

Reason = Literal[VALUES.contact_reasons]
Register = Literal[VALUES.registers]
Lines = tuple[str, ...]


class ByRegister(Table):
    formal: Lines = Field(min_length=1)
    informal: Lines = Field(min_length=1)


class MessageFragments(Table):
    """``messages/<language>.yaml``: what buyers write."""

    salutations: ByRegister
    products: Lines = Field(min_length=1)
    reasons: dict[Reason, ByRegister]
    order_ref: ByRegister
    returning: ByRegister
    sentiment: dict[Literal["positive", "negative"], Lines]
    sign_offs: ByRegister
    subjects: dict[Reason, Lines]

    @model_validator(mode="after")
    def _every_reason(self) -> MessageFragments:
        for name in ("reasons", "subjects"):
            missing = [r for r in VALUES.contact_reasons if r not in getattr(self, name)]
            if missing:
                raise ValueError(f"{name}: add {', '.join(missing)} (every contact reason of values.yaml)")
        return self


class Gendered(Table):
    female: Lines = Field(min_length=1)
    male: Lines = Field(min_length=1)


class Greetings(Table):
    formal: Gendered
    informal: Lines = Field(min_length=1)
    unnamed: ByRegister


class Policy(Table):
    external_link: Lines = Field(min_length=1)
    off_platform_contact: Lines = Field(min_length=1)
    feedback_request: Lines = Field(min_length=1)
    feedback_removal_offer: Lines = Field(min_length=1)


class ReplyFragments(Table):
    """``replies/<language>.yaml``: what agents write (and the reply templates)."""

    greeting_end: dict[Register, str]
    greetings: Greetings
    lowercase_after_greeting: bool = False
    openers: dict[Literal[VALUES.buyer_statuses], Lines]
    order_ref: Lines = Field(min_length=1)
    apologies: Lines = Field(min_length=1)
    bodies: dict[Reason, Lines]
    next_steps: dict[Reason, Lines]
    vague_endings: Lines = Field(min_length=1)
    informal: Lines = ()
    absolute_claims: Lines = Field(min_length=1)
    policy: Policy
    sign_offs: Lines = Field(min_length=1)

    @model_validator(mode="after")
    def _every_reason(self) -> ReplyFragments:
        for name in ("bodies", "next_steps"):
            missing = [r for r in VALUES.contact_reasons if r not in getattr(self, name)]
            if missing:
                raise ValueError(f"{name}: add {', '.join(missing)} (every contact reason of values.yaml)")
        for reason in VALUES.contact_reasons:
            if len(self.bodies[reason]) != len(self.next_steps[reason]):
                raise ValueError(f"bodies.{reason} and next_steps.{reason}: give as many next steps as bodies")
        return self


@cache
def message_fragments(language: str) -> MessageFragments:
    return read_table(HERE / "messages" / f"{language}.yaml", MessageFragments)


@cache
def reply_fragments(language: str) -> ReplyFragments:
    return read_table(HERE / "replies" / f"{language}.yaml", ReplyFragments)
