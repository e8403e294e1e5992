"""Jupyter server extension: a saved drill says "Run this cell to start the drill".

A drill is an ipywidgets widget. Its output in the notebook is only a reference to a
widget model that lives in the running kernel. After a kernel restart, or when the
lesson is opened again another day, that model is gone and JupyterLab shows
"Error displaying widget: model not found" in every drill.

So, when a notebook is saved, this extension replaces each widget output in the file
with a short note (HTML, and plain text for other viewers) that tells the learner to
run the cell. The notebook open in the browser keeps its live widgets: the server
changes only what is written to disk. Saved widget state (JupyterLab's "Save Widget
State Automatically") is dropped too, since it would show frozen copies of the drills
that do not react. Why on save and not in the browser: the file itself then says what
to do, in JupyterLab, in the classic notebook, on GitHub and in nbviewer, and the course
stays free of a compiled JupyterLab extension for it.

Enabled by the package's ``jupyter_server_config.d/borderdesk.json``, or by hand::

    jupyter server extension enable --sys-prefix borderdesk.saved_widgets
"""

from __future__ import annotations

from typing import Any

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
MESSAGE = "Run this cell to start the drill."
NOTE_HTML = (
    '<div class="borderdesk-run-to-start" style="padding: 0.6em 0.9em; border-left: 4px solid #1f5f99; '
    'background: #eef3f9; font-family: var(--jp-ui-font-family, sans-serif);">'
    "&#9654; <b>Run this cell to start the drill.</b> "
    "(Click in the cell and press <kbd>Shift</kbd>+<kbd>Enter</kbd>.)</div>"
)


def note_output() -> dict[str, Any]:
    """The output that stands in for a widget in a saved notebook."""
    return {
        "output_type": "display_data",
        "data": {"text/html": NOTE_HTML, "text/plain": MESSAGE},
        "metadata": {},
    }


def replace_widget_outputs(notebook: dict[str, Any]) -> int:
    """Replace every widget output of ``notebook`` (nbformat 4 JSON) by the run-this-cell note.

    Changes ``notebook`` in place and returns how many outputs were replaced. A cell
    keeps its other outputs (text a drill printed, figures); several widgets in one
    cell become one note.
    """
    replaced = 0
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        outputs, noted = [], False
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                replaced += 1
                if not noted:
                    outputs.append(note_output())
                    noted = True
            else:
                outputs.append(output)
        if noted:
            cell["outputs"] = outputs
    widgets = notebook.get("metadata", {}).get("widgets")
    if isinstance(widgets, dict) and WIDGET_STATE in widgets:
        del notebook["metadata"]["widgets"]
    return replaced


def pre_save_hook(model: dict[str, Any], **kwargs: Any) -> None:
    """jupyter_server's pre-save hook: applied to every notebook saved through the server."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        replace_widget_outputs(model["content"])


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "borderdesk.saved_widgets"}]


def _load_jupyter_server_extension(serverapp) -> None:
    manager = serverapp.contents_manager
    if pre_save_hook in getattr(manager, "_pre_save_hooks", []):
        return  # already registered (extension loaded twice)
    manager.register_pre_save_hook(pre_save_hook)
    serverapp.log.info("borderdesk: saved notebooks show 'Run this cell' instead of stale drill widgets")
