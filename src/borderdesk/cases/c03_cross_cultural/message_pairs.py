"""message_pairs.csv: the same request written directly and indirectly, one row per message
(content: ``message_pairs.yaml``, written for this course).

Every label describes the text itself: what the buyer wants (``intent``, ``meaning``), how they
address the seller (``address_form``) and, for the indirect version, the words that carry the
meaning (``cue``). There is no country column: a way of writing belongs to a message, not a nation.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Literal

from pydantic import Field, model_validator

from ..catalog import Column, Dataset
from ..common import Table, read_table
from . import CHAPTER, HERE, VALUES

Address = Literal[tuple(VALUES.address_forms)]


class Version(Table):
    address: Address
    text: str = Field(min_length=10)
    cue: str = ""


class Pair(Table):
    id: str = Field(pattern=r"^MP-\d{2}$")
    language: Literal[VALUES.languages]
    intent: Literal[VALUES.intents]
    topic: Literal[VALUES.topics]
    meaning: str = Field(min_length=10)
    direct: Version
    indirect: Version

    @model_validator(mode="after")
    def _cue_on_the_indirect_one(self) -> Pair:
        if self.direct.cue or not self.indirect.cue:
            raise ValueError(
                "give the indirect version a `cue` (the words that carry its meaning), the direct one none"
            )
        return self


class Content(Table):
    pairs: tuple[Pair, ...] = Field(min_length=40)

    @model_validator(mode="after")
    def _unique_ids(self) -> Content:
        ids = [p.id for p in self.pairs]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"pair ids used twice: {', '.join(twice)}")
        return self


@cache
def content() -> Content:
    return read_table(HERE / "message_pairs.yaml", Content)


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    rows = []
    for pair in content().pairs:
        for style in VALUES.styles:
            version: Version = getattr(pair, style)
            rows.append(
                dict(
                    message_id=f"{pair.id}-{style[0].upper()}",
                    pair_id=pair.id,
                    language=pair.language,
                    style=style,
                    intent=pair.intent,
                    topic=pair.topic,
                    address_form=version.address,
                    register=VALUES.address_forms[version.address],
                    text=version.text,
                    meaning=pair.meaning,
                    cue=version.cue,
                )
            )
    return rows


DATASET = Dataset(
    name="message_pairs",
    chapter=CHAPTER,
    file="message_pairs.csv",
    description="the same buyer request written directly and indirectly, in five languages, with its meaning",
    generator=generate,
    schema={
        "message_id": Column("str", pattern=r"^MP-\d{2}-[DI]$", unique=True),
        "pair_id": Column("str", pattern=r"^MP-\d{2}$"),
        "language": Column("str", isin=VALUES.languages),
        "style": Column("str", isin=VALUES.styles),
        "intent": Column("str", isin=VALUES.intents),
        "topic": Column("str", isin=VALUES.topics),
        "address_form": Column("str", isin=tuple(VALUES.address_forms)),
        "register": Column("str", isin=VALUES.registers),
        "text": Column("str", min_length=10),
        "meaning": Column("str", min_length=10),
        "cue": Column("str"),
    },
)
