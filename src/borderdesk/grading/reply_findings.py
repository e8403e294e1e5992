"""The grader's view of the reply pre-check: ``borderdesk precheck ASSIGNMENT`` writes
``autograder/precheck/ASSIGNMENT.html``, one section per student, each hand-graded written
answer beside the buyer's message it replies to and the pre-check's findings.

Which message an answer replies to is declared by the assignment, in
``solutions/<assignment>/precheck.yaml``::

    dataset: buyer_messages     # optional: any registered dataset (default buyer_messages)
    id_column: message_id       # optional (default message_id)
    columns: {}                 # optional: check_reply field -> the dataset's column, e.g. {message: body}
    answers:                    # nbgrader grade_id of the answer cell -> the message's id
      reply_en: MSG-00042

Any assignment whose written answers reply to a message of a dataset can use it.

Why a page and not nbgrader comments: nbgrader's autograde rewrites each cell's
``auto_comment`` ("No response." or nothing) at every run, and formgrader shows a comment to
the learner in the feedback; the pre-check is for the grader, before grading, and must not
reach the learner as if the grader had written it. A page needs no gradebook, works before
or after autograding, and sits beside formgrader in another tab.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ..errors import BorderDeskError

CONFIG = "precheck.yaml"
STUB = "YOUR ANSWER HERE"


class PrecheckError(BorderDeskError):
    """The assignment's precheck.yaml, or the data it names, is missing or wrong."""


