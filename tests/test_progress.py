"""Learner progress: drill attempts and Validate results recorded per user, shown per chapter.

Recording must never break a drill: a read-only home and a corrupt store each give one
warning, and the drill keeps answering.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

import pytest
from conftest import REPO, copy_course, set_chapter
from prereqs import require_program
from support import free_port

from borderdesk import cli, progress
from borderdesk.chapters import ready_chapters
from borderdesk.drills import State, drill_view, load_chapter
from borderdesk.notebooks import execute
from borderdesk.paths import course_root

N01 = str(len(load_chapter("01_platform_rules")))  # drills of chapter 01
ONE_CHOICE = ("01_platform_rules", "cancel-rate-buyer")  # single choice: RadioButtons


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    """A fresh store per test, and a fresh "warned already" memory."""
    monkeypatch.setenv(progress.ENV_DIR, str(tmp_path / "progress"))
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setattr(progress, "_warned", set())
    return tmp_path / "progress" / progress.FILE_NAME


def answer(view, right: bool) -> State:
    options = [o.text for o in view.drill.options]
    solution = options.index(view.drill.solution())
    view.controls.value = solution if right else (solution + 1) % len(options)
    return view.check().state


def row(chapter: str) -> progress.ChapterProgress:
    return next(r for r in progress.summary() if r.chapter == chapter)


def attempts(store: Path) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(store) as conn:
        return conn.execute(
            "SELECT user, chapter, drill, correct, first_try, hints_seen FROM drill_attempts ORDER BY rowid"
        ).fetchall()


# ------------------------------------------------------------------- recording
def test_checks_are_recorded_with_first_try(store):
    view = drill_view(*ONE_CHOICE)
    view.hint()
    assert answer(view, right=False) is State.WRONG
    assert answer(view, right=True) is State.RIGHT
    other = drill_view("00_start_here", "kpi-first-reply")
    assert answer(other, right=True) is State.RIGHT
    user = progress.current_user()
    assert attempts(store) == [
        (user, "01_platform_rules", "cancel-rate-buyer", 0, 1, 1),
        (user, "01_platform_rules", "cancel-rate-buyer", 1, 0, 1),
        (user, "00_start_here", "kpi-first-reply", 1, 1, 0),
    ]
    ch01, ch00 = row("01_platform_rules"), row("00_start_here")
    n01, n00 = len(load_chapter("01_platform_rules")), len(load_chapter("00_start_here"))
    assert (ch01.drills, ch01.attempted, ch01.done, ch01.first_try) == (n01, 1, 1, 0)
    assert (ch00.drills, ch00.attempted, ch00.done, ch00.first_try) == (n00, 1, 1, 1)


def test_first_try_is_per_drill_across_sessions(store):
    assert answer(drill_view(*ONE_CHOICE), right=False) is State.WRONG
    # A new view (the notebook run again, another day) is not a first try any more.
    assert answer(drill_view(*ONE_CHOICE), right=True) is State.RIGHT
    assert row("01_platform_rules").first_try == 0
    assert row("01_platform_rules").done == 1


def test_blank_check_is_not_an_attempt(store):
    view = drill_view(*ONE_CHOICE)
    assert view.check().state is State.NOT_ATTEMPTED
    assert not store.exists() or attempts(store) == []
    assert answer(view, right=True) is State.RIGHT
    assert attempts(store)[0][3:5] == (1, 1), "the first real answer is still the first try"


def test_each_hub_user_has_their_own_record(store, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "learner-a")
    answer(drill_view(*ONE_CHOICE), right=True)
    monkeypatch.setenv("JUPYTERHUB_USER", "learner-b")
    assert row("01_platform_rules").done == 0
    assert progress.summary("learner-a")[1].done == 1


def test_default_store_is_in_the_user_data_folder_not_the_course(tmp_path, monkeypatch):
    monkeypatch.delenv(progress.ENV_DIR)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = progress.store_path()
    assert path == tmp_path / "xdg" / "borderdesk" / "progress.sqlite3"
    assert not path.resolve().is_relative_to(course_root())


def test_rows_follow_the_chapter_manifest(store, tmp_path, monkeypatch):
    assert [r.chapter for r in progress.summary()] == [c.slug for c in ready_chapters() if c.drills]
    # A chapter the manifest marks as coming is not listed, though its drills file exists.
    root = copy_course(tmp_path / "course", "course")
    for c in ready_chapters(root)[1:]:
        set_chapter(root, c.slug, status="coming")
    monkeypatch.setenv("BORDERDESK_ROOT", str(root))
    drills_00 = len(load_chapter("00_start_here", root / "course" / "drills"))
    assert [(r.chapter, r.drills, r.has_assignment) for r in progress.summary()] == [
        ("00_start_here", drills_00, False)
    ]


# ------------------------------------------------------------------- Validate
def test_latest_validate_decides_the_assignment(store):
    notebook = Path("exercises/01_platform_rules/01_platform_rules.ipynb")
    assert row("01_platform_rules").assignment_text == "not validated yet"
    assert row("00_start_here").assignment_text == "-", "chapter 00 has no assignment"
    progress.record_validation(notebook, {"success": True, "value": {"failed": [{}, {}, {}]}})
    assert not row("01_platform_rules").validated
    assert row("01_platform_rules").assignment_text == "last Validate: 3 test cells failing"
    progress.record_validation(notebook, {"success": True, "value": {}})
    assert row("01_platform_rules").validated
    assert row("01_platform_rules").assignment_text.startswith("passes Validate (")


@pytest.mark.parametrize(
    "outcome, expected",
    [
        ({"success": True, "value": {}}, (True, 0)),
        ({"success": True, "value": {"failed": [{}, {}]}}, (False, 2)),
        ({"success": True, "value": {"changed": [{}]}}, (False, 0)),  # a test cell was edited
        ({"success": True, "value": {"type_changed": [{}]}}, (False, 0)),
        ({"success": False, "value": "Traceback ..."}, (False, 0)),  # validation itself broke
    ],
)
def test_validation_passed_reads_nbgraders_answer(outcome, expected):
    assert progress.validation_passed(outcome) == expected


# ------------------------------------------------------------------- failures
def test_corrupt_store_warns_once_and_the_drill_still_works(store):
    store.parent.mkdir(parents=True)
    store.write_bytes(b"this is not a database\n" * 100)
    view = drill_view(*ONE_CHOICE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert answer(view, right=False) is State.WRONG
        first = view.feedback.value
        assert answer(view, right=True) is State.RIGHT
        second = view.feedback.value
        rows = progress.summary()
    messages = [str(w.message) for w in caught if issubclass(w.category, progress.ProgressWarning)]
    assert len(messages) == 1, messages
    assert str(store) in messages[0] and "damaged" in messages[0] and "move that file away" in messages[0]
    assert "borderdesk-progress-warning" in first, "the learner sees the warning under the drill"
    assert "borderdesk-progress-warning" not in second and 'data-state="right"' in second
    assert all(r.done == 0 for r in rows)
    assert store.read_bytes().startswith(b"this is not a database"), "the damaged record is left alone"


def test_progress_command_names_a_corrupt_store(store, capsys):
    store.parent.mkdir(parents=True)
    store.write_bytes(b"garbage" * 50)
    assert cli.main(["progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("borderdesk: error: cannot read your progress: ")
    assert str(store) in err[0]


READ_ONLY_SCRIPT = textwrap.dedent("""
    import json, warnings
    from borderdesk import progress
    from borderdesk.drills import drill_view
    view = drill_view("01_platform_rules", "cancel-rate-buyer")
    options = [o.text for o in view.drill.options]
    right = options.index(view.drill.solution())
    states, notes = [], []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for value in ((right + 1) % len(options), right):
            view.controls.value = value
            states.append(view.check().state.value)
            notes.append("borderdesk-progress-warning" in view.feedback.value)
    print(json.dumps({"states": states, "notes": notes, "store": str(progress.store_path()),
                      "warnings": [str(w.message) for w in caught
                                   if issubclass(w.category, progress.ProgressWarning)]}))
