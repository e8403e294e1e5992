"""Jupyter server extension: record each press of nbgrader's *Validate* in the learner's progress.

Why a wrapper: nbgrader (0.9.x) offers no hook. The Validate button POSTs to
``/assignments/validate``; nbgrader's handler builds a ``Validator`` and returns its
result. ``Validator.preprocessors`` is not configurable, and nbgrader's ``Execute``
defines ``on_cell_executed`` as a method, which shadows nbclient's configurable hook of
that name. So this extension wraps the handler's ``validate_notebook`` (the one method
that sees both the notebook path and the result) and records the result with
:func:`borderdesk.progress.record_validation`. Recording never raises, so Validate
behaves exactly as before.

Enabled by the package's ``jupyter_server_config.d/borderdesk.json``, or by hand::

    jupyter server extension enable --sys-prefix borderdesk.validate_hook
"""

from __future__ import annotations

import functools
from pathlib import Path


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "borderdesk.validate_hook"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from nbgrader.server_extensions.validate_assignment.handlers import ValidateAssignmentHandler

    from . import progress

    original = ValidateAssignmentHandler.validate_notebook
    if getattr(original, "_borderdesk_records", False):
        return  # already wrapped (extension loaded twice)

    @functools.wraps(original)
    def validate_notebook(self, path):
        outcome = original(self, path)
        progress.record_validation(Path(self.root_dir) / path, outcome)
        return outcome

    validate_notebook._borderdesk_records = True
    ValidateAssignmentHandler.validate_notebook = validate_notebook
    serverapp.log.info("borderdesk: recording nbgrader Validate results in %s", progress.store_path())
