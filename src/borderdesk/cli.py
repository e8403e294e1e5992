"""The ``borderdesk`` command."""

from __future__ import annotations

import argparse
import os
import sys

from .errors import BorderDeskError
from .paths import CourseNotFound, course_root

START_NOTEBOOK = "course/00_start_here.ipynb"


def cmd_lab(args: argparse.Namespace) -> int:
    root = course_root()
    if not (root / START_NOTEBOOK).is_file():
        raise BorderDeskError(
            f"{root / START_NOTEBOOK} is missing; restore it with `git checkout -- course` or clone the course again"
        )
    argv = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", START_NOTEBOOK]
    if args.no_browser:
        argv.append("--no-browser")
    if args.port is not None:
        argv.append(f"--port={args.port}")
    if os.geteuid() == 0:
        # Containers and CI machines often run as root, which JupyterLab refuses by default.
        argv.append("--allow-root")
    # Record nbgrader's Validate in the learner's progress (borderdesk.validate_hook);
    # an editable install does not get the data file that enables it.
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (str(root / "jupyter-config"), os.environ.get("JUPYTER_CONFIG_PATH")) if p
    )
    os.chdir(root)
    # Replace this process so Ctrl-C and exit codes behave exactly as JupyterLab's.
    os.execv(sys.executable, argv)
    return 0  # not reached


def cmd_release(args: argparse.Namespace) -> int:
    from .grading.release import release

    for name in release(args.assignment):
        print(f"released {name}: exercises/{name}/ regenerated from solutions/{name}/")
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    from .datasets import validate_all
    from .generate import write_all
    from .paths import data_dir

    out = data_dir()
    out.mkdir(exist_ok=True)
    write_all(out, seed=args.seed)
    for name, rows in validate_all(out).items():
        print(f"{out / (name + '.csv')}: {rows} rows, valid")
    return 0


# Commands that live beside the code they drive. Each module exposes
# ``register(subparsers)`` and must import only argparse-level things at the top,
# so `borderdesk --help` stays fast; heavy imports go inside the command function.
COMMAND_MODULES = (
    "borderdesk.grading.grade",  # grade
    "borderdesk.grading.feedback",  # feedback
    "borderdesk.grading.export",  # export
    "borderdesk.grading.report",  # report
    "borderdesk.hub",  # hub link
    "borderdesk.progress",  # progress
)


def _register_modules(sub) -> None:
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="borderdesk",
        description="BorderDesk: a Jupyter course for cross-border e-commerce customer service.",
        epilog="Run `borderdesk COMMAND --help` for the options of one command.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    lab = sub.add_parser(
        "lab",
        help="open the course in JupyterLab, starting at course/00_start_here.ipynb",
        description="Start JupyterLab in the course folder and open the start-here notebook.",
    )
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    lab.add_argument("--port", type=int, help="port for JupyterLab (default: its own, 8888)")
    lab.set_defaults(func=cmd_lab)

    release = sub.add_parser(
        "release",
        help="regenerate the student notebooks in exercises/ from solutions/ (nbgrader)",
        description=(
            "Run nbgrader generate_assignment with the course's config: solutions are "
            "replaced by stubs and hidden tests removed. Without ASSIGNMENT, every "
            "assignment of course/chapters.yaml is released."
        ),
    )
    release.add_argument("assignment", nargs="?", help="e.g. 01_platform_rules")
    release.set_defaults(func=cmd_release)

    data = sub.add_parser(
        "data",
        help="regenerate the synthetic case data in data/ and validate it",
        description="Regenerate data/*.csv from the seeded generator, then load and validate each file.",
    )
    data.add_argument("--seed", type=int, default=20260930, help="generator seed (default: %(default)s)")
    data.set_defaults(func=cmd_data)

    _register_modules(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (BorderDeskError, CourseNotFound) as exc:
        print(f"borderdesk: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
