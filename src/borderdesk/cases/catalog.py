"""The case-data registry: what a dataset declares, how datasets are found, in which order
they are generated.

A chapter's datasets live in ``borderdesk/cases/c<NN>_<name>/`` (the chapter slug with a
leading ``c``, since a Python package name cannot start with a digit), one module per
dataset, each with a module-level ``DATASET = Dataset(...)``. The registry imports every
such sub-package and module it finds (``pkgutil``), so adding a chapter's data touches
only that chapter's folder.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .common import DEFAULT_SEED, CaseDataError, write_csv

KINDS = ("str", "int", "float", "bool", "date", "datetime", "utc")

# rows of the datasets a generator needs, by name -> the generated rows (dicts of column -> text)
Generator = Callable[[int, Mapping[str, list[dict]]], list[dict]]


@dataclass(frozen=True)
class Column:
    """One column of a CSV file: its kind (how the text is parsed) and the checks on its values.

    kind: ``str``, ``int``, ``float``, ``bool`` (``True``/``False``), ``date`` (YYYY-MM-DD),
    ``datetime`` (YYYY-MM-DD HH:MM:SS) or ``utc`` (YYYY-MM-DD HH:MM:SS+00:00). ``isin``: the
    allowed values; ``items_in``: the allowed items of a ``;``-separated list; ``pattern``: a
    regular expression (``pattern_name`` says in words what it means); ``min_length``;
    ``gt``/``ge``/``le``/``in_range``: bounds; ``timezone``: an IANA time zone name;
    ``nullable``: may be empty (int, float, date kinds); ``unique``: no value twice.
    """

    kind: str
    isin: tuple[str, ...] | None = None
    items_in: tuple[str, ...] | None = None
    pattern: str | None = None
    pattern_name: str | None = None
    min_length: int | None = None
    gt: Any = None
    ge: Any = None
    le: Any = None
    in_range: tuple[Any, Any] | None = None
    timezone: bool = False
    nullable: bool = False
    unique: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise CaseDataError(f"column kind {self.kind!r} is not one of {', '.join(KINDS)}")
        for name in ("isin", "items_in"):  # lists from a content table become tuples: hashable, read-only
            value = getattr(self, name)
            if value is not None and not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))


@dataclass(frozen=True)
class Dataset:
    """One CSV file of the case data, and how it is made.

    ``generator(seed, inputs)`` returns the rows (dicts of column name -> text; extra keys
    are ignored), where ``inputs`` holds the rows of every dataset named in ``needs``, as
    written to their files.
    """

    name: str
    chapter: str  # slug, e.g. "01_platform_rules"
    file: str  # file name in data/, e.g. "inquiries.csv"
    schema: Mapping[str, Column] = field(repr=False)
    generator: Generator = field(repr=False)
    description: str = ""
    needs: tuple[str, ...] = ()
    key: str | None = None  # the rows are written sorted by this column (default: the first)

    def __post_init__(self) -> None:
        if not self.description or "\n" in self.description:
            raise CaseDataError(f"dataset {self.name!r}: give a one-line description")
        if not self.file.endswith(".csv") or "/" in self.file:
            raise CaseDataError(f"dataset {self.name!r}: file must be a CSV file name in data/, got {self.file!r}")
        if self.sort_key not in self.schema:
            raise CaseDataError(f"dataset {self.name!r}: key {self.sort_key!r} is not one of its columns")
        object.__setattr__(self, "needs", tuple(self.needs))

    @property
    def columns(self) -> list[str]:
        return list(self.schema)

    @property
    def sort_key(self) -> str:
        return self.key or next(iter(self.schema))

    def rows(self, seed: int = DEFAULT_SEED, inputs: Mapping[str, list[dict]] | None = None) -> list[dict]:
        """The rows as written: the schema's columns, sorted by the key."""
        inputs = dict(inputs or {})
        missing = [n for n in self.needs if n not in inputs]
        if missing:
            raise CaseDataError(f"dataset {self.name!r} needs the rows of {', '.join(missing)}; use generate()")
        rows = self.generator(seed, {n: inputs[n] for n in self.needs})
        columns, key = self.columns, self.sort_key
        try:
            return [{c: row[c] for c in columns} for row in sorted(rows, key=lambda r: r[key])]
        except KeyError as exc:
            raise CaseDataError(f"the generator of {self.name!r} left out column {exc.args[0]!r}") from None

    def load(self, path: Path | str | None = None):
        """The validated frame (``borderdesk.datasets.load``)."""
        from ..datasets import load

        return load(self.name, path)


