"""The borderdesk command: help, clear one-line errors, and a real JupyterLab start."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from conftest import REPO


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


def test_help_explains_each_command():
    result = run("--help")
    assert result.returncode == 0
    for command in ("lab", "release", "data"):
        assert command in result.stdout
    lab_help = run("lab", "--help").stdout
    assert "--no-browser" in lab_help and "--port" in lab_help


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


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_serves_the_course(tmp_path):
    port, token = _free_port(), "borderdesk-test"
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
