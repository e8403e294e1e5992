"""`borderdesk hub link`: the nbgitpuller link that opens the course on a JupyterHub.

A learner who clicks the link logs in to the hub; nbgitpuller (installed in the hub's
environment) clones the course repository into their home, or merges new commits into
their existing clone without overwriting their changes, and JupyterLab opens the given
notebook. The link uses nbgitpuller's documented parameters: ``repo``, ``branch``,
``targetpath`` (the clone's folder, relative to the home) and ``urlpath`` (what to open
afterwards, here ``lab/tree/<targetpath>/<file>``).

By default the link pulls the learner edition (the branch ``borderdesk publish`` writes:
no solutions/, hidden tests or instructor tools); ``--self-study`` pulls the course's own
branch, solutions included, for learners who study alone.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from .errors import BorderDeskError
from .publish import LEARNER_BRANCH

DEFAULT_OPEN = "course/00_start_here.ipynb"


def _git(root: Path, *args: str) -> str | None:
    """Output of a git command in ``root``, or None when it fails (no repo, no remote...)."""
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def normalize_hub(hub: str) -> str:
    """``https://hub.example.edu`` without a trailing ``/`` or ``/hub``."""
    from urllib.parse import urlsplit

    parts = urlsplit(hub.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BorderDeskError(
            f"--hub {hub!r} is not a web address; give it with its scheme, e.g. --hub https://{hub.strip() or 'hub.example.edu'}"
        )
    if parts.query or parts.fragment:
        raise BorderDeskError(
            f"--hub {hub!r} has a query or fragment; give only the hub's address, e.g. {parts.scheme}://{parts.netloc}"
        )
    path = parts.path.rstrip("/")
    if path.endswith("/hub"):  # the address of the hub's home page was pasted
        path = path[: -len("/hub")]
    return f"{parts.scheme}://{parts.netloc}{path}"


def public_repo_url(url: str) -> str:
    """An address the hub can clone without keys: SSH remotes become https."""
    url = url.strip()
    if url.startswith("git@") and ":" in url:  # scp-like: git@github.com:org/course.git
        host, path = url[len("git@") :].split(":", 1)
        url = f"https://{host}/{path}"
    elif url.startswith("ssh://"):
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        url = f"https://{parts.hostname}{parts.path}"
    if "@" in url.split("//", 1)[-1].split("/", 1)[0]:
        raise BorderDeskError(f"repository address {url!r} contains credentials; give a public address with --repo")
    return url


def default_remote(root: Path) -> str:
    """The URL of the current branch's upstream remote, else of ``origin``, else the only remote."""
    remotes = (_git(root, "remote") or "").split()
    upstream = _git(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    name = None
    if upstream and upstream.split("/", 1)[0] in remotes:
        name = upstream.split("/", 1)[0]
    elif "origin" in remotes:
        name = "origin"
    elif len(remotes) == 1:
        name = remotes[0]
    if name is None:
        where = f"the remotes of {root} are {', '.join(remotes)}" if remotes else f"{root} has no git remote"
        raise BorderDeskError(
            f"cannot tell which repository learners should pull: {where}; "
            "pass it with --repo https://host/org/course.git (or `git remote add origin URL`)"
        )
    return _git(root, "remote", "get-url", name) or ""


def default_branch(root: Path) -> str:
    upstream = _git(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    if upstream and "/" in upstream:
        return upstream.split("/", 1)[1]
    branch = _git(root, "symbolic-ref", "--short", "-q", "HEAD")
    if not branch:
        raise BorderDeskError(
            "cannot tell which branch learners should pull (no branch checked out); pass --branch main"
        )
    return branch


def check_path(root: Path, path: str) -> str:
    """``path`` as a clean relative path that exists in the course (and is committed)."""
    rel = Path(path.strip())  # Path drops "./" and doubled slashes
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise BorderDeskError(f"--open {path!r} must be a path inside the course, e.g. {DEFAULT_OPEN}")
    target = root / rel
    if not target.exists():
        raise BorderDeskError(
            f"--open {path!r} does not exist in the course at {root}; "
            f"e.g. --open {DEFAULT_OPEN} (paths are relative to the course folder)"
        )
    tracked = _git(root, "ls-files", "--", rel.as_posix())
    if tracked is not None and not tracked:  # a git checkout, and git does not know the path
        raise BorderDeskError(
            f"--open {path!r} is not committed, so learners pulling the repository will not get it; "
            f"commit and push it first (git add {rel.as_posix()})"
        )
    return rel.as_posix()


def check_learner_path(root: Path, branch: str, path: str) -> str:
    """``path`` as a clean relative path that the learner edition on ``branch`` holds."""
    rel = Path(path.strip())
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise BorderDeskError(f"--open {path!r} must be a path inside the course, e.g. {DEFAULT_OPEN}")
    if _git(root, "rev-parse", "--verify", "-q", f"refs/heads/{branch}") is None:
        raise BorderDeskError(
            f"there is no learner edition yet (no branch {branch!r} in {root}): run `borderdesk publish`, "
            f"then `git push origin {branch}`; or pass --self-study to send the course with its solutions"
        )
    if _git(root, "cat-file", "-e", f"{branch}:{rel.as_posix()}") is None:
        raise BorderDeskError(
            f"--open {path!r} is not in the learner edition on branch {branch!r}; "
            f"commit it, run `borderdesk publish` and push, or open e.g. {DEFAULT_OPEN}"
        )
    return rel.as_posix()


def link(
    hub: str,
    repo: str | None = None,
    branch: str | None = None,
    open_path: str = DEFAULT_OPEN,
    root: Path | None = None,
    self_study: bool = False,
) -> str:
    """The nbgitpuller link for ``open_path`` of the course at ``root`` on ``hub``.

    Learners get the learner edition (branch ``learner``) unless ``self_study``.
    """
    from urllib.parse import urlencode

    from .paths import course_root

    base = normalize_hub(hub)
    root = Path(root) if root is not None else course_root()
    if self_study:
        rel = check_path(root, open_path)
        branch = branch or default_branch(root)
    else:
        branch = branch or LEARNER_BRANCH
        rel = check_learner_path(root, branch, open_path)
    repo_url = public_repo_url(repo if repo else default_remote(root))
    # nbgitpuller clones into ~/<last part of the repo address>; we say so explicitly
    # (targetpath) so the clone folder and urlpath can never disagree, e.g. over ".git".
    clone_dir = repo_url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git") or "course"
    query = urlencode(
        {
            "repo": repo_url,
            "branch": branch,
            "targetpath": clone_dir,
            "urlpath": f"lab/tree/{clone_dir}/{rel}",
        },
        safe="/:",
    )
    return f"{base}/hub/user-redirect/git-pull?{query}"


def cmd_link(args: argparse.Namespace) -> int:
    print(link(args.hub, repo=args.repo, branch=args.branch, open_path=args.open, self_study=args.self_study))
    return 0


def register(sub) -> None:
    hub = sub.add_parser(
        "hub",
        help="JupyterHub helpers (hub link: the nbgitpuller link that opens the course)",
        description="Helpers for running the course on a JupyterHub (see deploy/hub/README.md).",
    )
    hub_sub = hub.add_subparsers(dest="hub_command", metavar="HUB_COMMAND", required=True)
    p = hub_sub.add_parser(
        "link",
        help="print the link that pulls the course into a learner's home and opens a notebook",
        description=(
            "Print an nbgitpuller link: a learner who opens it logs in to the hub, gets the "
            "course cloned (or updated, keeping their edits) in their home, and JupyterLab "
            "opens the notebook. The repository defaults to this checkout's git remote; the branch to the "
            "learner edition `borderdesk publish` writes (no solutions/ or hidden tests)."
        ),
    )
    p.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    p.add_argument("--repo", help="repository learners pull (default: this checkout's remote, SSH turned into https)")
    p.add_argument(
        "--branch",
        help=f"branch to pull (default: {LEARNER_BRANCH}, the learner edition; with --self-study this checkout's branch)",
    )
    p.add_argument(
        "--self-study",
        action="store_true",
        help="pull the course's own branch, solutions/ and hidden tests included (for learners on their own)",
    )
    p.add_argument(
        "--open",
        default=DEFAULT_OPEN,
        metavar="PATH",
        help="file or folder to open, relative to the course (default: %(default)s)",
    )
    p.set_defaults(func=cmd_link)
