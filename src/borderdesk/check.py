"""``borderdesk check [CHAPTER] [--fix]``: is a chapter complete and consistent?

For each ready chapter (or the one named), one line per check, ✓ or ✗ with what to
fix: its manifest entry; its lesson notebooks (present, committed clean, rules with
their source and "checked 2026", a 本章小结 section, the navigation cell up to date,
key terms in the glossary); its drill file (valid and self-tested by the loader, every
drill shown by the lesson); its glossary file (``course/glossary/<slug>.yaml``, with
terms); its assignment (in solutions/ and exercises/, with its file in the shared
assignment suite); its datasets (registered in the case-data registry, present in
data/ and documented in data/README.md). Then the course-wide generated
parts: the README chapter table and the glossary page.

``--fix`` first regenerates every generated part (:mod:`borderdesk.generated`). The
exit code is 1 when any check fails. docs/authoring.md says how to add a chapter.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHECKED = re.compile(r"checked 20\d\d")
SUMMARY = re.compile(r"^#+\s.*本章小结", re.MULTILINE)
SHOW = re.compile(r"""\bshow\(\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']""")
SHOW_ALL = re.compile(r"""\bshow_all\(\s*["']([^"']+)["']""")
SUITE = Path("tests") / "assignments"


@dataclass
class Check:
    """One check of one chapter (or of the whole course): what was checked, and what is wrong."""

    scope: str  # chapter slug, or "course"
    what: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        mark = "✓" if self.ok else "✗"
        return f"{mark} {self.what}" + ("" if self.ok else ": " + "; ".join(self.problems))


# ---------------------------------------------------------------------------- lessons
def _hygiene(nb: Any) -> list[str]:
    """What keeps a notebook from being committed clean (docs/authoring.md, "Notebooks")."""
    import nbformat

    problems = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        problems.append(f"not a valid notebook ({err.message})")
    if (nb.nbformat, nb.nbformat_minor) < (4, 5):
        problems.append(f"nbformat {nb.nbformat}.{nb.nbformat_minor}: save it with JupyterLab 4 (needs 4.5, cell ids)")
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append("kernel is not python3: choose Kernel → Change Kernel → Python 3 and save")
    dirty = [
        f"{i} ({c.get('id', '?')})"
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    ]
    if dirty:
        problems.append(
            f"cells {', '.join(dirty[:5])}{' ...' if len(dirty) > 5 else ''} have outputs or execution counts: "
            "run Edit → Clear Outputs of All Cells, then save"
        )
    return problems


def _lesson_checks(ch: Any, root: Path) -> Iterator[Check]:
    import nbformat

    from . import generated
    from .glossary import GlossaryError, check_lesson

    times: dict[str, int | None] = {}
    for lesson in ch.lesson:
        path = root / lesson
        if not path.is_file():
            yield Check(ch.slug, f"lesson {lesson}", ["missing: write it, or fix `lesson` in course/chapters.yaml"])
            continue
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as err:  # nbformat raises several types for unreadable files
            yield Check(ch.slug, f"lesson {lesson}", [f"cannot be read as a notebook ({err})"])
            continue
        yield Check(ch.slug, f"lesson {lesson} is committed clean", _hygiene(nb))
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        yield Check(
            ch.slug,
            f"lesson {lesson} gives sources",
            []
            if CHECKED.search(markdown)
            else ['no "checked 2026": state each rule and number with its source and year'],
        )
        yield Check(
            ch.slug,
            f"lesson {lesson} has a 本章小结 section",
            [] if SUMMARY.search(markdown) else ["add a heading `### 本章小结` with a short Chinese summary"],
        )
        expected = generated.navigation_cell(lesson, root)
        last = nb.cells[-1] if nb.cells else None
        up_to_date = last is not None and generated.is_navigation(last) and last.source == expected.source
        yield Check(
            ch.slug,
            f"lesson {lesson} ends with its navigation cell",
            [] if up_to_date else [f"missing or out of date: run `{generated.FIX}`"],
        )
        try:
            missing = [str(m) for m in check_lesson(path, root)]
        except GlossaryError as err:
            missing = [str(err)]
        yield Check(ch.slug, f"lesson {lesson}: key terms are in the glossary", missing)
        times[lesson] = _stated_minutes(nb)
        if len(ch.lesson) == 1:
            yield Check(ch.slug, f"lesson {lesson} opens with its time", _time_problems(times[lesson], ch.minutes))
        else:
            yield Check(ch.slug, f"lesson {lesson} opens with its time", _part_time_problems(times[lesson]))
    if len(ch.lesson) > 1 and all(times.get(lesson) is not None for lesson in ch.lesson):
        total = sum(times.values())
        yield Check(
            ch.slug,
            f"the lesson's parts add up to the manifest's {ch.minutes} minutes",
            []
            if total == ch.minutes
            else [
                f"the parts' first cells say {' + '.join(str(times[lesson]) for lesson in ch.lesson)} = {total} "
                f"minutes, course/chapters.yaml says {ch.minutes}: make them agree"
            ],
        )


TIME = re.compile(r"\*\*Time:\*\*\s*about (\d+) minutes")


def _stated_minutes(nb: Any) -> int | None:
    """The minutes a lesson's first cell states (`**Time:** about N minutes`), or None."""
    found = TIME.search(nb.cells[0].source if nb.cells else "")
    return int(found.group(1)) if found else None


def _time_problems(stated: int | None, minutes: int) -> list[str]:
    """A one-notebook chapter's first cell says how long it takes, as the manifest's `minutes` does."""
    if stated is None:
        return [f"the first cell should say `**Time:** about {minutes} minutes` (the manifest's `minutes`)"]
    if stated != minutes:
        return [f"the first cell says {stated} minutes, course/chapters.yaml says {minutes}: make them agree"]
    return []


def _part_time_problems(stated: int | None) -> list[str]:
    """Each part of a chapter opens with its own time; together they make the manifest's `minutes`."""
    if stated is None:
        return [
            "the first cell should say `**Time:** about N minutes`, this part's time (the parts add up to `minutes`)"
        ]
    return []


# ---------------------------------------------------------------------------- drills
def shown_drills(ch: Any, root: Path) -> tuple[set[str], bool]:
    """Drill ids the chapter's lessons show with ``show("chapter", "id")``, and whether one calls
    ``show_all("chapter")``. ``ch`` is a :class:`borderdesk.chapters.Chapter`."""
    import nbformat

    ids, everything = set(), False
    for lesson in ch.lesson:
        if not (root / lesson).is_file():
            continue
        nb = nbformat.read(root / lesson, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        ids |= {drill for chapter, drill in SHOW.findall(code) if chapter == ch.slug}
        everything |= ch.slug in SHOW_ALL.findall(code)
    return ids, everything


def _drill_checks(ch: Any, root: Path) -> Iterator[Check]:
    if not ch.drills:
        return
    from .drills.loader import DrillError, load_file

    path = root / ch.drills
    what = f"drills {ch.drills} are valid and pass their self-test"
    if Path(ch.drills).stem != ch.slug:
        yield Check(ch.slug, what, [f"the drill file must be named {ch.slug}.yaml, like its chapter"])
        return
    if not path.is_file():
        yield Check(ch.slug, what, ["missing: write it, or set `drills: null` in course/chapters.yaml"])
        return
    try:
        drills = load_file(path)
    except DrillError as err:
        yield Check(ch.slug, what, [str(err).replace("\n", "; ")])
        return
    yield Check(ch.slug, f"{what} ({len(drills)} drills)")
    shown, everything = shown_drills(ch, root)
    ids = [d.id for d in drills]
    problems = (
        []
        if everything
        else [f"no lesson cell shows drill {i!r}: add `show({ch.slug!r}, {i!r})`" for i in ids if i not in shown]
    )
    problems += [f"a lesson shows drill {i!r}, which is not in {ch.drills}" for i in sorted(shown - set(ids))]
    yield Check(ch.slug, "the lesson shows every drill", problems)


# ---------------------------------------------------------------------------- glossary
def _glossary_checks(ch: Any, root: Path) -> Iterator[Check]:
    from .glossary import GlossaryError, chapter_terms, glossary_file

    file = glossary_file(ch.slug).as_posix()
    what = f"glossary {file}"
    if not (root / file).is_file():
        yield Check(
            ch.slug,
            what,
            ["missing: write it with the key terms the lesson teaches (format: course/glossary/README.md)"],
        )
        return
    try:
        count = len(chapter_terms(ch.slug, root))
    except GlossaryError as err:
        yield Check(ch.slug, what, [str(err)])
        return
    if count:
        yield Check(ch.slug, f"{what} ({count} terms)")
    else:
        yield Check(ch.slug, what, ["has no terms: add the key terms the lesson teaches"])


# ---------------------------------------------------------------------------- assignment
def _assignment_checks(ch: Any, root: Path) -> Iterator[Check]:
    if not ch.assignment:
        return
    a = ch.assignment
    source = Path("solutions") / a / f"{a}.ipynb"
    released = Path("exercises") / a / f"{a}.ipynb"
    suite = SUITE / f"{a}.py"
    yield Check(
        ch.slug,
        f"assignment {source} exists",
        [] if (root / source).is_file() else ["missing: write the nbgrader source notebook there"],
    )
    yield Check(
        ch.slug,
        f"assignment released in {released}",
        [] if (root / released).is_file() else ["missing: run `borderdesk release` and commit exercises/"],
    )
    yield Check(
        ch.slug,
        f"assignment in the shared suite ({suite})",
        [] if (root / suite).is_file() else [f"missing: add {suite} with the assignment's known-wrong answers"],
    )


# ---------------------------------------------------------------------------- datasets
def _documented(readme: str, file: str) -> bool:
    return re.search(rf"^#+\s+`?{re.escape(file)}`?\s*$", readme, re.MULTILINE) is not None


def _dataset_checks(ch: Any, root: Path) -> Iterator[Check]:
    from .cases import registry

    readme_path = root / "data" / "README.md"
    readme = readme_path.read_text(encoding="utf-8") if readme_path.is_file() else ""
    for name in ch.datasets:
        dataset = registry.get(name)
        if dataset is None:
            yield Check(
                ch.slug,
                f"dataset {name}",
                [
                    f"not in the case-data registry: add a module defining DATASET under src/borderdesk/cases/c{ch.slug}/"
                ],
            )
            continue
        problems = []
        if not (root / "data" / dataset.file).is_file():
            problems.append(f"data/{dataset.file} is missing: run `borderdesk data`")
        if not _documented(readme, dataset.file):
            problems.append(
                f"data/README.md has no heading `### {dataset.file}`: describe its columns there, under the chapter's heading"
            )
        yield Check(ch.slug, f"dataset {name} is registered, generated and documented", problems)
    unlisted = [n for n, d in sorted(registry.items()) if d.chapter == ch.slug and n not in ch.datasets]
    if unlisted:
        yield Check(
            ch.slug,
            "the chapter lists the datasets it generates",
            [
                f"{', '.join(unlisted)} belong to this chapter's cases package: add them to its `datasets` in course/chapters.yaml"
            ],
        )


# ---------------------------------------------------------------------------- all together
def chapter_checks(ch: Any, root: Path) -> Iterator[Check]:
    """Every check of one chapter, in the order the authoring guide writes its files."""
    if not ch.ready:
        yield Check(ch.slug, "manifest entry (coming: nothing else is required yet)")
        return
    parts = [f"{len(ch.lesson)} lesson notebook{'s' if len(ch.lesson) > 1 else ''}"]
    parts += [f"drills {ch.drills}"] if ch.drills else []
    parts += [f"assignment {ch.assignment}"] if ch.assignment else []
    parts += [f"datasets {', '.join(ch.datasets)}"] if ch.datasets else []
    yield Check(ch.slug, f"manifest entry: {'; '.join(parts)}")
    yield from _dataset_checks(ch, root)
    yield from _lesson_checks(ch, root)
    yield from _drill_checks(ch, root)
    yield from _glossary_checks(ch, root)
    yield from _assignment_checks(ch, root)


def course_checks(root: Path) -> Iterator[Check]:
    """The generated parts other than navigation (checked per lesson)."""
    from . import generated
    from .errors import BorderDeskError

    try:
        drifted = {p.path for p in generated.drift(root)}
        problems = None
    except BorderDeskError as err:  # a broken source (manifest, glossary, drills) is reported, not raised
        drifted, problems = set(), [str(err)]
    for path, what in ((generated.README, "README chapter table"), (generated.GLOSSARY_PAGE, "glossary page")):
        found = problems or ([f"out of date: run `{generated.FIX}`"] if path in drifted else [])
        yield Check("course", f"{what} ({path}) is up to date", list(found))


def run(key: str | None = None, root: Path | None = None) -> list[Check]:
    """Every check, of one chapter (slug or number) or of every chapter, then the course's."""
    from .chapters import ManifestError, chapter, chapters
    from .paths import course_root

    root = root or course_root()
    try:
        selected = [chapter(key, root)] if key is not None else [c for c in chapters(root) if c.ready]
    except ManifestError as err:
        return [Check("course", "course/chapters.yaml", [str(err)])]
    out: list[Check] = []
    for ch in selected:
        out += chapter_checks(ch, root)
    return out + list(course_checks(root))


def cmd_check(args: argparse.Namespace) -> int:
    from . import generated
    from .paths import course_root

    root = course_root()
    if args.fix:
        for part in generated.fix(root):
            print(f"regenerated {part.path} ({part.what})")
    results = run(args.chapter, root)
    scope = None
    for result in results:
        if result.scope != scope:
            scope = result.scope
            print(scope)
        print(f"  {result}")
    failed = sum(not r.ok for r in results)
    print(f"\n{len(results)} checks, {failed} failed" + (": fix the ✗ lines above" if failed else ""))
    return 1 if failed else 0


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "check",
        help="check that a chapter is complete: manifest, lesson, drills, assignment, datasets, glossary",
        description=(
            "Check every ready chapter of course/chapters.yaml, or CHAPTER, and print one line per "
            "check, with what to fix. Exit code 1 if any check fails. docs/authoring.md says how "
            "to add a chapter."
        ),
    )
    parser.add_argument("chapter", nargs="?", help="slug or number, e.g. 01_platform_rules or 1 (default: all)")
    parser.add_argument(
        "--fix",
        action="store_true",
        help="first regenerate the README chapter table, the lessons' navigation cells and the glossary page",
    )
    parser.set_defaults(func=cmd_check)
