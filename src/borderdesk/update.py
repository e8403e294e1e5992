"""`borderdesk update`: bring a learner's copy of the course up to date without losing their work.

Saving a lesson writes the learner's outputs (and any edits) into the tracked
notebooks, so a plain ``git pull`` stops with "Your local changes would be
overwritten" or leaves conflict markers in a notebook. This command uses nbgitpuller's
merge, the one a hub uses when a learner clicks a course link: it commits the learner's
changes ("Automatic commit by nbgitpuller"), merges the course's branch with
``-Xours`` (where both changed the same lines, the learner's lines win), restores files
the learner deleted, and renames a learner's file that a new course file would
overwrite. Upstream changes everywhere else arrive.

One safety net on top: a line-based merge of two JSON files can, rarely, produce a
file that is no longer a notebook. Such a notebook is put back as the learner had it,
and the command says which one did not get the course's changes.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from .errors import BorderDeskError
from .paths import course_root


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BorderDeskError(f"`git {' '.join(args)}` failed in {root}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip()


def _branch_and_remote(root: Path) -> tuple[str, str]:
    if not (root / ".git").exists():
        raise BorderDeskError(
            f"{root} is not a git clone, so it cannot be updated; clone the course with `git clone URL` "
            "and copy your notebooks into the clone"
        )
    branch = _git(root, "rev-parse", "--abbrev-ref", "HEAD")
    if branch == "HEAD":
        raise BorderDeskError(f"{root} is not on a branch (detached HEAD); run `git switch main` first")
    try:
        url = _git(root, "remote", "get-url", "origin")
    except BorderDeskError:
        raise BorderDeskError(
            f"{root} has no remote called origin; add the course's address with `git remote add origin URL`"
        ) from None
    return branch, url


def _broken_notebooks(root: Path, paths: list[str]) -> list[str]:
    import nbformat

    broken = []
    for path in paths:
        if not path.endswith(".ipynb") or not (root / path).is_file():
            continue
        try:
            nbformat.validate(nbformat.read(root / path, as_version=4))
        except Exception:  # noqa: BLE001 (any way of not being a notebook)
            broken.append(path)
    return broken


def update(root: Path, log=print) -> list[str]:
    """Merge the course's new commits into ``root``, keeping the learner's changes.

    Returns the notebooks that kept the learner's version because merging them did
    not give a valid notebook (usually none).
    """
    from nbgitpuller.errors import BranchExistError
    from nbgitpuller.pull import GitPuller

    branch, url = _branch_and_remote(root)
    before = _git(root, "rev-parse", "HEAD")
    try:
        for line in GitPuller(url, str(root), branch=branch).update():
            log(line.rstrip("\n"))
    except BranchExistError:
        raise BorderDeskError(
            f"the course at {url} has no branch {branch!r}; switch to the course's branch, e.g. `git switch main`"
        ) from None
    except subprocess.CalledProcessError as exc:
        raise BorderDeskError(
            f"updating {root} from {url} failed at `{' '.join(exc.cmd)}`; the output above says why "
            "(no network? the course moved?). Your saved work is still in the clone, nothing is lost"
        ) from None
    head = _git(root, "rev-list", "--parents", "-n", "1", "HEAD").split()
    if head[0] == before or len(head) != 3:
        return []  # nothing new, or a fast-forward: every file is one side's, whole
    mine = head[1]  # the learner's side of the merge (their changes, committed)
    changed = _git(root, "diff", "--name-only", mine, "HEAD").splitlines()
    kept = _broken_notebooks(root, changed)
    for path in kept:
        own = subprocess.run(["git", "show", f"{mine}:{path}"], cwd=root, capture_output=True, check=True)
        (root / path).write_bytes(own.stdout)
    if kept:
        _git(
            root,
            *("-c", "user.email=borderdesk@localhost", "-c", "user.name=borderdesk update"),
            *("commit", "-m", "borderdesk update: keep the learner's version of notebooks the merge broke"),
            *("--", *kept),
        )
    return kept


def cmd_update(args: argparse.Namespace) -> int:
    root = course_root()
    kept = update(root)
    for path in kept:
        print(
            f"{path}: kept your version; the course's changes to it could not be merged. "
            f"To get the course's version, rename your copy and run `git checkout origin/HEAD -- {path}`"
        )
    print(f"updated {root}: the course's new commits are merged; your changes are kept")
    return 0


def register(sub) -> None:
    update_parser = sub.add_parser(
        "update",
        help="update your copy of the course (git), keeping your saved work",
        description=(
            "Fetch the course's new commits and merge them into your clone with nbgitpuller's merge "
            "(the one a hub uses): your edits and saved outputs are committed and win where both "
            "changed the same lines; everything else from the course arrives."
        ),
    )
    update_parser.set_defaults(func=cmd_update)
