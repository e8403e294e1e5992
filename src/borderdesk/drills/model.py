"""Drill logic: plain Python, no widgets.

A drill is checked with :meth:`Drill.check`, which always returns a :class:`Result`
in one of three states (learntools' model): not attempted, wrong (with a specific
reason that does not give the answer away), right (with the explanation). Bad input
(wrong type, unknown option ...) gives a wrong result with a message, never an
exception. Hints come one at a time from :meth:`Drill.hint`.

Answer formats accepted by ``check``:

* ``choice``: an option's text or its index in the YAML ``options`` list; with
  ``multiple: true`` a list/set of those.
* ``categorise``: a dict ``{item text or index: group}``, or a list of groups in
  the YAML ``items`` order (``None`` = not placed yet).
* ``order``: a list of steps (text or index in the YAML ``steps`` list, which is the
  right order), first position first; ``None`` = position left empty.
* ``text``: a string (numbers are accepted for numeric drills).
* ``reply``: a string, the learner's reply to the drill's case message.

:meth:`Drill.solution` returns the right answer in that format.

The drill classes are pydantic models: their fields are the drill file format
(``course/drills/*.yaml``, see :mod:`borderdesk.drills.loader`), their validators the
rules a drill must follow, and the JSON Schema of the format is generated from them.
"""

from __future__ import annotations

import html
import math
import random
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    StrictBool,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .markup import TERM, unknown_terms


class State(StrEnum):
    NOT_ATTEMPTED = "not_attempted"
    WRONG = "wrong"
    RIGHT = "right"


@dataclass(frozen=True)
class Result:
    """Outcome of a check: ``state`` and a Markdown ``message`` for the learner."""

    state: State
    message: str

    @property
    def right(self) -> bool:
        return self.state is State.RIGHT


class AnswerFormatError(ValueError):
    """The answer cannot be read (wrong type, unknown option ...); becomes feedback."""


ENCOURAGEMENTS = (
    "Well done!",
    "Nice work, that is exactly it.",
    "Spot on. Keep going!",
    "Correct. Your future customers will thank you.",
    "Great, you have got it.",
    "Exactly. On to the next one!",
)

NO_ANSWER = "Not attempted yet: {what}, then press **Check**."


def _quote(text: Any) -> str:
    """Learner input, safe to put into a Markdown/HTML message."""
    shown = str(text)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return "“" + html.escape(shown) + "”"


def _is_index(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def seeded_permutation(seed: str, n: int, *, avoid_identity: bool = False) -> list[int]:
    """A deterministic shuffle of ``range(n)`` seeded by ``seed`` (a drill id)."""
    order = list(range(n))
    random.Random(f"borderdesk:{seed}").shuffle(order)
    if avoid_identity and n > 1 and order == list(range(n)):
        order = order[1:] + order[:1]
    return order


def _lookup(value: Any, names: list[str], what: str) -> int:
    """Index of ``value`` (an index, or a text matched case-insensitively) in ``names``."""
    if _is_index(value):
        if 0 <= value < len(names):
            return value
        raise AnswerFormatError(f"There is no {what} number {value}: use 0 to {len(names) - 1}.")
    if isinstance(value, str):
        wanted = " ".join(value.split()).casefold()
        for i, name in enumerate(names):
            if " ".join(name.split()).casefold() == wanted:
                return i
        raise AnswerFormatError(f"{_quote(value)} is not one of the {what}s of this drill.")
    raise AnswerFormatError(f"Give each {what} as its text or its number, not as a {type(value).__name__}.")


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Mapping):
        return all(_is_blank(v) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_is_blank(v) for v in value)
    return False


def _as_list(answer: Any, what: str) -> list[Any]:
    if isinstance(answer, (list, tuple)):
        return list(answer)
    raise AnswerFormatError(f"Give the {what} as a list, not a {type(answer).__name__}.")


# ------------------------------------------------------------------ field types
def _known_terms(text: str, info: ValidationInfo) -> str:
    unknown = unknown_terms(text, (info.context or {}).get("chapter"))
    if unknown:
        raise PydanticCustomError("glossary", "{message}", {"message": "; ".join(unknown)})
    return text


