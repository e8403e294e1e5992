"""Markdown to HTML for drill prompts and feedback (mistune, as nbconvert uses)."""

from __future__ import annotations

import mistune

# Drill text is written by course authors, so their HTML passes through;
# learner input is escaped before it reaches a message.
_MARKDOWN = mistune.create_markdown(escape=False, plugins=["strikethrough", "table"])


def to_html(text: str) -> str:
    return str(_MARKDOWN(text))
