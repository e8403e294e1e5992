"""Load the course's case data (data/*.csv) with dtypes, validated.

```python
from borderdesk.datasets import load_inquiries, load_orders, load_disputes, AS_OF, SELLER_TZ
from borderdesk.datasets import load        # any registered dataset: load("orders")
```

The datasets, their column schemas and their generators are registered in
``borderdesk.cases``; this module is the stable import for notebooks and solutions.

Each loader reads the CSV as text, checks every value's format, converts the columns
to their dtypes and checks allowed values, ranges and unique ids with pandera. Any
problem raises :class:`DataError` naming the file, the column and the rows (as CSV
line numbers, the header being line 1, and as 0-based row positions).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from zoneinfo import available_timezones

import pandas as pd

from borderdesk.cases import CaseDataError
from borderdesk.cases.c01_platform_rules import AS_OF, JOHN_TOM_ID, SELLER_TZ, STATUS_DATE, VALUES
from borderdesk.errors import BorderDeskError
from borderdesk.paths import data_dir

__all__ = [
    "AS_OF",
    "CANCEL_REASONS",
    "CANCEL_REQUESTS",
    "EBAY_CALENDARS",
    "EVIDENCE",
    "FRAUD_FLAGS",
    "JOHN_TOM_ID",
    "MARKETPLACES",
    "OUTCOMES",
    "PLATFORM_REASONS",
    "RED_FLAGS",
    "REASONS",
    "SCHEMES",
    "SELLER_TZ",
    "SITES",
    "SPY_FLAGS",
    "STATUS_DATE",
    "VERIFICATION",
    "WEAK_FLAGS",
    "DataError",
    "DataFileMissing",
    "build_cache",
    "load",
    "load_disputes",
    "load_inquiries",
    "load_orders",
    "preload",
    "validate_all",
]

# Chapter 01's allowed values (one source: borderdesk/cases/c01_platform_rules/values.yaml)
MARKETPLACES = list(VALUES.marketplaces)
RED_FLAGS = list(VALUES.red_flags)
WEAK_FLAGS = VALUES.flags("weak")
SPY_FLAGS = VALUES.flags("spy")
FRAUD_FLAGS = VALUES.flags("fraud")
SCHEMES = {label: list(schemes) for label, schemes in VALUES.schemes.items()}
VERIFICATION = list(VALUES.verification)
CANCEL_REQUESTS = list(VALUES.cancel_requests)
CANCEL_REASONS = list(VALUES.cancel_reasons)
REASONS = VALUES.groups  # {group: every reason of the group, both platforms}
PLATFORM_REASONS = {p: {g: list(r) for g, r in groups.items()} for p, groups in VALUES.reasons.items()}
OUTCOMES = {platform: list(outcomes) for platform, outcomes in VALUES.outcomes.items()}
EVIDENCE = list(VALUES.evidence)
SITES = list(VALUES.sites)
# Each eBay site's holiday calendar, as arguments of holidays.country_holidays(**EBAY_CALENDARS[site])
EBAY_CALENDARS = {site: cal.model_dump(exclude_none=True) for site, cal in VALUES.sites.items() if cal}


class DataError(BorderDeskError, ValueError):
    """A data file is missing, or a column or value in it is wrong."""


class DataFileMissing(DataError, FileNotFoundError):
    """A data file does not exist."""


def _dataset(name: str):
    """The registered dataset ``name`` (borderdesk.cases.registry)."""
    from borderdesk.cases import registry

    if name not in registry:
        raise DataError(f"no dataset {name!r}; registered: {', '.join(registry)}")
    return registry[name]


# --------------------------------------------------------------------------- schema pieces
# Text formats, checked before conversion so a bad value is reported, never silently turned into NaN.
_DATE, _DATETIME, _UTC = "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S%z"


DTYPES = {
    "date": "datetime64[ns]",
    "datetime": "datetime64[ns]",
    "utc": pd.DatetimeTZDtype("ns", "UTC"),
    "int": "Int64",
    "float": float,
    "bool": bool,
    "str": str,
}


@cache
def _formats() -> dict:
    """The text-format check of each column kind.

    Built on first validation: pandera is a slow import, and a notebook that finds
    its data in the validated cache (see ``build_cache``) never needs it.
    """
    import pandera.pandas as pa

    def _parses(fmt: str):
        return lambda s: (s == "") | pd.to_datetime(s, format=fmt, errors="coerce").notna()

    return {
        "date": pa.Check(_parses(_DATE), name="format YYYY-MM-DD"),
        "datetime": pa.Check(_parses(_DATETIME), name="format YYYY-MM-DD HH:MM:SS"),
        "utc": pa.Check(_parses(_UTC), name="format YYYY-MM-DD HH:MM:SS+00:00"),
        "int": pa.Check.str_matches(r"^(-?\d+)?$", name="an integer"),
        "float": pa.Check.str_matches(r"^-?\d+(\.\d+)?$", name="a number"),
        "bool": pa.Check.isin(["True", "False"]),
        "str": None,
    }


def _checks(col) -> list:
    """The pandera checks of a ``borderdesk.cases.Column`` (on the converted values)."""
    import pandera.pandas as pa

    checks = []
    if col.pattern is not None:
        named = {"name": col.pattern_name} if col.pattern_name else {}
        checks.append(pa.Check.str_matches(col.pattern, **named))
    if col.min_length is not None:
        checks.append(pa.Check.str_length(min_value=col.min_length))
    if col.isin is not None:
        checks.append(pa.Check.isin(list(col.isin)))
    if col.timezone:
        checks.append(pa.Check.isin(sorted(available_timezones())))
    if col.items_in is not None:  # every ';'-separated item is allowed ('' = none)
        ok = set(col.items_in)
        checks.append(
            pa.Check(
                lambda s: s.map(lambda v: set(filter(None, v.split(";"))) <= ok),
                name=f"';'-separated items from {sorted(ok)}",
            )
        )
    for bound in ("gt", "ge", "le"):
        if getattr(col, bound) is not None:
            checks.append(getattr(pa.Check, bound)(getattr(col, bound)))
    if col.in_range is not None:
        checks.append(pa.Check.in_range(*col.in_range))
    return checks


@cache
def _schemas(name: str) -> tuple:
    """(text schema: every column present, values in the right format; typed schema: dtypes and rules)."""
    import pandera.pandas as pa

    spec, formats = _dataset(name).schema, _formats()
    text = pa.DataFrameSchema(
        {
            c: pa.Column(str, [formats[col.kind]] if formats[col.kind] else [], nullable=False)
            for c, col in spec.items()
        },
        strict=True,
        name=name,
    )
    typed = pa.DataFrameSchema(
        {
            c: pa.Column(DTYPES[col.kind], _checks(col), nullable=col.nullable, unique=col.unique)
            for c, col in spec.items()
        },
        name=name,
    )
    return text, typed


def _convert(df: pd.DataFrame, spec: dict) -> pd.DataFrame:
    out = df.copy()
    for col, column in spec.items():
        s, kind = df[col], column.kind
        if kind in ("date", "datetime"):
            out[col] = pd.to_datetime(s.replace("", None), format=_DATE if kind == "date" else _DATETIME)
        elif kind == "utc":
            out[col] = pd.to_datetime(s, format=_UTC, utc=True)
        elif kind == "int":
            out[col] = pd.to_numeric(s.replace("", None)).astype("Int64")
        elif kind == "float":
            out[col] = s.astype(float)
        elif kind == "bool":
            out[col] = s == "True"
    return out


def _report(path: Path, err, limit: int = 6) -> DataError:
    """Turn pandera's failure cases into a short message: file, column, check, rows."""
    lines = []
    cases = err.failure_cases
    for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
        if check in ("column_in_dataframe", "column_in_schema"):
            what = "missing column" if check == "column_in_dataframe" else "unexpected column"
            lines.append(f"{what} {group['failure_case'].iloc[0]!r}")
            continue
        rows = group["index"].dropna().astype(int).tolist()
        values = group["failure_case"].astype(str).tolist()
        where = ", ".join(
            f"line {r + 2} (row {r}) value {v!r}" for r, v in zip(rows[:limit], values[:limit], strict=False)
        )
        more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
        lines.append(
            f"column {column!r} fails {check}: {where}{more}"
            if rows
            else f"column {column!r} fails {check}: {values[0]}"
        )
    return DataError(
        f"{path.name} ({path}) has {len(lines)} problem(s); lines are CSV line numbers "
        "(header = line 1), rows are 0-based positions:\n  - " + "\n  - ".join(lines)
    )


