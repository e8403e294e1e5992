"""The chapter manifest, ``course/chapters.yaml``: the one list of the course's chapters.

```python
from borderdesk.chapters import chapters, chapter, ready_chapters
for ch in ready_chapters():
    print(ch.number, ch.slug, ch.lesson, ch.assignment, ch.datasets)
```

Whatever lists chapters (README table, lesson navigation, progress, release, checks,
tests) reads it through this module, so adding a chapter is one manifest entry plus
the chapter's own files.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import BorderDeskError
from .paths import course_root
from .yaml_files import read_model

MANIFEST = Path("course") / "chapters.yaml"
SLUG = re.compile(r"^(\d{2})_[a-z0-9]+(?:_[a-z0-9]+)*$")


class ManifestError(BorderDeskError):
    """course/chapters.yaml is missing or an entry in it is wrong."""


class Chapter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=0, le=99)
    slug: str = Field(description="NN_name: names the lesson, drills and assignment files")
    title: str = Field(min_length=3)
    title_zh: str = Field(min_length=2)
    status: Literal["ready", "coming"]
    lesson: tuple[str, ...] = Field(default=(), description="lesson notebooks, course-root relative, in order")
    drills: str | None = None
    assignment: str | None = None
    datasets: tuple[str, ...] = Field(default=(), description="case-data sets the chapter uses (registry names)")
    minutes: int | None = Field(
        default=None, gt=0, description="minutes the lesson and its drills take, as the lesson's first cell says"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Chapter:
        match = SLUG.match(self.slug)
        if not match:
            raise ValueError(f"slug {self.slug!r} must look like 01_platform_rules (two digits, '_', lowercase words)")
        if int(match.group(1)) != self.number:
            raise ValueError(f"slug {self.slug!r} does not start with the chapter number {self.number:02d}")
        if self.status == "ready":
            if not self.lesson:
                raise ValueError("a ready chapter needs `lesson`: its notebook(s) under course/")
            if self.minutes is None:
                raise ValueError("a ready chapter needs `minutes`: its estimated time")
        if self.assignment is not None and self.assignment != self.slug:
            raise ValueError(f"assignment must be named like the chapter ({self.slug!r}) or be null")
        return self

    @property
    def ready(self) -> bool:
        return self.status == "ready"

    @property
    def name(self) -> str:
        """``01 Platform rules ...``: number and title, as tables show it."""
        return f"{self.number:02d} {self.title}"

    def assignment_notebook(self) -> str | None:
        """The released notebook, course-root relative (``exercises/NN_x/NN_x.ipynb``)."""
        return f"exercises/{self.assignment}/{self.assignment}.ipynb" if self.assignment else None


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    chapters: tuple[Chapter, ...]

    @model_validator(mode="after")
    def _ordered(self) -> Manifest:
        numbers = [c.number for c in self.chapters]
        if numbers != sorted(set(numbers)):
            raise ValueError(f"chapters must be listed once each, in order of number; got {numbers}")
        return self


@lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int) -> Manifest:
    return read_model(
        path.read_text(encoding="utf-8"),
        Manifest,
        name=MANIFEST.as_posix(),
        error=ManifestError,
        items="chapters",
        key="slug",
        label="chapter",
    )


def manifest(root: Path | None = None) -> Manifest:
    path = (root or course_root()) / MANIFEST
    if not path.is_file():
        raise ManifestError(f"{path} is missing; restore it with `git checkout -- {MANIFEST}`")
    return _load(path, path.stat().st_mtime_ns)


def chapters(root: Path | None = None) -> tuple[Chapter, ...]:
    """Every chapter of the manifest, coming ones included, in order."""
    return manifest(root).chapters


def ready_chapters(root: Path | None = None) -> list[Chapter]:
    return [c for c in chapters(root) if c.ready]


def chapter(key: str | int, root: Path | None = None) -> Chapter:
    """A chapter by slug (``01_platform_rules``), number (``1``, ``"01"``) or assignment name."""
    all_ = chapters(root)
    for c in all_:
        if key in (c.slug, c.number, c.assignment) or (isinstance(key, str) and key.isdigit() and int(key) == c.number):
            return c
    known = ", ".join(c.slug for c in all_)
    raise ManifestError(f"no chapter {key!r} in {MANIFEST}; known: {known}")


def assignments(root: Path | None = None) -> list[str]:
    """Assignment names of the ready chapters, in chapter order."""
    return [c.assignment for c in ready_chapters(root) if c.assignment]


def known_assignment(name: str, root: Path | None = None) -> str:
    """``name`` if it is an assignment of the manifest; else ManifestError naming the known ones and the nearest.

    Every command that takes an assignment checks it here first, so a typo never reaches
    nbgrader or an error that suggests releasing (or grading) the misspelt name.
    """
    import difflib

    known = assignments(root)
    if name in known:
        return name
    nearest = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"did you mean {nearest[0]}? " if nearest else ""
    raise ManifestError(f"no assignment {name!r} in {MANIFEST}; {hint}known assignments: {', '.join(known) or 'none'}")
