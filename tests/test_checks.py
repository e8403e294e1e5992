"""borderdesk.checks: each helper passes what it should, and each failure says what is wrong."""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
import pytest

from borderdesk import checks
from borderdesk.checks import (
    NOT_ATTEMPTED,
    call,
    check_close,
    check_columns,
    check_dtype,
    check_equal,
    check_index,
    check_length,
    check_set,
    check_type,
    describe,
)


def fails(message: str):
    """pytest.raises(AssertionError) whose message contains ``message`` word for word."""
    return pytest.raises(AssertionError, match=re.escape(message))


# --- call: the placeholder means "Not attempted yet" ------------------------------------------


def placeholder(inquiries):
    raise NotImplementedError("Not attempted yet: replace this line with your answer.")


def nbgrader_default_stub(inquiries):
    raise NotImplementedError()


def test_call_returns_what_the_function_returns():
    assert call(lambda a, b=0: a + b, 2, b=3) == 5


@pytest.mark.parametrize("function", [placeholder, nbgrader_default_stub])
def test_call_names_the_function_not_attempted(function):
    with pytest.raises(NotImplementedError) as raised:
        call(function, None)
    assert str(raised.value) == (
        f"{NOT_ATTEMPTED}: `{function.__name__}` still raises NotImplementedError. "
        "Write its body in its answer cell, run that cell, then run this test again."
    )
    assert raised.value.__context__ is None, "the placeholder's own traceback adds nothing"


def test_call_passes_on_a_not_implemented_error_from_deeper_code():
    def uses_an_unsupported_feature(frame):
        return frame.unsupported()

    class Frame:
        def unsupported(self):
            raise NotImplementedError("this operation is not supported")

    with pytest.raises(NotImplementedError, match="^this operation is not supported$"):
        call(uses_an_unsupported_feature, Frame())


def test_call_on_a_name_that_is_no_longer_a_function():
    with fails("`[1, 2]` should be a function, but it is a list. Did another cell assign a value to that name?"):
        call([1, 2])


def test_call_lets_other_errors_through():
    with pytest.raises(KeyError, match="red_flags"):
        call(lambda frame: frame["red_flags"], {})


# --- check_type ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (pd.DataFrame(), pd.DataFrame),
        (pd.Series(dtype=bool), pd.Series),
        ({}, dict),
        (3, int),
        (np.int64(3), int),
        (0.5, float),
        (np.float32(0.5), float),
        (True, bool),
        (np.bool_(True), bool),
        (dt.date(2026, 9, 1), dt.date),
        ([], (list, tuple)),
    ],
)
def test_check_type_passes_and_returns_the_value(value, expected):
    assert check_type(value, expected, "x") is value


def test_check_type_names_both_types():
    with fails("`flag_suspicious(inquiries)` should be a pandas Series, but it is a list."):
        check_type([True, False], pd.Series, "flag_suspicious(inquiries)")


def test_check_type_adds_the_hint():
    with fails("`features` should be a pandas DataFrame, but it is a dict. Did you build it with pd.DataFrame({...})?"):
        check_type({}, pd.DataFrame, "features", hint="Did you build it with pd.DataFrame({...})?")


def test_check_type_on_none_asks_about_return():
    with fails("`breaches(health)` should be a dict, but it is None. A function without `return` gives None"):
        check_type(None, dict, "breaches(health)")


def test_check_type_lists_each_allowed_type():
    with fails("`count` should be a whole number (an int) or a number with a decimal point (a float), but it is a str"):
        check_type("3", (int, float), "count")


@pytest.mark.parametrize("value", [True, np.bool_(False)])
def test_check_type_does_not_take_true_or_false_for_a_number(value):
    with fails("`count` should be a whole number (an int), but it is True or False (a bool)."):
        check_type(value, int, "count")


