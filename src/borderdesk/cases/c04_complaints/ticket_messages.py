"""ticket_messages.csv: the threads of the complaint tickets (buyer and agent messages), composed
from phrase tables written for this course, one per language (``messages/<language>.yaml``).

The thread follows its ticket's row: the first agent message at Created at + First reply time,
the last at Solved at, as many agent messages as Replies, a buyer message reopening it if Reopens.
The words follow the handling recorded on the ticket: the apology (tag ``apology``), the remedy,
the reply template.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache
from typing import Literal

from pydantic import model_validator

from ..catalog import Column, Dataset
from ..common import CaseDataError, Table, placeholders, read_table, stream
from . import CHAPTER, CRISIS_PRODUCT, EXPORTED_AT, HERE, VALUES, ZENDESK_SCHEDULE

SITUATIONS = (*VALUES.tracking_statuses, *(r for r in VALUES.complaint_reasons if r != "where_is_my_order"))
OPENINGS = (
    "wismo",
    "wismo_not_due",
    "wismo_delivered",
    "wismo_stuck",
    *SITUATIONS[len(VALUES.tracking_statuses) :],
    "charger_heat",
)
FIELDS = {"name", "agent", "the", "The", "the_acc", "my", "My", "order_id", "carrier", "share", "days"}


class ProductWords(Table):
    """How a language's sentences name a product: with its article, as subject and as object, and "my ..."."""

    the: str
    the_acc: str
    my: str


