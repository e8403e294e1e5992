"""buyer_preferences.csv: buyers who differ from their country's average (content:
``buyer_preferences.yaml``). The stereotype exercise of chapter 03.

Each market has its own share of formal and of indirect writers, so the national averages differ.
Each buyer, though, writes one way or the other, says in a short survey after the contact which
register they prefer (the one they wrote in, for most), and rates the agent's reply (formal or
informal, assigned at random: a natural experiment) by how well it fits that preference. A rule "buyers from X are
formal" misjudges every buyer of X who is not; reading the buyer's own first line does better. The
rating depends on the fit of the reply to the buyer, never on the market or the language.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Literal

from pydantic import Field, model_validator

from ..c02_language import SELLER_CONTACT  # the shop's contact name, as buyers address her
from ..catalog import Column, Dataset
from ..common import Table, read_table, stream, weighted
from . import CHAPTER, HERE, VALUES

Share = float
Lines = tuple[str, ...]
WRITTEN = ("formal", "informal")  # a buyer's first line is one or the other (no neutral line here)


class ByRegister(Table):
    formal: Lines = Field(min_length=1)
    informal: Lines = Field(min_length=1)


class Ratings(Table):
    fit: tuple[int, int, int, int, int]
    misfit: tuple[int, int, int, int, int]


class Content(Table):
    count: int = Field(gt=0)
    markets: dict[str, int]
    languages: dict[str, dict[str, int]]
    formal_share: dict[str, Share]
    indirect_share: dict[str, Share]
    prefers_own_register: Share = Field(ge=0, le=1)
    ratings: Ratings
    openings: dict[Literal[VALUES.languages], ByRegister]

    @model_validator(mode="after")
    def _every_market(self) -> Content:
        for name in ("formal_share", "indirect_share"):
            missing = [m for m in self.markets if m not in getattr(self, name)]
            if missing:
                raise ValueError(f"{name}: add {', '.join(missing)} (every market of `markets`)")
        bad = [m for m in self.markets if m not in VALUES.buyer_markets]
        if bad:
            raise ValueError(f"markets: {', '.join(bad)} not a buyer market of values.yaml")
        return self


@cache
def content() -> Content:
    return read_table(HERE / "buyer_preferences.yaml", Content)


def other(register: str) -> str:
    return "informal" if register == "formal" else "formal"


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    c = content()
    rng = stream(seed, "buyer_preferences")
    main_language = {r["market"]: r["language"] for r in inputs["markets"]}
    rows = []
    for i in range(c.count):
        market = weighted(rng, c.markets)
        language = weighted(rng, c.languages.get(market, c.languages["default"]))
        language = main_language[market] if language == "main" else language
        if language not in c.openings:
            raise ValueError(f"buyer_preferences.yaml: no `openings` for {language!r} (market {market})")
        wrote = "formal" if rng.random() < c.formal_share[market] else "informal"
        style = "indirect" if rng.random() < c.indirect_share[market] else "direct"
        prefers = wrote if rng.random() < c.prefers_own_register else other(wrote)
        reply = rng.choice(WRITTEN)
        stars = c.ratings.fit if reply == prefers else c.ratings.misfit
        rows.append(
            dict(
                buyer_id=f"B-{i + 1:04d}",
                market=market,
                language=language,
                opening=rng.choice(getattr(c.openings[language], wrote)).format(seller=SELLER_CONTACT),
                wrote_register=wrote,
                wrote_style=style,
                preferred_register=prefers,
                reply_register=reply,
                rating=str(rng.choices(range(1, 6), weights=stars)[0]),
            )
        )
    return rows


DATASET = Dataset(
    name="buyer_preferences",
    chapter=CHAPTER,
    file="buyer_preferences.csv",
    description="buyers' own register and style beside their country's, and how they rated a formal or informal reply",
    generator=generate,
    needs=("markets",),
    schema={
        "buyer_id": Column("str", pattern=r"^B-\d{4}$", unique=True),
        "market": Column("str", isin=VALUES.buyer_markets),
        "language": Column("str", isin=VALUES.languages),
        "opening": Column("str", min_length=5),
        "wrote_register": Column("str", isin=WRITTEN),
        "wrote_style": Column("str", isin=VALUES.styles),
        "preferred_register": Column("str", isin=WRITTEN),
        "reply_register": Column("str", isin=WRITTEN),
        "rating": Column("int", in_range=(1, 5)),
    },
)
