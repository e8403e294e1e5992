"""The drill engine: short self-check questions with instant feedback.

Content lives in ``course/drills/<chapter>.yaml``: the format is described in
:mod:`borderdesk.drills.loader`, the answer formats of ``check`` in
:mod:`borderdesk.drills.model`. In a notebook::

    from borderdesk.drills import show, show_all
    show("01_platform_rules", "odr-defects")   # one drill
    show_all("01_platform_rules")              # every drill of the chapter

Without a browser::

    from borderdesk.drills import load_chapter
    drill = load_chapter("01_platform_rules")[0]
    drill.check(drill.solution()).state        # State.RIGHT
    drill.hint()                               # "**Hint 1 of 3:** ..."

``python -m borderdesk.drills`` validates every drill file; ``--schema`` regenerates
``course/drills/drills.schema.json``, the JSON Schema of the format, from the models.
"""

from .loader import (
    DrillError,
    DrillNotFound,
    DrillValidationError,
    available_chapters,
    get_drill,
    load_chapter,
    load_file,
)
from .model import (
    CategoriseDrill,
    ChoiceDrill,
    Drill,
    OrderDrill,
    ReplyDrill,
    Result,
    State,
    TextDrill,
)
from .view import ChapterView, DrillView, chapter_view, drill_view, show, show_all

__all__ = [
    "CategoriseDrill",
    "ChapterView",
    "ChoiceDrill",
    "Drill",
    "DrillError",
    "DrillNotFound",
    "DrillValidationError",
    "DrillView",
    "OrderDrill",
    "ReplyDrill",
    "Result",
    "State",
    "TextDrill",
    "available_chapters",
    "chapter_view",
    "drill_view",
    "get_drill",
    "load_chapter",
    "load_file",
    "show",
    "show_all",
]