@pytest.mark.parametrize("value", [dt.datetime(2026, 9, 1, 12), pd.Timestamp("2026-09-01")])
def test_check_type_wants_a_date_not_a_datetime(value):
    with fails("should be a datetime.date, but it is a "):
        check_type(value, dt.date, "respond_by('ebay', day)")
    with fails("Its `.date()` gives the date alone."):
        check_type(value, dt.date, "respond_by('ebay', day)")


def test_describe_says_what_a_value_is():
    assert describe(pd.DataFrame({"a": [1, 2]})) == "a pandas DataFrame with 2 rows and 1 column"
    assert describe(pd.Series([1.0])) == "a pandas Series of 1 value (dtype float64)"
    assert describe(np.float64(1.5)) == "a number with a decimal point (a float)"
    assert describe(object()) == "an object of type object"


# --- check_length ----------------------------------------------------------------------------


def test_check_length_passes():
    assert check_length([1, 2], 2, "x") == [1, 2]


def test_check_length_says_how_many_and_of_what():
    with fails("`flagged` should have 1,200 values, one per inquiry, but it has 37. Did you filter the rows?"):
        check_length(range(37), 1200, "flagged", what="values, one per inquiry", hint="Did you filter the rows?")


def test_check_length_of_something_without_a_length():
    with fails("`n` should have 3 items, but it is a whole number (an int), which has none."):
        check_length(5, 3, "n")


# --- check_columns -------------------------------------------------------------------------

COLUMNS = ["free_mail", "ip_mismatch", "off_hours"]


def test_check_columns_passes():
    frame = pd.DataFrame(columns=COLUMNS)
    assert check_columns(frame, COLUMNS, "features") is frame


def test_check_columns_checks_the_type_first():
    with fails("`features` should be a pandas DataFrame, but it is a pandas Series"):
        check_columns(pd.Series([1]), COLUMNS, "features")


def test_check_columns_names_a_missing_column():
    with fails("`features` is missing the column 'off_hours'."):
        check_columns(pd.DataFrame(columns=COLUMNS[:2]), COLUMNS, "features")


def test_check_columns_names_missing_and_extra_columns_and_suggests_spelling():
    with fails(
        "`features` is missing the columns 'ip_mismatch' and 'off_hours' and has columns it should not have: "
        "'ip_mismatched' and 'offhours'. Check the spelling of the names."
    ):
        check_columns(pd.DataFrame(columns=["free_mail", "ip_mismatched", "offhours"]), COLUMNS, "features")


def test_check_columns_names_an_extra_column_alone():
    with fails("`features` has a column it should not have: 'label'."):
        check_columns(pd.DataFrame(columns=[*COLUMNS, "label"]), COLUMNS, "features")


def test_check_columns_wants_the_order_unless_told_otherwise():
    shuffled = pd.DataFrame(columns=COLUMNS[::-1])
    with fails(f"`features` has the right columns in another order: expected {COLUMNS}, got {COLUMNS[::-1]}."):
        check_columns(shuffled, COLUMNS, "features")
    assert check_columns(shuffled, COLUMNS, "features", ordered=False) is shuffled


def test_check_columns_finds_a_column_given_twice():
    frame = pd.DataFrame([[1, 2, 3]], columns=["free_mail", "free_mail", "off_hours"])
    with fails("`features` has a column twice: 'free_mail'."):
        check_columns(frame, ["free_mail", "off_hours"], "features", ordered=False)


# --- check_index -----------------------------------------------------------------------------

INQUIRIES = pd.DataFrame({"red_flags": ["", "urgency", "fee_request"]}, index=[10, 11, 12])


def test_check_index_passes_with_a_frame_a_series_or_an_index():
    result = pd.Series([True, False, True], index=INQUIRIES.index)
    assert check_index(result, INQUIRIES, "flagged") is result
    assert check_index(result, INQUIRIES["red_flags"], "flagged") is result
    assert check_index(result, INQUIRIES.index, "flagged") is result


