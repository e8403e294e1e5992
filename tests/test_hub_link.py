"""`borderdesk hub link` on real git checkouts of a course copy."""

from __future__ import annotations

import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import copy_course

from borderdesk.cli import main
from borderdesk.errors import BorderDeskError
from borderdesk.hub import link
from borderdesk.publish import publish


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """A committed course copy on branch main with its learner edition published, run from inside it."""
    root = copy_course(tmp_path / "borderdesk", "course", "solutions")
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "course")
    publish(root)
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
        "branch": "learner",  # the learner edition: no solutions/ or hidden tests
        "targetpath": "borderdesk-course",
        "urlpath": "lab/tree/borderdesk-course/course/00_start_here.ipynb",
    }
    # Self-study is an explicit choice: the course's own branch, solutions included.
    _, q = parts(link("https://hub.example.edu", self_study=True, open_path="solutions"))
    assert (q["branch"], q["urlpath"]) == ("main", "lab/tree/borderdesk-course/solutions")


def test_the_learner_edition_must_exist_and_hold_the_path(checkout):
    with pytest.raises(BorderDeskError, match="is not in the learner edition"):
        link("https://hub.example.edu", repo="https://github.com/org/borderdesk", open_path="solutions")
    git(checkout, "branch", "-q", "-D", "learner")
    with pytest.raises(BorderDeskError, match="no learner edition yet .* run `borderdesk publish`"):
        link("https://hub.example.edu", repo="https://github.com/org/borderdesk")


def test_open_branch_and_repo_options(checkout):
    publish(checkout, branch="spring-2027")  # a learner edition per term
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
    _, q = parts(link("https://hub.example.edu", self_study=True))
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
        ("course/99_missing.ipynb", "is not in the learner edition"),
        ("../outside.ipynb", "must be a path inside the course"),
        ("/etc/passwd", "must be a path inside the course"),
    ],
)
def test_bad_path(checkout, path, message):
    with pytest.raises(BorderDeskError, match="--open") as err:
        link("https://hub.example.edu", repo="https://github.com/org/borderdesk", open_path=path)
    assert message in str(err.value)


def test_uncommitted_or_unpublished_path_is_refused(checkout):
    (checkout / "course" / "draft.ipynb").write_text("{}")
    with pytest.raises(BorderDeskError, match="not committed"):
        link(
            "https://hub.example.edu",
            repo="https://github.com/org/borderdesk",
            open_path="course/draft.ipynb",
            self_study=True,
        )
    with pytest.raises(BorderDeskError, match="run `borderdesk publish`"):
        link("https://hub.example.edu", repo="https://github.com/org/borderdesk", open_path="course/draft.ipynb")
    with pytest.raises(BorderDeskError, match="does not exist in the course"):
        link("https://hub.example.edu", open_path="course/99_missing.ipynb", self_study=True)


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
