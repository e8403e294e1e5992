"""The parts of the course generated from its data: the README chapter table, the
navigation cell at the end of every lesson, and the glossary page.

Sources: the chapter manifest (``course/chapters.yaml``), the drill files and the
chapters' glossary files (``course/glossary/<chapter slug>.yaml``). ``borderdesk check
--fix`` rewrites every part (:func:`fix`); ``borderdesk check`` and the tests report a
part that has drifted (:func:`drift`). Nothing else writes these parts, so edit the
sources, not the output.

A navigation cell is the lesson's last cell, marked with cell metadata
``{"borderdesk": {"generated": "navigation"}}`` and the tag ``borderdesk-navigation``;
a regeneration replaces it (wherever it is) and leaves every other cell alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .chapters import Chapter, chapters
from .errors import BorderDeskError
from .paths import course_root

FIX = "borderdesk check --fix"
README = Path("README.md")
GLOSSARY_PAGE = Path("course") / "glossary.ipynb"
NAV_TAG = "borderdesk-navigation"
NAV_ID = "borderdesk-navigation"
TABLE_HEADING = "## Chapters"
TABLE_COMMENT = f"<!-- generated from course/chapters.yaml by `{FIX}`: edit the manifest, not this table -->"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _link(text: str, target: str, start: str) -> str:
    """A Markdown link to course-root relative ``target`` from the folder ``start``."""
    return f"[{text}]({Path(os.path.relpath(target, start)).as_posix()})"


# ---------------------------------------------------------------------------- README table
def _drill_count(ch: Chapter, root: Path) -> str:
    if not ch.drills:
        return "-"
    from .drills.loader import load_file

    return str(len(load_file(root / ch.drills)))


def readme_table(root: Path | None = None) -> str:
    """The chapter table under README's "## Chapters", with its comment line."""
    root = root or course_root()
    lines = [TABLE_COMMENT, "| chapter | time | lesson | drills | graded exercise |", "| --- | --- | --- | --- | --- |"]
    for ch in chapters(root):
        if not ch.ready:
            lines.append(f"| {ch.name} | | coming | | |")
            continue
        lesson = ", ".join(_link(f"`{path}`", path, ".") for path in ch.lesson)
        exercise = _link(f"`exercises/{ch.assignment}/`", f"exercises/{ch.assignment}/", ".") if ch.assignment else "-"
        lines.append(f"| {ch.name} | about {ch.minutes} min | {lesson} | {_drill_count(ch, root)} | {exercise} |")
    return "\n".join(lines) + "\n"


def _table_span(text: str) -> tuple[int, int]:
    """Character offsets of the table block (comment and table rows) after the heading."""
    heading = text.find(f"\n{TABLE_HEADING}\n")
    if heading < 0:
        raise BorderDeskError(f"{README} has no `{TABLE_HEADING}` heading; put it back where the chapter table goes")
    pos = heading + len(TABLE_HEADING) + 2
    while text.startswith("\n", pos):
        pos += 1
    start = end = pos
    for line in text[pos:].splitlines(keepends=True):
        if not (line.startswith("|") or line.startswith("<!-- generated")):
            break
        end += len(line)
    return start, end


def _readme_with_table(root: Path) -> str:
    text = (root / README).read_text(encoding="utf-8")
    start, end = _table_span(text)
    return text[:start] + readme_table(root) + text[end:]


# ---------------------------------------------------------------------------- navigation
def _lessons(root: Path) -> list[tuple[Chapter, int, str]]:
    """Every lesson notebook of the ready chapters, in order: (chapter, part index, path)."""
    return [(ch, i, path) for ch in chapters(root) if ch.ready for i, path in enumerate(ch.lesson)]


def _label(ch: Chapter, part: int | None = None) -> str:
    text = f"{ch.number:02d} · {ch.title} · {ch.title_zh}"
    if part is not None and len(ch.lesson) > 1:
        text += f" (part {part + 1} of {len(ch.lesson)})"
    return text