def _regex(value: Any) -> Any:
    """Compile a pattern case-insensitively; a bad one names the pattern and the problem."""
    if not isinstance(value, str):
        return value  # pydantic reports the wrong type
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as err:
        raise PydanticCustomError(
            "regex", "{message}", {"message": f"bad regular expression {value!r}: {err}"}
        ) from None


def _plain(text: str) -> str:
    if TERM.search(text):
        raise PydanticCustomError(
            "plain_text",
            "{message}",
            {"message": "is shown as plain text, so [[term]] does not work here (use it in prompts, hints, feedback)"},
        )
    return text


NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Text = Annotated[NonEmpty, AfterValidator(_plain)]
"""A non-empty text (stripped); shown as plain text."""
Markdown = Annotated[NonEmpty, AfterValidator(_known_terms)]
"""A non-empty Markdown text; ``[[term]]`` or ``[[term|shown words]]`` cites the glossary."""
Number = Annotated[float, Strict()]
Regex = Annotated[re.Pattern[str], BeforeValidator(_regex)]
MARKDOWN = "Markdown; [[term]] or [[term|shown words]] cites the course glossary"


def rules(model: str, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
    """Raise every broken rule of one model at once, each at its field (``loc``)."""
    if problems:
        raise ValidationError.from_exception_data(
            model,
            [
                {
                    "type": PydanticCustomError("drill_rule", "{message}", {"message": message}),
                    "loc": loc,
                    "input": None,
                }
                for loc, message in problems
            ],
        )


def duplicates(loc: str, texts: list[str]) -> list[tuple[tuple[str | int, ...], str]]:
    folded = [t.casefold() for t in texts]
    dupes = sorted({t for t in texts if folded.count(t.casefold()) > 1})
    return [((loc,), "duplicate texts: " + ", ".join(repr(d) for d in dupes))] if dupes else []


class Content(BaseModel):
    """Drill file content: unknown fields are errors (they are typos), texts are stripped."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True)


class Drill(Content):
    """Fields common to every kind; a subclass per kind implements ``_check``."""

    blank_hint: ClassVar[str] = "give an answer"

    id: str = Field(
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        description="unique in the file; the lesson shows the drill with show(chapter, id)",
        json_schema_extra={"patternErrorMessage": "kebab-case, like 'odr-defects'"},
    )
    kind: str = Field(description="choice, categorise, order, text or reply")
    title: Text = Field(max_length=60, description="the drill's heading for learners: a few plain English words")
    prompt: Markdown = Field(description="the question (" + MARKDOWN + ")")
    explanation: Markdown = Field(description="shown once the answer is right (" + MARKDOWN + ")")
    hints: list[Markdown] = Field(default_factory=list, description="shown one at a time, gentle to strong")
    _hints_shown: int = PrivateAttr(default=0)
    _chapter: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _from_chapter(self, info: ValidationInfo) -> Drill:
        self._chapter = (info.context or {}).get("chapter", "")
        return self

    @property
    def chapter(self) -> str:
        """The chapter whose drill file holds this drill (its file name)."""
        return self._chapter

    @property
    def hints_shown(self) -> int:
        return self._hints_shown

    # -- checking ---------------------------------------------------------------
    def check(self, answer: Any) -> Result:
        """Check ``answer``; never raises on bad input."""
        if _is_blank(answer):
            return Result(State.NOT_ATTEMPTED, NO_ANSWER.format(what=self.blank_hint))
        try:
            return self._check(answer)
        except AnswerFormatError as err:
            return Result(State.WRONG, f"I could not read that answer. {err}")
        except Exception as err:  # noqa: BLE001 - a learner must never see a traceback
            return Result(
                State.WRONG,
                f"I could not read that answer ({type(err).__name__}). "
                "Use the controls above, or see `help(Drill.check)` for the format.",
            )

    def _check(self, answer: Any) -> Result:  # pragma: no cover - abstract
        raise NotImplementedError

    def _right(self, note: str = "") -> Result:
        cheer = ENCOURAGEMENTS[zlib.crc32(self.id.encode()) % len(ENCOURAGEMENTS)]
        parts = [f"**{cheer}**", note, self.explanation]  # the view's label already says "Right"
        return Result(State.RIGHT, "\n\n".join(p for p in parts if p))

    @staticmethod
    def _wrong(*parts: str) -> Result:
        return Result(State.WRONG, "\n\n".join(["**Not quite.**", *[p for p in parts if p]]))

    def solution(self) -> Any:  # pragma: no cover - abstract
        """The right answer, in the format ``check`` accepts."""
        raise NotImplementedError

    # -- hints ------------------------------------------------------------------
    def hint(self) -> str:
        """The next hint (hint 1, then 2 ...); after the last, says there are no more."""
        if not self.hints:
            return "This drill has no hints. Press **Check**: the feedback tells you what to look at."
        if self._hints_shown >= len(self.hints):
            return (
                f"No more hints: you have seen all {len(self.hints)}. "
                "Press **Check** and read the feedback, or re-read the lesson section."
            )
        self._hints_shown += 1
        return f"**Hint {self._hints_shown} of {len(self.hints)}:** {self.hints[self._hints_shown - 1]}"

    def reset_hints(self) -> None:
        self._hints_shown = 0


# ---------------------------------------------------------------------------- choice
class Option(Content):
    """An option of a choice drill."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"correct": {"const": True}}, "required": ["correct"]},
            "else": {"required": ["feedback"]},
        }
    )

    text: Text = Field(description="the option as the learner sees it (plain text)")
    correct: StrictBool = False
    feedback: Markdown = Field(default="", description="required on wrong options: why it is wrong, without the answer")

    @model_validator(mode="after")
    def _feedback_on_wrong(self) -> Option:
        if not self.correct and not self.feedback:
            rules("Option", [(("feedback",), "missing (a wrong option needs feedback that says why it is wrong)")])
        return self


