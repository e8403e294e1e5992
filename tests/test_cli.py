"""The borderdesk command: help, clear one-line errors, and a real JupyterLab start."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager

import pytest
from conftest import REPO
from support import free_port, log_tail, stop_process_group

from borderdesk.cli import build_parser


def run(*args, root=None, cwd=REPO):
    env = dict(os.environ)
    if root is not None:
        env["BORDERDESK_ROOT"] = str(root)
    return subprocess.run(
        [sys.executable, "-m", "borderdesk.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def assert_one_line_error(result, *fragments):
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("borderdesk: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """Every command the parser has, nested ones too (``hub link``): (words, parser, one-line help)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield (*prefix, name), sub, helps.get(name)
                yield from _commands(sub, (*prefix, name))


COMMANDS = list(_commands(build_parser()))


def test_help_lists_every_command():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    top = [words[0] for words, _, _ in COMMANDS if len(words) == 1]
    assert {"lab", "release", "data", "grade", "feedback", "export", "report"} <= set(top)
    for name in top:
        assert re.search(rf"^\s+{name}\s", result.stdout, re.M), f"`borderdesk --help` does not list {name}"


@pytest.mark.parametrize(("words", "parser", "summary"), COMMANDS, ids=[" ".join(c[0]) for c in COMMANDS])
def test_help_explains_each_command(words, parser, summary, capsys):
    """Each command has a one-line summary, a description and help for every option; --help works."""
    command = " ".join(words)
    assert summary, f"`borderdesk {command}` has no help= line for the command list"
    assert parser.description, f"`borderdesk {command}` has no description= for its --help"
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
            assert action.help, f"`borderdesk {command}`: {action.option_strings or action.dest} has no help="
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([*words, "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"usage: borderdesk {command}"), shown
    for action in parser._actions:
        for option in action.option_strings:
            assert option in shown, f"`borderdesk {command} --help` does not show {option}"


def test_unknown_assignment_lists_the_known_ones():
    assert_one_line_error(run("release", "02_nope"), "02_nope", "01_platform_rules")


def test_root_without_a_course_says_what_to_do(tmp_path):
    assert_one_line_error(run("lab", root=tmp_path), "BORDERDESK_ROOT", "autograder")


def test_lab_without_start_notebook_says_how_to_restore(course_copy):
    assert_one_line_error(run("lab", root=course_copy()), "00_start_here.ipynb", "git checkout")


def test_data_regenerates_identical_files(course_copy):
    root = course_copy()
    result = run("data", root=root)
    assert result.returncode == 0, result.stderr
    for name in ("inquiries", "orders", "disputes"):
        assert f"{name}.csv" in result.stdout
        assert (root / "data" / f"{name}.csv").read_bytes() == (REPO / "data" / f"{name}.csv").read_bytes()


@contextmanager
def running_lab(tmp_path, *args):
    """`borderdesk lab --no-browser` on a free port; yields (base URL, token, its log)."""
    port, token = free_port(), "borderdesk-test"
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update({"JUPYTER_TOKEN": token, "HOME": str(home), "JUPYTER_RUNTIME_DIR": str(home / "runtime")})
    log = tmp_path / "lab.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "borderdesk.cli", "lab", "--no-browser", f"--port={port}", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
            start_new_session=True,  # its own process group, so its kernels stop with it
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _get(url, "/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{log_tail(log)}")
                time.sleep(0.25)
        yield url, token, log
    finally:
        stop_process_group(proc)


def _get(url, path, token, method="GET"):
    request = urllib.request.Request(url + path, method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def _status(url, path, token):
    try:
        return _get(url, path, token)[0]
    except urllib.error.HTTPError as exc:
        return exc.code


def _page_config(url, token):
    page = _get(url, "/lab", token)[1]
    return json.loads(re.search(r'<script id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S).group(1))


async def _execute(url, token, kernel_id, code):
    """Run ``code`` in a kernel through the server's websocket; the text/plain result."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    request = HTTPRequest(
        f"{url.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels",
        headers={"Authorization": f"token {token}"},
    )
    socket = await websocket_connect(request)
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": "execute_request", "session": uuid.uuid4().hex, "username": "test"}
    content = {"code": code, "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False}
    message = {"header": {**header, "version": "5.3"}, "parent_header": {}, "metadata": {}, "content": content}
    await socket.write_message(json.dumps({**message, "channel": "shell"}))
    try:
        while True:
            raw = await asyncio.wait_for(socket.read_message(), timeout=60)
            assert raw is not None, "the kernel's websocket closed"
            reply = json.loads(raw)
            if reply["parent_header"].get("msg_id") == msg_id and reply["msg_type"] == "execute_result":
                return reply["content"]["data"]["text/plain"]
    finally:
        socket.close()


def _setting_default(url, token, plugin, name):
    settings = json.loads(_get(url, f"/lab/api/settings/{plugin}", token)[1])
    return settings["schema"]["properties"][name]["default"]


INSTRUCTOR_TOOLS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)


def test_lab_opens_the_course_as_a_learner_sees_it(tmp_path):
    with running_lab(tmp_path) as (url, token, log):
        model = json.loads(_get(url, "/api/contents/course/00_start_here.ipynb?content=0", token)[1])
        assert model["type"] == "notebook" and model["path"] == "course/00_start_here.ipynb"
        # The printed URL opens chapter 00, not the Launcher.
        assert re.search(r"http://\S+/lab/tree/course/00_start_here\.ipynb\?token=", log.read_text()), log_tail(log)
        # nbgrader's instructor tools: not in JupyterLab, and formgrader not served.
        config = _page_config(url, token)
        for plugin in (*INSTRUCTOR_TOOLS, "@jupyterlab/apputils-extension:announcements"):
            assert plugin in config["disabledExtensions"], plugin
        assert _status(url, "/formgrader", token) == 404
        # BorderDesk's JupyterLab extension (Validate only on assignments) is served.
        assert "borderdesk-learner" in [e["name"] for e in config["federated_extensions"]]
        assert _status(url, "/lab/extensions/borderdesk-learner/static/remoteEntry.js", token) == 200
        # News off, long code lines wrapped (settings overrides).
        assert _setting_default(url, token, "@jupyterlab/apputils-extension:notification", "fetchNews") == "false"
        code_cells = _setting_default(url, token, "@jupyterlab/notebook-extension:tracker", "codeCellConfig")
        assert code_cells["lineWrap"] is True

        # A kernel: encrypted sockets, so ipykernel never warns about plain-text TCP; code
        # runs in it through the server's websocket, as JupyterLab runs a cell.
        kernel = json.loads(_get(url, "/api/kernels", token, method="POST")[1])
        connection = json.loads((tmp_path / "home" / "runtime" / f"kernel-{kernel['id']}.json").read_text())
        assert connection.get("curve_publickey") or connection["transport"] == "ipc", connection
        assert asyncio.run(_execute(url, token, kernel["id"], "6 * 7")) == "42"
        assert "without encryption" not in log.read_text()


def test_lab_instructor_keeps_nbgraders_tools(tmp_path):
    with running_lab(tmp_path, "--instructor") as (url, token, log):
        disabled = _page_config(url, token)["disabledExtensions"]
        assert not [p for p in INSTRUCTOR_TOOLS if p in disabled], disabled
        assert _status(url, "/formgrader", token) == 200