def read_config(root: Path, assignment: str) -> dict:
    """``solutions/<assignment>/precheck.yaml``, checked; errors name the file and the entry."""
    import yaml

    path = root / "solutions" / assignment / CONFIG
    if not path.is_file():
        raise PrecheckError(
            f"{path} not found: the assignment must say which message each hand-graded answer replies to "
            f"(answers: {{grade_id: message id}}); see borderdesk/grading/reply_findings.py"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise PrecheckError(f"{path} is not valid YAML: {exc}") from None
    unknown = set(data) - {"dataset", "id_column", "columns", "answers"}
    if unknown:
        raise PrecheckError(f"{path}: unknown entries {sorted(unknown)}; allowed: dataset, id_column, columns, answers")
    answers = data.get("answers")
    if not isinstance(answers, dict) or not answers:
        raise PrecheckError(f"{path}: `answers` must map each answer cell's grade_id to a message id")
    bad = [k for k, v in answers.items() if not isinstance(v, str) or not v]
    if bad:
        raise PrecheckError(f"{path}: answers {bad}: give the message id as text, e.g. MSG-00042")
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise PrecheckError(
            f"{path}: `columns` maps check_reply fields to the dataset's columns, e.g. {{message: body}}"
        )
    return dict(
        path=path,
        dataset=data.get("dataset") or "buyer_messages",
        id_column=data.get("id_column") or "message_id",
        columns=columns,
        answers=answers,
    )


def _messages(cfg: dict, root: Path) -> dict[str, dict]:
    """The rows the answers reply to, as check_reply fields, by message id."""
    from ..datasets import DataError, _dataset, load
    from ..reply_check import FIELDS

    try:
        frame = load(cfg["dataset"], root / "data" / _dataset(cfg["dataset"]).file)
    except DataError as exc:
        raise PrecheckError(f"{cfg['path']}: dataset {cfg['dataset']!r}: {exc}") from None
    if cfg["id_column"] not in frame.columns:
        raise PrecheckError(f"{cfg['path']}: {cfg['dataset']} has no column {cfg['id_column']!r}")
    rows = frame.set_index(cfg["id_column"], drop=False)
    out = {}
    for grade_id, message_id in cfg["answers"].items():
        if message_id not in rows.index:
            raise PrecheckError(f"{cfg['path']}: answers.{grade_id}: no message {message_id!r} in {cfg['dataset']}")
        row = rows.loc[message_id].to_dict()
        fields = {}
        for name in FIELDS:
            column = cfg["columns"].get(name, name)
            if column in row:
                fields[name] = "" if row[column] is None else str(row[column])
        out[message_id] = fields
    return out


def _answers(notebook: Path, grade_ids: set[str]) -> dict[str, str]:
    """The text of the answer cells with these grade_ids (a code cell's text as written)."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    out = {}
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in grade_ids:
            out[gid] = cell.source
    return out


MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*$", re.M)
NOTE = re.compile(r"^\s*(#{1,6} .*|\*[^*].*\*|_[^_].*_|>.*)\s*$")  # a heading, an italic note or a quote line


def reply_text(source: str) -> str:
    """The reply in an answer cell: without nbgrader's solution markers and leading headings or notes."""
    lines = MARKER.sub("", source).strip().splitlines()
    while lines and (not lines[0].strip() or NOTE.match(lines[0])):
        lines = lines[1:]
    return "\n".join(lines).strip()


def build(root: Path, assignment: str) -> tuple[str, int]:
    """(the page's HTML, the number of students) for the submissions of ``assignment``."""
    from ..reply_check import check_reply, render_html
    from . import config
    from .pages import render_page

    cfg = read_config(root, assignment)
    messages = _messages(cfg, root)
    submitted = root / config.load(root).CourseDirectory.submitted_directory
    folders = sorted(p for p in submitted.glob(f"*/{assignment}") if p.is_dir())
    if not folders:
        raise PrecheckError(f"no submissions of {assignment} in {submitted}/<student>/{assignment}/")
    grade_ids = set(cfg["answers"])
    blank: dict[str, str] = {}  # what the release holds in each answer cell: handed back unchanged = not answered
    for nb in sorted((root / "exercises" / assignment).glob("*.ipynb")):
        blank.update(_answers(nb, grade_ids))
    students = []
    for folder in folders:
        student = dict(id=folder.parent.name, note="", answers=[])
        found: dict[str, str] = {}
        notebooks = sorted(folder.glob("*.ipynb"))
        for nb in notebooks:
            try:
                found.update(_answers(nb, grade_ids))
            except Exception as exc:  # a broken upload: say so, keep going with the others
                student["note"] += f"{nb.name} could not be read ({type(exc).__name__}). "
        if not notebooks:
            student["note"] = "No notebook in this submission."
        for grade_id, message_id in cfg["answers"].items():
            message = messages[message_id]
            answer = dict(
                grade_id=grade_id,
                message_id=message_id,
                message=message.get("message", ""),
                reply="",
                findings_html="",
                problem="",
            )
            text = found.get(grade_id)
            if text is None:
                answer["problem"] = f"No answer cell {grade_id!r} in the submission (deleted or renamed?)."
            elif not text.strip() or text.strip() == STUB or text.strip() == blank.get(grade_id, "").strip():
                answer["problem"] = "Not answered."
            else:
                if STUB in text:
                    student["note"] += f"{grade_id} still holds {STUB!r} in places. "
                answer["reply"] = text
                answer["findings_html"] = render_html(check_reply(reply_text(text) or text, message))
            student["answers"].append(answer)
        students.append(student)
    page = render_page("precheck.html", assignment=assignment, students=students, dataset=cfg["dataset"])
    return page, len(students)


def write(root: Path, assignment: str) -> Path:
    page, _ = build(root, assignment)
    out = root / "autograder" / "precheck" / f"{assignment}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


def cmd_precheck(args: argparse.Namespace) -> int:
    from ..paths import course_root

    out = write(course_root(), args.assignment)
    print(f"wrote {out}: open it beside formgrader before grading the written answers")
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "precheck",
        help="write a page with the reply pre-check's findings beside each submitted written answer",
        description=(
            "For graders: read the submissions of ASSIGNMENT (autograder/submitted/<student>/ASSIGNMENT/), "
            "take the hand-graded answers named in solutions/ASSIGNMENT/precheck.yaml, run the reply pre-check "
            "on each against the buyer message it answers, and write autograder/precheck/ASSIGNMENT.html."
        ),
    )
    p.add_argument("assignment", help="e.g. 02_language")
    p.set_defaults(func=cmd_precheck)
