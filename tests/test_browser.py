"""A learner in a real browser: drills in the lesson, Validate on the assignment, the hub login.

Playwright drives Debian's Chromium (tests/browser.py says how, and why each measure
that keeps the runs deterministic is there). Screenshots of every step go to
test-artifacts/browser/<test>/; the last one shows where a failing test stopped.
"""

from __future__ import annotations

import os
import re
import shutil

import mistune
import nbformat
import pytest
import yaml
from browser import (
    ARTIFACTS,
    SLOW,
    STEP,
    Steps,
    code_cell,
    jupyter_lab,
    launch_chromium,
    notebook_panel,
    open_notebook,
    replace_cell_source,
    run_all_cells,
    wait_kernel_idle,
)
from bs4 import BeautifulSoup
from conftest import REPO, copy_course
from playwright.sync_api import Locator, Page, expect, sync_playwright
from prereqs import require_program

from borderdesk.chapters import chapter

CHAPTER = "01_platform_rules"
ASSIGNMENT = f"exercises/{CHAPTER}/{CHAPTER}.ipynb"
SOLUTION = REPO / "solutions" / CHAPTER / f"{CHAPTER}.ipynb"
DRILL = "cancel-rate-buyer"  # a single-choice drill with a specific message per wrong option
LESSON = next(
    p for p in chapter(CHAPTER).lesson if DRILL in (REPO / p).read_text(encoding="utf-8")
)  # the part showing DRILL
ANSWERED = "precision_recall"  # the assignment question the learner answers
# ... and one answered wrongly: every inquiry flagged (the test says which step is wrong)
WRONG_ANSWER = ("flag_suspicious", "def flag_suspicious(inquiries):\n    return pd.Series(True, index=inquiries.index)")


# ---------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    executable = require_program("chromium")
    home = tmp_path_factory.mktemp("chromium-home")
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, executable, home)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a throwaway copy of the course, so running notebooks never writes to the repo."""
    base = tmp_path_factory.mktemp("lab")
    root = copy_course(base / "course", "course", "exercises", "data")
    # The root config is what JupyterLab's Validate reads (from the server's folder).
    shutil.copy(REPO / "nbgrader_config.py", root)
    try:
        with jupyter_lab(root, base / "home", base / "jupyterlab.log") as server:
            yield server
    finally:
        # Kept for reading after a failure (pytest's tmp folders rotate away); one per xdist worker.
        if (base / "jupyterlab.log").exists():
            worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(base / "jupyterlab.log", ARTIFACTS / f"jupyterlab-{worker}.log")


@pytest.fixture(scope="module")
def released(hub):  # noqa: F811 (the fixture imported above)
    """The hub, after the instructor released assignment 01 through the formgrader service."""
    hub.release(CHAPTER)
    yield hub
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(hub.log, ARTIFACTS / "jupyterhub.log")  # pytest's tmp folders rotate away


@pytest.fixture
def steps(request):
    return Steps(request.node.name)


@pytest.fixture
def page(browser, steps):
    """A new browser context (a fresh profile: no cookies, no storage) per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP)
    page = context.new_page()
    yield page
    steps.shot(page, "end")  # after a failure: the state the test stopped in
    context.close()


# ---------------------------------------------------------------------------- helpers
def drill_yaml(drill_id: str) -> dict:
    """The drill as written in course/drills/ (expected texts come from here, not from code)."""
    content = yaml.safe_load((REPO / "course" / "drills" / f"{CHAPTER}.yaml").read_text())
    return next(d for d in content["drills"] if d["id"] == drill_id)


def visible_text(markdown: str) -> str:
    """What a reader sees of ``markdown``: its text, whitespace collapsed."""
    return " ".join(BeautifulSoup(mistune.html(markdown), "html.parser").get_text().split())


def drill_widget(page: Page, drill_id: str) -> Locator:
    """The drill's box in the notebook (its title carries the drill's id)."""
    title = page.locator(f'.borderdesk-drill-title[data-drill-id="{drill_id}"]')
    widget = page.locator(".widget-vbox").filter(has=title)
    expect(widget).to_have_count(1)
    return widget


