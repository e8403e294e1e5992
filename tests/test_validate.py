"""BorderDesk's Validate (borderdesk.validate_hook, borderdesk.warm_kernel): nbgrader's verdict, a warm kernel, a summary.

The verdict must be nbgrader's own: every case below runs plain nbgrader's ``Validator`` and
ours on the same notebook and compares the whole result. The summary's lines must agree with
it, question by question. Each Validate must start clean: nothing of the last run survives.
The browser side (the button and the dialog) is in tests/test_browser.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from assignment_suite import (
    answer_cells,
    autograded_points,
    expectations,
    manual_cells,
    read,
    release_path,
    source_path,
    with_answer,
)
from conftest import REPO, copy_course
from submissions import MARKERS
from support import free_port

from borderdesk import validate_hook
from borderdesk.grading import questions as q
from borderdesk.warm_kernel import WarmKernelManager, WarmProcess, WarmProvisioner

ASSIGNMENTS = ["01_platform_rules", "02_language"]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course copy (exercises and data) with the root nbgrader config JupyterLab's Validate reads."""
    root = copy_course(tmp_path_factory.mktemp("validate") / "course", "exercises")
    (root / "data").symlink_to(REPO / "data", target_is_directory=True)
    (root / "nbgrader_config.py").write_text((REPO / "nbgrader_config.py").read_text())
    return root


@pytest.fixture(scope="module")
def warm(course, tmp_path_factory):
    """The warm process a server starts, importing what the course's exercises import."""
    process = WarmProcess(validate_hook.notebook_modules(course))
    WarmProvisioner.warm = process
    cache_home = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))  # its validated data, not in ~/.cache
    try:
        process.start()
    finally:
        if cache_home is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = cache_home
    deadline = time.monotonic() + 180
    while not process.ready():  # a Validate before that gets an ordinary kernel
        assert time.monotonic() < deadline, "the warm process did not get ready"
        time.sleep(0.2)
    assert process.cache and Path(process.cache, "datasets.txt").is_file()  # the course data, validated once
    yield process
    WarmProvisioner.warm = None
    process.close()


def config(root: Path):
    """The nbgrader config as nbgrader's Validate handler loads it (the server's folder first)."""
    from nbgrader.apps import NbGrader

    app = NbGrader()
    app.config_file_paths.append([str(root)])
    app.load_config_file()
    return app.config


def answers(assignment: str) -> dict[str, str]:
    """``{grade_id: the solution's answer}`` of every autograded answer cell."""
    source = read(source_path(assignment))
    found = {}
    for cell in source.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answer_cells(source):
            found[gid] = MARKERS.sub("", cell.source)
    return found


def submission(assignment: str, case: str):
    """A learner's notebook: ``blank`` (as released), ``partly`` (the first answer right, the
    second wrong with a visible message, the rest untouched) or ``right`` (every answer right,
    the written answers written)."""
    nb = read(release_path(assignment))
    right = answers(assignment)
    if case == "partly":
        first, second = list(right)[:2]
        nb = with_answer(nb, first, right[first])
        nb = with_answer(nb, second, expectations(assignment).wrong_answers[second])
    elif case == "right":
        for gid, source in right.items():
            nb = with_answer(nb, gid, source)
        for gid in manual_cells(nb):
            nb = with_answer(nb, gid, "Dear buyer, thank you for your message. I checked your order today.")
    return nb


