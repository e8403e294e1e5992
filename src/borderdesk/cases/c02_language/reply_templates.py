"""reply_templates.csv: the reply fragments of ``replies/<language>.yaml`` for English,
Spanish and German as templates with placeholders: openers for new and returning buyers,
apologies, a body per contact reason (the facts, then the next step and its date) and
sign-offs. A reply is greeting + opener + (apology) + body + sign-off.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..catalog import Column, Dataset
from ..common import placeholders
from . import CHAPTER, VALUES, reply_fragments


def _row(template_id: str, language: str, part: str, text: str, status: str = "any", reason: str = "any") -> dict:
    used = placeholders(text)
    unknown = used - set(VALUES.placeholders)
    if unknown:
        raise ValueError(f"template {template_id} uses {sorted(unknown)}, not among values.yaml placeholders")
    return dict(
        template_id=template_id,
        language=language,
        part=part,
        buyer_status=status,
        contact_reason=reason,
        text=text,
        placeholders=";".join(p for p in VALUES.placeholders if p in used),
    )


def generate(seed: int, inputs: Mapping[str, list[dict]]) -> list[dict]:
    rows = []
    for language in VALUES.working_languages:
        f = reply_fragments(language)
        for status in VALUES.buyer_statuses:
            for i, text in enumerate(f.openers[status], 1):
                rows.append(_row(f"{language}-opener-{status}-{i}", language, "opener", text, status=status))
        for i, text in enumerate(f.apologies, 1):
            rows.append(_row(f"{language}-apology-{i}", language, "apology", text))
        for reason in VALUES.contact_reasons:
            for i, (body, step) in enumerate(zip(f.bodies[reason], f.next_steps[reason], strict=True), 1):
                rows.append(_row(f"{language}-body-{reason}-{i}", language, "body", f"{body} {step}", reason=reason))
        for i, text in enumerate(f.sign_offs, 1):
            rows.append(_row(f"{language}-closing-{i}", language, "closing", text))
    return rows


DATASET = Dataset(
    name="reply_templates",
    chapter=CHAPTER,
    file="reply_templates.csv",
    description="reply templates with placeholders in English, Spanish and German",
    generator=generate,
    schema={
        "template_id": Column("str", pattern=r"^[a-z]{2}-[a-z_]+(-[a-z_]+)?-\d+$", unique=True),
        "language": Column("str", isin=VALUES.working_languages),
        "part": Column("str", isin=VALUES.template_parts),
        "buyer_status": Column("str", isin=(*VALUES.buyer_statuses, "any")),
        "contact_reason": Column("str", isin=(*VALUES.contact_reasons, "any")),
        "text": Column("str", min_length=5),
        "placeholders": Column("str", items_in=VALUES.placeholders),
    },
)
