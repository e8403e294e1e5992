"""agent_replies.csv: agents' replies to a share of the buyer messages, each with its
labelled defects (content: ``agent_replies.yaml`` and ``replies/<language>.yaml``).

A clean reply mirrors the buyer's greeting and name, uses formal address (Sie, usted),
gives the order number the buyer gave, says what happens next and by when, and writes money
and dates the way the buyer's locale does (Babel). Each defect breaks exactly one of these,
or adds a sentence that should not be there (an absolute claim, a link, off-platform
contact, a feedback request). Defects are drawn with the same odds for every market and
language; only the ones that cannot happen are left out (no order number to forget, no
Sie/du in English, no amount or date to misformat).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import cache

from pydantic import Field

from ..catalog import Column, Dataset
from ..common import Table, read_table, stream, weighted
from . import CHAPTER, HERE, VALUES, reply_fragments
from .buyer_messages import capitalise

Defect = str


class Content(Table):
    reply_share: float = Field(ge=0, le=1)
    agents: tuple[str, ...] = Field(min_length=1)
    shops: tuple[str, ...] = Field(min_length=1)
    defect_count: dict[int, int]
    defect_weights: dict[str, int]
    apology_if_negative: float = Field(ge=0, le=1)
    apology_otherwise: float = Field(ge=0, le=1)
    long_date_share: float = Field(ge=0, le=1)
    carriers: dict[str, tuple[str, ...]]


@cache
def content() -> Content:
    c = read_table(HERE / "agent_replies.yaml", Content)
    unknown = set(c.defect_weights) ^ set(VALUES.defects)
    if unknown:
        from ..common import CaseDataError

        raise CaseDataError(
            f"agent_replies.yaml: defect_weights must list exactly the defects of values.yaml; check {sorted(unknown)}"
        )
    return c


POLICY = ("external_link", "off_platform_contact", "feedback_request", "feedback_removal_offer")
# The locale whose numbers (decimal sign) and numeric dates differ from the buyer's.
WRONG_NUMBERS = {".": "de_DE", ",": "en_US"}


def _possible(message: dict, has_amount_or_date: bool) -> list[Defect]:
    """The defects that can happen to a reply to ``message``."""
    out = []
    for defect in VALUES.defects:
        if defect == "missing_order_reference" and not message["order_id"]:
            continue
        if defect == "wrong_form_of_address" and (message["language"] == "en" or message["register"] == "informal"):
            continue  # English has no Sie/du; an informal buyer may be answered informally
        if defect == "wrong_locale_format" and not has_amount_or_date:
            continue
        out.append(defect)
    return out


def _draw_defects(rng: random.Random, possible: list[Defect]) -> set[Defect]:
    c = content()
    n = int(weighted(rng, {str(k): v for k, v in c.defect_count.items()}))
    chosen: set[Defect] = set()
    pool = list(possible)
    while len(chosen) < n and pool:
        d = weighted(rng, {p: c.defect_weights[p] for p in pool})
        chosen.add(d)
        pool.remove(d)
        if d in ("missing_greeting", "greeting_not_mirrored"):  # one greeting defect at a time
            pool = [p for p in pool if p not in ("missing_greeting", "greeting_not_mirrored")]
        if d == "wrong_language":  # written in another language: no Sie/du to get wrong
            pool = [p for p in pool if p != "wrong_form_of_address"]
        if d == "wrong_form_of_address":
            pool = [p for p in pool if p != "wrong_language"]
    return chosen


def _numeric_date(day: date, locale: str) -> str:
    from babel.dates import format_date

    pattern = {"en_US": "M/d/yyyy", "de_DE": "dd.MM.yyyy"}[locale]
    return format_date(day, pattern, locale=locale)


def _money_and_date(rng: random.Random, message: dict, wrong: set[str], answered: date) -> tuple[str, str]:
    """The amount and the promised date as the buyer's locale writes them; those named in
    ``wrong`` ("amount", "date") as another locale writes them."""
    from babel.dates import format_date
    from babel.numbers import format_currency, get_decimal_symbol

    locale, currency = message["locale"], message["currency"]
    amount = round(rng.uniform(8, 90), 2) + (0.01 if rng.random() < 0.5 else 0)
    day = answered + timedelta(days=rng.randint(2, 7))
    money = format_currency(amount, currency, locale=locale)
    written = format_date(day, "long" if rng.random() < content().long_date_share else "medium", locale=locale)
    if "amount" in wrong:
        money = format_currency(amount, currency, locale=WRONG_NUMBERS[get_decimal_symbol(locale)])
    if "date" in wrong:
        if locale in ("en_US", "en_CA"):
            written = _numeric_date(day, "de_DE")  # day.month.year with dots
        else:
            while day.day <= 12:  # month-first with a day a reader can tell is not a month
                day += timedelta(days=1)
            written = _numeric_date(day, "en_US")
    return money, written


def _tracking(rng: random.Random) -> str:
    return f"YT{rng.randrange(10**15, 10**16)}"


def _reply(rng: random.Random, message: dict, defects: set[Defect], agent: str, answered: date) -> tuple[str, str]:
    """(language, text) of the reply to ``message`` carrying ``defects``."""
    c = content()
    language = message["language"]
    if "wrong_language" in defects:
        language = rng.choice([lang for lang in VALUES.working_languages if lang != language])
    f = reply_fragments(language)
    reason = message["contact_reason"]
    i = rng.randrange(len(f.bodies[reason]))
    body, step = f.bodies[reason][i], f.next_steps[reason][i]
    wrong: set[str] = set()
    if "wrong_locale_format" in defects:
        shown = body + ("" if "no_next_step" in defects else step)
        present = [p for p in ("amount", "date") if "{" + p + "}" in shown]
        if present:
            wrong = {rng.choice(present)}
        else:  # the next step held the only date and was dropped: nothing left to misformat
            defects.discard("wrong_locale_format")
    money, when = _money_and_date(rng, message, wrong, answered)
    shop = rng.choice(c.shops)
    values = dict(
        first=message["first_name"],
        last=message["last_name"],
        order_id=message["order_id"],
        carrier=rng.choice(c.carriers[message["market"]]),
        tracking_number=_tracking(rng),
        amount=money,
        date=when,
        agent=agent,
        shop=shop,
        phone=f"{rng.randrange(1000, 10000)} {rng.randrange(1000, 10000)}",
    )
    register = "informal" if message["register"] == "informal" and message["salutation"] else "formal"
    greeting = None
    if "missing_greeting" not in defects:
        if "greeting_not_mirrored" in defects:
            if rng.random() < 0.5:
                greeting = rng.choice(getattr(f.greetings.unnamed, register))
            else:
                register = "informal" if register == "formal" else "formal"
                greeting = None
        if greeting is None:
            formal = f.greetings.formal.female if message["female"] else f.greetings.formal.male
            pick = (lambda options: options[0]) if "greeting_not_mirrored" in defects else rng.choice
            # a greeting in the other register is its clearest form (Dear / Hi), not a neutral Hello
            greeting = pick(formal) if register == "formal" else pick(f.greetings.informal)
        greeting = greeting.format(**values) + f.greeting_end[register]
    sentences = [rng.choice(f.openers[message["buyer_status"]])]
    if message["order_id"] and "missing_order_reference" not in defects:
        sentences.append(rng.choice(f.order_ref))
    sorry = c.apology_if_negative if message["sentiment"] == "negative" else c.apology_otherwise
    if rng.random() < sorry:
        sentences.append(rng.choice(f.apologies))
    sentences.append(body)
    if "absolute_claim" in defects:
        sentences.append(rng.choice(f.absolute_claims))
    sentences.append(rng.choice(f.vague_endings) if "no_next_step" in defects else step)
    for breach in POLICY:
        if breach in defects:
            sentences.append(rng.choice(getattr(f.policy, breach)))
    if "wrong_form_of_address" in defects:
        sentences.insert(rng.randrange(1, len(sentences) + 1), rng.choice(f.informal))
    text = " ".join(s.format(**values) for s in sentences)
    if not (greeting and f.lowercase_after_greeting):
        text = capitalise(text)
    sign_off = rng.choice(f.sign_offs).format(**values)
    return language, "\n".join(([greeting] if greeting else []) + [text, sign_off])


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    from .buyer_messages import generate as messages_generate

    c = content()
    rng = stream(seed, "agent_replies")
    # The rows of buyer_messages.csv do not carry the buyer's first/last name split or gender;
    # the messages' generator gives them again (same seed, same rows).
    full = {m["message_id"]: m for m in messages_generate(seed, {})}
    rows = []
    for written in inputs["buyer_messages"]:
        message = full[written["message_id"]]
        if message["language"] not in VALUES.working_languages or rng.random() >= c.reply_share:
            continue
        f = reply_fragments(message["language"])
        reason = message["contact_reason"]
        has_numbers = all(
            "{amount}" in b + s or "{date}" in s for b, s in zip(f.bodies[reason], f.next_steps[reason], strict=True)
        )
        defects = _draw_defects(rng, _possible(message, has_numbers))
        agent = rng.choice(c.agents)
        answered = datetime.fromisoformat(message["received_utc"]).date() + timedelta(days=rng.randint(0, 2))
        language, text = _reply(rng, message, defects, agent, answered)
        rows.append(
            dict(
                message_id=message["message_id"],
                agent=agent,
                language=language,
                reply=text,
                defects=";".join(d for d in VALUES.defects if d in defects),
            )
        )
    for i, row in enumerate(rows):
        row["reply_id"] = f"REP-{i + 1:04d}"
    return rows


DATASET = Dataset(
    name="agent_replies",
    chapter=CHAPTER,
    file="agent_replies.csv",
    description="agents' replies to buyer messages, with their labelled defects",
    generator=generate,
    needs=("buyer_messages",),
    schema={
        "reply_id": Column("str", pattern=r"^REP-\d{4}$", unique=True),
        "message_id": Column("str", pattern=r"^MSG-\d{5}$", unique=True),
        "agent": Column("str", min_length=2),
        "language": Column("str", isin=VALUES.working_languages),
        "reply": Column("str", min_length=20),
        "defects": Column("str", items_in=tuple(VALUES.defects)),
    },
)
