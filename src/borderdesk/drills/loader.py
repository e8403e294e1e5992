"""Read and validate drill YAML files (course/drills/<chapter>.yaml).

The format is the pydantic models of :mod:`borderdesk.drills.model` (text fields are
Markdown; unknown fields are errors, to catch typos); ``course/drills/drills.schema.json``
is its JSON Schema, generated from those models, so an editor with the YAML language
server checks and completes a drill file (its first line names the schema)::

    # yaml-language-server: $schema=drills.schema.json
    chapter: 01_platform_rules          # must equal the file name
    drills:
      - id: odr-defects                 # kebab-case, unique in the file
        kind: choice                    # choice | categorise | order | text | reply
        title: "What makes an order defective?"   # required: the heading learners see
        prompt: "..."                   # required
        explanation: "..."              # required: shown once the answer is right
        hints: ["nudge", "stronger", "nearly the answer"]   # optional, shown one at a time
        # choice
        multiple: false                 # true = tick all that apply (>= 1 correct)
        shuffle: true                   # options shown in a fixed shuffled order (seeded by id)
        options:                        # >= 2; single choice: exactly one correct
          - {text: "...", correct: true, feedback: "..."}   # feedback required on wrong options
      - kind: categorise
        groups: [genuine, spy, fraud]   # >= 2, shown in a drop-down per item
        items:                          # feedback required: shown when the item is misplaced
          - {text: "...", group: fraud, feedback: "..."}    # (it must not name the group)
        shuffle: true
      - kind: order
        steps: ["first", "second", "third"]   # the right order; shown shuffled (seeded by id)
        feedback: {0: "..."}            # optional, by step index: shown when that step is misplaced
      - kind: text
        accept: ["request for quot(e|ation)"]  # regexes, full match, case-insensitive, on the
                                                # stripped answer (inner spaces collapsed, no final ".")
        examples: ["request for quotation"]    # answers that must be accepted (required with accept)
        numeric: {value: 90, tolerance: 0, percent: true}   # instead of / besides accept
        wrong:                          # known wrong answers, checked after accept/numeric
          - {match: "request for proposal", example: "request for proposal", feedback: "..."}
          - {value: 97, feedback: "..."}                    # numeric drills only
        feedback: "..."                 # optional, for any other wrong answer
        placeholder: "..."              # optional, the empty text box's grey text
      - kind: reply                     # the learner writes a reply; the reply pre-check
        case:                           # (borderdesk.reply_check) lists what it does and misses
          message: "Hi, my parcel ..."  # the buyer's message (plain text), shown in the drill
          buyer_name: "Tom Baker"       # optional context the pre-check compares with:
          order_id: "302-..."           # buyer_name, order_id, platform, language, locale
        min_words: 25                   # optional: shorter is "not a reply yet"
        model_reply: "Hi Tom, ..."      # required: a reply that passes every check (the solution)

Prompts, explanations, hints and feedback may cite a glossary term (from any chapter's
course/glossary/<chapter slug>.yaml) as ``[[inquiry]]`` or ``[[inquiry|inquiries]]``: shown
as "inquiry (询盘)" with the definition as a tooltip; a term the glossary lacks is an error
that says to add it to the drill file's chapter's glossary file.

Numeric answers: "90", "90%", "90 %", "90 percent", ">= 90", "90,0" are read as 90. In a
``percent: true`` drill a bare fraction up to 1 ("0.9") is also read as 90%, since
pandas prints rates as fractions; "0.9%" is not. Loading runs the text drills'
``examples`` and ``wrong[].example``/``value`` through ``check`` as a self-test.

Every problem in a file is collected and reported at once, each naming the file,
the drill id and the field, e.g.::

    course/drills/01_platform_rules.yaml: drill 'odr-defects': field 'options': no option has correct: true
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from ..errors import BorderDeskError
from ..paths import course_root, drills_dir
from .model import KINDS, Drill, DrillFile

SCHEMA_FILE = "drills.schema.json"
SCHEMA_COMMAND = "python -m borderdesk.drills --schema"


class DrillError(BorderDeskError):
    """Base class of the drill engine's errors."""


class DrillNotFound(DrillError, LookupError):
    """An unknown chapter or drill id; the message lists what is available."""

    def __str__(self) -> str:  # LookupError would quote the message
        return str(self.args[0])