class Phrases(Table):
    order_label: str
    products: dict[str, ProductWords]
    subjects: dict[str, tuple[str, ...]]
    buyer_open: dict[str, tuple[str, ...]]
    separator: str
    buyer_more: dict[Literal["waiting", "photos", "thanks", "after"], tuple[str, ...]]
    ask_photo: tuple[str, ...]
    buyer_reopen: tuple[str, ...]
    greeting: tuple[str, ...]
    apology: tuple[str, ...]
    acknowledge: tuple[str, ...]
    explain: dict[str, tuple[str, ...]]
    wismo_b: tuple[str, ...]
    remedy: dict[str, tuple[str, ...]]
    remedy_done: dict[str, tuple[str, ...]]
    checking: tuple[str, ...]
    follow_up: tuple[str, ...]
    solved: tuple[str, ...]
    feedback: dict[str, tuple[str, ...]]
    closing: tuple[str, ...]

    @model_validator(mode="after")
    def _complete(self) -> Phrases:
        need = {
            "products": VALUES.products,
            "subjects": tuple(VALUES.reasons),
            "buyer_open": OPENINGS,
            "explain": SITUATIONS,
            "remedy": VALUES.remedies,
            "remedy_done": tuple(r for r in VALUES.remedies if r != "none"),
            "feedback": tuple(m for m in VALUES.feedback_mentions if m != "none"),
        }
        problems = [f"{key}: add {', '.join(sorted(set(names) - set(getattr(self, key))))}"
                    for key, names in need.items() if set(names) - set(getattr(self, key))]  # fmt: skip
        for key, value in self:
            if key == "products":
                continue
            texts = value.values() if isinstance(value, dict) else [value] if isinstance(value, str) else [value]
            for group in texts:
                for text in [group] if isinstance(group, str) else group:
                    unknown = placeholders(text) - FIELDS
                    if unknown:
                        problems.append(f"{key}: unknown placeholder(s) {sorted(unknown)} in {text[:40]!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


@cache
def phrases(lang: str) -> Phrases:
    if lang not in VALUES.languages:
        raise CaseDataError(f"no phrase table for language {lang!r}; languages: {', '.join(VALUES.languages)}")
    return read_table(HERE / "messages" / f"{lang}.yaml", Phrases)


def _say(rng: random.Random, options: tuple[str, ...], ctx: Mapping[str, str]) -> str:
    return rng.choice(options).format(**ctx)


def subject(rng: random.Random, row: Mapping[str, str]) -> str:
    """The ticket's subject line, in the buyer's language (Amazon's relay adds the order number)."""
    p = phrases(row["Language [list]"])
    text = rng.choice(p.subjects[row["Contact reason [list]"]])
    if row["Marketplace [list]"].startswith("amazon") and row["Order id"]:
        text = f"{text} ({p.order_label}: {row['Order id']})"
    return text


def _product_words(words: ProductWords) -> dict[str, str]:
    def cap(text: str) -> str:
        return text[:1].upper() + text[1:]

    return {"the": words.the, "The": cap(words.the), "the_acc": words.the_acc, "my": words.my, "My": cap(words.my)}


def _opening(row: Mapping[str, str]) -> str:
    reason, tracking = row["Contact reason [list]"], row["Tracking status [list]"]
    if reason == "where_is_my_order":
        special = {"delivered_not_received": "wismo_delivered", "stuck": "wismo_stuck"}.get(tracking)
        return special or ("wismo_not_due" if int(row["Days late"]) <= 0 else "wismo")
    if (
        row["Product [list]"] == CRISIS_PRODUCT
        and "charger_heat_2026_08" in row["Tags"].split()
        and reason == "defective"
    ):
        return "charger_heat"
    return reason


def _at(text: str) -> datetime | None:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S") if text else None


def solved_at(row: Mapping[str, str]) -> datetime | None:
    return _at(row["Solved at"])


def _spread(start: datetime, end: datetime, n: int) -> list[datetime]:
    """n moments from start to end (both included when n > 1), evenly spaced in the team's business time."""
    if n == 1:
        return [start]
    span = ZENDESK_SCHEDULE.minutes_between(start, end)
    if span == 0:
        return [start + (end - start) * (i / (n - 1)) for i in range(n)]
    inner = [ZENDESK_SCHEDULE.add_minutes(start, span * i / (n - 1)) for i in range(1, n - 1)]
    return [start, *[min(t, end) for t in inner], end]


def _agent_times(row: Mapping[str, str], rng: random.Random) -> tuple[list[datetime], int | None, datetime | None]:
    """The agent messages' times, the index of the reply that first solved it, and when the buyer reopened."""
    created = _at(row["Created at"])
    replies = int(row["Replies"])
    if replies == 0:
        return [], None, None
    first = created + timedelta(minutes=int(row["First reply time in minutes"]))  # to the minute, as exported
    if replies == 1 and solved_at(row) is not None and row["Reopens"] == "0":
        return [solved_at(row)], 0, None  # the first reply solved it: its exact time is Solved at
    minutes = row["First resolution time in minutes"]
    first_solved = created + timedelta(minutes=int(minutes), seconds=59) if minutes else None
    solved = _at(row["Solved at"])
    last_known = solved or _at(row["Updated at"])
    if row["Reopens"] != "1" or first_solved is None:
        end = solved or (first_solved if first_solved and replies == 1 else last_known)
        times = _spread(first, max(first, end), replies)
        return times, (len(times) - 1 if first_solved else None), None
    n_after = min(replies - 1, rng.choice([1, 2]) if replies > 2 else 1)  # agent replies after the buyer reopened
    before = _spread(first, max(first, first_solved), replies - n_after)
    end = solved or last_known
    back = first_solved + (end - first_solved) * 0.3
    after = [] if n_after == 0 else [end] if n_after == 1 else _spread(back + (end - back) * 0.2, end, n_after)
    return before + after, len(before) - 1, back


PHOTO_REASONS = {"damaged_in_transit", "defective", "not_as_described", "wrong_item"}


def _thread(rng: random.Random, row: Mapping[str, str], feedback_odds: Mapping[str, float]) -> list[dict]:
    """The messages of one complaint ticket: dicts of author, at, body and the agent's handling."""
    p = phrases(row["Language [list]"])
    created = _at(row["Created at"])
    tags = set(row["Tags"].split())
    remedy, reason = row["Remedy [list]"], row["Contact reason [list]"]
    ctx = {
        "name": row["Requester"],
        "agent": row["Assignee"].split()[0],
        **_product_words(p.products[row["Product [list]"]]),
        "order_id": row["Order id"],
        "carrier": row["Carrier [list]"] or "—",
        "share": "",
        "days": str(max(1, int(row["Days late"] or 0))),
    }
    if remedy == "partial_refund":
        order = float(row["Order value USD"])
        ctx["share"] = f"{round(100 * float(row['Remedy cost USD']) / order) if order else 0}"
    greeting, closing = _say(rng, p.greeting, ctx), _say(rng, p.closing, ctx)  # one of each per thread
    where = row["Tracking status [list]"] or reason
    messages = [dict(author="buyer", at=created, body=_say(rng, p.buyer_open[_opening(row)], ctx))]
    times, first_solve, back = _agent_times(row, rng)
    solved = _at(row["Solved at"])
    asked_photo = False
    offered_at = min(1, len(times) - 1)  # the remedy comes with the first reply, or once the facts are in
    for i, at in enumerate(times):
        if i > 0:
            if back is not None and times[i - 1] < back <= at:
                messages.append(dict(author="buyer", at=back, body=_say(rng, p.buyer_reopen, ctx)))
            else:
                offered = remedy != "none" and solved is not None
                if offered and i - 1 == offered_at:
                    kind = "thanks"
                elif offered and i - 1 > offered_at:
                    kind = "after"
                else:
                    kind = "photos" if asked_photo and i == 1 else "waiting"
                gap = at - times[i - 1]
                messages.append(
                    dict(
                        author="buyer",
                        at=times[i - 1] + gap * rng.uniform(0.2, 0.6),
                        body=_say(rng, p.buyer_more[kind], ctx),
                    )
                )
        last = i == len(times) - 1 and solved is not None
        solves = last or i == first_solve
        offers = remedy != "none" and i == offered_at and solved is not None
        apology = i == 0 and "apology" in tags
        sentences = []
        if i == 0:
            sentences.append(_say(rng, p.apology if apology else p.acknowledge, ctx))
            sentences.append(_say(rng, p.explain[where], ctx))
            if row["Reply template [list]"] == "wismo_b":
                sentences.append(_say(rng, p.wismo_b, ctx))
            if reason in PHOTO_REASONS and len(times) > 1:
                sentences.append(_say(rng, p.ask_photo, ctx))
                asked_photo = True
        else:
            sentences.append(_say(rng, p.follow_up, ctx))
            if remedy != "none" and solved is not None and i > offered_at:
                sentences.append(_say(rng, p.remedy_done[remedy], ctx))  # the remedy is under way
            elif row["Tracking status [list]"]:
                sentences.append(_say(rng, p.explain[where], ctx))  # what the tracking shows now
            elif not offers:
                sentences.append(_say(rng, p.checking, ctx))
        if offers:
            sentences.append(_say(rng, p.remedy[remedy], ctx))
        mention = "none"
        if solves:
            sentences.append(_say(rng, p.solved, ctx))
        if last:
            odds = feedback_odds.get(row["Assignee"], 0.0)
            if row["Outcome [list]"] in ("negative_feedback", "feedback_updated"):
                mention = rng.choice(["incentive", "pressure"]) if rng.random() < odds else "update_note"
            elif row["Outcome [list]"] == "resolved" and rng.random() < odds * 0.3:
                mention = "pressure"
            if mention != "none":
                sentences.append(_say(rng, p.feedback[mention], ctx))
        body = f"{greeting}\n{p.separator.join(sentences)}\n{closing}"
        messages.append(
            dict(
                author="agent", at=at, body=body, apology=apology, remedy=remedy if offers else "none", mention=mention
            )
        )
    if back is not None and times and back > times[-1]:  # reopened, not yet answered at the export
        messages.append(dict(author="buyer", at=back, body=_say(rng, p.buyer_reopen, ctx)))
    elif row["Status"] == "Open" and times and back is None:
        waiting = _say(rng, p.buyer_more["waiting"], ctx)
        messages.append(dict(author="buyer", at=min(EXPORTED_AT, times[-1] + timedelta(hours=5)), body=waiting))
    return messages


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    from .tickets import content

    rng = stream(seed, "ticket_messages")
    odds = {name: a.feedback for name, a in content().agents.items()}
    rows: list[dict] = []
    for ticket in inputs["tickets"]:
        if not VALUES.reasons[ticket["Contact reason [list]"]].complaint:
            continue
        thread = sorted(_thread(rng, ticket, odds), key=lambda m: (m["at"], m["author"] == "agent"))
        for seq, m in enumerate(thread, start=1):
            author_name = ticket["Assignee"] if m["author"] == "agent" else ticket["Requester"]
            rows.append(
                {
                    "message_id": f"M-{len(rows) + 1:06d}",
                    "ticket_id": ticket["Id"],
                    "seq": str(seq),
                    "author": m["author"],
                    "author_name": author_name,
                    "created_at": m["at"].strftime("%Y-%m-%d %H:%M:%S"),
                    "language": ticket["Language [list]"],
                    "body": m["body"],
                    "apology": str(m.get("apology", False)),
                    "remedy_offered": m.get("remedy", "none"),
                    "feedback_mention": m.get("mention", "none"),
                }
            )
    return rows


DATASET = Dataset(
    name="ticket_messages",
    chapter=CHAPTER,
    file="ticket_messages.csv",
    description="buyer and agent messages of the complaint tickets in tickets.csv, in the buyers' languages",
    generator=generate,
    needs=("tickets",),
    schema={
        "message_id": Column("str", pattern=r"^M-\d{6}$", unique=True),
        "ticket_id": Column("int", ge=1),
        "seq": Column("int", ge=1),
        "author": Column("str", isin=VALUES.authors),
        "author_name": Column("str", min_length=2),
        "created_at": Column("datetime"),
        "language": Column("str", isin=VALUES.languages),
        "body": Column("str", min_length=10),
        "apology": Column("bool"),
        "remedy_offered": Column("str", isin=VALUES.remedies),
        "feedback_mention": Column("str", isin=VALUES.feedback_mentions),
    },
)
