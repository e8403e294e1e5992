"""The ``borderdesk`` command."""

from __future__ import annotations

import argparse
import sys

from .errors import BorderDeskError


def cmd_release(args: argparse.Namespace) -> int:
    from .grading.release import release

    for name in release(args.assignment):
        print(f"released {name}: exercises/{name}/ regenerated from solutions/{name}/")
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    from .cases import generate, of_chapter, registry
    from .chapters import chapter
    from .datasets import validate_all
    from .paths import data_dir

    names = None
    if args.chapter is not None:
        slug = chapter(args.chapter).slug
        names = of_chapter(slug)
        if not names:
            raise BorderDeskError(f"chapter {slug} registers no datasets (borderdesk/cases/c{slug}/)")
    out = data_dir()
    written = generate(out, names, seed=args.seed)
    for name, rows in validate_all(out, written).items():
        print(f"{out / registry[name].file}: {rows} rows, valid")
    return 0


# Commands that live beside the code they drive. Each module exposes
# ``register(subparsers)`` and must import only argparse-level things at the top,
# so `borderdesk --help` stays fast; heavy imports go inside the command function.
COMMAND_MODULES = (
    "borderdesk.lab",  # lab
    "borderdesk.update",  # update
    "borderdesk.grading.grade",  # grade
    "borderdesk.grading.feedback",  # feedback
    "borderdesk.grading.export",  # export
    "borderdesk.grading.report",  # report
    "borderdesk.hub",  # hub link
    "borderdesk.publish",  # publish
    "borderdesk.progress",  # progress
    "borderdesk.check",  # check
    "borderdesk.reply_check",  # check-reply
    "borderdesk.grading.reply_findings",  # precheck
)


def _register_modules(sub) -> None:
    import importlib

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if (exc.name or "").startswith("borderdesk.grading"):  # the learner edition has no grading tools
                continue
            raise
        module.register(sub)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="borderdesk",
        description="BorderDesk: a Jupyter course for cross-border e-commerce customer service.",
        epilog="Run `borderdesk COMMAND --help` for the options of one command.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

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
        description=(
            "Regenerate data/*.csv from the seeded generators registered in borderdesk.cases "
            "(every dataset, or one chapter's and what they need), then load and validate each file."
        ),
    )
    data.add_argument("--chapter", metavar="N", help="only this chapter's datasets (number or slug, e.g. 1)")
    data.add_argument("--seed", type=int, default=20260930, help="generator seed (default: %(default)s)")
    data.set_defaults(func=cmd_data)

    _register_modules(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .paths import used_from_install

    args = build_parser().parse_args(argv)
    installed = used_from_install()
    if installed is not None:
        print(
            f"borderdesk: using the course in {installed} (where borderdesk was installed from); "
            "cd into a course folder or set BORDERDESK_ROOT to use another",
            file=sys.stderr,
        )
    try:
        if getattr(args, "assignment", None):  # the one check of an assignment name, for every command
            from .chapters import known_assignment

            known_assignment(args.assignment)
        return args.func(args)
    except BorderDeskError as exc:  # every error a user can fix (paths.CourseNotFound, ...)
        print(f"borderdesk: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
