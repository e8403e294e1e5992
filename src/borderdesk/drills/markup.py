"""Markdown to HTML for drill prompts and feedback (mistune, as nbconvert uses).

Drill text may cite a term of the course glossary (any chapter's
``course/glossary/<chapter slug>.yaml``) as ``[[inquiry]]``, or ``[[inquiry|inquiries]]``
to show other words. It is shown as "inquiry (询盘)", with the term's definition as a
tooltip. The drill loader rejects a citation of a term the glossary does not have
(:func:`unknown_terms`), and says to add it to the drill's chapter's glossary file.
"""

from __future__ import annotations

import difflib
import html
import re

import mistune

from ..errors import BorderDeskError

# Drill text is written by course authors, so their HTML passes through;
# learner input is escaped before it reaches a message.
_MARKDOWN = mistune.create_markdown(escape=False, plugins=["strikethrough", "table"])
TERM = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")


def _glossary() -> dict:
    from ..glossary import load_glossary

    return load_glossary()


def unknown_terms(text: str, chapter: str | None = None) -> list[str]:
    """A problem for each ``[[term]]`` in ``text`` that the glossary does not have.

    ``chapter`` (the drill file's slug) says which glossary file a missing term goes in."""
    from ..glossary import where_to_add

    names = [m.group(1).strip() for m in TERM.finditer(text)]
    if not names:
        return []
    try:
        glossary = _glossary()
    except BorderDeskError as err:
        return [f"cannot check the glossary term [[{names[0]}]]: {err}"]
    problems = []
    for name in names:
        if name.casefold() in glossary:
            continue
        close = difflib.get_close_matches(name.casefold(), list(glossary), n=2)
        advice = (
            "did you mean " + " or ".join(f"[[{c}]]" for c in close) + "?"
            if close
            else f"{where_to_add(chapter)}, or fix the spelling"
        )
        problems.append(f"[[{name}]] is not a term in the glossary: {advice}")
    return problems


def render_terms(text: str) -> str:
    """Replace each ``[[term]]`` by the term with its Chinese and the definition as a tooltip."""
    if "[[" not in text:
        return text
    try:
        glossary = _glossary()
    except BorderDeskError:
        glossary = {}

    def term(match: re.Match[str]) -> str:
        name, shown = match.group(1).strip(), (match.group(2) or match.group(1)).strip()
        found = glossary.get(name.casefold())
        if found is None:
            return html.escape(shown)
        return (
            f'<abbr class="borderdesk-term" title="{html.escape(found.definition)}">'
            f"{html.escape(shown)} ({html.escape(found.zh_forms[0])})</abbr>"
        )

    return TERM.sub(term, text)


def to_html(text: str) -> str:
    return str(_MARKDOWN(render_terms(text)))
