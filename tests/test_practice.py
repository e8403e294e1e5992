"""Practice cells of a lesson: not attempted, not yet (with the check's reason), right; never a traceback."""

from __future__ import annotations

import pandas as pd
from bs4 import BeautifulSoup

from borderdesk.checks import check_set, check_type
from borderdesk.drills.model import State
from borderdesk.practice import practice_check

ORDERS = pd.DataFrame({"marketplace": ["amazon.de", "amazon.es", "amazon.de"], "order_total": [42.0, 50.0, 18.9]})


def only_de(value):
    check_type(value, pd.DataFrame, "de_orders", hint="Filtering a table gives a table.")
    check_set(value["marketplace"], ["amazon.de"], "the marketplaces in `de_orders`", what="marketplaces")


def check(namespace: dict):
    """The practice check of ``de_orders``, reading the learner's names from ``namespace``."""
    return practice_check("de_orders", only_de, right="Only amazon.de is left.", namespace=namespace)


def test_the_placeholder_is_not_attempted():
    feedback = check({"de_orders": ...})
    assert feedback.state is State.NOT_ATTEMPTED
    assert "replace the `...` after `de_orders =`" in feedback.result.message


def test_a_name_never_assigned_says_run_the_cell_above():
    feedback = check({})
    assert feedback.state is State.NOT_ATTEMPTED and "Run the practice cell above" in feedback.result.message


def test_a_wrong_value_says_why():
    feedback = check({"de_orders": ORDERS})
    assert feedback.state is State.WRONG
    assert "holds 1 marketplaces it should not: 'amazon.es'" in feedback.result.message
    condition = ORDERS["marketplace"] == "amazon.de"
    feedback = check({"de_orders": condition})
    assert feedback.state is State.WRONG and "should be a pandas DataFrame" in feedback.result.message
    assert "Filtering a table gives a table." in feedback.result.message


def test_an_error_inside_the_check_is_feedback_not_a_traceback():
    feedback = check({"de_orders": ORDERS.drop(columns="marketplace")})
    assert feedback.state is State.WRONG and "stopped with KeyError" in feedback.result.message


def test_the_right_value_is_right_and_shows_as_the_drills_feedback_box():
    feedback = check({"de_orders": ORDERS[ORDERS["marketplace"] == "amazon.de"]})
    assert feedback.state is State.RIGHT and "Only amazon.de is left." in feedback.result.message
    box = BeautifulSoup(feedback._repr_html_(), "html.parser")
    assert box.select_one(".borderdesk-right") and box.select_one("[data-state=right]")
    assert repr(feedback).startswith("right: ")


def test_by_default_the_name_is_read_from_the_callers_globals():
    globals()["de_orders"] = ...
    try:
        assert practice_check("de_orders", only_de, right="").state is State.NOT_ATTEMPTED
        globals()["de_orders"] = ORDERS.head(1)
        assert practice_check("de_orders", only_de, right="").state is State.RIGHT
    finally:
        del globals()["de_orders"]
