"""Checks for the test cells of assignments, with messages a learner understands.

A test cell checks an answer in steps: the type first, then the shape (length, columns,
index, dtype), then the values. Each step fails with its own message, so the learner knows
which step went wrong, and a hint can ask a guiding question::

    from borderdesk.checks import call, check_columns, check_index, check_type

    features = call(red_flag_features, inquiries)
    check_type(features, pd.DataFrame, "red_flag_features(inquiries)", hint="Did you build it with pd.DataFrame({...})?")
    check_columns(features, COLUMNS, "red_flag_features(inquiries)")
    check_index(features, inquiries, "red_flag_features(inquiries)", like_name="`inquiries`")

These helpers check; they never hold an answer. Every value to compare with comes from the
test cell. In a hidden test, pass ``reveal=False`` so the message does not show the expected
value. Every failure is an ``AssertionError`` (nbgrader counts it as a failed test); a
function still holding its placeholder raises ``NotImplementedError("Not attempted yet: ...")``.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import reprlib
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

NOT_ATTEMPTED = "Not attempted yet"

# How a message names a type: "should be a pandas DataFrame, but it is a list".
_TYPE_NAMES: dict[type, str] = {
    pd.DataFrame: "a pandas DataFrame",
    pd.Series: "a pandas Series",
    pd.Index: "a pandas Index",
    pd.Timestamp: "a pandas Timestamp",
    np.ndarray: "a NumPy array",
    bool: "True or False (a bool)",
    int: "a whole number (an int)",
    float: "a number with a decimal point (a float)",
    str: "a string (str)",
    list: "a list",
    tuple: "a tuple",
    dict: "a dict",
    set: "a set",
    frozenset: "a frozenset",
    dt.datetime: "a datetime.datetime",
    dt.date: "a datetime.date",
    dt.timedelta: "a datetime.timedelta",
    type(None): "None",
}

# dtype kinds for check_dtype: (what the message says, test).
_DTYPES: dict[str, tuple[str, Callable]] = {
    "bool": ("True/False values (dtype bool)", lambda d: d == np.dtype(bool)),
    "int": ("whole numbers (an integer dtype)", pd.api.types.is_integer_dtype),
    "float": ("decimal numbers (a float dtype)", pd.api.types.is_float_dtype),
    "number": (
        "numbers (an integer or float dtype)",
        lambda d: pd.api.types.is_numeric_dtype(d) and not pd.api.types.is_bool_dtype(d),
    ),
    "datetime": ("dates and times (a datetime64 dtype)", pd.api.types.is_datetime64_any_dtype),
    "string": ("text (dtype object or string)", lambda d: d == np.dtype(object) or pd.api.types.is_string_dtype(d)),
}

_repr = reprlib.Repr()
_repr.maxstring, _repr.maxother, _repr.maxlist, _repr.maxdict, _repr.maxset = 80, 80, 8, 6, 8


def _show(value) -> str:
    """A short, readable rendering of a value for a message (no ``np.float64(...)``)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return describe(value)
    return _repr.repr(value)