# Frames already loaded in this process, by file content: loading again hands out a copy
# (a notebook may change its frame freely). A grading kernel, forked from a process
# that loaded the course data (borderdesk.grading.zygote), starts with them in memory.
_loaded: dict[tuple[str, str], pd.DataFrame] = {}


def load(name: str, path: Path | str | None = None) -> pd.DataFrame:
    """The validated frame of the registered dataset ``name`` (``data/<file>``, or ``path``).

    Every chapter's data loads this way, e.g. ``load("orders")``; a missing file raises
    :class:`DataFileMissing`, a bad one :class:`DataError`.
    """
    dataset = _dataset(name)
    path = Path(path) if path is not None else data_dir() / dataset.file
    if not path.is_file():
        raise DataFileMissing(
            f"data file {path.name} not found at {path}: run `borderdesk data` to (re)generate the course data"
        )
    content = path.read_bytes()
    key = (name, hashlib.sha256(content).hexdigest())
    if key not in _loaded:
        _loaded[key] = _read(name, path, content)
    return _loaded[key].copy()


def _read(name: str, path: Path, content: bytes) -> pd.DataFrame:
    cached = _cache_file(name, content)
    if cached is not None and cached.is_file():
        return pd.read_pickle(cached)
    frame = _validated(name, path)
    if cached is not None and os.access(cached.parent, os.W_OK):
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        frame.to_pickle(tmp)
        os.replace(tmp, cached)  # atomic: a reader never sees half a file
    return frame


