"""Run a notebook headless, as a learner's "Run All" would, in its own folder."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path, allow_errors: bool = False, timeout: int = 180) -> nbformat.NotebookNode:
    """Execute ``path`` in a fresh python3 kernel and return the executed notebook.

    Raises nbclient's CellExecutionError, naming the cell, unless ``allow_errors``.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return nb