def test_check_index_on_filtered_rows():
    with fails("`flagged` has 1 row but `inquiries` has 3; it should keep one row for each of them. Did you filter"):
        check_index(pd.Series([True], index=[12]), INQUIRIES, "flagged", like_name="`inquiries`")


def test_check_index_on_sorted_rows():
    with fails("`flagged` holds the rows of `inquiries` in another order. Did you sort it?"):
        check_index(pd.Series([1, 2, 3], index=[12, 10, 11]), INQUIRIES, "flagged", like_name="`inquiries`")


def test_check_index_on_a_reset_index():
    with fails("`flagged` has a new index 0, 1, 2, ... instead of the index of `inquiries`. Did you reset the index"):
        check_index(pd.Series([1, 2, 3]), INQUIRIES, "flagged", like_name="`inquiries`")


def test_check_index_on_other_labels():
    with fails(
        "`flagged` should keep the index of the input, so that rows line up; 1 of its labels are not in it, e.g. 99"
    ):
        check_index(pd.Series([1, 2, 3], index=[10, 11, 99]), INQUIRIES, "flagged")


def test_check_index_checks_the_type_first():
    with fails("`flagged` should be a pandas Series or a pandas DataFrame, but it is a list."):
        check_index([True], INQUIRIES, "flagged")


# --- check_dtype -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ([True, False], "bool"),
        ([1, 2], "int"),
        (pd.array([1, None], dtype="Int64"), "int"),
        ([0.5, np.nan], "float"),
        ([1, 2], "number"),
        ([0.5], "number"),
        (pd.to_datetime(["2026-09-01"]), "datetime"),
        (pd.to_datetime(["2026-09-01"], utc=True), "datetime"),
        (["a", "b"], "string"),
    ],
)
def test_check_dtype_passes(values, kind):
    series = pd.Series(values)
    assert check_dtype(series, kind, "x") is series


def test_check_dtype_names_the_column_and_both_dtypes():
    frame = pd.DataFrame({"free_mail": [True, False], "off_hours": [1, 0]})
    with fails("column 'off_hours' of `features` should hold True/False values (dtype bool), but its dtype is int64."):
        check_dtype(frame, "bool", "features")
    assert check_dtype(frame, "bool", "features", columns=["free_mail"]) is frame


def test_check_dtype_explains_object_columns():
    with fails(
        "`flagged` should hold True/False values (dtype bool), but its dtype is object. Dtype object often means"
    ):
        check_dtype(pd.Series([True, None]), "bool", "flagged")


def test_check_dtype_on_nullable_booleans():
    with fails("That is pandas' nullable boolean; `.astype(bool)` gives plain True/False."):
        check_dtype(pd.Series([True, False], dtype="boolean"), "bool", "flagged")


def test_check_dtype_does_not_count_true_false_as_numbers():
    with fails("`rate` should hold numbers (an integer or float dtype), but its dtype is bool."):
        check_dtype(pd.Series([True]), "number", "rate")


def test_check_dtype_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown kind 'boolean'; use one of bool, int, float"):
        check_dtype(pd.Series([True]), "boolean", "x")


# --- check_close -----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [(0.1 + 0.2, 0.3), (np.float64(0.5), 0.5), (2, 2.0), (np.nan, np.nan)])
def test_check_close_passes(value, expected):
    assert check_close(value, expected, "x") is value


def test_check_close_shows_both_numbers():
    with fails("`scores['precision']` should be 0.5, but it is 0.333333. Did you divide by the flagged rows?"):
        check_close(1 / 3, 0.5, "scores['precision']", hint="Did you divide by the flagged rows?")


def test_check_close_can_keep_the_expected_value_hidden():
    with pytest.raises(AssertionError) as raised:
        check_close(0.25, 0.125, "odr", reveal=False)
    assert str(raised.value) == "`odr` is 0.25. That is not the expected value."
    assert "0.125" not in str(raised.value)


def test_check_close_spots_a_percentage():
    with fails("`odr` should be 0.012, but it is 1.2. Is that a percentage? Give a fraction between 0 and 1 instead."):
        check_close(1.2, 0.012, "odr")