def solution_source(grade_id: str) -> str:
    """The answer cell ``grade_id`` of the solution notebook, without nbgrader's markers."""
    cell = next(
        c
        for c in nbformat.read(SOLUTION, as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    )
    return "\n".join(
        line for line in cell.source.splitlines() if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
    )


# ---------------------------------------------------------------------------- tests
def test_lesson_drill_gives_specific_feedback_then_accepts_the_right_answer(page, steps, lab):
    drill = drill_yaml(DRILL)
    wrong = next(o for o in drill["options"] if not o.get("correct") and o.get("feedback"))
    right = next(o for o in drill["options"] if o.get("correct"))

    open_notebook(page, lab, LESSON)
    steps.shot(page, "lesson-opened")
    run_all_cells(page)
    steps.shot(page, "lesson-ran")

    widget = drill_widget(page, DRILL)
    cell = notebook_panel(page).locator(".jp-CodeCell").filter(has=widget)

    def shot(step: str, readme: str | None = None) -> None:
        # The drill's cell at the top (JupyterLab scrolls a clicked cell back to its
        # start), so the screenshot shows the whole drill and its feedback.
        cell.evaluate("cell => cell.scrollIntoView({block: 'start'})")
        steps.shot(page, step, readme=readme)

    feedback = widget.locator(".borderdesk-drill").filter(has=page.locator(".sr-state"))
    widget.get_by_role("radio", name=wrong["text"], exact=True).check()
    wait_kernel_idle(page)  # the kernel has the choice before the click (one load saw the old one)
    widget.get_by_role("button", name="Check").click()
    expect(feedback.locator(".sr-state")).to_have_attribute("data-state", "wrong")
    expect(feedback).to_contain_text(visible_text(wrong["feedback"]))
    shot("wrong-answer-feedback")

    widget.get_by_role("button", name="Hint").click()
    hint = widget.locator(".borderdesk-hint")
    expect(hint).to_contain_text(f"Hint 1 of {len(drill['hints'])}:")
    expect(hint).to_contain_text(visible_text(drill["hints"][0]))
    expect(hint).not_to_contain_text(visible_text(drill["hints"][1]))  # hints come one at a time
    shot("first-hint", readme="drill-feedback")

    widget.get_by_role("radio", name=right["text"], exact=True).check()
    wait_kernel_idle(page)  # the kernel has the choice before the click (one load saw the old one)
    widget.get_by_role("button", name="Check").click()
    expect(feedback.locator(".sr-state")).to_have_attribute("data-state", "right")
    expect(feedback).to_contain_text("Right")
    expect(feedback).to_contain_text(visible_text(drill["explanation"]))
    shot("right-answer-accepted")


def test_long_drill_options_wrap_beside_their_buttons(page, steps, lab):
    """In a narrow window, long options wrap with every line beside the radio button or
    checkbox, nothing is cut off, and options do not overlap (ipywidgets' defaults did both)."""
    drills = ["country-rule", "dispute-evidence"]  # single choice and multiple choice
    source = "from borderdesk.drills import show\n" + "\n".join(f"show({CHAPTER!r}, {d!r})" for d in drills)
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}},
    )
    nbformat.write(notebook, lab.root / "course" / "wrapping.ipynb")
    page.set_viewport_size({"width": 820, "height": 900})
    open_notebook(page, lab, "course/wrapping.ipynb")
    run_all_cells(page)
    for drill_id in drills:
        widget = drill_widget(page, drill_id)
        widget.scroll_into_view_if_needed()
        options = widget.locator(".borderdesk-choice label:has(input)")
        expect(options).to_have_count(len(drill_yaml(drill_id)["options"]))
        boxes = options.evaluate_all("""labels => labels.map(label => {
            const box = label.getBoundingClientRect(), input = label.querySelector('input').getBoundingClientRect();
            const words = document.createRange();  // every line of the option's text, not the input
            words.selectNodeContents(label.querySelector('span') || [...label.childNodes].find(n => n.nodeType === 3));
            const text = words.getBoundingClientRect();
            return {text: label.textContent, top: box.top, bottom: box.bottom,
                    line: parseFloat(getComputedStyle(label).lineHeight),
                    inputTop: input.top - box.top, textLeft: text.left - input.right,
                    clipped: text.right > box.right + 1};
        })""")
        assert any(b["bottom"] - b["top"] > 1.5 * b["line"] for b in boxes), (
            f"no option of {drill_id} wraps: widen the test"
        )
        for above, below in zip(boxes, boxes[1:], strict=False):
            assert below["top"] >= above["bottom"] - 1, f"options overlap: {above['text']!r} / {below['text']!r}"
        for b in boxes:
            assert b["inputTop"] < b["line"], f"the button of {b['text']!r} is not on its first line"
            assert b["textLeft"] >= 0, f"a line of {b['text']!r} starts under its button, not beside it"
            assert not b["clipped"], f"{b['text']!r} is cut off"
        steps.shot(page, f"wrapped-{drill_id}", widget)