def navigation_source(lesson: str, root: Path | None = None) -> str:
    """The Markdown of the navigation cell at the end of ``lesson`` (course-root relative)."""
    root = root or course_root()
    lessons = _lessons(root)
    index = next((k for k, (_, _, path) in enumerate(lessons) if path == lesson), None)
    if index is None:
        raise BorderDeskError(f"{lesson} is not the lesson of a ready chapter in course/chapters.yaml")
    ch, part, _ = lessons[index]
    here = str(Path(lesson).parent)
    everything = chapters(root)
    lines = ["---", "", "**Course navigation · 课程导航**", ""]
    if index > 0:
        prev_ch, prev_part, prev_path = lessons[index - 1]
        lines.append(f"- Previous: {_link(_label(prev_ch, prev_part), prev_path, here)}")
    if index + 1 < len(lessons):
        next_ch, next_part, next_path = lessons[index + 1]
        lines.append(f"- Next: {_link(_label(next_ch, next_part), next_path, here)}")
    else:
        later = [c for c in everything if c.number > ch.number]
        if later:
            lines.append(f"- Next: {_label(later[0])}, coming soon")
    if ch.assignment:
        lines.append(
            f"- This chapter's assignment: {_link(f'{ch.number:02d} · {ch.title}', ch.assignment_notebook(), here)}"
            " (press **Validate** before you submit)"
        )
    else:
        lines.append("- This chapter has no graded assignment.")
    lines.append(
        f"- {_link('Glossary · 术语表', GLOSSARY_PAGE.as_posix(), here)}: every key term in English and Chinese"
    )
    lines += ["", "All chapters:", ""]
    for c in everything:
        if c.slug == ch.slug:
            lines.append(f"- **{_label(c)}** (you are here)")
        elif c.ready:
            lines.append(f"- {_link(_label(c), c.lesson[0], here)}")
        else:
            lines.append(f"- {_label(c)} (coming)")
    return "\n".join(lines)


def is_navigation(cell: nbformat.NotebookNode) -> bool:
    return cell.get("metadata", {}).get("borderdesk", {}).get("generated") == "navigation"


def navigation_cell(lesson: str, root: Path | None = None) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(navigation_source(lesson, root), id=NAV_ID)
    cell.metadata = {"borderdesk": {"generated": "navigation"}, "tags": [NAV_TAG]}
    return cell


def _with_navigation(path: Path, lesson: str, root: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if not is_navigation(c)] + [navigation_cell(lesson, root)]
    return nbformat.writes(nb) + "\n"


# ---------------------------------------------------------------------------- glossary page
def glossary_notebook(root: Path | None = None) -> nbformat.NotebookNode:
    """course/glossary.ipynb: every term, alphabetically, with its chapter's lesson linked."""
    from .glossary import terms

    root = root or course_root()
    by_slug = {c.slug: c for c in chapters(root)}
    here = GLOSSARY_PAGE.parent.as_posix()
    rows = ["| term | 中文 | meaning | chapter |", "| --- | --- | --- | --- |"]
    for t in sorted(terms(root), key=lambda t: t.term.casefold()):
        abbreviations = [a for a in t.also if a.isupper()]
        name = f"**{t.term}**" + (f" ({', '.join(abbreviations)})" if abbreviations else "")
        ch = by_slug[t.chapter]
        where = _link(f"{ch.number:02d}", ch.lesson[0], here) if ch.ready else f"{ch.number:02d}"
        rows.append(f"| {name} | {t.zh} | {t.definition} | {where} |")
    intro = (
        "# Glossary · 术语表\n\n"
        "Every key term of the course, in English and Chinese, with a one-line meaning and the chapter "
        "that teaches it. Use your browser's search (Ctrl + F) to find a term.\n\n"
        "This page is generated from the chapters' glossary files. To add a term, edit the file of the "
        f"chapter that teaches it, `course/glossary/<chapter slug>.yaml`, and run `{FIX}`."
    )
    nb = nbformat.v4.new_notebook()
    nb.nbformat_minor = 5
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    nb.cells = [
        nbformat.v4.new_markdown_cell(intro, id="glossary-intro"),
        nbformat.v4.new_markdown_cell("\n".join(rows), id="glossary-terms"),
    ]
    return nb


# ---------------------------------------------------------------------------- drift and fix
@dataclass(frozen=True)
class Part:
    """One generated part: where it lives, what it is, and its text as it should be."""

    path: Path  # course-root relative
    what: str
    expected: str

    def current(self, root: Path) -> str | None:
        file = root / self.path
        return file.read_text(encoding="utf-8") if file.is_file() else None


def parts(root: Path | None = None) -> list[Part]:
    """Every generated part, computed from the sources."""
    root = root or course_root()
    out = [Part(README, "README chapter table", _readme_with_table(root))]
    for _, _, lesson in _lessons(root):
        if (root / lesson).is_file():
            out.append(Part(Path(lesson), "navigation cell", _with_navigation(root / lesson, lesson, root)))
    out.append(Part(GLOSSARY_PAGE, "glossary page", nbformat.writes(glossary_notebook(root)) + "\n"))
    return out


def drift(root: Path | None = None) -> list[Part]:
    """The generated parts whose committed text differs from what the sources give."""
    root = root or course_root()
    return [p for p in parts(root) if p.current(root) != p.expected]


def fix(root: Path | None = None) -> list[Part]:
    """Rewrite every drifted part; return those rewritten."""
    root = root or course_root()
    changed = drift(root)
    for p in changed:
        (root / p.path).write_text(p.expected, encoding="utf-8")
    return changed