def _validated(name: str, path: Path) -> pd.DataFrame:
    from pandera.errors import SchemaErrors

    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{path.name} ({path}) is not a readable CSV file: {exc}") from exc
    text, typed = _schemas(name)
    try:
        text.validate(raw, lazy=True)
        return typed.validate(_convert(raw, _dataset(name).schema), lazy=True)
    except SchemaErrors as err:
        raise _report(path, err) from None


# --------------------------------------------------------------------------- validated cache
# Validating a file takes about a second (plus importing pandera). A folder named by
# BORDERDESK_CACHE keeps each validated frame, keyed by the file's bytes, its column
# schema and this module's source, so the same data is validated once. `borderdesk grade`
# builds it before a batch (with the datasets of the assignment's chapter only) and shows
# it read-only to every student kernel. Pickles are only read from that folder, which
# only the grader writes.
CACHE_ENV = "BORDERDESK_CACHE"
CACHE_LIST = "datasets.txt"  # the names build_cache stored, one a line: what preload() loads


def _cache_file(name: str, content: bytes) -> Path | None:
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return None
    schema = repr(list(_dataset(name).schema.items())).encode()
    digest = hashlib.sha256(Path(__file__).read_bytes() + b"\0" + schema + b"\0" + content).hexdigest()[:24]
    return Path(folder) / f"{name}-{digest}.pkl"


def needed(names: Iterable[str]) -> list[str]:
    """``names`` and every dataset they need (borderdesk.cases), in generation order."""
    from borderdesk.cases import in_order

    try:
        return [d.name for d in in_order(names)]
    except CaseDataError as exc:
        raise DataError(str(exc)) from None


def build_cache(folder: Path | str, cache: Path | str, names: Iterable[str] | None = None) -> list[str]:
    """Validate the datasets ``names`` (and what they need; default: all) in ``folder`` into ``cache``.

    Returns the names stored; they are listed in ``cache/datasets.txt`` for :func:`preload`.
    """
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(cache)
    _loaded.clear()  # every file must go through the cache
    try:
        stored = list(validate_all(folder, names))
    finally:
        if previous is None:
            del os.environ[CACHE_ENV]
        else:
            os.environ[CACHE_ENV] = previous
    (cache / CACHE_LIST).write_text("".join(f"{name}\n" for name in stored), encoding="utf-8")
    for path in cache.iterdir():  # readable by the sandboxed kernel (uid nobody)
        path.chmod(0o644)
    cache.chmod(0o755)
    return stored


def preload() -> list[str]:
    """Load the datasets that ``build_cache`` listed in BORDERDESK_CACHE (all of them without a cache).

    The grading zygote calls it, so every kernel it forks has its assignment's data in memory.
    """
    folder = os.environ.get(CACHE_ENV)
    listing = Path(folder) / CACHE_LIST if folder else None
    if listing is not None and listing.is_file():
        names = listing.read_text(encoding="utf-8").split()
    else:
        from borderdesk.cases import registry

        names = list(registry)
    for name in names:
        load(name)
    return names


def load_inquiries(path: Path | str | None = None) -> pd.DataFrame:
    """B2B inquiries received by a Shenzhen seller (labels genuine / spy / fraud)."""
    return load("inquiries", path)


def load_orders(path: Path | str | None = None) -> pd.DataFrame:
    """Seller-fulfilled Amazon orders, 2026-05-01 to AS_OF, six marketplaces."""
    return load("orders", path)


def load_disputes(path: Path | str | None = None) -> pd.DataFrame:
    """AliExpress and eBay dispute cases."""
    return load("disputes", path)


def validate_all(folder: Path | str | None = None, names: Iterable[str] | None = None) -> dict[str, int]:
    """Load and validate the datasets ``names`` and what they need (default: every registered one)
    from ``folder`` (default: data_dir()); return their row counts by name."""
    from borderdesk.cases import registry

    base = Path(folder) if folder is not None else data_dir()
    wanted = needed(registry if names is None else names)
    return {name: len(load(name, base / registry[name].file)) for name in wanted}