def validate_dialog(page: Page) -> Locator:
    """Press BorderDesk's Validate on the notebook in front; the results dialog."""
    button = notebook_panel(page).locator(".borderdesk-validate-button")
    expect(button).to_be_visible()
    button.get_by_text("Validate").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.locator(".jp-Dialog-header")).to_have_text("Validation results", timeout=SLOW)
    return dialog


def question_line(dialog: Locator, grade_id: str) -> Locator:
    return dialog.locator(f'.borderdesk-validate-question[data-grade-id="{grade_id}"]')


def test_validate_shows_one_line_per_question_then_passed_after_an_answer(page, steps, lab):
    exercise = nbformat.read(lab.root / ASSIGNMENT, as_version=4)
    graded = [c.metadata.nbgrader for c in exercise.cells if c.metadata.get("nbgrader", {}).get("grade")]
    tests = [m.grade_id for m in graded if not m.get("solution")]
    written = [m.grade_id for m in graded if m.get("solution")]

    panel = open_notebook(page, lab, ASSIGNMENT)
    expect(panel.locator(".validate-button")).to_be_hidden()  # nbgrader's button: ours replaces it
    # Opening the assignment started the server's warm process (nothing else starts it).
    warm = f"{lab.url}/borderdesk/validate/warm?token={lab.token}"
    page.wait_for_function(  # each poll asks the server and reads the answer of the poll before
        """(url) => {
            fetch(url).then((r) => r.json()).then((answer) => { window.borderdeskWarm = answer.ready; });
            return window.borderdeskWarm === true;
        }""",
        arg=warm,
        timeout=SLOW,
        polling=500,
    )
    dialog = validate_dialog(page)
    body = dialog.locator(".borderdesk-validate")
    # First the summary line, then one line per question, every one "not attempted".
    expect(body.locator("> *").first).to_have_text(f"0 of {len(tests)} questions pass")
    lines = body.locator(".borderdesk-validate-question")
    expect(lines).to_have_count(len(graded))
    for grade_id in tests + written:
        expect(question_line(dialog, grade_id)).to_have_attribute("data-state", "not attempted")
        expect(question_line(dialog, grade_id).locator(".borderdesk-validate-state")).to_have_text("not attempted")
    # Question titles, not grade ids; no traceback and no test source on show.
    expect(question_line(dialog, f"test_{ANSWERED}")).to_contain_text(f"{ANSWERED}(")
    text = body.inner_text()
    assert "Traceback" not in text and "check_type(" not in text, text
    assert len(text) < 150 * len(graded), f"{len(text)} characters: the summary is not short"
    steps.shot(page, "untouched-assignment")
    dialog.get_by_role("button", name="Ok").click()
    expect(dialog).to_have_count(0)

    # One question answered right, one wrong: passed, and the first failing message with its traceback folded.
    replace_cell_source(page, code_cell(page, f"def {ANSWERED}("), solution_source(ANSWERED))
    wrong = WRONG_ANSWER[0]
    replace_cell_source(page, code_cell(page, f"def {wrong}("), WRONG_ANSWER[1])
    dialog = validate_dialog(page)
    # The saved notebook holds the answers (Validate saves first, then runs the file).
    assert "raise NotImplementedError" not in _cell_source(lab.root / ASSIGNMENT, ANSWERED)
    expect(dialog.locator(".borderdesk-validate-line")).to_have_text(f"1 of {len(tests)} questions pass")
    expect(question_line(dialog, f"test_{ANSWERED}")).to_have_attribute("data-state", "passed")
    failing = question_line(dialog, f"test_{wrong}")
    expect(failing).to_have_attribute("data-state", "failed")
    expect(failing.locator(".borderdesk-validate-message")).to_contain_text("AssertionError")
    traceback = failing.locator("details pre")
    expect(traceback).to_be_hidden()  # folded
    expect(traceback).to_contain_text("Traceback")
    steps.shot(page, "validate-dialog", readme="validate")
    failing.locator("details summary").click()
    expect(traceback).to_be_visible()
    steps.shot(page, "traceback-unfolded")
    dialog.get_by_role("button", name="Ok").click()
    expect(dialog).to_have_count(0)
    # Neither the lesson's kernels nor the ones Validate started warned about plain-text TCP.
    assert "without encryption" not in lab.log.read_text()