def fast_validate(path: Path, root: Path) -> tuple[dict, object]:
    """Our Validate in-process: nbgrader's result and the notebook as it ran."""
    result = validate_hook._fast_validator()(config=config(root)).validate(str(path))
    return result, validate_hook._executed.nb


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
@pytest.mark.parametrize("case", ["blank", "partly", "right"])
def test_same_verdict_as_nbgrader_validate(course, warm, tmp_path, assignment, case):
    from nbgrader.validator import Validator

    folder = course / "exercises" / assignment
    path = folder / f"{case}.ipynb"
    nbformat.write(submission(assignment, case), path)
    forked = warm.forked
    try:
        plain = Validator(config=config(course)).validate(str(path))
        ours, executed = fast_validate(path, course)
    finally:
        path.unlink()
    assert warm.forked == forked + 1, "our Validate did not use a kernel forked from the warm process"
    assert ours == plain  # the whole result: which cells fail, and each error, word for word

    summary = validate_hook.summary(executed, {"success": True, "value": ours})
    tests = autograded_points(read(release_path(assignment)))
    lines = {line["grade_id"]: line for line in summary["questions"]}
    assert set(lines) == set(tests) | set(manual_cells(read(release_path(assignment))))
    # The lines agree with nbgrader: a question that does not pass is a cell nbgrader lists as failing.
    failing_sources = {f["source"] for f in plain.get("failed", [])}
    cells = {c.metadata.nbgrader.grade_id: c for c in executed.cells if c.metadata.get("nbgrader", {}).get("grade")}
    for gid, line in lines.items():
        counted_failing = line["state"] in (q.FAILED, q.NOT_ATTEMPTED)
        assert counted_failing == (cells[gid].source.strip() in failing_sources), (gid, line)
    passed = sum(lines[gid]["state"] == q.PASSED for gid in tests)
    assert summary["line"] == f"{passed} of {len(tests)} questions pass"

    first, second = list(answers(assignment))[:2]
    if case == "blank":
        assert passed == 0 and {line["state"] for line in lines.values()} == {q.NOT_ATTEMPTED}
        assert all("Not attempted yet" in lines[gid]["message"] for gid in tests)
    elif case == "partly":
        assert lines[f"test_{first}"]["state"] == q.PASSED
        wrong = lines[f"test_{second}"]
        assert wrong["state"] == q.FAILED and "Traceback" in wrong["traceback"]
        assert expectations(assignment).messages[second] in wrong["message"]
        assert passed == 1
    else:
        assert plain == {} and passed == len(tests)
        assert all(lines[gid]["state"] == q.WRITTEN for gid in manual_cells(read(release_path(assignment))))