""")


def test_read_only_home_warns_once_and_the_drill_still_works(tmp_path):
    # We may run as root, which ignores file modes: a read-only bind mount is a real
    # read-only home for anyone (EROFS), as on a hub whose home volume is mounted read-only.
    bwrap = require_program("bwrap")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_") and k != progress.ENV_DIR}
    env["HOME"] = str(home)
    result = subprocess.run(
        [bwrap, "--dev-bind", "/", "/", "--ro-bind", str(home), str(home), sys.executable, "-c", READ_ONLY_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["states"] == ["wrong", "right"]
    assert out["notes"] == [True, False]
    assert out["store"] == str(home / ".local/share/borderdesk/progress.sqlite3")
    assert len(out["warnings"]) == 1, out["warnings"]
    assert "Read-only file system" in out["warnings"][0] and progress.ENV_DIR in out["warnings"][0]
    assert not any(home.iterdir())


# ------------------------------------------------------------------- showing it
def test_progress_command_prints_the_table(store, capsys):
    answer(drill_view(*ONE_CHOICE), right=True)
    assert cli.main(["progress"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["chapter", "drills", "done", "right", "at", "the", "first", "try", "assignment"]
    assert any(line.split()[:7] == ["01_platform_rules", "1", "of", N01, "1", "of", N01] for line in lines)
    assert any(line.split()[:3] == ["00_start_here", "0", "of"] for line in lines)
    assert f"recorded in {store}" in out


def test_command_module_imports_stay_light():
    code = (
        "import sys, borderdesk.progress; "
        "print([m for m in ('matplotlib', 'platformdirs', 'ipywidgets', 'pandas', 'nbgrader') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_start_here_shows_the_chart_with_an_empty_store(store):
    nb = execute(REPO / "course" / "00_start_here.ipynb")
    cell = next(c for c in nb.cells if c.cell_type == "code" and "progress.show()" in c.source)
    text = "".join(o.get("text", "") for o in cell.outputs)
    assert f"01_platform_rules  0 of {N01}" in text and "Nothing recorded yet" in text
    assert any("image/png" in o.get("data", {}) for o in cell.outputs), "no chart drawn"
    assert not store.exists(), "showing progress must not create the store"


# ------------------------------------------------------------------- the Validate button
def test_validate_button_is_recorded_through_the_server_extension(tmp_path, store):
    """POST to nbgrader's /assignments/validate (what the Validate button does) on a real
    Jupyter server with borderdesk.validate_hook enabled; the result lands in the store,
    and nbgrader's answer is unchanged."""
    root = copy_course(tmp_path / "course", "exercises", "data")
    (root / "nbgrader_config.py").write_text((REPO / "nbgrader_config.py").read_text())
    # The extension is enabled by the file the package ships (jupyter-config/), put on
    # JUPYTER_CONFIG_PATH as `borderdesk lab` does for a checkout; an empty user config dir.
    port, token = free_port(), "progress-test"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_PATH": str(REPO / "jupyter-config"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "HOME": str(tmp_path),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_TOKEN": token,
    }
    env.pop("BORDERDESK_ROOT", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--no-browser",
            f"--port={port}",
            f"--ServerApp.root_dir={root}",
            "--allow-root",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"token {token}"}
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
        body = urllib.parse.urlencode({"path": "exercises/01_platform_rules/01_platform_rules.ipynb"})
        request = urllib.request.Request(base + "/assignments/validate", data=body.encode(), headers=auth)
        with urllib.request.urlopen(request, timeout=240) as response:
            outcome = json.load(response)
    finally:
        proc.terminate()
        log = proc.communicate(timeout=30)[0].decode()
    assert outcome["success"], outcome
    failed = len(outcome["value"].get("failed", []))
    assert failed >= 8, "the unanswered assignment fails its visible tests"
    assert "borderdesk: recording nbgrader Validate results" in log, log
    ch01 = row("01_platform_rules")
    assert not ch01.validated
    assert ch01.assignment_text == f"last Validate: {failed} test cells failing"
