"""The course glossary, ``course/glossary.yaml``: key terms in English and Chinese.

```python
from borderdesk.glossary import load_glossary, lookup
load_glossary()["odr"].term          # 'order defect rate' (keys: every term and `also` form, casefolded)
lookup("Order Defect Rate").zh       # '订单缺陷率'; an unknown name raises GlossaryError
```

Each entry is ``{term, zh, definition, chapter, also}`` (see the file's header). The
glossary page ``course/glossary.ipynb`` is rendered from it (:mod:`borderdesk.generated`),
drills refer to a term as ``[[term]]``, and :func:`marked_terms` finds the key terms a
lesson marks, so a check can tell which of them the glossary lacks.

How a lesson marks a key term (docs/authoring.md, "Key terms"): a bold or italic English
term with a parenthesis holding Chinese inside the emphasis, or a bold term followed by
that parenthesis::

    **First reply time (首次响应时间)**    **Order defect rate** (订单缺陷率, ODR)    *inquiry (询盘)*

The term is the English text before the parenthesis, up to a first comma
(``**First contact resolution, FCR (首次联系解决率)**`` marks "First contact resolution").
Plain text such as ``inquiries (询盘)`` and headings are not marks: a lesson repeats a
translation there, it does not introduce a term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import BorderDeskError
from .paths import course_root

GLOSSARY = Path("course") / "glossary.yaml"
CJK = re.compile(r"[\u3400-\u9fff]")


class GlossaryError(BorderDeskError):
    """course/glossary.yaml is missing, or an entry in it is wrong."""


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    term: str = Field(min_length=1, description="the English term, as the lesson teaches it")
    zh: str = Field(min_length=1, description="the Chinese term; alternatives separated by ' / '")
    definition: str = Field(min_length=10, max_length=200, description="one line of plain English")
    chapter: str = Field(description="slug of the chapter that teaches it")
    also: tuple[str, ...] = Field(default=(), description="abbreviations, plurals, other forms")

    @field_validator("term")
    @classmethod
    def _english(cls, value: str) -> str:
        if CJK.search(value):
            raise ValueError("must be the English term; put the Chinese in `zh`")
        return value

    @field_validator("zh")
    @classmethod
    def _chinese(cls, value: str) -> str:
        if not CJK.search(value):
            raise ValueError(f"{value!r} has no Chinese characters; `zh` holds the Chinese term")
        return value

    @field_validator("definition")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value:
            raise ValueError("must be one line")
        if not value.endswith((".", "?", "!")):
            raise ValueError("must be a sentence ending with a full stop")
        return value

    @property
    def names(self) -> tuple[str, ...]:
        """The term and its ``also`` forms."""
        return (self.term, *self.also)

    @property
    def zh_forms(self) -> tuple[str, ...]:
        """The Chinese alternatives (``配送前取消率 / 订单取消率`` -> both)."""
        return tuple(part.strip() for part in self.zh.split("/") if part.strip())


class Glossary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: tuple[Term, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Glossary:
        seen: dict[str, str] = {}
        for t in self.terms:
            for name in t.names:
                key = name.casefold()
                if key in seen:
                    raise ValueError(f"{name!r} (in term {t.term!r}) is already used by term {seen[key]!r}")
                seen[key] = t.term
        return self


def _describe(err: ValidationError, data: dict) -> str:
    lines = []
    for e in err.errors():
        loc = list(e["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] == "terms" and isinstance(loc[1], int):
            try:
                where = f"term {data['terms'][loc[1]]['term']!r}"
            except (KeyError, IndexError, TypeError):
                where = f"term #{loc[1] + 1}"
            loc = loc[2:]
        field = ".".join(str(p) for p in loc)
        msg = e["msg"].removeprefix("Value error, ")
        lines.append(f"{where}{': ' if where else ''}{'field ' + repr(field) + ': ' if field else ''}{msg}")
    return "; ".join(lines)


@lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int, root: Path) -> Glossary:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise GlossaryError(f"{GLOSSARY} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise GlossaryError(f"{GLOSSARY} must be a mapping with a `terms:` list")
    try:
        glossary = Glossary.model_validate(data)
    except ValidationError as err:
        raise GlossaryError(f"{GLOSSARY}: {_describe(err, data)}") from None
    from .chapters import chapters

    slugs = [c.slug for c in chapters(root)]
    for t in glossary.terms:
        if t.chapter not in slugs:
            raise GlossaryError(
                f"{GLOSSARY}: term {t.term!r}: chapter {t.chapter!r} is not in course/chapters.yaml; "
                f"use one of {', '.join(slugs)}"
            )
    return glossary


def terms(root: Path | None = None) -> tuple[Term, ...]:
    """Every term, in file order (each chapter's terms together)."""
    root = root or course_root()
    path = root / GLOSSARY
    if not path.is_file():
        raise GlossaryError(f"{path} is missing; restore it with `git checkout -- {GLOSSARY}`")
    return _load(path, path.stat().st_mtime_ns, root).terms


def load_glossary(root: Path | None = None) -> dict[str, Term]:
    """Terms by name, casefolded: each term under its own name and under each ``also`` form."""
    return {name.casefold(): t for t in terms(root) for name in t.names}


def lookup(name: str, root: Path | None = None) -> Term:
    """The term called ``name`` (case-insensitive, ``also`` forms included)."""
    found = load_glossary(root).get(name.strip().casefold())
    if found is None:
        raise GlossaryError(f"{name!r} is not in {GLOSSARY}; add it there (term, zh, definition, chapter)")
    return found


# ---------------------------------------------------------------------------- lesson marks
_PAREN = r"\(([^()\n]*" + CJK.pattern + r"[^()\n]*)\)"
# **English (中文)** or *English (中文)*, with an optional "." or ":" before the closing mark
_INSIDE = re.compile(r"(\*\*?)([^*()\n]+?)\s*" + _PAREN + r"[.:]?\1(?!\*)")
# **English** (中文): bold only, since italics before a parenthesis are often plain emphasis
_AFTER = re.compile(r"(\*\*)([^*()\n]+?)\*\*(?!\*)\s*" + _PAREN)


@dataclass(frozen=True)
class Mark:
    """A key term marked in a lesson: ``**Order defect rate** (订单缺陷率, ODR)``."""

    term: str  # "Order defect rate"
    zh: str  # the parenthesis: "订单缺陷率, ODR"
    text: str  # the whole mark as written


def marked_terms(markdown: str) -> list[Mark]:
    """The key terms a Markdown text marks, in order (see the module docstring)."""
    found: dict[int, Mark] = {}
    for pattern in (_INSIDE, _AFTER):
        for m in pattern.finditer(markdown):
            english = m.group(2).split(",")[0].strip()
            if english and not CJK.search(english) and m.start() not in found:
                found[m.start()] = Mark(english, m.group(3).strip(), m.group(0))
    return [found[k] for k in sorted(found)]


@dataclass(frozen=True)
class Missing:
    """A lesson's key term the glossary lacks, or whose Chinese differs from the glossary's."""

    lesson: str
    cell: str  # cell id
    mark: Mark
    problem: str

    def __str__(self) -> str:
        return f"{self.lesson} cell {self.cell}: {self.mark.text!r}: {self.problem}"


def check_lesson(lesson: Path, root: Path | None = None) -> list[Missing]:
    """Every key term the lesson marks is in the glossary, with a matching Chinese term."""
    import nbformat

    root = root or course_root()
    glossary = load_glossary(root)
    nb = nbformat.read(lesson, as_version=4)
    rel = lesson.relative_to(root).as_posix() if lesson.is_relative_to(root) else str(lesson)
    problems = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for mark in marked_terms(cell.source):
            term = glossary.get(mark.term.casefold())
            if term is None:
                problems.append(Missing(rel, cell.get("id", "?"), mark, f"{mark.term!r} is not in {GLOSSARY}"))
            elif not any(zh in mark.zh for zh in term.zh_forms):
                problems.append(
                    Missing(
                        rel,
                        cell.get("id", "?"),
                        mark,
                        f"the glossary's Chinese for {term.term!r} is {term.zh!r}, which the lesson does not use; "
                        "make them agree",
                    )
                )
    return problems
