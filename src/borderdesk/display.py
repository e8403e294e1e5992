"""Show a buyer's message in a lesson as a message card: wrapped like an e-mail, not printed in monospace.

``print(message)`` puts a message in JupyterLab's monospace output, which breaks long
lines anywhere, even inside a word ("e-" / "mail"). A card wraps between words at the
width of the notebook, keeps the message's own line breaks, and shows the headers
(From, Subject, ...) above it::

    from borderdesk.display import message_card

    message_card(john["message"], {"From": john["sender_email"], "Subject": john["subject"]})

Every value is HTML-escaped: messages are data (a fraudster's message may well contain
``<a href=...>``), never markup. Outside a notebook (or in a text-only viewer) the card
prints as plain text, headers first.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field

# JupyterLab's theme variables, with fallbacks for viewers outside JupyterLab.
CARD_STYLE = (
    "max-width: 48em; margin: 0.3em 0; padding: 0.7em 1em; "
    "border: 1px solid var(--jp-border-color1, #c9d3df); border-left: 4px solid #5b8db8; border-radius: 4px; "
    "background: var(--jp-layout-color1, #fbfcfe); color: var(--jp-content-font-color1, inherit); "
    "font-family: var(--jp-content-font-family, system-ui, sans-serif); font-size: var(--jp-content-font-size1, 14px); "
    "line-height: 1.5; overflow-wrap: break-word;"
)
HEADERS_STYLE = (
    "margin: 0 0 0.6em; padding-bottom: 0.5em; border-bottom: 1px solid var(--jp-border-color2, #e3e8ee); "
    "color: var(--jp-content-font-color2, #44505c); font-size: 0.95em;"
)
NAME_STYLE = "display: inline-block; min-width: 5.5em; font-weight: 600;"
BODY_STYLE = "white-space: pre-wrap; word-break: normal; overflow-wrap: break-word;"


@dataclass(frozen=True)
class MessageCard:
    """A message and its headers; Jupyter displays it as HTML, ``str()`` gives plain text."""

    body: str
    headers: Mapping[str, str] = field(default_factory=dict)

    def _repr_html_(self) -> str:
        rows = "".join(
            f'<div><span class="borderdesk-message-header" style="{NAME_STYLE}">{html.escape(str(name))}</span>'
            f"{html.escape(str(value))}</div>"
            for name, value in self.headers.items()
        )
        headers = f'<div style="{HEADERS_STYLE}">{rows}</div>' if rows else ""
        body = f'<div class="borderdesk-message-body" style="{BODY_STYLE}">{html.escape(self.body)}</div>'
        return f'<div class="borderdesk-message" style="{CARD_STYLE}">{headers}{body}</div>'

    def __str__(self) -> str:
        width = max((len(str(name)) for name in self.headers), default=0)
        lines = [f"{str(name) + ':':<{width + 1}} {value}" for name, value in self.headers.items()]
        return "\n".join([*lines, *([""] if lines else []), self.body])

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))


def message_card(body: str, headers: Mapping[str, object] | None = None) -> MessageCard:
    """A card for one message; the last expression of a cell, or ``display(card)``, shows it.

    ``headers`` are shown above the message in their order, e.g. ``{"From": ..., "Subject": ...}``;
    a missing value (None, NaN or empty) shows as "(none)".
    """
    if not isinstance(body, str):
        raise TypeError(f"message_card() needs the message as a str, not {type(body).__name__}")
    return MessageCard(body, {str(name): _text(value) for name, value in (headers or {}).items()})


def _text(value: object) -> str:
    """A header value as text; None, NaN, pandas' NA and "" show as "(none)"."""
    if isinstance(value, str):
        return value or "(none)"
    if value is None:
        return "(none)"
    import pandas as pd

    try:
        if pd.isna(value):
            return "(none)"
    except (TypeError, ValueError):  # not a scalar: show it as it is
        pass
    return str(value)
