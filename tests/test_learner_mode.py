"""Learner mode without a browser: the lessons (drill code hidden, links that work), message
cards, saved drills that say "Run this cell", and one learner config shared by
`borderdesk lab` and the hubs. The browser side is in test_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import mistune
import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from borderdesk.chapters import ready_chapters
from borderdesk.display import message_card
from borderdesk.saved_widgets import MESSAGE, WIDGET_STATE, WIDGET_VIEW, pre_save_hook, replace_widget_outputs

LESSONS = [lesson for chapter in ready_chapters(REPO) for lesson in chapter.lesson]
DRILL_CALL = re.compile(r"^\s*show(_all)?\(", re.MULTILINE)
# Folders and files of the course a learner may be pointed to from a lesson.
COURSE_PATH = re.compile(r"^(\.\./)?(course|exercises|solutions|data|docs)/[^\s<>*]*$|^[\w.-]+\.ipynb$")


def lesson_cells(lesson: str, cell_type: str):
    return [c for c in nbformat.read(REPO / lesson, as_version=4).cells if c.cell_type == cell_type]


def markdown_html(source: str) -> BeautifulSoup:
    return BeautifulSoup(mistune.html(source), "html.parser")


# ------------------------------------------------------------------------ lessons
def test_there_are_lessons_to_check():
    assert "course/00_start_here.ipynb" in LESSONS and "course/01_platform_rules/1_account_health.ipynb" in LESSONS


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_drill_cell_hides_its_code(lesson):
    drills = [c for c in lesson_cells(lesson, "code") if DRILL_CALL.search(c.source)]
    assert drills, f"{lesson} has no drill cell (show(...)): is the pattern out of date?"
    shown = [c.source for c in drills if not c.metadata.get("jupyter", {}).get("source_hidden")]
    assert not shown, (
        f"{lesson}: drill cells whose code a learner sees; add "
        f'"jupyter": {{"source_hidden": true}} to their metadata (View > Collapse Selected Code):\n' + "\n".join(shown)
    )


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_link_of_a_lesson_opens_something(lesson):
    folder = (REPO / lesson).parent
    broken = []
    for cell in lesson_cells(lesson, "markdown"):
        for link in markdown_html(cell.source).find_all("a"):
            target = urlsplit(link.get("href", ""))
            if target.scheme or not target.path:  # web links, and anchors in the same notebook
                continue
            if not (folder / unquote(target.path)).exists():
                broken.append(link["href"])
    assert not broken, f"{lesson}: links to files that do not exist (relative to {folder.name}/): {broken}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_course_paths_are_links_not_code(lesson):
    """A path in backticks is text to copy; where the file exists in the course it should be a link."""
    folder = (REPO / lesson).parent
    unlinked = []
    for cell in lesson_cells(lesson, "markdown"):
        for code in markdown_html(cell.source).find_all("code"):
            if code.find_parent("a") or code.find_parent("pre"):
                continue
            text = code.get_text()
            if COURSE_PATH.match(text) and any((base / text).exists() for base in (folder, REPO)):
                unlinked.append(text)
    assert not unlinked, f"{lesson}: make these Markdown links, e.g. [`exercises/`](../exercises/): {unlinked}"


def test_the_john_tom_message_is_a_message_card():
    sources = [c.source for c in lesson_cells("course/01_platform_rules/3_b2b_inquiries.ipynb", "code")]
    assert any("message_card(" in s and 'john["message"]' in s for s in sources)
    assert not any('print(john["message"])' in s for s in sources)


# ------------------------------------------------------------------------ message cards
def test_message_card_wraps_between_words_and_keeps_line_breaks():
    card = message_card("Dear seller,\nplease e-mail me the price list.", {"From": "a@b.example"})
    html = BeautifulSoup(card._repr_html_(), "html.parser")
    body = html.select_one(".borderdesk-message-body")
    assert "white-space: pre-wrap" in body["style"] and "word-break: normal" in body["style"]
    assert "monospace" not in card._repr_html_()
    assert body.get_text() == "Dear seller,\nplease e-mail me the price list."
    assert [h.get_text() for h in html.select(".borderdesk-message-header")] == ["From"]


def test_message_card_escapes_what_the_message_contains():
    card = message_card('<a href="http://evil.example">sign in</a> & <script>x()</script>', {"Subject": "<b>hi</b>"})
    html = card._repr_html_()
    assert "<script>" not in html and "<a href" not in html and "<b>hi</b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html and "&lt;b&gt;hi&lt;/b&gt;" in html


def test_message_card_plain_text_and_missing_values():
    card = message_card("Hello", {"From": "x@y.example", "Company": None, "Website": float("nan")})
    assert str(card) == "From:    x@y.example\nCompany: (none)\nWebsite: (none)\n\nHello"
    assert str(message_card("Only a body")) == "Only a body"
    with pytest.raises(TypeError, match="as a str"):
        message_card(None)


# ------------------------------------------------------------------------ saved drills
def widget_output(model_id: str) -> dict:
    return nbformat.v4.new_output(
        "display_data", data={WIDGET_VIEW: {"model_id": model_id, "version_major": 2}, "text/plain": "VBox(...)"}
    )


def test_saving_replaces_widget_outputs_by_the_run_this_cell_note():
    stream = nbformat.v4.new_output("stream", name="stdout", text="kept\n")
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell('show("01_platform_rules", "odr-defects")', outputs=[widget_output("a")]),
            nbformat.v4.new_code_cell("print('kept')", outputs=[stream]),
            nbformat.v4.new_code_cell("two()", outputs=[widget_output("b"), stream, widget_output("c")]),
        ],
        metadata={"widgets": {WIDGET_STATE: {"state": {}, "version_major": 2}}},
    )
    model = {"type": "notebook", "content": json.loads(nbformat.writes(notebook))}
    pre_save_hook(model, path="course/x.ipynb", contents_manager=None)
    saved = nbformat.reads(json.dumps(model["content"]), as_version=4)  # as the file on disk
    nbformat.validate(saved)
    first, plain, two = (c.outputs for c in saved.cells)
    assert [o["data"]["text/plain"] for o in first] == [MESSAGE]
    assert "Run this cell to start the drill" in first[0]["data"]["text/html"]
    assert plain == [stream]
    assert [o.get("data", {}).get("text/plain", o.get("text")) for o in two] == [MESSAGE, "kept\n"]
    assert "widgets" not in saved.metadata  # frozen copies of drills would not react
    assert replace_widget_outputs(model["content"]) == 0  # saving again changes nothing


def test_pre_save_hook_leaves_other_files_alone():
    model = {"type": "file", "content": "text"}
    pre_save_hook(model, path="notes.txt")
    assert model == {"type": "file", "content": "text"}


def test_saved_widgets_runs_in_a_real_server_save(tmp_path):
    """Through jupyter_server's own contents manager, as JupyterLab's save does."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    from borderdesk import saved_widgets

    class FakeServer:
        contents_manager = FileContentsManager(root_dir=str(tmp_path))
        log = __import__("logging").getLogger("test")

    saved_widgets._load_jupyter_server_extension(FakeServer)
    saved_widgets._load_jupyter_server_extension(FakeServer)  # twice: registered once
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("show()", outputs=[widget_output("a")])])
    FakeServer.contents_manager.save(
        {"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(notebook))}, "lesson.ipynb"
    )
    written = nbformat.read(tmp_path / "lesson.ipynb", as_version=4)
    assert written.cells[0].outputs[0]["data"]["text/plain"] == MESSAGE
    assert FakeServer.contents_manager._pre_save_hooks.count(saved_widgets.pre_save_hook) == 1


# ------------------------------------------------------------------------ one learner config
CONFIG = REPO / "jupyter-config"


def test_learner_config_hides_the_instructor_tools():
    page = json.loads((CONFIG / "learner" / "labconfig" / "page_config.json").read_text())
    assert {
        "@jupyter/nbgrader:formgrader",
        "@jupyter/nbgrader:create-assignment",
        "@jupyter/nbgrader:course-list",
        "@jupyterlab/apputils-extension:announcements",
    } <= set(page["disabledExtensions"])
    server = json.loads((CONFIG / "learner" / "jupyter_server_config.json").read_text())["ServerApp"]
    on = server["jpserver_extensions"]
    assert (
        on["nbgrader.server_extensions.formgrader"] is False and on["nbgrader.server_extensions.course_list"] is False
    )
    assert on["nbgrader.server_extensions.validate_assignment"] is True


def test_settings_turn_news_off_and_wrap_code_lines():
    overrides = json.loads((CONFIG / "labconfig" / "default_setting_overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert overrides["@jupyterlab/notebook-extension:tracker"]["codeCellConfig"]["lineWrap"] is True


def test_the_installed_file_enables_the_same_server_extensions_as_the_checkout():
    installed = REPO / "jupyter-config" / "jupyter_server_config.d" / "borderdesk.json"
    pyproject = (REPO / "pyproject.toml").read_text()
    assert str(installed.relative_to(REPO)) in pyproject  # shipped as a data file
    on = json.loads(installed.read_text())["ServerApp"]["jpserver_extensions"]
    assert on == {"borderdesk.validate_hook": True, "borderdesk.saved_widgets": True}


def test_the_lab_extension_ships_in_the_package():
    from borderdesk.lab import LABEXTENSIONS

    package = json.loads((LABEXTENSIONS / "borderdesk-learner" / "package.json").read_text())
    entry = LABEXTENSIONS / "borderdesk-learner" / package["jupyterlab"]["_build"]["load"]
    assert entry.is_file()
    assert 'window._JUPYTERLAB["borderdesk-learner"]' in entry.read_text()
    assert "labextensions/*/static/*.js" in (REPO / "pyproject.toml").read_text()


def test_hub_learners_use_the_same_config_folders():
    """The one-machine hub's learner servers read jupyter-config/learner and jupyter-config."""
    source = (REPO / "deploy" / "hub" / "jupyterhub_config.py").read_text()
    assert "LEARNER_CONFIG_PATH" in source
    learner_dir = REPO / "deploy" / "hub" / "jupyter" / "learner"
    assert not (learner_dir / "labconfig").exists(), "a second copy of the learner's lab config: use jupyter-config/"
    assert not Path(learner_dir / "jupyter_server_config.json").exists()