# --------------------------------------------------------------------------- discovery
PACKAGE = __name__.rsplit(".", 1)[0]  # borderdesk.cases


def chapter_of_package(package: str) -> str:
    """``c01_platform_rules`` -> ``01_platform_rules``."""
    return package[1:] if package.startswith("c") and package[1:3].isdigit() else ""


def discover(package: str = PACKAGE) -> dict[str, Dataset]:
    """Every ``DATASET`` of every chapter sub-package of ``package``, checked, by name."""
    root = importlib.import_module(package)
    found: dict[str, Dataset] = {}
    for chapter_info in pkgutil.iter_modules(root.__path__, f"{package}."):
        slug = chapter_of_package(chapter_info.name.rsplit(".", 1)[1])
        if not chapter_info.ispkg or not slug:
            continue
        chapter_package = importlib.import_module(chapter_info.name)
        for info in pkgutil.iter_modules(chapter_package.__path__, f"{chapter_info.name}."):
            dataset = getattr(importlib.import_module(info.name), "DATASET", None)
            if not isinstance(dataset, Dataset):
                continue
            if dataset.chapter != slug:
                raise CaseDataError(
                    f"{info.name} declares chapter {dataset.chapter!r} but lives in the package of {slug!r}"
                )
            if dataset.name in found:
                raise CaseDataError(f"two datasets are named {dataset.name!r}: rename one ({info.name})")
            found[dataset.name] = dataset
    files = [d.file for d in found.values()]
    for dataset in found.values():
        if files.count(dataset.file) > 1:
            raise CaseDataError(f"two datasets write data/{dataset.file}; give each its own file")
    ordered = dict(sorted(found.items(), key=lambda item: (item[1].chapter, item[0])))
    in_order(ordered, ordered)  # unknown or cyclic needs fail here, not halfway through a generation
    return ordered


@cache
def registry() -> dict[str, Dataset]:
    return discover()


def in_order(names: Iterable[str], datasets: Mapping[str, Dataset] | None = None) -> list[Dataset]:
    """``names`` and every dataset they need, each after the datasets it needs."""
    datasets = registry() if datasets is None else datasets
    done: dict[str, Dataset] = {}
    path: list[str] = []

    def visit(name: str, wanted_by: str | None) -> None:
        if name in done:
            return
        if name in path:
            cycle = " -> ".join([*path[path.index(name) :], name])
            raise CaseDataError(f"datasets need each other in a cycle: {cycle}; one of them must not need the other")
        if name not in datasets:
            by = f"dataset {wanted_by!r} needs" if wanted_by else "asked for"
            known = ", ".join(datasets) or "none"
            raise CaseDataError(f"{by} {name!r}, which is not a registered dataset; registered: {known}")
        path.append(name)
        for need in datasets[name].needs:
            visit(need, name)
        path.pop()
        done[name] = datasets[name]

    for name in names:
        visit(name, None)
    return list(done.values())


def generate(
    out_dir: Path | str,
    names: Iterable[str] | None = None,
    seed: int = DEFAULT_SEED,
    datasets: Mapping[str, Dataset] | None = None,
) -> dict[str, Path]:
    """Write ``names`` (default: every registered dataset) and what they need into ``out_dir``.

    Returns the written files by dataset name, in generation order.
    """
    datasets = registry() if datasets is None else datasets
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[dict]] = {}
    written: dict[str, Path] = {}
    for dataset in in_order(datasets if names is None else names, datasets):
        rows[dataset.name] = dataset.rows(seed, rows)
        written[dataset.name] = write_csv(out_dir / dataset.file, dataset.columns, rows[dataset.name])
    return written


def of_chapter(chapter: str, datasets: Mapping[str, Dataset] | None = None) -> list[str]:
    """Names of the datasets a chapter's package declares."""
    datasets = registry() if datasets is None else datasets
    return [name for name, d in datasets.items() if d.chapter == chapter]