def run(nb, folder: Path):
    """Execute ``nb`` in ``folder`` with a kernel forked by the warm process (as Validate does)."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb, kernel_manager_class=WarmKernelManager, resources={"metadata": {"path": str(folder)}}, allow_errors=True
    )
    client.execute()
    return [
        ("".join(o.get("text", "") for o in c.outputs), [o for o in c.outputs if o.output_type == "error"])
        for c in nb.cells
    ]


def test_each_validate_starts_from_a_clean_state_in_the_notebooks_folder(warm, tmp_path):
    import borderdesk.checks  # noqa: F401 (the warm process has it imported: a kernel must not see another's changes)

    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    (second / "helper.py").write_text("WHERE = 'second'\n")
    leaves = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import subprocess, borderdesk.checks\n"
                "LEFTOVER = 1\n"
                "borderdesk.checks.LEFTOVER = 1\n"
                "child = subprocess.Popen(['sleep', '300'])\n"
                "print(child.pid)"
            )
        ]
    )
    forked = warm.forked
    ((text, errors),) = run(leaves, first)
    assert not errors, errors
    child = int(text.strip())

    checks = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import os, borderdesk.checks, helper\n"
                "print('LEFTOVER' in globals(), hasattr(borderdesk.checks, 'LEFTOVER'), os.getcwd(), helper.WHERE)"
            )
        ]
    )
    ((text, errors),) = run(checks, second)
    assert not errors, errors
    assert text.split() == ["False", "False", str(second), "second"]
    assert warm.forked == forked + 2
    # What the last notebook left running went with its kernel (gone, or a zombie awaiting its reaper).
    status = Path(f"/proc/{child}/status")
    assert not status.exists() or "State:\tZ" in status.read_text(), "the last Validate's process is still running"


def test_validate_falls_back_to_an_ordinary_kernel_when_the_warm_process_cannot_start(course, warm, monkeypatch):
    broken = WarmProcess([])
    broken.argv = [sys.executable, "-c", "raise SystemExit('cannot start')"]
    broken.start()
    broken.process.wait()
    monkeypatch.setattr(WarmProvisioner, "warm", broken)
    folder = course / "exercises" / "01_platform_rules"
    result, executed = fast_validate(folder / "01_platform_rules.ipynb", course)
    summary = validate_hook.summary(executed, {"success": True, "value": result})
    tests = autograded_points(read(release_path("01_platform_rules")))
    assert summary["line"] == f"0 of {len(tests)} questions pass"
    assert len(result["failed"]) == len(tests) + len(manual_cells(executed))
    assert broken.forked == 0


def test_summary_says_why_when_nbgrader_could_not_run_the_notebook():
    failed = validate_hook.summary(None, {"success": False, "value": "Traceback ...\nSchemaTooOldError: old metadata"})
    assert failed["line"] == "Validate could not run this notebook" and "SchemaTooOldError" in failed["problem"]
    changed = validate_hook.summary(None, {"success": True, "value": {"type_changed": [{"source": "x"}]}})
    assert "changed type" in changed["problem"] and changed["questions"] == []


def test_the_endpoint_answers_with_nbgraders_result_and_the_summary(course, tmp_path):
    """POST /borderdesk/validate on a real Jupyter server with the course's server config (as
    `borderdesk lab` and the hubs' learner servers load it): nbgrader's result, and the summary."""
    notebook = "exercises/02_language/02_language.ipynb"
    port, token = free_port(), "validate-test"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_PATH": os.pathsep.join(str(REPO / "jupyter-config" / d) for d in ("learner", "")),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "HOME": str(tmp_path),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_TOKEN": token,
        "BORDERDESK_PROGRESS_DIR": str(tmp_path / "progress"),
        "BORDERDESK_ROOT": str(course),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    argv = [sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}", f"--ServerApp.root_dir={course}"]
    proc = subprocess.Popen(
        [*argv, "--allow-root"], cwd=course, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base, auth = f"http://127.0.0.1:{port}", {"Authorization": f"token {token}"}

    def post(url: str, body: bytes, content_type: str) -> dict:
        request = urllib.request.Request(base + url, data=body, headers={**auth, "Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=240) as response:
            return json.load(response)

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(urllib.request.Request(base + "/api/status", headers=auth), timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("Jupyter server did not start")
                time.sleep(0.25)
        # The learner extension asks for the warm process when an assignment opens.
        assert post("/borderdesk/validate/warm", b"{}", "application/json") == {"ready": False}
        ready = urllib.request.Request(base + "/borderdesk/validate/warm", headers=auth)
        while not json.load(urllib.request.urlopen(ready, timeout=30))["ready"]:
            assert time.monotonic() < deadline + 180, "the warm process did not get ready"
            time.sleep(0.5)
        ours = post("/borderdesk/validate", json.dumps({"path": notebook}).encode(), "application/json")
        form = urllib.parse.urlencode({"path": notebook}).encode()
        theirs = post("/assignments/validate", form, "application/x-www-form-urlencoded")
        with pytest.raises(urllib.error.HTTPError) as outside:  # nbgrader refuses paths outside the server's root
            post("/borderdesk/validate", json.dumps({"path": "../../etc/passwd"}).encode(), "application/json")
    finally:
        proc.terminate()
        log = proc.communicate(timeout=30)[0].decode()
    assert ours["success"] and ours["value"] == theirs["value"], log[-3000:]
    tests = autograded_points(read(release_path("02_language")))
    assert ours["summary"]["line"] == f"0 of {len(tests)} questions pass"
    assert [line["state"] for line in ours["summary"]["questions"]] == [q.NOT_ATTEMPTED] * (
        len(tests) + len(manual_cells(read(release_path("02_language"))))
    )
    assert outside.value.code == 403
    assert "forks its kernels from a warm process" in log, log[-3000:]
    assert "Validate starts an ordinary kernel" not in log, log[-3000:]  # the warm process forked it


def test_edited_test_cells_are_reported_as_nbgrader_does(course, warm):
    """A learner who edits a test cell gets nbgrader's "changed" verdict, said in plain words, and the question lines."""
    from nbgrader.validator import Validator

    nb = read(release_path("01_platform_rules"))
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_red_flag_features")
    test.source = "pass  # my own test"
    path = course / "exercises" / "01_platform_rules" / "edited.ipynb"
    nbformat.write(nb, path)
    try:
        plain = Validator(config=config(course)).validate(str(path))
        ours, executed = fast_validate(path, course)
    finally:
        path.unlink()
    assert ours == plain and list(ours) == ["changed"]
    summary = validate_hook.summary(executed, {"success": True, "value": ours})
    assert "1 test cell(s) were edited" in summary["problem"]
    assert summary["line"] == f"1 of {len(autograded_points(nb))} questions pass"  # the emptied test passes


