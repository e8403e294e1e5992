"""Errors that lead somewhere: a misspelt assignment, an assignment not released or not graded, and which
course folder the commands use when the current folder did not choose it."""

from __future__ import annotations

import pytest
from conftest import REPO
from nbgrader.api import Gradebook

from borderdesk import paths
from borderdesk.chapters import assignments
from borderdesk.cli import main

ASSIGNMENT = assignments(REPO)[0]
# The first assignment with two letters of its name swapped, as a hurried instructor types it.
_i = ASSIGNMENT.index("_") + 3
MISSPELT = ASSIGNMENT[:_i] + ASSIGNMENT[_i + 1] + ASSIGNMENT[_i] + ASSIGNMENT[_i + 2 :]
COMMANDS_WITH_ASSIGNMENT = ("grade", "feedback", "export", "report", "release", "precheck")


@pytest.fixture
def in_course(monkeypatch, tmp_path):
    """The repository's course, with an empty gradebook of our own (never the course's real one)."""
    monkeypatch.setenv("BORDERDESK_ROOT", str(REPO))
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    monkeypatch.setenv("BORDERDESK_DB_URL", url)
    with Gradebook(url):  # creates the tables
        pass
    return url


def _error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("borderdesk: error: "), err
    return err[0]


@pytest.mark.parametrize("command", COMMANDS_WITH_ASSIGNMENT)
def test_misspelt_assignment_lists_known_names_and_suggests_the_nearest(command, in_course, capsys):
    assert MISSPELT != ASSIGNMENT and MISSPELT not in assignments(REPO)
    assert main([command, MISSPELT]) == 2
    err = _error(capsys)
    assert f"did you mean {ASSIGNMENT}?" in err
    assert all(name in err for name in assignments(REPO)), err
    assert f"release {MISSPELT}" not in err and f"grade {MISSPELT}" not in err  # never act on the typo


def test_a_name_like_no_assignment_suggests_nothing(in_course, capsys):
    assert main(["export", "zzzz"]) == 2
    err = _error(capsys)
    assert "did you mean" not in err and ASSIGNMENT in err


@pytest.mark.parametrize("command", ["feedback", "report", "export"])
def test_before_release_points_to_release(command, in_course, capsys):
    assert main([command, ASSIGNMENT]) == 2
    err = _error(capsys)
    assert f"`borderdesk release {ASSIGNMENT}`" in err
    assert err.index("borderdesk release") < err.index("borderdesk grade"), err  # release comes first


@pytest.mark.parametrize("name", [ASSIGNMENT, None])
def test_export_with_no_grades_says_what_to_run(name, in_course, tmp_path, capsys):
    with Gradebook(in_course) as gradebook:
        gradebook.add_assignment(ASSIGNMENT)  # released, nobody graded yet
    output = tmp_path / "grades.csv"
    assert main(["export", *([name] if name else []), "-o", str(output)]) == 2
    err = _error(capsys)
    assert "no grades" in err and f"`borderdesk grade {name or 'ASSIGNMENT'}`" in err
    assert not output.exists()  # no empty CSV that looks like a class without students


def test_the_installed_checkout_is_named_when_the_current_folder_did_not_choose_it(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("BORDERDESK_ROOT", raising=False)
    monkeypatch.setattr(paths, "INSTALLED_FROM", REPO)
    monkeypatch.chdir(tmp_path)  # outside any course
    assert main(["release", MISSPELT]) == 2
    notice, error = capsys.readouterr().err.strip().splitlines()
    assert notice.startswith("borderdesk: using the course in ") and str(REPO) in notice
    assert "BORDERDESK_ROOT" in notice and error.startswith("borderdesk: error: ")

    for chosen in (
        lambda: monkeypatch.chdir(REPO / "course"),
        lambda: monkeypatch.setenv("BORDERDESK_ROOT", str(REPO)),
    ):
        monkeypatch.chdir(tmp_path)
        chosen()
        assert main(["release", MISSPELT]) == 2
        assert "using the course" not in capsys.readouterr().err
