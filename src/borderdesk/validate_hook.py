"""Jupyter server extension: a fast Validate with one line per question, recorded in the learner's progress.

nbgrader's Validate (0.9.x) starts a new kernel, runs the notebook and lists every failing
test cell's source and traceback: 6-13 s, and on an untouched assignment about 20,000
characters. This extension keeps nbgrader's verdict and changes three things:

* **Speed.** The kernel comes from a warm process (``borderdesk.warm_kernel``) that imported
  what the course's assignments import, and validated the course data, once per server.
  It starts when the learner opens an assignment (``POST /borderdesk/validate/warm``, sent by
  the learner extension; ``GET`` says whether it is ready) and stops when unused for a while.
  nbgrader's handler builds its ``Validator`` from a module global; we point that name at
  ``FastValidator``, which differs only in its kernel manager. So nbgrader's own button and
  ours both get the warm kernel, with nbgrader's checks, config and error messages.
* **A summary first.** ``POST /borderdesk/validate`` (same body as nbgrader's
  ``/assignments/validate``) answers nbgrader's result plus ``summary``: "3 of 8 questions
  pass" and per question: not attempted / the first failing message / passed, the points,
  and the traceback to fold away. The learner extension
  (``labextensions/borderdesk-learner``) shows it behind its own Validate button.
* **Progress.** Each Validate is recorded with :func:`borderdesk.progress.record_validation`
  (nbgrader offers no hook; we wrap the handler's ``validate_notebook``). Recording never
  raises, so Validate behaves as before if the store is broken.

Enabled by the package's ``jupyter_server_config.d/borderdesk.json``, or by hand::

    jupyter server extension enable --sys-prefix borderdesk.validate_hook
"""

from __future__ import annotations

import functools
import json
import re
import threading
from pathlib import Path

ENDPOINT = "/borderdesk/validate"
# Imported by the warm process even when no exercise notebook is found (a hub home before the first fetch).
COMMON_MODULES = ["numpy", "pandas", "matplotlib.pyplot", "holidays", "borderdesk.checks", "borderdesk.datasets"]
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_executed = threading.local()  # the notebook FastValidator last ran on this thread (for the summary)


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "borderdesk.validate_hook"}]


