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


def test_a_built_package_ships_every_file_the_code_reads(tmp_path):
    """Templates, content tables, py.typed, ...: every tracked non-Python file under
    src/borderdesk must reach a real (non-editable) install, so pyproject's package-data
    has to name it. setuptools' build_py builds the package as a wheel would."""
    import shutil

    from conftest import REPO

    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, tmp_path / name)
    for folder in ("src", "jupyter-config"):
        shutil.copytree(REPO / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    built = tmp_path / "lib"
    result = subprocess.run(
        [sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py", f"--build-lib={built}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    tracked = subprocess.run(
        ["git", "ls-files", "src/borderdesk"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    needed = [path.removeprefix("src/") for path in tracked if not path.endswith(".py")]
    assert "borderdesk/py.typed" in needed and "borderdesk/grading/templates/report.html" in needed
    missing = [path for path in needed if not (built / path).is_file()]
    assert not missing, f"add these to [tool.setuptools.package-data] in pyproject.toml: {missing}"
