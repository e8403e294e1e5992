"""The borderdesk command: help, clear one-line errors, and a real JupyterLab start."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from conftest import REPO
from support import free_port

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


def test_lab_serves_the_course(tmp_path):
    port, token = free_port(), "borderdesk-test"
    env = {**os.environ, "JUPYTER_TOKEN": token, "HOME": str(tmp_path), "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "borderdesk.cli", "lab", "--no-browser", f"--port={port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    url = f"http://127.0.0.1:{port}/api/contents/course/00_start_here.ipynb?content=0"
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    model = json.load(response)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{proc.stdout.read().decode()}")
                time.sleep(0.25)
        assert model["type"] == "notebook" and model["path"] == "course/00_start_here.ipynb"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