def test_check_close_explains_nan():
    with fails("`recall` should be 0, but it is nan. NaN means nothing to divide by"):
        check_close(math.nan, 0.0, "recall")


def test_check_close_honours_the_tolerance():
    assert check_close(0.101, 0.1, "x", abs_tol=0.01) == 0.101
    with fails("`x` should be 0.1, but it is 0.101."):
        check_close(0.101, 0.1, "x")


@pytest.mark.parametrize("value", ["0.5", [0.5], True, None])
def test_check_close_wants_a_number(value):
    with fails("`precision` should be a number, but it is "):
        check_close(value, 0.5, "precision")


# --- check_set --------------------------------------------------------------------------------


def test_check_set_passes_in_any_order():
    assert check_set(["B", "A"], {"A", "B"}, "order") == ["B", "A"]


def test_check_set_names_missing_and_extra_items():
    with fails(
        "`order` is missing 1 of the 3 expected inquiry ids, e.g. 'D' and holds 1 inquiry ids it should not: 'C'."
    ):
        check_set(["A", "B", "C"], ["A", "B", "D"], "order", what="inquiry ids")


def test_check_set_without_revealing_what_is_missing():
    with pytest.raises(AssertionError) as raised:
        check_set(["A"], ["A", "SECRET"], "order", what="inquiry ids", reveal=False)
    assert str(raised.value) == "`order` is missing 1 of the 2 expected inquiry ids."


@pytest.mark.parametrize("value", ["AB", 3, None])
def test_check_set_wants_a_collection(value):
    with fails("`order` should be a collection of inquiry ids, but it is "):
        check_set(value, ["A", "B"], "order", what="inquiry ids")


# --- check_equal ------------------------------------------------------------------------------


def test_check_equal_passes():
    assert check_equal({"a": [1]}, {"a": [1]}, "x") == {"a": [1]}
    assert check_equal(np.int64(3), 3, "count") == 3


def test_check_equal_finds_the_first_difference_in_a_list():
    with fails("`order` differs from the expected list first at position 1: it holds 'A' where 'D' belongs."):
        check_equal(["E", "A", "D"], ["E", "D", "A"], "order")


def test_check_equal_on_lists_without_revealing():
    with pytest.raises(AssertionError) as raised:
        check_equal(["E", "A"], ["E", "SECRET"], "order", reveal=False)
    assert "SECRET" not in str(raised.value) and "position 1: it holds 'A' there." in str(raised.value)


def test_check_equal_on_lists_of_another_length():
    with fails("`order` should have 4 items, but it has 5."):
        check_equal(list("ABCDE"), list("ABCD"), "order")


def test_check_equal_on_other_types():
    with fails("`order` should be a list, but it is a tuple."):
        check_equal(("A",), ["A"], "order")
    with fails("`scores` should be a dict, but it is a pandas Series of 2 values"):
        check_equal(pd.Series([0.5, 0.5]), {"precision": 0.5, "recall": 0.5}, "scores")


def test_check_equal_on_plain_values():
    with fails("`deadline` should be datetime.date(2026, 10, 3), but it is datetime.date(2026, 10, 2)."):
        check_equal(dt.date(2026, 10, 2), dt.date(2026, 10, 3), "deadline")
    with pytest.raises(AssertionError) as raised:
        check_equal(2, 3, "count", reveal=False)
    assert str(raised.value) == "`count` is 2, which is not the expected value."


# --- the module never holds an answer -----------------------------------------------------------


def test_checks_hold_no_answer_of_a_graded_exercise():
    """Calling a check gives a learner nothing to copy: the module names no assignment's values."""
    source = checks.__loader__.get_source(checks.__name__)
    for secret in ("FRAUD_FLAGS", "0.025", "respond_by", "red_flags", "holidays"):
        assert secret not in source, f"borderdesk.checks mentions {secret!r}: it must only check, never answer"
