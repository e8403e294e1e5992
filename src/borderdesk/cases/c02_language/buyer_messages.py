"""buyer_messages.csv: what buyers write to the seller's service desk, in English, Spanish,
German, French, Italian and Portuguese (content: ``buyer_messages.yaml`` and
``messages/<language>.yaml``).

Register (formal or informal), salutation, order reference and sentiment are drawn with the
same odds in every market: a German buyer is not more formal than a Mexican one here, so a
rule "market X means formal" fails on the data, as it does in life.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import cache

from pydantic import Field

from ..catalog import Column, Dataset
from ..common import Fakers, Table, read_table, stream, weighted
from . import CHAPTER, FIRST_DAY, HERE, LAST_DAY, SELLER_CONTACT, VALUES, Reason, message_fragments

Weights = dict[str, int]


class Content(Table):
    count: int = Field(gt=0)
    markets: dict[str, int]
    platforms: dict[str, Weights]
    reasons: dict[Reason, int]
    formal_share: float = Field(ge=0, le=1)
    no_salutation_share: float = Field(ge=0, le=1)
    order_ref_share: float = Field(ge=0, le=1)
    returning_share: float = Field(ge=0, le=1)
    returning_says_so: float = Field(ge=0, le=1)
    female_share: float = Field(ge=0, le=1)
    negative: dict[Reason, float]
    positive_share: float = Field(ge=0, le=1)


@cache
def content() -> Content:
    return read_table(HERE / "buyer_messages.yaml", Content)


def order_id(rng: random.Random, platform: str) -> str:
    """An order number in the platform's format."""
    if platform == "amazon":
        return f"{rng.randrange(100, 1000)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
    if platform == "ebay":
        return f"{rng.randrange(10, 28)}-{rng.randrange(10**5):05d}-{rng.randrange(10**5):05d}"
    return f"81{rng.randrange(10**14):014d}"


def capitalise(text: str) -> str:
    """The first letter in upper case (after a leading "¿" or "¡")."""
    i = next((k for k, ch in enumerate(text) if ch.isalpha()), 0)
    return text[:i] + text[i : i + 1].upper() + text[i + 1 :]


def buyer(fakers: Fakers, locale: str, female: bool) -> tuple[str, str]:
    """(first name, last name) from the locale's Faker."""
    fake = fakers(locale)
    first = fake.first_name_female() if female else fake.first_name_male()
    return first, fake.last_name()


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    c = content()
    rng = stream(seed, "buyer_messages")
    fakers = Fakers(seed)
    start = datetime.fromisoformat(FIRST_DAY).replace(tzinfo=UTC)
    seconds = int((datetime.fromisoformat(LAST_DAY) - datetime.fromisoformat(FIRST_DAY)).total_seconds()) + 86399
    drafts = []
    for _ in range(c.count):
        market = weighted(rng, c.markets)
        m = VALUES.markets[market]
        text = message_fragments(m.language)
        platform = weighted(rng, c.platforms[market])
        reason = weighted(rng, c.reasons)
        register = "formal" if rng.random() < c.formal_share else "informal"
        status = "returning" if rng.random() < c.returning_share else "new"
        female = rng.random() < c.female_share
        first, last = buyer(fakers, m.locale, female)
        salutation = ""
        if rng.random() >= c.no_salutation_share:
            salutation = rng.choice(getattr(text.salutations, register)).format(seller=SELLER_CONTACT)
        oid = order_id(rng, platform) if rng.random() < c.order_ref_share else ""
        r = rng.random()
        sentiment = (
            "negative" if r < c.negative[reason] else ("positive" if rng.random() < c.positive_share else "neutral")
        )
        product = rng.choice(text.products)
        body = rng.choice(getattr(text.reasons[reason], register)).format(product=product, days=rng.randint(3, 21))
        sentences = [body if (salutation and m.language == "de") else capitalise(body)]
        if oid:
            sentences.append(rng.choice(getattr(text.order_ref, register)).format(order_id=oid))
        if status == "returning" and rng.random() < c.returning_says_so:
            sentences.append(rng.choice(getattr(text.returning, register)))
        if sentiment != "neutral":
            sentences.append(rng.choice(text.sentiment[sentiment]))
        sign_off = rng.choice(getattr(text.sign_offs, register)).format(name=f"{first} {last}", first=first)
        end = "," if m.language != "es" or register == "informal" else ":"
        lines = ([f"{salutation}{end}"] if salutation else []) + [" ".join(sentences), sign_off]
        drafts.append(
            dict(
                received=start + timedelta(seconds=rng.randrange(seconds)),
                platform=platform,
                market=market,
                language=m.language,
                locale=m.locale,
                currency=m.currency,
                contact_reason=reason,
                buyer_status=status,
                buyer_name=f"{first} {last}",
                salutation=salutation,
                register=register,
                order_id=oid,
                sentiment=sentiment,
                subject=rng.choice(text.subjects[reason]),
                message="\n".join(lines),
                # not written to the file: the replies' generator needs them
                first_name=first,
                last_name=last,
                female=female,
            )
        )
    drafts.sort(key=lambda d: d["received"])
    for i, d in enumerate(drafts):
        d["message_id"] = f"MSG-{i + 1:05d}"
        d["received_utc"] = d.pop("received").strftime("%Y-%m-%d %H:%M:%S+00:00")
    return drafts


DATASET = Dataset(
    name="buyer_messages",
    chapter=CHAPTER,
    file="buyer_messages.csv",
    description="buyer messages to a cross-border seller's service desk in six languages",
    generator=generate,
    schema={
        "message_id": Column("str", pattern=r"^MSG-\d{5}$", unique=True),
        "received_utc": Column("utc"),
        "platform": Column("str", isin=VALUES.platforms),
        "market": Column("str", isin=tuple(VALUES.markets)),
        "language": Column("str", isin=VALUES.languages),
        "locale": Column("str", isin=VALUES.locales),
        "currency": Column("str", isin=VALUES.currencies),
        "contact_reason": Column("str", isin=VALUES.contact_reasons),
        "buyer_status": Column("str", isin=VALUES.buyer_statuses),
        "buyer_name": Column("str", min_length=3),
        "salutation": Column("str"),
        "register": Column("str", isin=VALUES.registers),
        "order_id": Column(
            "str", pattern=r"^(|\d{3}-\d{7}-\d{7}|\d{2}-\d{5}-\d{5}|\d{16})$", pattern_name="an order number or empty"
        ),
        "sentiment": Column("str", isin=VALUES.sentiments),
        "subject": Column("str", min_length=3),
        "message": Column("str", min_length=20),
    },
)
