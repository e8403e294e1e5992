"""Load the course's case data (data/*.csv) with dtypes, validated.

```python
from borderdesk.datasets import load_inquiries, load_orders, load_disputes, AS_OF, SELLER_TZ
```

Each loader reads the CSV as text, checks every value's format, converts the columns
to their dtypes and checks allowed values, ranges and unique ids with pandera. Any
problem raises :class:`DataError` naming the file, the column and the rows (as CSV
line numbers, the header being line 1, and as 0-based row positions).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path
from zoneinfo import available_timezones

import pandas as pd

from borderdesk.paths import data_dir

AS_OF = pd.Timestamp("2026-09-30")  # last order day; metric windows end on it, inclusive
STATUS_DATE = pd.Timestamp("2026-10-31")  # orders' shipping/delivery/feedback/claims as recorded on this day
SELLER_TZ = "Asia/Shanghai"
JOHN_TOM_ID = "INQ-0137"  # the "John Tom" sweater e-mail (seed 004), label fraud

MARKETPLACES = ["amazon.com", "amazon.co.uk", "amazon.de", "amazon.es", "amazon.co.jp", "amazon.sa"]
RED_FLAGS = [
    "external_link",
    "signin_request",
    "fee_request",
    "personal_data_request",
    "card_details_request",
    "sample_only",
    "overpayment_offer",
    "urgency",
    "generic_greeting",
    "asks_full_price_list",
    "asks_catalogue",
    "asks_customer_list",
    "asks_factory_details",
    "no_product_detail",
    "price_far_below_market",
]
WEAK_FLAGS = ["generic_greeting", "urgency", "no_product_detail"]
SPY_FLAGS = ["asks_full_price_list", "asks_catalogue", "asks_customer_list", "asks_factory_details"]
FRAUD_FLAGS = [
    "external_link",
    "signin_request",
    "fee_request",
    "personal_data_request",
    "card_details_request",
    "sample_only",
    "overpayment_offer",
]
SCHEMES = {
    "genuine": [""],
    "spy": ["price_list", "catalogue", "customer_names", "factory_details"],
    "fraud": ["phishing_link", "fake_po_signin", "advance_fee", "personal_data", "sample_scam", "overpayment"],
}
REASONS = {
    "not_received": [
        "customs_hold",
        "in_transit",
        "returned_to_sender",
        "wrong_address",
        "delivered_not_received",
        "no_tracking",
    ],
    "not_as_described": ["quality", "counterfeit", "short_shipment", "damaged"],
}
EVIDENCE = [
    "tracking_proof",
    "delivery_confirmation",
    "customs_documents",
    "photos_before_shipping",
    "buyer_photos",
    "chat_history",
    "invoice",
]


class DataError(ValueError):
    """A data file is missing, or a column or value in it is wrong."""


class DataFileMissing(DataError, FileNotFoundError):
    """A data file does not exist."""


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
def _specs() -> dict:
    """Column specs per file: (kind, pandera checks, nullable, unique).

    Built on first validation: pandera is a slow import, and a notebook that finds
    its data in the validated cache (see ``build_cache``) never needs it.
    """
    import pandera.pandas as pa

    def _parses(fmt: str):
        return lambda s: (s == "") | pd.to_datetime(s, format=fmt, errors="coerce").notna()

    FORMATS = {
        "date": pa.Check(_parses(_DATE), name="format YYYY-MM-DD"),
        "datetime": pa.Check(_parses(_DATETIME), name="format YYYY-MM-DD HH:MM:SS"),
        "utc": pa.Check(_parses(_UTC), name="format YYYY-MM-DD HH:MM:SS+00:00"),
        "int": pa.Check.str_matches(r"^(-?\d+)?$", name="an integer"),
        "float": pa.Check.str_matches(r"^-?\d+(\.\d+)?$", name="a number"),
        "bool": pa.Check.isin(["True", "False"]),
        "str": None,
    }

    def _items_in(allowed: list[str]) -> pa.Check:
        """Every ';'-separated item is one of ``allowed`` ('' = none)."""
        ok = set(allowed)
        return pa.Check(
            lambda s: s.map(lambda v: set(filter(None, v.split(";"))) <= ok),
            name=f"';'-separated items from {sorted(ok)}",
        )

    def _col(kind: str, *checks: pa.Check, nullable: bool = False, unique: bool = False):
        return kind, list(checks), nullable, unique

    ISO2 = pa.Check.str_matches(r"^[A-Z]{2}$", name="ISO alpha-2 code")

    def _isin(values) -> pa.Check:
        return pa.Check.isin(list(values))

    SPECS: dict[str, dict[str, tuple]] = {
        "inquiries": {
            "inquiry_id": _col("str", pa.Check.str_matches(r"^INQ-\d{4}$"), unique=True),
            "received_utc": _col("utc"),
            "sender_tz": _col("str", _isin(sorted(available_timezones()))),
            "sent_local_sender": _col("datetime"),
            "sent_local_seller": _col("datetime"),
            "channel": _col("str", _isin(["inquiry_form", "chat", "email", "rfq"])),
            "sender_name": _col("str", pa.Check.str_length(min_value=1)),
            "sender_email": _col("str", pa.Check.str_matches(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")),
            "email_domain": _col("str", pa.Check.str_length(min_value=3)),
            "domain_kind": _col("str", _isin(["corporate", "free_mail"])),
            "claimed_company": _col("str"),
            "claimed_website": _col("str"),
            "website_check": _col("str", _isin(["ok", "none", "mismatch", "new_domain"])),
            "claimed_country": _col("str", ISO2),
            "ip_country": _col("str", ISO2),
            "language": _col("str", _isin(["en", "es", "de", "pt", "ru"])),
            "product": _col("str", pa.Check.str_length(min_value=1)),
            "quantity": _col("int", pa.Check.gt(0), nullable=True),
            "subject": _col("str", pa.Check.str_length(min_value=1)),
            "message": _col("str", pa.Check.str_length(min_value=10)),
            "label": _col("str", _isin(SCHEMES)),
            "scheme": _col("str", _isin(sum(SCHEMES.values(), []))),
            "red_flags": _col("str", _items_in(RED_FLAGS)),
        },
        "orders": {
            "order_id": _col("str", pa.Check.str_matches(r"^\d{3}-\d{7}-\d{7}$"), unique=True),
            "marketplace": _col("str", _isin(MARKETPLACES)),
            "order_date": _col("date", pa.Check.in_range(pd.Timestamp("2026-05-01"), AS_OF)),
            "ship_by_date": _col("date"),
            "shipped_date": _col("date", pa.Check.le(STATUS_DATE), nullable=True),
            "carrier": _col("str"),
            "tracking_id": _col("str"),
            "tracking_valid": _col("bool"),
            "latest_est_delivery": _col("date"),
            "delivered_date": _col("date", pa.Check.le(STATUS_DATE), nullable=True),
            "cancelled_by": _col("str", _isin(["none", "seller", "buyer"])),
            "feedback_stars": _col("int", pa.Check.in_range(1, 5), nullable=True),
            "atoz_claim": _col("str", _isin(["none", "granted", "denied"])),
            "chargeback": _col("bool"),
            "order_total": _col("float", pa.Check.gt(0)),
            "currency": _col("str", _isin(["USD", "GBP", "EUR", "JPY", "SAR"])),
        },
        "disputes": {
            "dispute_id": _col("str", pa.Check.str_matches(r"^DSP-\d{4}$"), unique=True),
            "platform": _col("str", _isin(["aliexpress", "ebay"])),
            "order_id": _col("str", pa.Check.str_length(min_value=5)),
            "buyer_country": _col("str", ISO2),
            "opened_date": _col("date", pa.Check.le(AS_OF)),
            "reason_group": _col("str", _isin(REASONS)),
            "reason": _col("str", _isin(sum(REASONS.values(), []))),
            "respond_by": _col("date"),
            "seller_response_date": _col("date", nullable=True),
            "evidence": _col("str", _items_in(EVIDENCE)),
            "outcome": _col(
                "str", _isin(["seller_won", "full_refund", "partial_refund", "reship", "buyer_cancelled", "open"])
            ),
            "refund_amount": _col("float", pa.Check.ge(0)),
            "currency": _col("str", _isin(["USD", "GBP", "EUR", "JPY", "SAR"])),
        },
    }
    return {"formats": FORMATS, "specs": SPECS}


@cache
def _schemas(name: str) -> tuple:
    """(text schema: every column present, values in the right format; typed schema: dtypes and rules)."""
    import pandera.pandas as pa

    spec, formats = _specs()["specs"][name], _specs()["formats"]
    text = pa.DataFrameSchema(
        {c: pa.Column(str, [formats[k]] if formats[k] else [], nullable=False) for c, (k, *_) in spec.items()},
        strict=True,
        name=name,
    )
    typed = pa.DataFrameSchema(
        {
            c: pa.Column(DTYPES[k], checks, nullable=nullable, unique=unique)
            for c, (k, checks, nullable, unique) in spec.items()
        },
        name=name,
    )
    return text, typed


def _convert(df: pd.DataFrame, spec: dict) -> pd.DataFrame:
    out = df.copy()
    for col, (kind, *_) in spec.items():
        s = df[col]
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
        where = ", ".join(f"line {r + 2} (row {r}) value {v!r}" for r, v in zip(rows[:limit], values[:limit]))
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


def _load(name: str, path: Path | str | None) -> pd.DataFrame:
    path = Path(path) if path is not None else data_dir() / f"{name}.csv"
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
        return typed.validate(_convert(raw, _specs()["specs"][name]), lazy=True)
    except SchemaErrors as err:
        raise _report(path, err) from None


# --------------------------------------------------------------------------- validated cache
# Validating a file takes about a second (plus importing pandera). A folder named by
# BORDERDESK_CACHE keeps each validated frame, keyed by the file's bytes and this
# module's source, so the same data is validated once. `borderdesk grade` builds it
# before a batch and shows it read-only to every student kernel. Pickles are only
# read from that folder, which only the grader writes.
CACHE_ENV = "BORDERDESK_CACHE"


def _cache_file(name: str, content: bytes) -> Path | None:
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return None
    digest = hashlib.sha256(Path(__file__).read_bytes() + b"\0" + content).hexdigest()[:24]
    return Path(folder) / f"{name}-{digest}.pkl"


def build_cache(folder: Path | str, cache: Path | str) -> None:
    """Validate the three files in ``folder`` and store the frames in ``cache``."""
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(cache)
    _loaded.clear()  # every file must go through the cache
    try:
        validate_all(folder)
    finally:
        if previous is None:
            del os.environ[CACHE_ENV]
        else:
            os.environ[CACHE_ENV] = previous
    for path in cache.iterdir():  # readable by the sandboxed kernel (uid nobody)
        path.chmod(0o644)
    cache.chmod(0o755)


def load_inquiries(path: Path | str | None = None) -> pd.DataFrame:
    """B2B inquiries received by a Shenzhen seller (labels genuine / spy / fraud)."""
    return _load("inquiries", path)


def load_orders(path: Path | str | None = None) -> pd.DataFrame:
    """Seller-fulfilled Amazon orders, 2026-05-01 to AS_OF, six marketplaces."""
    return _load("orders", path)


def load_disputes(path: Path | str | None = None) -> pd.DataFrame:
    """AliExpress and eBay dispute cases."""
    return _load("disputes", path)


def validate_all(folder: Path | str | None = None) -> dict[str, int]:
    """Load and validate the three files (from ``folder`` or data_dir()); return their row counts."""
    base = Path(folder) if folder is not None else data_dir()
    loaders = {"inquiries": load_inquiries, "orders": load_orders, "disputes": load_disputes}
    return {name: len(load(base / f"{name}.csv")) for name, load in loaders.items()}
