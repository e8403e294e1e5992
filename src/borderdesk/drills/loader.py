"""Read and validate drill YAML files (course/drills/<chapter>.yaml).

The format (text fields are Markdown; unknown fields are errors, to catch typos)::

    chapter: 01_platform_rules          # must equal the file name
    drills:
      - id: odr-defects                 # kebab-case, unique in the file
        kind: choice                    # choice | categorise | order | text
        prompt: "..."                   # required
        explanation: "..."              # required: shown once the answer is right
        hints: ["nudge", "stronger", "nearly the answer"]   # optional, shown one at a time
        # choice
        multiple: false                 # true = tick all that apply (>= 1 correct)
        shuffle: true                   # options shown in a fixed shuffled order (seeded by id)
        options:                        # >= 2; single choice: exactly one correct
          - {text: "...", correct: true, feedback: "..."}   # feedback required on wrong options
      - kind: categorise
        groups: [genuine, spy, fraud]   # >= 2, shown in a Dropdown per item
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

Numeric answers: "90", "90%", "90 %", "90 percent", ">= 90", "90,0" are read as 90. In a
``percent: true`` drill a bare fraction up to 1 ("0.9") is also read as 90%, since
pandas prints rates as fractions; "0.9%" is not. Loading runs the text drills'
``examples`` and ``wrong[].example``/``value`` through ``check`` as a self-test.

Every problem in a file is collected and reported at once, each naming the file,
the drill id and the field, e.g.::

    course/drills/01_platform_rules.yaml: drill 'odr-defects': field 'options': no option has correct: true
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..paths import course_root, drills_dir
from .model import (
    KINDS,
    CategoriseDrill,
    ChoiceDrill,
    Drill,
    Item,
    Numeric,
    Option,
    OrderDrill,
    State,
    TextDrill,
    WrongAnswer,
)

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COMMON = {"id", "kind", "prompt", "hints", "explanation"}
FIELDS = {
    "choice": COMMON | {"options", "multiple", "shuffle"},
    "categorise": COMMON | {"groups", "items", "shuffle"},
    "order": COMMON | {"steps", "feedback"},
    "text": COMMON | {"accept", "numeric", "wrong", "examples", "feedback", "placeholder"},
}


class DrillError(Exception):
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


class _Reader:
    """Reads the fields of one mapping, recording problems instead of raising."""

    def __init__(self, raw: dict, where: str, errors: list[str]):
        self.raw, self.where, self.errors = raw, where, errors

    def error(self, name: str, problem: str) -> None:
        self.errors.append(f"{self.where}: field '{name}': {problem}")

    def text(self, name: str, *, required: bool = True, default: str = "") -> str:
        value = self.raw.get(name)
        if value is None:
            if required:
                self.error(name, "missing (a non-empty text is required)")
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.error(name, f"must be a non-empty text, got {value!r}")
            return default
        return value.strip()

    def flag(self, name: str, default: bool) -> bool:
        value = self.raw.get(name, default)
        if not isinstance(value, bool):
            self.error(name, f"must be true or false, got {value!r}")
            return default
        return value

    def number(self, name: str, *, required: bool = True, default: float = 0.0) -> float:
        value = self.raw.get(name)
        if value is None and not required:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(name, f"must be a number, got {value!r}")
            return default
        return float(value)

    def items(self, name: str, *, required: bool = True, minimum: int = 1) -> list:
        value = self.raw.get(name)
        if value is None:
            if required:
                self.error(name, f"missing (a list of at least {minimum} entries is required)")
            return []
        if not isinstance(value, list):
            self.error(name, f"must be a list, got {type(value).__name__}")
            return []
        if len(value) < minimum:
            self.error(name, f"needs at least {minimum} entries, has {len(value)}")
        return value

    def texts(self, name: str, *, required: bool = True, minimum: int = 1, unique: bool = False) -> list[str]:
        out = []
        for i, value in enumerate(self.items(name, required=required, minimum=minimum)):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str) or not value.strip():
                self.error(f"{name}[{i}]", f"must be a non-empty text, got {value!r}")
                continue
            out.append(value.strip())
        if unique:
            self.unique(name, out)
        return out

    def unique(self, name: str, texts: list[str]) -> None:
        folded = [t.casefold() for t in texts]
        dupes = sorted({t for t in texts if folded.count(t.casefold()) > 1})
        if dupes:
            self.error(name, "duplicate texts: " + ", ".join(repr(d) for d in dupes))

    def entries(self, name: str, allowed: set[str], *, required: bool = True, minimum: int = 1) -> list[_Reader]:
        """Readers for a list of mappings (options, items, wrong answers)."""
        out = []
        for index, value in enumerate(self.items(name, required=required, minimum=minimum)):
            if not isinstance(value, dict):
                self.error(f"{name}[{index}]", f"must be a mapping (text: ..., ...), got {value!r}")
                continue
            entry = _Reader(value, f"{self.where}: {name}[{index}]", self.errors)
            entry.unknown(allowed)
            out.append(entry)
        return out

    def regex(self, name: str, pattern: str) -> re.Pattern[str] | None:
        try:
            return re.compile(pattern, re.IGNORECASE)
        except re.error as err:
            self.error(name, f"bad regular expression {pattern!r}: {err}")
            return None

    def unknown(self, allowed: set[str]) -> None:
        for key in self.raw:
            if key not in allowed:
                self.error(str(key), f"unknown field (allowed: {', '.join(sorted(allowed))})")


# ----------------------------------------------------------------------- per kind
def _choice(r: _Reader, common: dict) -> ChoiceDrill:
    multiple = r.flag("multiple", False)
    options = []
    for o in r.entries("options", {"text", "correct", "feedback"}, minimum=2):
        correct = o.flag("correct", False)
        options.append(Option(o.text("text"), correct, o.text("feedback", required=not correct)))
    r.unique("options", [o.text for o in options])
    n_correct = sum(o.correct for o in options)
    if options and n_correct == 0:
        r.error("options", "no option has correct: true")
    if not multiple and n_correct > 1:
        r.error("options", f"{n_correct} options are correct but multiple is false (set multiple: true)")
    return ChoiceDrill(**common, options=options, multiple=multiple, shuffle=r.flag("shuffle", True))


def _categorise(r: _Reader, common: dict) -> CategoriseDrill:
    groups = r.texts("groups", minimum=2, unique=True)
    items = []
    for it in r.entries("items", {"text", "group", "feedback"}, minimum=2):
        item = Item(it.text("text"), it.text("group"), it.text("feedback"))
        if groups and item.group and item.group not in groups:
            it.error("group", f"unknown group {item.group!r} (groups: {', '.join(groups)})")
        items.append(item)
    r.unique("items", [it.text for it in items])
    return CategoriseDrill(**common, groups=groups, items=items, shuffle=r.flag("shuffle", True))


def _order(r: _Reader, common: dict) -> OrderDrill:
    steps = r.texts("steps", minimum=3, unique=True)
    feedback: dict[int, str] = {}
    raw = r.raw.get("feedback", {}) or {}
    if not isinstance(raw, dict):
        r.error("feedback", "must be a mapping {step index: text}")
        raw = {}
    for key, text in raw.items():
        index = int(key) if isinstance(key, str) and key.isdigit() else key
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(steps):
            r.error("feedback", f"key {key!r} is not a step index (0 to {len(steps) - 1})")
        elif not isinstance(text, str) or not text.strip():
            r.error(f"feedback[{key}]", "must be a non-empty text")
        else:
            feedback[index] = text.strip()
    return OrderDrill(**common, steps=steps, feedback=feedback)


def _text(r: _Reader, common: dict) -> TextDrill:
    numeric = None
    if "numeric" in r.raw:
        raw = r.raw["numeric"]
        if not isinstance(raw, dict):
            r.error("numeric", "must be a mapping {value: ..., tolerance: ..., percent: ...}")
        else:
            n = _Reader(raw, f"{r.where}: numeric", r.errors)
            n.unknown({"value", "tolerance", "percent"})
            numeric = Numeric(n.number("value"), n.number("tolerance", required=False), n.flag("percent", False))
            if numeric.tolerance < 0:
                n.error("tolerance", "must not be negative")
    accept = [p for p in (r.regex("accept", s) for s in r.texts("accept", required=False)) if p]
    if numeric is None and not accept and "accept" not in r.raw:
        r.error("accept", "a text drill needs an 'accept' list of regexes or a 'numeric' answer")
    wrong = []
    for w in r.entries("wrong", {"match", "value", "feedback", "example"}, required=False):
        entry = WrongAnswer(w.text("feedback"), example=w.text("example", required=False) or None)
        if ("match" in w.raw) == ("value" in w.raw):
            w.error("match", "give exactly one of 'match' (a regex) or 'value' (a number)")
        elif "match" in w.raw:
            entry.match = w.regex("match", w.text("match"))
        elif numeric is None:
            w.error("value", "'value' needs a numeric drill; use 'match' for text answers")
        else:
            entry.value = w.number("value")
        wrong.append(entry)
    drill = TextDrill(
        **common,
        accept=accept,
        numeric=numeric,
        wrong=wrong,
        examples=r.texts("examples", required=numeric is None),
        feedback=r.text("feedback", required=False),
        placeholder=r.text("placeholder", required=False, default="Type your answer"),
    )
    # Self-test: the examples must be accepted and each wrong example must hit its entry.
    for ex in drill.examples:
        if drill.check(ex).state is not State.RIGHT:
            r.error("examples", f"example {ex!r} is not accepted by 'accept'/'numeric'")
    for i, entry in enumerate(wrong):
        probe = entry.example or (f"{entry.value:g}" if entry.value is not None else None)
        if probe is None:
            continue
        result = drill.check(probe)
        if result.state is not State.WRONG or entry.feedback not in result.message:
            r.error(
                f"wrong[{i}]",
                f"example {probe!r} does not get this entry's feedback "
                f"(an 'accept' pattern or an earlier entry catches it)",
            )
    return drill


BUILDERS = {"choice": _choice, "categorise": _categorise, "order": _order, "text": _text}
assert set(BUILDERS) == set(KINDS)


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
    errors: list[str] = []
    if not isinstance(data, dict):
        raise DrillValidationError([f"{name}: must be a mapping with 'chapter' and 'drills'"])
    for key in data:
        if key not in ("chapter", "drills"):
            errors.append(f"{name}: field '{key}': unknown top-level field (allowed: chapter, drills)")
    chapter = data.get("chapter")
    if chapter != path.stem:
        errors.append(f"{name}: field 'chapter': is {chapter!r} but must equal the file name {path.stem!r}")
    raw_drills = data.get("drills")
    if not isinstance(raw_drills, list) or not raw_drills:
        errors.append(f"{name}: field 'drills': must be a non-empty list of drills")
        raise DrillValidationError(errors)
    drills: list[Drill] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(raw_drills, start=1):
        if not isinstance(raw, dict):
            errors.append(f"{name}: drill #{n}: must be a mapping (id: ..., kind: ...)")
            continue
        drill_id = raw.get("id")
        where = f"{name}: drill {drill_id!r}" if isinstance(drill_id, str) else f"{name}: drill #{n}"
        r = _Reader(raw, where, errors)
        if not isinstance(drill_id, str) or not ID_PATTERN.fullmatch(drill_id):
            r.error("id", f"missing or not kebab-case (like 'odr-defects'): {drill_id!r}")
            drill_id = f"drill-{n}"
        elif drill_id in seen:
            r.error("id", f"duplicate id (also drill #{seen[drill_id]})")
        seen.setdefault(drill_id, n)
        kind = raw.get("kind")
        if kind not in BUILDERS:
            r.error("kind", f"unknown kind {kind!r} (kinds: {', '.join(BUILDERS)})")
            continue
        r.unknown(FIELDS[kind])
        common = dict(
            id=drill_id,
            prompt=r.text("prompt"),
            explanation=r.text("explanation"),
            hints=r.texts("hints", required=False),
            chapter=path.stem,
        )
        drills.append(BUILDERS[kind](r, common))
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