class DrillValidationError(DrillError, ValueError):
    """A drill file is invalid; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        head = f"{len(errors)} problem{'s' if len(errors) > 1 else ''} in drill file(s):\n" if len(errors) > 1 else ""
        super().__init__(head + "\n".join(errors))


# ----------------------------------------------------------------- JSON Schema
def json_schema() -> dict[str, Any]:
    """The JSON Schema of a drill file, generated from :class:`~borderdesk.drills.model.DrillFile`."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": f"Generated from src/borderdesk/drills/model.py by `{SCHEMA_COMMAND}`; do not edit.",
        **DrillFile.model_json_schema(),
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(directory: str | Path | None = None) -> Path:
    """Write the schema beside the drill files (course/drills/drills.schema.json)."""
    path = Path(directory if directory is not None else drills_dir()) / SCHEMA_FILE
    path.write_text(schema_text(), encoding="utf-8")
    return path


# ------------------------------------------------------- validation messages
def _bare(tp: Any) -> Any:
    """``tp`` without ``Annotated[...]`` and ``| None``."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif (
            origin in (typing.Union, types.UnionType)
            and len(typing.get_args(tp)) == 2
            and type(None) in typing.get_args(tp)
        ):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp


def _type_at(loc: tuple[str | int, ...] | list[str | int]) -> Any:
    """The model (or type) that pydantic validates at ``loc`` in a drill file."""
    tp: Any = DrillFile
    for seg in loc:
        tp = _bare(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if seg not in tp.model_fields:
                return None
            tp = tp.model_fields[seg].annotation
        elif typing.get_origin(tp) is list and isinstance(seg, int):
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        elif seg in KINDS:  # the discriminated union of drill kinds
            tp = KINDS[seg]  # type: ignore[index]
        else:
            return None
    return _bare(tp)


def _fields(model: Any) -> list[str]:
    model = model if isinstance(model, type) and issubclass(model, BaseModel) else Drill
    return list(model.model_fields)


def _render(segments: list[str | int]) -> str:
    out = ""
    for seg in segments:
        out += f"[{seg}]" if isinstance(seg, int) else ("." if out else "") + str(seg)
    return out


def _message(error: ErrorDetails, info: FieldInfo | None, loc: list[str | int]) -> str:
    kind, got, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing":
        return f"missing (required: {info.description})" if info and info.description else "missing (required)"
    if kind == "extra_forbidden":
        return f"unknown field (allowed: {', '.join(_fields(_type_at(loc[:-1])))})"
    if kind == "union_tag_invalid":
        return f"unknown kind {ctx.get('tag')!r} (kinds: {', '.join(KINDS)})"
    if kind == "union_tag_not_found":
        return f"missing (kinds: {', '.join(KINDS)})"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be a mapping ({', '.join(f + ': ...' for f in _fields(_type_at(loc))[:3])}), got {got!r}"
    if kind == "string_pattern_mismatch" and info and isinstance(info.json_schema_extra, dict):
        return f"must be {info.json_schema_extra['patternErrorMessage']}, got {got!r}"
    simple = {
        "string_type": f"must be a text, got {got!r}"
        + (" (YAML reads yes/no/on/off as true/false: quote the text)" if isinstance(got, bool) else ""),
        "string_too_short": f"must be a non-empty text, got {got!r}",
        "bool_type": f"must be true or false, got {got!r}",
        "float_type": f"must be a number, got {got!r}",
        "float_parsing": f"must be a number, got {got!r}",
        "int_type": f"must be a whole number, got {got!r}",
        "int_parsing": f"must be a whole number, got {got!r}",
        "list_type": f"must be a list, got {type(got).__name__}",
        "pattern_type": f"must be a regular expression (a text), got {got!r}",
    }
    if kind in simple:
        return simple[kind]
    if kind == "string_too_long":
        return f"must be at most {ctx['max_length']} characters, has {len(str(got))}"
    if kind == "too_short":
        n = ctx["min_length"]
        return f"needs at least {n} {'entry' if n == 1 else 'entries'}, has {ctx['actual_length']}"
    if kind == "greater_than_equal":
        return f"must be {ctx['ge']:g} or more, got {got!r}"
    return error["msg"]  # our own rules (drill_rule, regex, glossary) and anything unforeseen


def _describe(error: ErrorDetails, name: str, data: dict) -> str:
    """``file: drill 'id': options[1]: field 'feedback': problem`` for one pydantic error."""
    loc = list(error["loc"])
    where, path = "", []
    if len(loc) >= 2 and loc[0] == "drills" and isinstance(loc[1], int):
        raw = data["drills"][loc[1]]
        drill_id = raw.get("id") if isinstance(raw, dict) else None
        where = f"drill {drill_id!r}" if isinstance(drill_id, str) else f"drill #{loc[1] + 1}"
        path, loc = loc[:2], loc[2:]
        if loc and loc[0] in KINDS:  # the tag pydantic adds for the kind it validated
            path, loc = path + loc[:1], loc[1:]
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        loc = ["kind"]
    key = None
    if loc and loc[-1] == "[key]":  # a mapping key of the wrong type
        key, loc = loc[-2], loc[:-2]
    names = [i for i, seg in enumerate(loc) if isinstance(seg, str)]
    split = names[-1] if names else len(loc)
    prefix, field = loc[:split], loc[split:]
    owner = _type_at(path + prefix)
    info = (
        owner.model_fields.get(field[0]) if field and isinstance(owner, type) and issubclass(owner, BaseModel) else None
    )
    message = _message(error, info, path + loc)
    if key is not None:
        message = f"key {key!r}: {message}"
    parts = [name, where, _render(prefix), f"field {_render(field)!r}" if field else "", message]
    return ": ".join(p for p in parts if p)


# ------------------------------------------------------------------------- files
def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(course_root()))
    except Exception:  # noqa: BLE001 - outside the course (tests), or no course found
        return str(path)


def load_file(path: str | Path) -> list[Drill]:
    """Load and validate one drill file; raises DrillValidationError listing every problem."""
    path = Path(path)
    name = _display_path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise DrillValidationError([f"{name}: not valid YAML: {err}"]) from None
    if not isinstance(data, dict):
        raise DrillValidationError([f"{name}: must be a mapping with 'chapter' and 'drills'"])
    errors: list[str] = []
    chapter = data.get("chapter")
    if "chapter" in data and chapter != path.stem:
        errors.append(f"{name}: field 'chapter': is {chapter!r} but must equal the file name {path.stem!r}")
    try:
        drills = list(DrillFile.model_validate(data, context={"chapter": path.stem}).drills)
    except ValidationError as err:
        errors += [_describe(e, name, data) for e in err.errors()]
        drills = []
    # Ids are unique in the file (a file-level rule JSON Schema cannot state).
    seen: dict[str, int] = {}
    raw_drills = data.get("drills")
    for n, raw in enumerate(raw_drills if isinstance(raw_drills, list) else [], start=1):
        drill_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(drill_id, str) and drill_id in seen:
            errors.append(f"{name}: drill {drill_id!r}: field 'id': duplicate id (also drill #{seen[drill_id]})")
        elif isinstance(drill_id, str):
            seen[drill_id] = n
    if errors:
        raise DrillValidationError(errors)
    return drills


def available_chapters(directory: str | Path | None = None) -> list[str]:
    folder = Path(directory) if directory is not None else drills_dir()
    return sorted(p.stem for p in folder.glob("*.yaml"))


def load_chapter(chapter: str, directory: str | Path | None = None) -> list[Drill]:
    """The drills of ``chapter`` (e.g. "01_platform_rules"), read from course/drills/."""
    folder = Path(directory) if directory is not None else drills_dir()
    path = folder / f"{Path(str(chapter)).stem}.yaml"
    if not path.is_file():
        chapters = available_chapters(folder)
        raise DrillNotFound(f"no drills for chapter {chapter!r}; available chapters: {', '.join(chapters) or '(none)'}")
    return load_file(path)


def get_drill(chapter: str, drill_id: str, directory: str | Path | None = None) -> Drill:
    """One drill of a chapter; DrillNotFound lists the ids when ``drill_id`` is unknown."""
    drills = load_chapter(chapter, directory)
    for drill in drills:
        if drill.id == drill_id:
            return drill
    raise DrillNotFound(
        f"no drill {drill_id!r} in chapter {chapter!r}; available ids: {', '.join(d.id for d in drills)}"
    )
