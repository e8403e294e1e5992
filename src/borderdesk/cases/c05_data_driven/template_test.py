"""template_test.csv: the outcome log of chapter 04's reply-template test, one row per
where-is-my-order ticket from 2026-07-01 whose first reply used ``wismo_a`` or ``wismo_b``.

The template, first-contact resolution, the reopen and the rating come from tickets.csv (so they
agree with it); the further contact within 7 days (``followup_7d``) is drawn here. It follows the
parcel and the reopen, never the template: the metric on which a daily peek finds a "winner" that
is not there. Parameters: ``template_test.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache

from pydantic import Field, model_validator

from ..c04_complaints import EXPORTED_AT
from ..c04_complaints import VALUES as TICKET_VALUES
from ..catalog import Column, Dataset
from ..common import Table, read_table, stream
from . import CHAPTER, FOLLOWUP_DAYS, HERE, VALUES

STAMP = "%Y-%m-%d %H:%M:%S"


class Followup(Table):
    followup_base: dict[str, float]
    followup_per_day_late: float = Field(ge=0)
    followup_reopened: float = Field(ge=0)
    draw: int = Field(ge=0)

    @model_validator(mode="after")
    def _every_status(self) -> Followup:
        if set(self.followup_base) != set(TICKET_VALUES.tracking_statuses):
            raise ValueError(
                f"followup_base: give every tracking status ({', '.join(TICKET_VALUES.tracking_statuses)})"
            )
        return self


@cache
def followup() -> Followup:
    return read_table(HERE / "template_test.yaml", Followup)


def first_contact_resolved(ticket: Mapping[str, str]) -> bool:
    """Solved with one public reply and never reopened (chapter 04's definition)."""
    return bool(ticket["Solved at"]) and ticket["Replies"] == "1" and ticket["Reopens"] == "0"


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    f = followup()
    rng = stream(seed, f"template_test-{f.draw}")
    rows = []
    for t in inputs["tickets"]:
        if t["Reply template [list]"] not in VALUES.templates:
            continue
        created = datetime.strptime(t["Created at"], STAMP)
        reopened = t["Reopens"] != "0"
        chance = f.followup_base[t["Tracking status [list]"]] + max(0, int(t["Days late"])) * f.followup_per_day_late
        drawn = rng.random() < chance + (f.followup_reopened if reopened else 0)  # drawn for every row: same stream
        solved = datetime.strptime(t["Solved at"], STAMP) if t["Solved at"] else None
        known = solved is not None and solved + timedelta(days=FOLLOWUP_DAYS) <= EXPORTED_AT
        rows.append(
            {
                "ticket_id": t["Id"],
                "template": t["Reply template [list]"],
                "first_reply_at": (created + timedelta(minutes=int(t["First reply time in minutes"]))).strftime(STAMP),
                "first_contact_resolved": str(first_contact_resolved(t)),
                "reopened": str(reopened),
                "satisfaction": t["Satisfaction Score"] if t["Satisfaction Score"] in ("Good", "Bad") else "",
                "followup_7d": str(int(drawn)) if known else "",
            }
        )
    return rows


DATASET = Dataset(
    name="template_test",
    chapter=CHAPTER,
    file="template_test.csv",
    description="outcomes of the wismo_a / wismo_b first-reply template test, one row per ticket from 2026-07-01",
    generator=generate,
    schema={
        "ticket_id": Column("int", unique=True, ge=1),
        "template": Column("str", isin=VALUES.templates),
        "first_reply_at": Column("datetime"),
        "first_contact_resolved": Column("bool"),
        "reopened": Column("bool"),
        "satisfaction": Column("str", isin=("", "Good", "Bad")),
        "followup_7d": Column("int", nullable=True, in_range=(0, 1)),
    },
    needs=("tickets",),
)