@pytest.mark.parametrize(
    "stuck",
    [
        pytest.param("while True:\n    pass", id="endless-loop"),
        pytest.param("import os\nos._exit(3)", id="kernel-exits"),
    ],
)
def test_a_stuck_or_dying_notebook_gets_nbgraders_answer(course, warm, stuck):
    """A cell that never ends is interrupted after the timeout (through the warm process's signal);
    a kernel that exits fails as nbgrader's would. Either way the next Validate still works."""
    from nbgrader.validator import Validator

    nb = read(release_path("01_platform_rules"))
    nb.cells.insert(4, nbformat.v4.new_code_cell(stuck))
    path = course / "exercises" / "01_platform_rules" / "stuck.ipynb"
    nbformat.write(nb, path)
    cfg = config(course)
    cfg.Execute.timeout = 5
    outcomes = []
    try:
        for validator in (Validator, validate_hook._fast_validator()):
            try:
                outcomes.append(validator(config=cfg).validate(str(path)))
            except Exception as exc:  # what nbgrader's handler turns into {"success": false, ...}
                outcomes.append(type(exc).__name__)
    finally:
        path.unlink()
    plain, ours = outcomes
    if isinstance(plain, dict):
        assert {f["source"] for f in ours["failed"]} == {f["source"] for f in plain["failed"]}
    else:
        assert ours == plain
    forked = warm.forked
    result, _ = fast_validate(course / "exercises" / "01_platform_rules" / "01_platform_rules.ipynb", course)
    assert warm.forked == forked + 1 and len(result["failed"]) == 9


def test_a_test_that_only_warns_or_gives_partial_credit_fails_as_in_nbgrader():
    """nbgrader gives 0 to a test cell that wrote to stderr, and part of the points for a numeric
    last value: the summary counts both as not passing, and says why."""
    from nbgrader.utils import determine_grade

    def test_cell(grade_id, outputs):
        cell = nbformat.v4.new_code_cell("check()", outputs=outputs)
        cell.metadata.nbgrader = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id, "points": 2}
        return cell

    warns = test_cell("warns", [nbformat.v4.new_output("stream", name="stderr", text="\nFutureWarning: soon\n")])
    partial = test_cell("partial", [nbformat.v4.new_output("execute_result", data={"text/plain": "1.0"})])
    clean = test_cell("clean", [nbformat.v4.new_output("stream", name="stdout", text="ok\n")])
    executed = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("### Question 1"), warns, partial, clean])
    assert [determine_grade(c)[0] for c in executed.cells[1:]] == [0, 1, 2]
    summary = validate_hook.summary(executed, {"success": True, "value": {"failed": []}})
    states = {line["grade_id"]: (line["state"], line["message"]) for line in summary["questions"]}
    assert states["warns"] == (
        q.FAILED,
        "The test wrote a warning or error, which nbgrader counts as a failure: FutureWarning: soon",
    )
    assert states["partial"] == (q.FAILED, "Partial credit: 1 of 2 points")
    assert states["clean"] == (q.PASSED, "")
    assert summary["line"] == "1 of 3 questions pass"
