"""Practice cells in a lesson: the learner fills in a value, a check cell says at once how it went.

A practice cell holds a name and the placeholder ``...``; the learner replaces the ``...``
with code. The (hidden) check cell below it runs a test written with
:mod:`borderdesk.checks` and shows the drills' feedback box: *Not attempted* while the
placeholder is there, *Not yet* with the check's message, or *Right*::

    # practice cell (the learner edits it)
    de_orders = ...

    # check cell (code hidden)
    from borderdesk.checks import check_set, check_type
    from borderdesk.practice import practice_check

    def test(value):
        check_type(value, pd.DataFrame, "de_orders")
        check_set(value["marketplace"], ["amazon.de"], "the marketplaces in `de_orders`")

    practice_check("de_orders", test, right="Every row left is an amazon.de order.")

Unlike an assignment's test cell, a check cell never raises: a lesson runs top to bottom
headless, and a learner's mistake is feedback, not a traceback. Nothing is graded or recorded.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .drills.model import Result, State

_MISSING = object()


@dataclass(frozen=True)
class Feedback:
    """The outcome of a practice check; a notebook shows it as the drills' feedback box."""

    result: Result

    @property
    def state(self) -> State:
        return self.result.state

    def _repr_html_(self) -> str:
        from .drills.view import feedback_html

        return feedback_html(self.result)

    def __repr__(self) -> str:  # plain-text viewers and headless runs
        return f"{self.result.state.value}: {self.result.message}"


def practice_check(name: str, test: Callable[[Any], object], *, right: str, namespace: dict | None = None) -> Feedback:
    """Check the learner's variable ``name`` with ``test`` and say how it went.

    ``test`` raises ``AssertionError`` with a message (the checks of :mod:`borderdesk.checks`
    do) when the value is wrong. ``right`` is what a right answer adds. ``namespace`` is where
    ``name`` lives; by default the caller's globals, which in a notebook are the learner's.
    """
    scope = namespace if namespace is not None else sys._getframe(1).f_globals
    value = scope.get(name, _MISSING)
    if value is _MISSING:
        return Feedback(
            Result(
                State.NOT_ATTEMPTED,
                f"There is no `{name}` yet. Run the practice cell above (Shift + Enter), then this one.",
            )
        )
    if value is Ellipsis:
        return Feedback(
            Result(
                State.NOT_ATTEMPTED,
                f"Not attempted yet: replace the `...` after `{name} =` with your code, run that cell, "
                "then run this one. If your cell showed an error, read its last line, fix it and run it again.",
            )
        )
    try:
        test(value)
    except AssertionError as err:
        return Feedback(Result(State.WRONG, f"**Not yet.** {err}"))
    except Exception as err:  # noqa: BLE001 - a learner's value must give feedback, never a traceback
        return Feedback(
            Result(
                State.WRONG,
                f"**Not yet.** Checking `{name}` stopped with {type(err).__name__}: {err}. "
                f"Is `{name}` the kind of value the task asks for?",
            )
        )
    return Feedback(Result(State.RIGHT, f"**Right.** {right}"))
