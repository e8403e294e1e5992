"""`borderdesk lab`: JupyterLab on the course, as a learner sees it (or, with --instructor, as a trainer).

What makes it the learner's view lives in Jupyter config folders of the course, which
this command puts on ``JUPYTER_CONFIG_PATH`` (the hubs' learner servers use the same):

- ``jupyter-config/`` (every mode): BorderDesk's server extensions (Validate recorded
  in progress, saved drills say "Run this cell"), its JupyterLab extension (nbgrader's
  Validate only on assignments), encrypted kernel sockets, JupyterLab's news off and
  long code lines wrapped.
- ``jupyter-config/learner/`` (not with ``--instructor``): nbgrader's Formgrader,
  Course List and Create Assignment off, in JupyterLab and on the server, so
  ``/formgrader`` is not served; ``solutions/`` is left out of the file browser
  (``ContentsManager.hide_globs``) unless ``--self-study``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import BorderDeskError
from .paths import course_root

START_NOTEBOOK = "course/00_start_here.ipynb"
# jupyter_server's own hide_globs: what --self-study restores over jupyter-config/learner's list.
DEFAULT_HIDE_GLOBS = ["__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~"]
# The JupyterLab extension inside the package (an editable install has it too).
LABEXTENSIONS = Path(__file__).resolve().parent / "labextensions"


def encrypt_kernel_sockets(c) -> None:
    """Set traitlets config ``c`` so kernels do not talk in plain text over TCP.

    Without it ipykernel warns "Kernel is running over TCP without encryption" in the
    terminal of `borderdesk lab` for every kernel (lessons, and nbgrader's Validate).
    jupyter_client provisions CurveZMQ keys for a kernel whose kernelspec supports it
    (ipykernel's does); a pyzmq built without CurveZMQ uses Unix sockets instead, which
    never leave the machine.
    """
    import zmq

    if zmq.has("curve"):
        c.KernelManager.transport_encryption = "auto"
    elif hasattr(zmq, "IPC_PATH_MAX_LEN"):  # Unix sockets exist on this system
        c.KernelManager.transport = "ipc"


def config_dirs(root: Path, instructor: bool = False) -> list[Path]:
    """The course's Jupyter config folders, highest priority first."""
    dirs = [root / "jupyter-config"]
    if not instructor:
        dirs.insert(0, root / "jupyter-config" / "learner")
    return dirs


def lab_argv(root: Path, args: argparse.Namespace) -> list[str]:
    """The JupyterLab command line of ``borderdesk lab``."""
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        # The page a browser opens, and the URL printed with --no-browser: chapter 00.
        f"--LabApp.default_url=/lab/tree/{START_NOTEBOOK}",
    ]
    if getattr(args, "self_study", False) and not args.instructor:
        argv.append(f"--ContentsManager.hide_globs={DEFAULT_HIDE_GLOBS!r}")
    if args.no_browser:
        argv.append("--no-browser")
    if args.port is not None:
        argv.append(f"--port={args.port}")
    if os.geteuid() == 0:
        # Containers and CI machines often run as root, which JupyterLab refuses by default.
        argv.append("--allow-root")
    return argv


def cmd_lab(args: argparse.Namespace) -> int:
    root = course_root()
    if not (root / START_NOTEBOOK).is_file():
        raise BorderDeskError(
            f"{root / START_NOTEBOOK} is missing; restore it with `git checkout -- course` or clone the course again"
        )
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        [*(str(d) for d in config_dirs(root, args.instructor)), *filter(None, [os.environ.get("JUPYTER_CONFIG_PATH")])]
    )
    os.chdir(root)
    # Replace this process so Ctrl-C and exit codes behave exactly as JupyterLab's.
    os.execv(sys.executable, lab_argv(root, args))
    return 0  # not reached


def register(sub) -> None:
    lab = sub.add_parser(
        "lab",
        help="open the course in JupyterLab, starting at course/00_start_here.ipynb",
        description=(
            "Start JupyterLab in the course folder on the start-here notebook, as a learner sees it: "
            "nbgrader's instructor tools (Formgrader, Course List, Create Assignment) are hidden."
        ),
    )
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser; print the URL to open")
    lab.add_argument("--port", type=int, help="port for JupyterLab (default: its own, 8888)")
    lab.add_argument(
        "--instructor",
        action="store_true",
        help="also show nbgrader's Formgrader, Course List and Create Assignment (for trainers)",
    )
    lab.add_argument(
        "--self-study",
        action="store_true",
        help="show solutions/ in the file browser (learners on their own; a graded class uses the learner edition)",
    )
    lab.set_defaults(func=cmd_lab)
