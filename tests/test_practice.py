"""Practice cells of a lesson: not attempted, not yet (with the check's reason), right; never a traceback."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from nbclient import NotebookClient

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


# ------------------------------------------------------------------ the warm-up's practice cells, run three ways
WARMUP = REPO / "course" / "00_start_here" / "2_python_warmup.ipynb"
# For each practice cell of the warm-up: a right answer and a known-wrong one, as a learner would type them.
ANSWERS = {
    "carriers": ('carriers = orders["carrier"]', 'carriers = orders["marketplace"]'),
    "uk_orders": (
        'uk_orders = orders[orders["marketplace"] == "amazon.co.uk"]',
        'uk_orders = orders["marketplace"] == "amazon.co.uk"',
    ),
    "yun_de": ('yun_de = (de["carrier"] == "YunExpress").sum()', 'yun_de = (orders["carrier"] == "YunExpress").sum()'),
    "max_total": (
        'max_total = orders.groupby("marketplace")["order_total"].max()',
        'max_total = orders.groupby("marketplace")["order_total"].median()',
    ),
    "median_days": (
        'median_days = orders.groupby("marketplace")["days_in_transit"].median()',
        'median_days = orders["days_in_transit"].median()',
    ),
}


def practice_name(cell) -> str | None:
    """The variable a practice cell asks for (its `name = ...` line), or None for other cells."""
    if cell.cell_type != "code" or not cell.source.startswith("# Practice"):
        return None
    return next(line.split(" =")[0] for line in cell.source.splitlines() if line.endswith(" = ..."))


def run_warmup(answer: int | None) -> dict[str, str]:
    """Execute the warm-up with every practice cell answered (0: right, 1: wrong, None: left as it is);
    the state each check cell reports, by practice name."""
    nb = nbformat.read(WARMUP, as_version=4)
    names = [name for cell in nb.cells if (name := practice_name(cell))]
    assert sorted(names) == sorted(ANSWERS), f"practice cells {names}: give each a right and a wrong answer here"
    for cell in nb.cells:
        if (name := practice_name(cell)) and answer is not None:
            cell.source = ANSWERS[name][answer]
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(WARMUP.parent)}}).execute()
    states = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and "practice_check(" in cell.source:
            (shown,) = [o for o in cell.outputs if o.output_type == "execute_result"]
            checked = re.search(r'practice_check\("(\w+)"', cell.source).group(1)
            states[checked] = BeautifulSoup(shown.data["text/html"], "html.parser").select_one(".sr-state")[
                "data-state"
            ]
    return states


@pytest.mark.parametrize(("answer", "state"), [(None, "not_attempted"), (1, "wrong"), (0, "right")])
def test_every_practice_cell_of_the_warmup_says_not_attempted_wrong_or_right(answer, state):
    assert run_warmup(answer) == dict.fromkeys(ANSWERS, state)
