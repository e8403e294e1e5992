"""The course glossary: key terms in English and Chinese, one file per chapter.

```python
from borderdesk.glossary import load_glossary, lookup
load_glossary()["odr"].term          # 'order defect rate' (keys: every term and `also` form, casefolded)
lookup("Order Defect Rate").zh       # '订单缺陷率'; an unknown name raises GlossaryError
```

A chapter's terms are in ``course/glossary/<chapter slug>.yaml`` (format in
``course/glossary/README.md``): a ``terms:`` list of ``{term, zh, definition, also}``.
The chapter comes from the file's name and is filled in as :attr:`Term.chapter`. The
files of the manifest's chapters are read in manifest order; a YAML file there that is
not named after a chapter is an error, and a name may be used once across all files.
The glossary page ``course/glossary.ipynb`` is rendered from them (:mod:`borderdesk.generated`),
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
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from .errors import BorderDeskError
from .paths import course_root
from .yaml_files import read_model

GLOSSARY_DIR = Path("course") / "glossary"
CJK = re.compile(r"[\u3400-\u9fff]")


class GlossaryError(BorderDeskError):
    """A chapter's glossary file (course/glossary/<chapter slug>.yaml) is wrong, or one is misnamed."""


def glossary_file(chapter: str) -> Path:
    """Course-root relative file of a chapter's terms: ``course/glossary/01_platform_rules.yaml``."""
    return GLOSSARY_DIR / f"{chapter}.yaml"


def where_to_add(chapter: str | None = None, root: Path | None = None) -> str:
    """Where a missing term goes: the chapter's glossary file, or any chapter's if ``chapter`` is not one."""
    from .chapters import chapters

    if chapter and chapter in {c.slug for c in chapters(root)}:
        return f"add it to {glossary_file(chapter).as_posix()} (term, zh, definition)"
    return (
        "add it to the glossary file of the chapter that teaches it, "
        f"{GLOSSARY_DIR.as_posix()}/<chapter slug>.yaml (term, zh, definition)"
    )


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    term: str = Field(min_length=1, description="the English term, as the lesson teaches it")
    zh: str = Field(min_length=1, description="the Chinese term; alternatives separated by ' / '")
    definition: str = Field(min_length=10, max_length=200, description="one line of plain English")
    chapter: str = Field(description="slug of the chapter that teaches it: the name of the term's file")
    also: tuple[str, ...] = Field(default=(), description="abbreviations, plurals, other forms")

    @model_validator(mode="before")
    @classmethod
    def _chapter_from_file(cls, data: Any, info: ValidationInfo) -> Any:
        chapter = (info.context or {}).get("chapter")
        if chapter is None or not isinstance(data, dict):
            return data
        if "chapter" in data:
            raise ValueError("remove `chapter:`; the chapter comes from the file's name")
        return {**data, "chapter": chapter}

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


class GlossaryFile(BaseModel):
    """One chapter's file. Validate it with ``context={"chapter": slug}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: tuple[Term, ...]


def _read(root: Path, chapter: str) -> tuple[Term, ...]:
    rel = glossary_file(chapter).as_posix()
    return read_model(
        (root / rel).read_text(encoding="utf-8"),
        GlossaryFile,
        name=rel,
        error=GlossaryError,
        items="terms",
        key="term",
        label="term",
        context={"chapter": chapter},
        hint=f" (format: {GLOSSARY_DIR.as_posix()}/README.md)",
    ).terms


@lru_cache(maxsize=8)
def _load(root: Path, slugs: tuple[str, ...], stamps: tuple[tuple[str, int, int], ...]) -> tuple[Term, ...]:
    """Every chapter's terms, in manifest order; ``stamps`` (file names, mtimes, sizes) key the cache."""
    for name, *_ in stamps:
        if Path(name).suffix in (".yaml", ".yml") and name.removesuffix(".yaml") not in slugs:
            raise GlossaryError(
                f"{(GLOSSARY_DIR / name).as_posix()} is not named after a chapter of course/chapters.yaml: "
                f"name it <chapter slug>.yaml, one of {', '.join(s + '.yaml' for s in slugs)}"
            )
    present = {name for name, *_ in stamps}
    out: list[Term] = []
    seen: dict[str, Term] = {}
    for slug in slugs:
        if f"{slug}.yaml" not in present:
            continue
        for t in _read(root, slug):
            for name in t.names:
                other = seen.setdefault(name.casefold(), t)
                if other is not t:
                    where = "" if other.chapter == slug else f" in {glossary_file(other.chapter).as_posix()}"
                    raise GlossaryError(
                        f"{glossary_file(slug).as_posix()}: {name!r} (in term {t.term!r}) is already used "
                        f"by term {other.term!r}{where}; a term or `also` form may appear only once"
                    )
            out.append(t)
    return tuple(out)


def terms(root: Path | None = None) -> tuple[Term, ...]:
    """Every term, chapter by chapter in manifest order, each chapter's in its file's order."""
    from .chapters import chapters

    root = root or course_root()
    folder = root / GLOSSARY_DIR
    if not folder.is_dir():
        raise GlossaryError(f"{folder} is missing; restore it with `git checkout -- {GLOSSARY_DIR.as_posix()}`")
    slugs = tuple(c.slug for c in chapters(root))
    stamps = tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir() if p.is_file()))
    return _load(root, slugs, stamps)


def chapter_terms(chapter: str, root: Path | None = None) -> tuple[Term, ...]:
    """The terms of one chapter (its file's entries)."""
    return tuple(t for t in terms(root) if t.chapter == chapter)


def load_glossary(root: Path | None = None) -> dict[str, Term]:
    """Terms by name, casefolded: each term under its own name and under each ``also`` form."""
    return {name.casefold(): t for t in terms(root) for name in t.names}


def lookup(name: str, root: Path | None = None) -> Term:
    """The term called ``name`` (case-insensitive, ``also`` forms included)."""
    found = load_glossary(root).get(name.strip().casefold())
    if found is None:
        raise GlossaryError(f"{name!r} is not in the glossary: {where_to_add(None, root)}")
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
    """Every key term the lesson marks is in the glossary, with a matching Chinese term.

    A missing term is to be added to the file of the lesson's chapter (from the manifest)."""
    import nbformat

    from .chapters import chapters

    root = root or course_root()
    glossary = load_glossary(root)
    nb = nbformat.read(lesson, as_version=4)
    rel = lesson.relative_to(root).as_posix() if lesson.is_relative_to(root) else str(lesson)
    chapter = next((c.slug for c in chapters(root) if rel in c.lesson), None)
    problems = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for mark in marked_terms(cell.source):
            term = glossary.get(mark.term.casefold())
            if term is None:
                problems.append(
                    Missing(
                        rel,
                        cell.get("id", "?"),
                        mark,
                        f"{mark.term!r} is not in the glossary: {where_to_add(chapter, root)}",
                    )
                )
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