class ChoiceDrill(Drill):
    """Choose one option, or with multiple: true tick every option that applies."""

    kind: Literal["choice"]
    multiple: StrictBool = Field(default=False, description="true: tick all that apply (one or more correct)")
    shuffle: StrictBool = Field(default=True, description="show the options in a fixed shuffled order")
    options: list[Option] = Field(min_length=2, description="single choice: exactly one has correct: true")

    @model_validator(mode="after")
    def _options(self) -> ChoiceDrill:
        problems = duplicates("options", [o.text for o in self.options])
        n_correct = sum(o.correct for o in self.options)
        if n_correct == 0:
            problems.append((("options",), "no option has correct: true"))
        if not self.multiple and n_correct > 1:
            problems.append(
                (("options",), f"{n_correct} options are correct but multiple is false (set multiple: true)")
            )
        rules("ChoiceDrill", problems)
        return self

    @property
    def blank_hint(self) -> str:  # type: ignore[override]
        return "tick every option that applies" if self.multiple else "choose one option"

    def display_order(self) -> list[int]:
        """Option indices in the order they are shown (deterministic per drill id)."""
        if not self.shuffle:
            return list(range(len(self.options)))
        return seeded_permutation(self.id, len(self.options))

    def solution(self) -> Any:
        right = [o.text for o in self.options if o.correct]
        return right if self.multiple else right[0]

    def _check(self, answer: Any) -> Result:
        texts = [o.text for o in self.options]
        if not self.multiple:
            if isinstance(answer, (list, tuple, set, frozenset)):
                if len(answer) != 1:
                    raise AnswerFormatError("Choose exactly one option.")
                (answer,) = answer
            option = self.options[_lookup(answer, texts, "option")]
            if option.correct:
                return self._right(option.feedback)
            return self._wrong(option.feedback)
        if isinstance(answer, (str, int)):
            answer = [answer]
        if not isinstance(answer, (list, tuple, set, frozenset)):
            raise AnswerFormatError(f"Give the options you tick as a list, not a {type(answer).__name__}.")
        chosen = sorted({_lookup(a, texts, "option") for a in answer if not _is_blank(a)})
        wrong = [i for i in chosen if not self.options[i].correct]
        n_right = sum(o.correct for o in self.options)
        found = len(chosen) - len(wrong)
        if not wrong and found == n_right:
            return self._right()
        lines = []
        for i in chosen:
            opt = self.options[i]
            mark = "✓" if opt.correct else "✗"
            lines.append(f"- {mark} {_quote(opt.text)}" + (f": {opt.feedback}" if opt.feedback else ""))
        summary = []
        if wrong:
            summary.append(f"{len(wrong)} of your ticks {'is' if len(wrong) == 1 else 'are'} wrong (✗).")
        if found < n_right:
            summary.append("Some options that apply are not ticked yet; look again at the rest.")
        return self._wrong(" ".join(summary), "\n".join(lines))