def _list(items) -> str:
    """``'a', 'b' and 'c'``."""
    shown = [_show(item) for item in items]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _count(n: int, noun: str) -> str:
    """``1 row``, ``1,200 rows``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _fail(message: str, hint: str | None) -> AssertionError:
    return AssertionError(f"{message} {hint}" if hint else message)


def describe(value) -> str:
    """What a value is, in words: ``a list``, ``a pandas Series of 12 values``, ``None``."""
    if isinstance(value, pd.DataFrame):
        return f"a pandas DataFrame with {_count(len(value), 'row')} and {_count(value.shape[1], 'column')}"
    if isinstance(value, pd.Series):
        return f"a pandas Series of {_count(len(value), 'value')} (dtype {value.dtype})"
    if isinstance(value, np.generic):
        value = value.item()
    for kind in type(value).__mro__:
        if kind in _TYPE_NAMES:
            return _TYPE_NAMES[kind]
    return f"an object of type {type(value).__name__}"


def _type_name(kind: type) -> str:
    return _TYPE_NAMES.get(kind, f"a {kind.__name__}")


def _is_a(value, kind: type) -> bool:
    """isinstance, as a learner means it: NumPy scalars count, True is no int, a datetime is no date."""
    if isinstance(value, (bool, np.bool_)):
        return kind is bool
    if kind is int:
        return isinstance(value, (int, np.integer))
    if kind is float:
        return isinstance(value, (float, np.floating))
    if kind is dt.date and isinstance(value, dt.datetime):
        return False
    return isinstance(value, kind)


def check_type(value, expected: type | tuple[type, ...], name: str, *, hint: str | None = None):
    """Fail unless ``value`` is of the ``expected`` type(s); return ``value``.

    NumPy numbers pass as int and float, but True/False do not, and a datetime (or a
    pd.Timestamp) does not pass as a datetime.date.
    """
    __tracebackhide__ = True
    kinds = expected if isinstance(expected, tuple) else (expected,)
    if any(_is_a(value, kind) for kind in kinds):
        return value
    wanted = " or ".join(_type_name(kind) for kind in kinds)
    message = f"`{name}` should be {wanted}, but it is {describe(value)}."
    if value is None:
        message += " A function without `return` gives None: does yours end with `return ...`?"
    elif dt.date in kinds and isinstance(value, dt.datetime):
        message += " Its `.date()` gives the date alone."
    raise _fail(message, hint)


def _placeholder(exc: NotImplementedError, function) -> bool:
    """Whether ``exc`` comes from the placeholder line of ``function`` itself."""
    innermost = exc.__traceback__
    while innermost.tb_next is not None:
        innermost = innermost.tb_next
    return innermost.tb_frame.f_code is getattr(function, "__code__", None) or NOT_ATTEMPTED in str(exc)


def call(function, *args, **kwargs):
    """``function(*args, **kwargs)``; a function still holding its placeholder is "Not attempted yet".

    The placeholder is the ``raise NotImplementedError(...)`` line the release puts in each
    answer cell. A NotImplementedError raised anywhere else (inside pandas, say) passes unchanged.
    """
    __tracebackhide__ = True
    name = getattr(function, "__name__", None) or repr(function)
    if not callable(function):
        raise AssertionError(
            f"`{name}` should be a function, but it is {describe(function)}. "
            "Did another cell assign a value to that name? Run the answer cell again."
        )
    try:
        return function(*args, **kwargs)
    except NotImplementedError as exc:
        if not _placeholder(exc, function):
            raise
        not_attempted = (
            f"{NOT_ATTEMPTED}: `{name}` still raises NotImplementedError. "
            "Write its body in its answer cell, run that cell, then run this test again."
        )
    # The answer cell still holds the placeholder: there is nothing to check yet.
    raise NotImplementedError(not_attempted)


def check_length(value, expected: int, name: str, *, what: str = "items", hint: str | None = None):
    """Fail unless ``len(value) == expected``; ``what`` names the items ("rows, one per inquiry")."""
    __tracebackhide__ = True
    try:
        length = len(value)
    except TypeError:
        raise _fail(
            f"`{name}` should have {expected:,} {what}, but it is {describe(value)}, which has none.", hint
        ) from None
    if length != expected:
        raise _fail(f"`{name}` should have {expected:,} {what}, but it has {length:,}.", hint)
    return value


def check_columns(frame, columns: Iterable[str], name: str, *, ordered: bool = True, hint: str | None = None):
    """Fail unless the DataFrame ``frame`` has exactly ``columns`` (in this order, if ``ordered``)."""
    __tracebackhide__ = True
    check_type(frame, pd.DataFrame, name)
    columns, got = list(columns), list(frame.columns)
    missing = [c for c in columns if c not in got]
    extra = [c for c in got if c not in columns]
    problems = []
    if missing:
        problems.append(f"is missing the column{'s' if len(missing) > 1 else ''} {_list(missing)}")
    if extra:
        problems.append(f"has {'columns' if len(extra) > 1 else 'a column'} it should not have: {_list(extra)}")
    if problems:
        tip = " Check the spelling of the names." if missing and extra else ""
        raise _fail(f"`{name}` {' and '.join(problems)}.{tip}", hint)
    if len(got) != len(set(got)):
        raise _fail(f"`{name}` has a column twice: {_list(sorted({c for c in got if got.count(c) > 1}))}.", hint)
    if ordered and got != columns:
        raise _fail(f"`{name}` has the right columns in another order: expected {columns}, got {got}.", hint)
    return frame


def check_index(value, like, name: str, *, like_name: str = "the input", hint: str | None = None):
    """Fail unless ``value`` (a Series or DataFrame) has the index of ``like``, so that rows line up.

    ``like`` is a Series, a DataFrame or an Index; ``like_name`` says what it is in the message.
    """
    __tracebackhide__ = True
    check_type(value, (pd.Series, pd.DataFrame), name)
    expected = like if isinstance(like, pd.Index) else like.index
    got = value.index
    if got.equals(expected):
        return value
    if len(got) != len(expected):
        message = (
            f"`{name}` has {_count(len(got), 'row')} but {like_name} has {len(expected):,}; "
            "it should keep one row for each of them. Did you filter or group the rows?"
        )
    elif set(got) == set(expected):
        message = f"`{name}` holds the rows of {like_name} in another order. Did you sort it?"
    elif isinstance(got, pd.RangeIndex) and not isinstance(expected, pd.RangeIndex):
        message = (
            f"`{name}` has a new index 0, 1, 2, ... instead of the index of {like_name}. "
            "Did you reset the index, or build the result from a plain list?"
        )
    else:
        unknown = [label for label in got if label not in expected]
        message = (
            f"`{name}` should keep the index of {like_name}, so that rows line up; "
            f"{len(unknown):,} of its labels are not in it, e.g. {_show(unknown[0]) if unknown else '?'}. "
            "Did you reset or replace the index?"
        )
    raise _fail(message, hint)


def check_dtype(value, kind: str, name: str, *, columns: Iterable[str] | None = None, hint: str | None = None):
    """Fail unless a Series (or the ``columns`` of a DataFrame, default all) holds ``kind`` values.

    ``kind`` is one of bool, int, float, number, datetime, string. ``bool`` means plain
    True/False: pandas' nullable "boolean" dtype, which allows missing values, does not pass.
    """
    __tracebackhide__ = True
    if kind not in _DTYPES:
        raise ValueError(f"check_dtype: unknown kind {kind!r}; use one of {', '.join(_DTYPES)}")
    wanted, test = _DTYPES[kind]
    check_type(value, (pd.Series, pd.DataFrame), name)
    if isinstance(value, pd.Series):
        parts = [(f"`{name}`", value.dtype)]
    else:
        parts = [(f"column {c!r} of `{name}`", value[c].dtype) for c in (value.columns if columns is None else columns)]
    for where, dtype in parts:
        if test(dtype):
            continue
        message = f"{where} should hold {wanted}, but its dtype is {dtype}."
        if kind == "bool" and str(dtype) == "boolean":
            message += " That is pandas' nullable boolean; `.astype(bool)` gives plain True/False."
        elif dtype == np.dtype(object) and kind != "string":
            message += " Dtype object often means mixed values, such as True/False with missing values or text."
        raise _fail(message, hint)
    return value


def _number(value) -> bool:
    return isinstance(value, (numbers.Real, np.number)) and not isinstance(value, (bool, np.bool_))


def check_close(
    value,
    expected: float,
    name: str,
    *,
    rel_tol: float = 1e-9,
    abs_tol: float = 1e-9,
    reveal: bool = True,
    hint: str | None = None,
):
    """Fail unless the number ``value`` is within the tolerance of ``expected`` (NaN matches NaN)."""
    __tracebackhide__ = True
    if not _number(value):
        raise _fail(f"`{name}` should be a number, but it is {describe(value)}.", hint)
    got, want = float(value), float(expected)
    if (math.isnan(got) and math.isnan(want)) or math.isclose(got, want, rel_tol=rel_tol, abs_tol=abs_tol):
        return value
    message = f"`{name}` should be {_show(want)}, but it is {_show(got)}." if reveal else f"`{name}` is {_show(got)}."
    if not reveal:
        message += " That is not the expected value."
    if want and math.isclose(got, want * 100, rel_tol=1e-6):
        message += " Is that a percentage? Give a fraction between 0 and 1 instead."
    elif math.isnan(got):
        message += " NaN means nothing to divide by, or a missing value on the way."
    raise _fail(message, hint)


def check_set(
    value, expected: Iterable, name: str, *, what: str = "items", reveal: bool = True, hint: str | None = None
):
    """Fail unless ``value`` holds the same items as ``expected``, in any order, duplicates aside."""
    __tracebackhide__ = True
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise _fail(f"`{name}` should be a collection of {what}, but it is {describe(value)}.", hint)
    got, want = set(value), set(expected)
    missing, extra = want - got, got - want
    if not missing and not extra:
        return value
    problems = []
    if missing:
        example = f", e.g. {_show(sorted(missing, key=str)[0])}" if reveal else ""
        problems.append(f"is missing {len(missing)} of the {len(want)} expected {what}{example}")
    if extra:
        problems.append(f"holds {len(extra)} {what} it should not: {_list(sorted(extra, key=str)[:3])}")
    raise _fail(f"`{name}` {' and '.join(problems)}.", hint)


def check_equal(value, expected, name: str, *, reveal: bool = True, hint: str | None = None):
    """Fail unless ``value == expected``; for lists, say where they first differ."""
    __tracebackhide__ = True
    if isinstance(value, (pd.Series, pd.DataFrame, np.ndarray)):
        raise _fail(f"`{name}` should be {describe(expected)}, but it is {describe(value)}.", hint)
    if value == expected:
        return value
    if type(value) is not type(expected) and not (_number(value) and _number(expected)):
        message = f"`{name}` should be {describe(expected)}, but it is {describe(value)}."
    elif isinstance(value, (list, tuple)):
        if len(value) != len(expected):
            message = f"`{name}` should have {len(expected)} items, but it has {len(value)}."
        else:
            at = next(i for i, (a, b) in enumerate(zip(value, expected, strict=True)) if a != b)
            message = f"`{name}` differs from the expected list first at position {at}: it holds {_show(value[at])}"
            message += f" where {_show(expected[at])} belongs." if reveal else " there."
    elif reveal:
        message = f"`{name}` should be {_show(expected)}, but it is {_show(value)}."
    else:
        message = f"`{name}` is {_show(value)}, which is not the expected value."
    raise _fail(message, hint)