def test_a_learner_sees_the_lesson_not_the_instructor_tools(page, steps, lab):
    """Nbgrader menu without Formgrader, Course List, Create Assignment; no /formgrader; no news
    pop-up; no Validate on a lesson; the drills' code hidden (only the drill shows)."""
    lesson = "course/00_start_here.ipynb"
    drill_cells = [
        c
        for c in nbformat.read(lab.root / lesson, as_version=4).cells
        if c.cell_type == "code" and c.source.lstrip().startswith("show(")
    ]
    panel = open_notebook(page, lab, lesson)
    expect(panel).to_have_class(re.compile(r"\bborderdesk-lesson\b"))  # BorderDesk's lab extension ran
    expect(panel.locator(".validate-button")).to_be_hidden()
    expect(panel.locator(".borderdesk-validate-button")).to_be_hidden()
    expect(page.get_by_text(re.compile("official Jupyter news"))).to_have_count(0)
    steps.shot(page, "lesson-opened")

    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    menu = page.locator(".lm-Menu").filter(has=page.get_by_role("menuitem", name="Assignment List"))
    expect(menu).to_be_visible()
    items = [t.strip() for t in menu.get_by_role("menuitem").all_inner_texts()]
    for tool in ("Formgrader", "Course List", "Create Assignment"):
        assert not [i for i in items if tool in i], f"{tool} is in the learner's Nbgrader menu: {items}"
    steps.shot(page, "nbgrader-menu")
    page.keyboard.press("Escape")
    assert page.request.get(f"{lab.url}/formgrader?token={lab.token}").status == 404

    # Drill cells show the drill, not the Python: their input is collapsed to a placeholder,
    # as is every other cell the lesson hides (plot styling, data loading).
    hidden_cells = [
        c
        for c in nbformat.read(lab.root / lesson, as_version=4).cells
        if c.cell_type == "code" and c.metadata.get("jupyter", {}).get("source_hidden")
    ]
    assert {c.id for c in drill_cells} <= {c.id for c in hidden_cells}, "a drill cell shows its code"
    run_all_cells(page)
    placeholders = panel.locator(".jp-CodeCell .jp-InputPlaceholder")
    expect(placeholders).to_have_count(len(hidden_cells))
    for cell in drill_cells:
        code = panel.locator(".cm-content").filter(has_text=cell.source.strip())
        assert not [i for i in range(code.count()) if code.nth(i).is_visible()], f"drill code shown: {cell.source}"
    expect(panel.locator(".borderdesk-drill-title")).to_have_count(len(drill_cells))
    panel.locator(".borderdesk-drill-title").first.scroll_into_view_if_needed()
    steps.shot(page, "drill-code-hidden")


def test_a_buyer_message_card_wraps_between_words(page, steps, lab):
    source = (
        "from borderdesk.datasets import load_inquiries, JOHN_TOM_ID\n"
        "from borderdesk.display import message_card\n\n"
        'john = load_inquiries().set_index("inquiry_id").loc[JOHN_TOM_ID]\n'
        'message_card(john["message"], {"From": john["sender_email"], "Subject": john["subject"]})'
    )
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}},
    )
    nbformat.write(notebook, lab.root / "course" / "message.ipynb")
    page.set_viewport_size({"width": 820, "height": 900})
    open_notebook(page, lab, "course/message.ipynb")
    run_all_cells(page)
    body = notebook_panel(page).locator(".borderdesk-message-body")
    expect(body).to_contain_text("Dear customer service")
    box = body.evaluate("""el => {
        const style = getComputedStyle(el);
        return {lines: el.getBoundingClientRect().height / parseFloat(style.lineHeight),
                font: style.fontFamily, wordBreak: style.wordBreak, whiteSpace: style.whiteSpace,
                overflow: el.scrollWidth - el.clientWidth};
    }""")
    assert box["lines"] >= 3, f"the message does not wrap: {box}"
    assert "monospace" not in box["font"] and box["wordBreak"] == "normal" and box["whiteSpace"] == "pre-wrap", box
    assert box["overflow"] <= 0, f"the message runs past the card: {box}"
    # Every line break falls between words: no line starts inside a word such as "e-mail".
    starts = body.evaluate("""el => {
        const text = el.firstChild, range = document.createRange(), starts = [];
        let top = null;
        for (let i = 0; i < text.length; i++) {
            range.setStart(text, i); range.setEnd(text, i + 1);
            const rect = range.getBoundingClientRect();
            if (rect.height && (top === null || rect.top > top + 2)) { starts.push(i); top = rect.top; }
        }
        return starts.map(i => text.data.slice(Math.max(0, i - 2), i));
    }""")
    assert len(starts) >= 3 and all(s == "" or s[-1] in " \n" for s in starts), starts
    header_lines = (
        notebook_panel(page)
        .locator(".borderdesk-message-header")
        .evaluate_all(
            "names => names.map(n => n.getBoundingClientRect().height / parseFloat(getComputedStyle(n).lineHeight))"
        )
    )
    assert len(header_lines) == 2 and all(lines < 1.5 for lines in header_lines), header_lines
    steps.shot(page, "message-card", notebook_panel(page).locator(".borderdesk-message"))