# ------------------------------------------------------------------------ categorise
class Item(Content):
    """An item to put into one of the groups."""

    text: Text = Field(description="the item as the learner sees it (plain text)")
    group: Text = Field(description="the group it belongs to: one of the drill's groups")
    feedback: Markdown = Field(description="shown when the item is misplaced; it must not name the group")


class CategoriseDrill(Drill):
    """Sort items into groups, with a drop-down beside each item."""

    kind: Literal["categorise"]
    blank_hint: ClassVar[str] = "put each item into a group"
    groups: list[Text] = Field(min_length=2, description="the groups, offered in a drop-down beside each item")
    items: list[Item] = Field(min_length=2)
    shuffle: StrictBool = Field(default=True, description="show the items in a fixed shuffled order")

    @model_validator(mode="after")
    def _groups(self) -> CategoriseDrill:
        problems = duplicates("groups", self.groups) + duplicates("items", [it.text for it in self.items])
        for i, item in enumerate(self.items):
            if item.group not in self.groups:
                problems.append(
                    (("items", i, "group"), f"unknown group {item.group!r} (groups: {', '.join(self.groups)})")
                )
        rules("CategoriseDrill", problems)
        return self

    def display_order(self) -> list[int]:
        if not self.shuffle:
            return list(range(len(self.items)))
        return seeded_permutation(self.id, len(self.items))

    def solution(self) -> dict[str, str]:
        return {item.text: item.group for item in self.items}

    def _placed(self, answer: Any) -> dict[int, int]:
        """``{item index: group index}`` for the items the learner placed."""
        if isinstance(answer, (list, tuple)):
            if len(answer) != len(self.items):
                raise AnswerFormatError(
                    f"A list answer needs one group per item ({len(self.items)}), got {len(answer)}."
                )
            answer = dict(enumerate(answer))
        if not isinstance(answer, Mapping):
            raise AnswerFormatError(f"Give a dict {{item: group}}, not a {type(answer).__name__}.")
        texts = [item.text for item in self.items]
        placed = {}
        for key, group in answer.items():
            i = _lookup(key, texts, "item")
            if not _is_blank(group):
                placed[i] = _lookup(group, self.groups, "group")
        return placed

    def _check(self, answer: Any) -> Result:
        placed = self._placed(answer)
        misplaced = [i for i, g in placed.items() if self.groups[g] != self.items[i].group]
        order = self.display_order()
        missing = [i for i in order if i not in placed]
        if not misplaced and not missing:
            return self._right()
        parts = []
        if misplaced:
            n = len(misplaced)
            parts.append(f"{n} item{'s are' if n > 1 else ' is'} in the wrong group:")
            parts.append(
                "\n".join(
                    f"- {_quote(self.items[i].text)}"
                    + (f": {self.items[i].feedback}" if self.items[i].feedback else "")
                    for i in sorted(misplaced, key=order.index)
                )
            )
        elif placed:
            parts.append("Every item you have placed so far is right.")
        if missing:
            parts.append("Still to place: " + ", ".join(_quote(self.items[i].text) for i in missing) + ".")
        return self._wrong(*parts)


