"""Markdown to HTML for drill prompts and feedback.

Uses mistune (installed with Jupyter's nbconvert) when present; otherwise a tiny
converter that handles paragraphs, bullet lists, block quotes, **bold**, *italics*,
`code` and [links](url): enough for drill text, with no extra dependency.
"""

from __future__ import annotations

import re

try:  # pragma: no cover - depends on the environment
    import mistune

    _MISTUNE = mistune.create_markdown(escape=False, plugins=["strikethrough", "table"])
except Exception:  # noqa: BLE001
    _MISTUNE = None

_INLINE = [
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*(.+?)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"<em>\1</em>"),
    (re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)"), r'<a href="\2" target="_blank">\1</a>'),
]
_BULLET = re.compile(r"^\s*[-*] ")


def _inline(text: str) -> str:
    # Learner input is escaped before it reaches a message; here we keep the
    # (trusted) HTML entities and tags a drill author may have written.
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    return text


def simple_markdown(text: str) -> str:
    """The fallback converter (also used by the tests)."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if all(re.match(r"\s*[-*] ", line) for line in lines):
            items = [_inline(_BULLET.sub("", line)) for line in lines]
            out.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
        elif all(line.startswith(">") for line in lines):
            inner = "<br>".join(_inline(line.lstrip("> ").rstrip()) for line in lines)
            out.append(f"<blockquote>{inner}</blockquote>")
        else:
            out.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return "\n".join(out)


def to_html(text: str) -> str:
    if _MISTUNE is not None:
        return str(_MISTUNE(text))
    return simple_markdown(text)