# ------------------------------------------------------------------ the summary
def summary(executed, outcome: dict) -> dict:
    """One line for the notebook and one per question, from the executed notebook and nbgrader's result.

    ``executed`` is the notebook as nbgrader's Validate ran it (None when nbgrader stopped
    before running it, e.g. a cell's type changed). Pass or fail per question is nbgrader's
    own grade of the cell (``determine_grade``), so this never disagrees with nbgrader's
    verdict; the words come from ``borderdesk.grading.questions``.
    """
    from nbgrader.utils import determine_grade

    from .grading import questions as q

    value = outcome.get("value")
    if not outcome.get("success") or not isinstance(value, dict):
        return {"line": "Validate could not run this notebook", "problem": _plain(str(value)), "questions": []}
    problem = ""
    if value.get("type_changed"):
        problem = (
            f"{len(value['type_changed'])} cell(s) changed type (code or text). "
            "Undo that change (Edit > Undo, or copy your answer to a new copy of the assignment)."
        )
    elif value.get("changed"):
        problem = (
            f"{len(value['changed'])} test cell(s) were edited. Grading uses the original tests, "
            "so these results may not hold: undo your edits in the test cells."
        )
    if executed is None:
        return {"line": "Validate could not check the questions", "problem": problem, "questions": []}
    graded = (c for c in executed.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade"))
    cells = {c.metadata.nbgrader.grade_id: c for c in graded}
    lines = []
    for status in q.statuses(executed):
        question, cell = status.question, cells[status.question.grade_id]
        score, points = determine_grade(cell)
        state, message = status.state, status.message
        if question.kind == q.AUTOGRADED and score is not None and score < points and state == q.PASSED:
            state, message = q.FAILED, _not_full_marks(cell, score, points)
        elif question.kind == q.WRITTEN_ANSWER:
            state = q.NOT_ATTEMPTED if score == 0 else q.WRITTEN  # unchanged since release: nbgrader fails it
        lines.append(
            {
                "title": question.title,
                "grade_id": question.grade_id,
                "kind": question.kind,
                "points": question.points,
                "state": state,
                "message": _shortened(_plain(message).strip()),
                "traceback": _traceback(cell) if state in (q.FAILED, q.NOT_ATTEMPTED) else "",
            }
        )
    tested = [line for line in lines if line["kind"] == q.AUTOGRADED]
    passed = sum(line["state"] == q.PASSED for line in tested)
    line = f"{passed} of {len(tested)} question{'s' if len(tested) != 1 else ''} pass"
    return {"line": line, "problem": problem, "questions": lines}


def _plain(text: str) -> str:
    return _ANSI.sub("", text)


def _shortened(message: str, limit: int = 600) -> str:
    """A message the line can show (a long one, e.g. a whole table, is in the folded traceback)."""
    return message if len(message) <= limit else message[: limit - 1].rstrip() + "…"


def _not_full_marks(cell, score: float, points: float) -> str:
    """Why nbgrader gave a test cell without an error less than its points: it wrote to stderr, or
    its last line's value gave partial credit."""
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stderr")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first:
        return f"The test wrote a warning or error, which nbgrader counts as a failure: {first}"
    return f"Partial credit: {score:g} of {points:g} points"


def _traceback(cell) -> str:
    """What the test cell printed as errors (tracebacks, stderr), in plain text."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            parts.append("\n".join(output.get("traceback", [])))
        elif output.get("name") == "stderr":
            parts.append(output.get("text", ""))
    return _plain("\n".join(parts)).strip() or "(no traceback: this answer has not been written yet)"


# ------------------------------------------------------------------ nbgrader's Validator, warm
def _fast_validator():
    """nbgrader's ``Validator`` whose kernel comes from the warm process (built on first use:
    nbgrader is a slow import, and only a server with nbgrader's Validate needs it)."""
    from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, Execute
    from nbgrader.validator import Validator
    from traitlets import List

    from .warm_kernel import WarmKernelManager

    class WarmExecute(Execute):
        """nbgrader's Execute (config, timeouts, error recording) with a forked kernel."""

        def __init__(self, *args, **kwargs):
            kwargs["kernel_manager_class"] = WarmKernelManager
            super().__init__(*args, **kwargs)

    class FastValidator(Validator):
        preprocessors = List([CheckCellMetadata, ClearOutput, WarmExecute])

        def _preprocess(self, nb):
            nb = super()._preprocess(nb)
            _executed.nb = nb
            return nb

    return FastValidator


def notebook_modules(root: Path) -> list[str]:
    """What the warm process imports: the course's common modules and what its exercises import."""
    from .grading.grade import imported_modules

    found = sorted(root.glob("exercises/*/*.ipynb")) if root else []
    return sorted({*COMMON_MODULES, *imported_modules(found)} - {"__future__"})


def _course_root() -> Path | None:
    from .paths import course_root

    try:
        return course_root()
    except Exception:  # a server outside any course: the common modules only
        return None


# ------------------------------------------------------------------ the server extension
def _load_jupyter_server_extension(serverapp) -> None:
    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import url_path_join
    from nbgrader.server_extensions.validate_assignment import handlers
    from tornado import web

    from . import progress
    from .warm_kernel import WarmProcess, WarmProvisioner

    original = handlers.ValidateAssignmentHandler.validate_notebook
    if getattr(original, "_borderdesk_records", False):
        return  # already loaded (extension enabled twice)

    @functools.wraps(original)
    def validate_notebook(self, path):
        _executed.nb = None
        outcome = original(self, path)
        progress.record_validation(Path(self.root_dir) / path, outcome)
        return outcome

    validate_notebook._borderdesk_records = True
    handlers.ValidateAssignmentHandler.validate_notebook = validate_notebook
    handlers.Validator = _fast_validator()  # nbgrader's handler builds its Validator from this name

    class SummaryHandler(handlers.ValidateAssignmentHandler):
        """nbgrader's Validate, answered with a per-question summary beside nbgrader's result."""

        @web.authenticated
        def post(self):
            try:
                path = self.get_argument("path")
            except web.MissingArgumentError:
                path = (self.get_json_body() or {}).get("path", "")
            outcome = self.validate_notebook(path)
            outcome["summary"] = summary(getattr(_executed, "nb", None), outcome)
            self.finish(json.dumps(outcome))

    class WarmHandler(JupyterHandler):
        """POST: start the warm process (the learner opened an assignment); GET: is it ready?"""

        @web.authenticated
        def post(self):
            WarmProvisioner.warm.start()
            self.finish(json.dumps({"ready": WarmProvisioner.warm.ready()}))

        @web.authenticated
        def get(self):
            self.finish(json.dumps({"ready": WarmProvisioner.warm.ready()}))

    webapp = serverapp.web_app
    webapp.settings.setdefault("root_dir", serverapp.root_dir)  # nbgrader's extension sets it too
    base = webapp.settings["base_url"]
    webapp.add_handlers(
        ".*$", [(url_path_join(base, ENDPOINT), SummaryHandler), (url_path_join(base, ENDPOINT, "warm"), WarmHandler)]
    )

    modules = notebook_modules(_course_root())
    WarmProvisioner.warm = WarmProcess(modules)  # started when an assignment is opened, or by the first Validate
    serverapp.log.info(
        "borderdesk: recording nbgrader Validate results in %s; Validate forks its kernels from a warm process (%s)",
        progress.store_path(),
        ", ".join(modules),
    )