# ----------------------------------------------------------------------------- order
class OrderDrill(Drill):
    """Put steps in order, with a drop-down for each position."""

    kind: Literal["order"]
    blank_hint: ClassVar[str] = "choose a step for each position"
    steps: list[Text] = Field(min_length=3, description="the steps in the right order; shown shuffled")
    feedback: dict[int, Markdown] = Field(
        default_factory=dict,
        description="by step index (0 = first step): shown when that step is misplaced",
        json_schema_extra={"propertyNames": {"pattern": "^[0-9]+$"}},
    )

    @model_validator(mode="after")
    def _feedback_keys(self) -> OrderDrill:
        problems = duplicates("steps", self.steps)
        for key in self.feedback:
            if not 0 <= key < len(self.steps):
                problems.append((("feedback",), f"key {key!r} is not a step index (0 to {len(self.steps) - 1})"))
        rules("OrderDrill", problems)
        return self

    def display_order(self) -> list[int]:
        """Step indices as shown to the learner: shuffled, never already in order."""
        return seeded_permutation(self.id, len(self.steps), avoid_identity=True)

    def solution(self) -> list[str]:
        return list(self.steps)

    def _check(self, answer: Any) -> Result:
        given = _as_list(answer, "steps")
        n = len(self.steps)
        if len(given) > n:
            raise AnswerFormatError(f"There are only {n} positions; you gave {len(given)} steps.")
        given = given + [None] * (n - len(given))
        chosen = [None if _is_blank(s) else _lookup(s, self.steps, "step") for s in given]
        seen: set[int] = set()
        for step in chosen:
            if step is not None and step in seen:
                return self._wrong(
                    f"You used {_quote(self.steps[step])} twice: each step goes in exactly one position."
                )
            if step is not None:
                seen.add(step)
        empty = [pos + 1 for pos, step in enumerate(chosen) if step is None]
        if empty:
            return self._wrong(
                f"Position{'s' if len(empty) > 1 else ''} {_join(empty)} "
                f"{'are' if len(empty) > 1 else 'is'} still empty."
            )
        off = [pos for pos, step in enumerate(chosen) if step != pos]
        if not off:
            return self._right()
        first = off[0]
        step = chosen[first]
        msg = (
            f"{n - len(off)} of {n} steps are in the right place; "
            f"position{'s' if len(off) > 1 else ''} {_join([p + 1 for p in off])} "
            f"{'are' if len(off) > 1 else 'is'} not right yet. "
            f"Look first at position {first + 1}: {_quote(self.steps[step])}."
        )
        return self._wrong(msg, self.feedback.get(step, ""))


