"""The install gives learners nbgrader's JupyterLab extensions, enabled."""

from __future__ import annotations

import subprocess
import sys


def _jupyter(*args):
    result = subprocess.run([sys.executable, "-m", "jupyter", *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr  # jupyter prints these lists on stderr


def test_nbgrader_lab_extension_is_enabled():
    lines = [line for line in _jupyter("labextension", "list").splitlines() if "@jupyter/nbgrader" in line]
    assert lines and "enabled" in lines[0] and "OK" in lines[0], lines


def test_nbgrader_server_extensions_are_enabled():
    listing = _jupyter("server", "extension", "list")
    for extension in ("assignment_list", "course_list", "formgrader", "validate_assignment"):
        lines = [line for line in listing.splitlines() if f"nbgrader.server_extensions.{extension}" in line]
        assert any("enabled" in line for line in lines), f"{extension} is not enabled:\n{listing}"
