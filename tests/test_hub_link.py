"""`borderdesk hub link` on real git checkouts of a course copy."""

from __future__ import annotations

import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import copy_course

from borderdesk.cli import main
from borderdesk.errors import BorderDeskError
from borderdesk.hub import link


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """A committed course copy on branch main, run from inside it."""
    root = copy_course(tmp_path / "borderdesk", "course")
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "course")
    monkeypatch.delenv("BORDERDESK_ROOT", raising=False)
    monkeypatch.chdir(root)
    return root


def parts(url):
    split = urlsplit(url)
    return split, {k: v[0] for k, v in parse_qs(split.query).items()}


def test_defaults_come_from_the_git_remote(checkout):
    git(checkout, "remote", "add", "origin", "https://git.example.org/school/borderdesk-course.git")
    split, q = parts(link("https://hub.example.edu"))
    assert (split.scheme, split.netloc, split.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    assert q == {
        "repo": "https://git.example.org/school/borderdesk-course.git",
        "branch": "main",
        "targetpath": "borderdesk-course",
        "urlpath": "lab/tree/borderdesk-course/course/00_start_here.ipynb",
    }


def test_open_branch_and_repo_options(checkout):
    url = link(
        "https://hub.example.edu/jupyter/hub/",  # pasted with the hub page's /hub/
        repo="https://github.com/org/borderdesk",
        branch="spring-2027",
        open_path="./course/01_platform_rules/1_account_health.ipynb",
    )
    split, q = parts(url)
    assert split.path == "/jupyter/hub/user-redirect/git-pull"
    assert q["repo"] == "https://github.com/org/borderdesk"
    assert q["branch"] == "spring-2027"
    assert q["urlpath"] == "lab/tree/borderdesk/course/01_platform_rules/1_account_health.ipynb"


def test_upstream_branch_and_ssh_remote(checkout):
    git(checkout, "remote", "add", "upstream", "git@github.com:org/borderdesk.git")
    git(checkout, "update-ref", "refs/remotes/upstream/term", "HEAD")
    git(checkout, "branch", "-q", "--set-upstream-to=upstream/term")
    _, q = parts(link("https://hub.example.edu"))
    # Learners' servers have no SSH keys: the link must use https.
    assert q["repo"] == "https://github.com/org/borderdesk.git"
    assert q["branch"] == "term"


@pytest.mark.parametrize(
    "hub, message",
    [
        ("hub.example.edu", "give it with its scheme, e.g. --hub https://hub.example.edu"),
        ("ftp://hub.example.edu", "is not a web address"),
        ("https://hub.example.edu/?next=x", "has a query or fragment"),
    ],
)
def test_bad_hub_address(checkout, hub, message):
    with pytest.raises(BorderDeskError, match="--hub") as err:
        link(hub, repo="https://github.com/org/borderdesk")
    assert message in str(err.value)


@pytest.mark.parametrize(
    "path, message",
    [
        ("course/99_missing.ipynb", "does not exist in the course"),
        ("../outside.ipynb", "must be a path inside the course"),
        ("/etc/passwd", "must be a path inside the course"),
    ],
)
def test_bad_path(checkout, path, message):
    with pytest.raises(BorderDeskError, match="--open") as err:
        link("https://hub.example.edu", repo="https://github.com/org/borderdesk", open_path=path)
    assert message in str(err.value)


def test_uncommitted_path_is_refused(checkout):
    (checkout / "course" / "draft.ipynb").write_text("{}")
    with pytest.raises(BorderDeskError, match="not committed"):
        link("https://hub.example.edu", repo="https://github.com/org/borderdesk", open_path="course/draft.ipynb")


def test_no_remote_needs_repo(checkout):
    with pytest.raises(BorderDeskError, match="has no git remote; pass it with --repo"):
        link("https://hub.example.edu")
    assert "repo=https://github.com/org/borderdesk&" in link(
        "https://hub.example.edu", repo="https://github.com/org/borderdesk"
    )


def test_credentials_in_remote_are_refused(checkout):
    git(checkout, "remote", "add", "origin", "https://me:secret@git.example.org/org/borderdesk.git")
    with pytest.raises(BorderDeskError, match="contains credentials"):
        link("https://hub.example.edu")


def test_cli_prints_link_and_one_line_errors(checkout, capsys):
    git(checkout, "remote", "add", "origin", "https://github.com/org/borderdesk.git")
    assert (
        main(
            [
                "hub",
                "link",
                "--hub",
                "https://hub.example.edu",
                "--open",
                "course/01_platform_rules/1_account_health.ipynb",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out.strip()
    assert out.startswith(
        "https://hub.example.edu/hub/user-redirect/git-pull?repo=https://github.com/org/borderdesk.git&"
    )
    assert out.endswith("urlpath=lab/tree/borderdesk/course/01_platform_rules/1_account_health.ipynb")

    assert main(["hub", "link", "--hub", "hub.example.edu"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("borderdesk: error: --hub 'hub.example.edu'")