def test_a_reopened_lesson_says_run_this_cell_instead_of_a_widget_error(page, steps, lab):
    source = 'from borderdesk.drills import show\nshow("00_start_here", "course-workflow")'
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source)],  # code shown: run_all_cells waits on its prompt
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}},
    )
    path = lab.root / "course" / "reopened.ipynb"
    nbformat.write(notebook, path)
    open_notebook(page, lab, "course/reopened.ipynb")
    run_all_cells(page)
    panel = notebook_panel(page)
    expect(panel.locator(".borderdesk-drill-title")).to_have_count(1)
    page.keyboard.press("ControlOrMeta+s")
    expect(page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")).to_have_count(0)  # saved
    expect(panel.locator(".borderdesk-drill-title")).to_have_count(1)  # the live drill stays
    saved = nbformat.read(path, as_version=4).cells[0].outputs
    assert [o["data"]["text/plain"] for o in saved] == ["Run this cell to start the drill."], saved

    # Another day: the kernel is gone, the learner opens the lesson again.
    for kernel in page.request.get(f"{lab.url}/api/kernels?token={lab.token}").json():
        page.request.delete(f"{lab.url}/api/kernels/{kernel['id']}?token={lab.token}")
    open_notebook(page, lab, "course/reopened.ipynb")
    panel = notebook_panel(page)
    expect(panel.locator(".borderdesk-run-to-start")).to_contain_text("Run this cell to start the drill.")
    expect(panel.get_by_text(re.compile("Error displaying widget"))).to_have_count(0)
    steps.shot(page, "reopened-lesson")


def _cell_source(path, grade_id: str) -> str:
    return next(
        c.source
        for c in nbformat.read(path, as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    )


def test_learner_logs_in_to_the_hub_and_sees_assignment_01_released(page, steps, released):
    hub, learner = released, released.learners[0]
    page.goto(f"{hub.url}/hub/login")
    page.get_by_label("Username").fill(learner)
    page.get_by_label("Password").fill(hub.password)
    steps.shot(page, "hub-login-form")
    page.get_by_role("button", name="Sign in").click()

    # The hub starts the learner's server, then its spawn page hands over to JupyterLab.
    expect(page).to_have_url(re.compile(rf"/user/{learner}/lab"), timeout=SLOW)
    # Reload in a reset workspace: a restored one could hide the panel opened below.
    page.goto(f"{hub.url}/user/{learner}/lab?reset")
    expect(page.get_by_role("menuitem", name="Nbgrader", exact=True)).to_be_visible(timeout=SLOW)
    # Learners get neither the instructor tools nor JupyterLab's news (deploy/hub/jupyter/learner).
    disabled = page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).disabledExtensions"
    )
    for plugin in (
        "@jupyter/nbgrader:create-assignment",
        "@jupyter/nbgrader:formgrader",
        "@jupyterlab/apputils-extension:announcements",
    ):
        assert plugin in disabled, f"{plugin} is enabled for learners: {disabled}"
    steps.shot(page, "jupyterlab-on-the-hub")

    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    page.get_by_role("menuitem", name="Assignment List").click()
    released_list = page.locator("#released_assignments_list")
    row = released_list.locator(".list_item").filter(has_text=CHAPTER)
    expect(row).to_have_count(1, timeout=SLOW)
    expect(row.get_by_role("button", name="Fetch")).to_be_visible()
    steps.shot(page, "assignment-list")