def _join(numbers: list[int]) -> str:
    words = [str(x) for x in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# ------------------------------------------------------------------------------ text
_NUMBER = re.compile(
    r"(?:>=|≥|>|<=|≤|<|at least|minimum of|min\.?|about|below|under|above)?\s*"
    r"(?P<num>[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?))\s*(?P<pct>%|percent|per cent|pct)?",
    re.IGNORECASE,
)


def normalise_text(answer: str) -> str:
    """Strip, collapse inner whitespace and drop trailing full stops/exclamation marks."""
    return " ".join(answer.split()).rstrip(".!。 ")


def parse_number(text: str) -> tuple[float, bool] | None:
    """``(value, had_percent_sign)`` for "90", "90%", "90 %", "0,9", "1,000"...; else None."""
    m = _NUMBER.fullmatch(text.strip())
    if not m:
        return None
    num = m["num"]
    # "1,000" (comma + three digits) groups thousands; "0,9" is a decimal comma.
    num = num.replace(",", "") if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", num) else num.replace(",", ".")
    return float(num), bool(m["pct"])


class Numeric(Content):
    """A number answer: "90", "90%" and "0.9" (with percent: true) are all read as 90."""

    value: Number = Field(description="the right number")
    tolerance: Number = Field(default=0.0, ge=0, description="how far an answer may be from value")
    percent: StrictBool = Field(default=False, description="a percentage: 0.9 is also read as 90%")

    def candidates(self, number: float, had_percent: bool) -> list[tuple[float, bool]]:
        """The readings of a number: as typed, and for percent drills a fraction ×100.

        ``0.9`` is read as 90% in a ``percent: true`` drill (the learner may think in
        fractions, as pandas prints them); ``0.9%`` is not. Returns (value, was_fraction).
        """
        out = [(number, False)]
        if self.percent and not had_percent and 0 < number <= 1:
            out.append((number * 100, True))
        return out

    def matches(self, target: float, number: float, had_percent: bool, tolerance: float | None = None) -> bool | str:
        tol = self.tolerance if tolerance is None else tolerance
        for value, fraction in self.candidates(number, had_percent):
            if math.isclose(value, target, abs_tol=tol + 1e-9):
                return "fraction" if fraction else True
        return False


class WrongAnswer(Content):
    """A known wrong answer (match: a regex, or value: a number) and its feedback."""

    model_config = ConfigDict(json_schema_extra={"oneOf": [{"required": ["match"]}, {"required": ["value"]}]})

    match: Regex | None = Field(default=None, description="a regex (full match, case-insensitive)")
    value: Number | None = Field(default=None, description="a number (numeric drills only)")
    example: Text | None = Field(default=None, description="an answer this entry must catch (self-test)")
    feedback: Markdown = Field(description="why this answer is wrong, without giving the right one")

    @model_validator(mode="after")
    def _one_of_match_or_value(self) -> WrongAnswer:
        if (self.match is None) == (self.value is None):
            rules("WrongAnswer", [(("match",), "give exactly one of 'match' (a regex) or 'value' (a number)")])
        return self


class TextDrill(Drill):
    """Type a short answer: a term (accept: regexes) or a number (numeric)."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [{"required": ["accept"]}, {"required": ["numeric"]}],
            "if": {"not": {"required": ["numeric"]}},
            "then": {"required": ["examples"]},
        }
    )

    kind: Literal["text"]
    blank_hint: ClassVar[str] = "type your answer"
    accept: list[Regex] = Field(
        default_factory=list,
        description="regexes, full match, case-insensitive, on the stripped answer "
        "(inner spaces collapsed, no final full stop)",
    )
    numeric: Numeric | None = Field(default=None, description="a number answer, instead of or besides accept")
    examples: list[Text] = Field(
        default_factory=list, description="answers that must be accepted (self-test; required with accept)"
    )
    wrong: list[WrongAnswer] = Field(
        default_factory=list, description="known wrong answers with their feedback, checked after accept/numeric"
    )
    feedback: Markdown = Field(default="", description="for any other wrong answer")
    placeholder: Text = Field(default="Type your answer", description="the empty text box's grey text")

    @model_validator(mode="after")
    def _answers(self) -> TextDrill:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        if self.numeric is None and not self.accept:
            problems.append((("accept",), "a text drill needs an 'accept' list of regexes or a 'numeric' answer"))
        if self.numeric is None and not self.examples:
            problems.append((("examples",), "missing (a text drill with 'accept' lists answers it must accept)"))
        for i, entry in enumerate(self.wrong):
            if entry.value is not None and self.numeric is None:
                problems.append((("wrong", i, "value"), "'value' needs a numeric drill; use 'match' for text answers"))
        rules("TextDrill", problems)
        # Self-test: the examples must be accepted and each wrong example must hit its entry.
        for example in self.examples:
            if self.check(example).state is not State.RIGHT:
                problems.append((("examples",), f"example {example!r} is not accepted by 'accept'/'numeric'"))
        for i, entry in enumerate(self.wrong):
            probe = entry.example or (f"{entry.value:g}" if entry.value is not None else None)
            if probe is None:
                continue
            result = self.check(probe)
            if result.state is not State.WRONG or entry.feedback not in result.message:
                problems.append(
                    (
                        ("wrong", i),
                        f"example {probe!r} does not get this entry's feedback "
                        "(an 'accept' pattern or an earlier entry catches it)",
                    )
                )
        rules("TextDrill", problems)
        return self

    def solution(self) -> str:
        if self.examples:
            return self.examples[0]
        assert self.numeric is not None
        value = f"{self.numeric.value:g}"
        return value + ("%" if self.numeric.percent else "")

    def _check(self, answer: Any) -> Result:
        if _is_index(answer) or isinstance(answer, float):
            answer = f"{answer:g}" if isinstance(answer, float) else str(answer)
        if not isinstance(answer, str):
            raise AnswerFormatError(f"Type your answer as text, not a {type(answer).__name__}.")
        text = normalise_text(answer)
        number = parse_number(text) if self.numeric else None
        if self.numeric and number:
            hit = self.numeric.matches(self.numeric.value, *number)
            if hit:
                note = f"(I read {html.escape(text)} as {self.numeric.value:g}%.)" if hit == "fraction" else ""
                return self._right(note)
        if any(p.fullmatch(text) for p in self.accept):
            return self._right()
        for wrong in self.wrong:
            if wrong.match is not None and wrong.match.fullmatch(text):
                return self._wrong(wrong.feedback)
            if wrong.value is not None and self.numeric and number and self.numeric.matches(wrong.value, *number):
                return self._wrong(wrong.feedback)
        if self.numeric and not number:
            return self._wrong(
                f"I expected a number, such as 42{'%' if self.numeric.percent else ''}; you typed {_quote(text)}.",
                self.feedback,
            )
        return self._wrong(
            f"{_quote(text)} is not the answer we are looking for.",
            self.feedback or "Check the spelling, or take a hint.",
        )


# ----------------------------------------------------------------------------- reply
class ReplyCase(Content):
    """The buyer's message a reply drill answers, and what the reply pre-check compares with."""

    message: Text = Field(description="the buyer's message as the learner sees it (plain text, lines kept)")
    buyer_name: Text | None = Field(default=None, description="the name the buyer signed with")
    order_id: Text | None = Field(default=None, description="the order reference the buyer gave")
    platform: Literal["amazon", "ebay", "aliexpress"] | None = Field(default=None, description="the platform")
    language: Text | None = Field(default=None, description="the buyer's language: en, es, de ...")
    locale: Text | None = Field(default=None, description="the buyer's Babel locale, e.g. de_DE")


class ReplyDrill(Drill):
    """Write a reply to a buyer's message; the course's reply pre-check lists what it does and misses.

    The pre-check explains, it does not grade: a reply is "right" when no check finds a
    problem, and the checklist always shows each check with the words it found.
    """

    kind: Literal["reply"]
    blank_hint: ClassVar[str] = "type your reply to the buyer"
    case: ReplyCase
    min_words: int = Field(default=25, ge=1, description="fewer words than this is not a reply yet")
    model_reply: Text = Field(description="a reply that passes every check (the solution; plain text)")
    placeholder: Text = Field(default="Type your reply: greeting, answer, next step, sign-off")

    def solution(self) -> str:
        return self.model_reply

    def findings(self, reply: str) -> list[Any]:
        """The pre-check's findings on ``reply`` for this drill's case."""
        from ..reply_check import check_reply  # imported on use: it loads a language detector

        case = self.case
        context = {k: v for k, v in case.model_dump(exclude={"message"}).items() if v is not None}
        return check_reply(reply, case.message, **context)

    def _check(self, answer: Any) -> Result:
        from ..reply_check import ReplyCheckError, render_html

        if not isinstance(answer, str):
            raise AnswerFormatError(f"Type your reply as text, not a {type(answer).__name__}.")
        words = len(answer.split())
        if words < self.min_words:
            return self._wrong(
                f"Your reply has {words} word{'s' if words != 1 else ''}. A complete reply needs at least "
                f"{self.min_words}: a greeting, the answer, the next step with a date, and a sign-off."
            )
        try:
            findings = self.findings(answer)
        except ReplyCheckError as err:
            raise AnswerFormatError(str(err)) from None
        problems = [f for f in findings if f.passed is False]
        checklist = render_html(findings)
        if not problems:
            return self._right("The pre-check finds nothing to fix:\n\n" + checklist)
        n = len(problems)
        # No "Not quite": a ✗ means "look here", and the pre-check misses some wordings of a good reply.
        return Result(
            State.WRONG,
            f"The pre-check points to {n} thing{'s' if n > 1 else ''} to look at "
            f"({', '.join(f.title for f in problems)}). It explains, it does not grade: read each point. "
            "If your reply already does it, the pre-check missed your wording; otherwise change the reply "
            "and press **Check** again.\n\n" + checklist,
        )


AnyDrill = Annotated[ChoiceDrill | CategoriseDrill | OrderDrill | TextDrill | ReplyDrill, Field(discriminator="kind")]
KINDS: dict[str, type[Drill]] = {
    cls.model_fields["kind"].annotation.__args__[0]: cls  # type: ignore[union-attr]
    for cls in (ChoiceDrill, CategoriseDrill, OrderDrill, TextDrill, ReplyDrill)
}


class DrillFile(Content):
    """A drill file, course/drills/<chapter>.yaml: a chapter's drills."""

    model_config = ConfigDict(title="BorderDesk drill file")

    chapter: str = Field(
        pattern=r"^[0-9]{2}_[a-z0-9]+(?:_[a-z0-9]+)*$",
        description="the chapter slug; must equal the file name",
        json_schema_extra={"patternErrorMessage": "a chapter slug, like '01_platform_rules'"},
    )
    drills: list[AnyDrill] = Field(min_length=1, description="the chapter's drills (show_all shows them in this order)")
