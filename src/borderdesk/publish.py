"""`borderdesk publish`: the learner edition of the course, a git branch without the answers.

A graded class must never receive ``solutions/`` (the answers and the hidden tests), the
test suite (its known-wrong and known-right answers) or the instructor's tools. This
command writes the committed course, minus those, as a commit on the branch ``learner``
of the course repository; ``borderdesk hub link`` sends learners there by default.

The edition is built with git plumbing from a commit (``HEAD`` by default), never from
the working tree, so uncommitted edits never leak and the result is deterministic: the
same course commit on the same learner tip gives the same commit id (author, committer
and dates are the course commit's). Each edition is a child of the previous one, so a
learner's nbgitpuller merges the update like any other course commit; a course commit
that changes nothing a learner sees makes no new learner commit.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from pathlib import Path

from .errors import BorderDeskError

LEARNER_BRANCH = "learner"

# What a learner needs to read the lessons, run the drills and `pip install -e .` then
# `borderdesk lab`: the package without its grading tools, its Jupyter config, the
# lessons, drills, data and the released exercises. autograder/nbgrader_config.py marks
# the course root (borderdesk.paths) and tells Validate where exercises/ is.
INCLUDE = (
    ".gitignore",
    "README.md",
    "pyproject.toml",
    "nbgrader_config.py",
    "autograder/nbgrader_config.py",
    "course/",
    "data/",
    "docs/screenshots/",
    "exercises/",
    "jupyter-config/",
    "src/",
)
# Everything else stays out; named here so the reason is written down:
# solutions/ (answers, hidden tests), tests/ (known answers, the assignment suites),
# autograder/README.md and deploy/ (instructor and admin guides), benchmarks/, .ci/, docs/authoring.md,
# and src/borderdesk/grading/ (the instructor's grading tools: sandbox, tamper checks, gradebook;
# `borderdesk` registers only the commands whose modules are there).
EXCLUDE = ("src/borderdesk/grading/",)


def _git(root: Path, *args: str, env: dict | None = None, stdin: str | None = None) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=root,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if done.returncode != 0:
        raise BorderDeskError(f"git {' '.join(args)} failed in {root}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip()


def included(path: str) -> bool:
    def matches(rules: tuple[str, ...]) -> bool:
        return any(path == rule or (rule.endswith("/") and path.startswith(rule)) for rule in rules)

    return matches(INCLUDE) and not matches(EXCLUDE)


def learner_tree(root: Path, source: str) -> str:
    """The id of a git tree holding the included files of commit ``source``."""
    listing = _git(root, "ls-tree", "-r", "--full-tree", source)
    entries = [line for line in listing.splitlines() if included(line.split("\t", 1)[1])]
    with tempfile.TemporaryDirectory() as tmp:
        index = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        # ls-tree lines are "mode type id\tpath"; update-index --index-info reads exactly these.
        _git(root, "update-index", "--index-info", env=index, stdin="\n".join(entries) + "\n")
        return _git(root, "write-tree", env=index)


def publish(root: Path, source: str = "HEAD", branch: str = LEARNER_BRANCH) -> tuple[str, bool]:
    """Write the learner edition of ``source`` on ``branch``; return (commit id, whether it is new)."""
    try:
        commit = _git(root, "rev-parse", "--verify", "-q", f"{source}^{{commit}}")
    except BorderDeskError:
        raise BorderDeskError(
            f"--source {source!r} is not a commit of the course repository at {root}; give a branch, tag or commit id"
        ) from None
    tree = learner_tree(root, commit)
    ref = f"refs/heads/{branch}"
    try:
        parent = _git(root, "rev-parse", "--verify", "-q", ref)
    except BorderDeskError:
        parent = ""
    if parent and _git(root, "rev-parse", f"{parent}^{{tree}}") == tree:
        return parent, False
    name, email, date = _git(root, "log", "-1", "--format=%cn%x00%ce%x00%cd", "--date=raw", commit).split("\0")
    who = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_COMMITTER_DATE": date,
    }
    message = f"Learner edition of {commit[:12]}\n\nNo solutions/, tests/ or instructor guides (borderdesk publish)."
    args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
    new = _git(root, *args, env=who)
    _git(root, "update-ref", ref, new, *([parent] if parent else []))
    return new, True


def cmd_publish(args: argparse.Namespace) -> int:
    from .paths import course_root

    root = course_root()
    commit, new = publish(root, args.source, args.branch)
    if new:
        print(f"published the learner edition of {args.source} on branch {args.branch}: {commit[:12]}")
    else:
        print(f"branch {args.branch} already holds the learner edition of {args.source}: {commit[:12]}, unchanged")
    print(f"push it for the hub: git push origin {args.branch}")
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "publish",
        help="write the learner edition (no solutions/, hidden tests or instructor tools) on the branch learner",
        description=(
            "Write the committed course, without solutions/, tests/, deploy/, benchmarks/ and the instructor "
            "guide, as a new commit on the branch learner (a child of the previous edition, so learners' "
            "nbgitpuller merges it). Deterministic: the same course commit gives the same learner commit. "
            "`borderdesk hub link` points at this branch unless --self-study."
        ),
    )
    p.add_argument("--source", default="HEAD", help="course commit to publish (default: %(default)s)")
    p.add_argument("--branch", default=LEARNER_BRANCH, help="branch to write (default: %(default)s)")
    p.set_defaults(func=cmd_publish)
