"""Drill engine and drill content.

Every drill in course/drills/*.yaml is tested three ways (the learntools model): its
right answer is right, the blank is not attempted, known-wrong answers are wrong with a
specific message. The cases are generated from the YAML, so a new drill is covered as
soon as it is written.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from borderdesk.chapters import chapters, ready_chapters
from borderdesk.check import shown_drills
from borderdesk.datasets import JOHN_TOM_ID, load_inquiries
from borderdesk.drills import (
    CategoriseDrill,
    ChapterView,
    ChoiceDrill,
    DrillError,
    DrillNotFound,
    DrillValidationError,
    DrillView,
    OrderDrill,
    ReplyDrill,
    State,
    TextDrill,
    available_chapters,
    chapter_view,
    drill_view,
    get_drill,
    load_chapter,
    load_file,
    show,
    show_all,
)
from borderdesk.drills import loader as loader_module
from borderdesk.drills import view as view_module
from borderdesk.drills.__main__ import main as drills_main
from borderdesk.drills.loader import SCHEMA_COMMAND, SCHEMA_FILE, schema_text
from borderdesk.drills.markup import TERM, to_html
from borderdesk.drills.model import ENCOURAGEMENTS, parse_number
from borderdesk.errors import BorderDeskError
from borderdesk.glossary import lookup
from borderdesk.paths import course_root, drills_dir

CHAPTERS = available_chapters()
ALL = [(chapter, drill) for chapter in CHAPTERS for drill in load_chapter(chapter)]
IDS = [f"{chapter}:{drill.id}" for chapter, drill in ALL]


@pytest.fixture(params=ALL, ids=IDS)
def drill(request):
    _, d = request.param
    d.reset_hints()
    return d


# --------------------------------------------------------------------- content
def test_every_drill_file_loads_and_validates():
    files = sorted(drills_dir().glob("*.yaml"))
    assert files, f"no drill files in {drills_dir()}"
    for path in files:
        drills = load_file(path)
        assert drills, path
        assert all(d.chapter == path.stem for d in drills)


@pytest.mark.parametrize("chapter", [c for c in ready_chapters() if c.drills], ids=lambda c: c.slug)
def test_lessons_show_every_drill(chapter):
    # The lesson places each drill by id; an id is also the key of a learner's recorded progress.
    shown, show_all_called = shown_drills(chapter, course_root())
    ids = {d.id for d in load_chapter(chapter.slug)}
    assert shown == ids or (show_all_called and shown <= ids), (
        f"the lessons of {chapter.slug} must show each drill of {chapter.drills}, and no other"
    )


def test_drills_module_cli_validates_every_file():
    out = subprocess.run([sys.executable, "-m", "borderdesk.drills"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert f"01_platform_rules: {len(load_chapter('01_platform_rules'))} drills ok" in out.stdout


def test_content_quality(drill):
    assert len(drill.hints) >= 2, "every course drill gives at least two graduated hints"
    assert len(set(drill.hints)) == len(drill.hints)
    assert "checked 2026" in drill.explanation or not re.search(r"\d+\s*%", drill.explanation), (
        "an explanation that states a percentage must give its source and 'checked 2026'"
    )
    if isinstance(drill, CategoriseDrill):
        for item in drill.items:  # feedback for a misplaced item must not name its group
            assert not re.search(rf"\b{re.escape(item.group)}\b", item.feedback, re.IGNORECASE), item.text


def _longest_is_right(d: ChoiceDrill) -> bool:
    lengths = [len(o.text) for o in d.options]
    return any(o.correct and len(o.text) == max(lengths) for o in d.options)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_right_options_cannot_be_guessed_by_length(chapter):
    # A learner who always picks the longest option must not do well: across a chapter's choice
    # drills the longest option is a right one in at most half of them, and no single-choice
    # right option is much longer (x1.5) than every wrong one.
    choice = [d for d in load_chapter(chapter) if isinstance(d, ChoiceDrill)]
    longest_right = [d.id for d in choice if _longest_is_right(d)]
    assert len(longest_right) <= len(choice) / 2, (
        f"{chapter}: the longest option is right in {len(longest_right)} of {len(choice)} choice drills "
        f"({', '.join(longest_right)}): shorten the right options or lengthen wrong ones"
    )
    for d in choice:
        if not d.multiple:
            right = next(len(o.text) for o in d.options if o.correct)
            wrong = max(len(o.text) for o in d.options if not o.correct)
            assert right <= 1.5 * wrong, f"{chapter}:{d.id}: the right option is far longer than every wrong one"


def test_longest_is_right_tells_a_guessable_drill_from_a_fair_one():
    def drill_with(right: str, wrong: str) -> ChoiceDrill:
        return ChoiceDrill.model_validate(
            {
                "kind": "choice",
                "id": "guess",
                "title": "t",
                "prompt": "p",
                "explanation": "e",
                "options": [{"text": right, "correct": True}, {"text": wrong, "feedback": "no, because ..."}],
            }
        )

    assert _longest_is_right(drill_with("A long and careful answer that is right", "Short"))
    assert not _longest_is_right(drill_with("Short and right", "A long, plausible answer that is wrong"))


HOW_MANY = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(of\s+(the|these|them)\s+)?"
    r"(options?|answers?|items?|snippets?|features?|statements?)\b"
    r"|\b(one|two|three|four|five|\d+)\s+(belong|are right|apply)",
    re.IGNORECASE,
)


def test_hints_do_not_say_how_many_answers_are_right(drill):
    for hint in drill.hints:
        assert not HOW_MANY.search(hint), f"{drill.chapter}:{drill.id}: a hint reveals a count: {hint!r}"


def test_how_many_pattern_catches_counting_hints():
    for hint in ("Three snippets belong in each group.", "eBay has 3 features here", "Two of the options are wrong"):
        assert HOW_MANY.search(hint), hint
    assert not HOW_MANY.search("Facts first, then evidence, then talk to the buyer.")


def test_no_country_taught_as_evidence():
    # The stereotype options exist only as wrong answers.
    judge = get_drill("01_platform_rules", "judge-sender")
    for option in judge.options:
        if re.search(r"country|IP address|free-mail|English", option.text):
            assert not option.correct, option.text
    john = get_drill("01_platform_rules", "john-tom-judge")
    (right,) = [o for o in john.options if o.correct]
    assert "Report" in right.text
    assert any("country" in o.text for o in john.options if not o.correct), "the country rule is a wrong option"
    address = load_inquiries().set_index("inquiry_id").loc[JOHN_TOM_ID, "sender_email"]
    assert address in john.prompt, f"the drill shows the full address, {address}, as the data has it"


# ----------------------------------------------------------- three ways per drill
def test_right_answer_is_right(drill):
    result = drill.check(drill.solution())
    assert result.state is State.RIGHT, result.message
    assert result.right
    assert drill.explanation in result.message
    assert any(line in result.message for line in ENCOURAGEMENTS)


BLANKS = {
    ChoiceDrill: lambda d: [None, "", "   ", [], set()] + ([] if not d.multiple else [[None]]),
    CategoriseDrill: lambda d: [None, {}, {i.text: None for i in d.items}, [None] * len(d.items)],
    OrderDrill: lambda d: [None, [], [None] * len(d.steps), ["", " "]],
    TextDrill: lambda d: [None, "", "   \n"],
    ReplyDrill: lambda d: [None, "", "   \n\t"],
}


def test_blank_is_not_attempted(drill):
    for blank in BLANKS[type(drill)](drill):
        result = drill.check(blank)
        assert result.state is State.NOT_ATTEMPTED, (blank, result)
        assert "Not attempted" in result.message


def known_wrong(drill):
    """(answer, text the message must contain) pairs derived from the YAML."""
    if isinstance(drill, ChoiceDrill):
        wrong = [o for o in drill.options if not o.correct]
        right = [o.text for o in drill.options if o.correct]
        if not drill.multiple:
            return [(o.text, o.feedback) for o in wrong]
        cases = [(right + [o.text], o.feedback) for o in wrong]
        return cases + [(right[1:], "not ticked yet")]
    if isinstance(drill, CategoriseDrill):
        cases = []
        for item in drill.items:
            answer = drill.solution()
            answer[item.text] = next(g for g in drill.groups if g != item.group)
            cases.append((answer, item.feedback))
        return cases
    if isinstance(drill, OrderDrill):
        cases = []
        for i in range(len(drill.steps) - 1):
            answer = drill.solution()
            answer[i], answer[i + 1] = answer[i + 1], answer[i]
            expected = drill.feedback.get(i + 1) or f"Look first at position {i + 1}"
            cases.append((answer, expected))
        return cases
    if isinstance(drill, ReplyDrill):
        too_short = " ".join(drill.model_reply.split()[: drill.min_words - 1])
        breach = drill.model_reply + "\n\nPS: please leave us a 5-star review at www.example-shop.com."
        return [(too_short, f"at least {drill.min_words}"), (breach, "The pre-check points to")]
    assert isinstance(drill, TextDrill)
    cases = [(w.example or f"{w.value:g}", w.feedback) for w in drill.wrong]
    return cases + [("zzz qqq", drill.feedback or "not")]


def test_known_wrong_answer_is_wrong_with_specific_message(drill):
    cases = known_wrong(drill)
    assert cases
    for answer, expected in cases:
        result = drill.check(answer)
        assert result.state is State.WRONG, (answer, result)
        assert expected in result.message, (answer, result.message)
        assert drill.explanation not in result.message, "a wrong answer must not show the explanation"


# ------------------------------------------------------------------ kind details
def ch01(drill_id):
    return get_drill("01_platform_rules", drill_id)


def test_choice_single_accepts_text_index_and_one_item_list():
    d = ch01("cancel-rate-buyer")
    right = next(i for i, o in enumerate(d.options) if o.correct)
    assert d.check(right).right
    assert d.check(d.options[right].text.upper()).right  # case-insensitive
    assert d.check([right]).right
    assert d.check(d.options[right].feedback).state is State.WRONG


def test_choice_multiple_marks_each_tick_and_says_some_are_missing_without_counting_them():
    d = ch01("odr-defects")
    chosen = [
        "Order 114: the buyer left 2 stars for a slow reply",
        'Order 122: 3 stars, with the comment "okay, arrived late"',
    ]
    msg = d.check(chosen).message
    assert "✓ “Order 114: the buyer left 2 stars for a slow reply”" in msg
    assert "✗ “Order 122: 3 stars" in msg
    assert "not ticked yet" in msg
    assert not re.search(r"\b\d+ of the \d+\b", msg), "the message must not say how many options are right"
    assert "1 of your ticks is wrong" in msg
    # the message never names the correct options that were not ticked
    assert "bank reversed" not in msg.lower() and "granted" not in msg.lower()


def test_categorise_names_misplaced_items_not_their_group():
    d = ch01("sort-inquiries")
    answer = d.solution()
    spy = next(i for i in d.items if i.group == "spy")
    answer[spy.text] = "genuine"
    msg = d.check(answer).message
    assert "1 item is in the wrong group" in msg
    assert spy.feedback in msg
    assert "spy" not in msg.replace(spy.feedback, "")


def test_categorise_partial_answer_lists_items_still_to_place():
    d = ch01("dispute-reasons")
    first = d.items[0]
    result = d.check({first.text: first.group})
    assert result.state is State.WRONG
    assert "Every item you have placed so far is right" in result.message
    assert "Still to place" in result.message and d.items[1].text[:20] in result.message
    # list form, in YAML item order
    assert d.check([i.group for i in d.items]).right


def test_order_reports_wrong_positions_without_the_answer():
    d = ch01("dispute-steps")
    answer = list(reversed(d.steps))
    msg = d.check(answer).message
    assert "0 of 6 steps are in the right place" in msg
    assert "Look first at position 1" in msg
    assert msg.count("“") == 1, "only the first misplaced step is quoted"


def test_order_duplicates_and_gaps():
    d = ch01("dispute-steps")
    dup = [d.steps[0]] * len(d.steps)
    assert "twice" in d.check(dup).message
    gap = d.solution()
    gap[2] = None
    assert "Position 3 is still empty" in d.check(gap).message
    assert d.check(list(range(len(d.steps)))).right  # indices work too
    assert "only 6 positions" in d.check(d.steps + [d.steps[0]]).message


@pytest.mark.parametrize("typed", ["90", "90%", "90 %", "90 percent", " 90. ", ">= 90%", "0.9", "0,9", 90, 90.0])
def test_numeric_accepts_number_formats(typed):
    result = ch01("otdr-target").check(typed)
    assert result.right, (typed, result.message)


@pytest.mark.parametrize("typed", ["97", "97%", "0.97", "0.9%", "91", "9", "ninety", "90 000"])
def test_numeric_rejects(typed):
    result = ch01("otdr-target").check(typed)
    assert result.state is State.WRONG, typed
    if typed.startswith(("97", "0.97")):
        assert "old figure" in result.message
    if typed in ("ninety", "90 000"):
        assert "I expected a number" in result.message


def test_fraction_reading_is_explained():
    assert "read 0.9 as 90%" in ch01("otdr-target").check("0.9").message


def test_parse_number():
    assert parse_number("1,000") == (1000.0, False)
    assert parse_number("2.5 %") == (2.5, True)
    assert parse_number("about 4") == (4.0, False)
    assert parse_number("four") is None


@pytest.mark.parametrize(
    "typed",
    [
        "request for quotation",
        "Request for Quote",
        "REQUEST FOR QUOTATIONS.",
        "request  for a quote",
        "request-for-quotation",
    ],
)
def test_text_accept_variants(typed):
    assert ch01("rfq-term").check(typed).right


def test_text_escapes_learner_input():
    msg = ch01("rfq-term").check("<script>alert(1)</script>").message
    assert "<script>" not in msg and "&lt;script&gt;" in msg


# --------------------------------------------------------------------- bad input
class ExplodingDict(dict):
    def items(self):
        raise RuntimeError("boom")

    def values(self):
        return ["not blank"]


BAD = [
    object(),
    3.7,
    {"x": 1},
    ["nope"],
    "nope",
    99,
    -1,
    True,
    ("a", "b", "c", "d", "e", "f", "g", "h"),
    ExplodingDict(),
]


def test_bad_input_gives_feedback_not_a_traceback(drill):
    for bad in BAD:
        result = drill.check(bad)  # must not raise
        assert result.state is State.WRONG, (bad, result)
        assert result.message.strip()
        assert "Traceback" not in result.message


def test_bad_input_messages_are_specific():
    choice = ch01("cancel-rate-buyer")
    assert "no option number 99" in choice.check(99).message
    assert "“nope” is not one of the options" in choice.check("nope").message
    assert "exactly one option" in choice.check([0, 1]).message
    cat = ch01("sort-inquiries")
    assert "“Mars” is not one of the groups" in cat.check({cat.items[0].text: "Mars"}).message
    assert "one group per item" in cat.check(["genuine"]).message
    assert "as a list" in ch01("dispute-steps").check("step one").message
    assert "as text" in ch01("rfq-term").check(["request for quotation"]).message
    assert "could not read that answer (RuntimeError)" in cat.check(ExplodingDict()).message


# ------------------------------------------------------------------------ hints
def test_hints_graduate(drill):
    n = len(drill.hints)
    for k in range(1, n + 1):
        text = drill.hint()
        assert text.startswith(f"**Hint {k} of {n}:**")
        assert drill.hints[k - 1] in text
    for _ in range(2):
        assert drill.hint().startswith(f"No more hints: you have seen all {n}")
    drill.reset_hints()
    assert drill.hint().startswith(f"**Hint 1 of {n}:**")


def test_drill_without_hints(tmp_path):
    path = write(
        tmp_path,
        "99_x",
        """
        - id: no-hints
          kind: order
          title: t
          prompt: p
          explanation: e
          steps: [a, b, c]
    """,
    )
    (d,) = load_file(path)
    assert d.hint().startswith("This drill has no hints")


# ------------------------------------------------------------------- validation
def write(tmp_path: Path, chapter: str, drills_yaml: str) -> Path:
    path = tmp_path / f"{chapter}.yaml"
    path.write_text(
        f"chapter: {chapter}\ndrills:\n" + textwrap.indent(textwrap.dedent(drills_yaml).strip("\n"), "  ") + "\n",
        encoding="utf-8",
    )
    return path


def d1(kind: str, fields: str = "") -> str:
    """A drill 'd1' of ``kind`` with a title, a prompt and an explanation, plus ``fields``."""
    return f"- id: d1\n  kind: {kind}\n  title: t\n  prompt: p\n  explanation: e\n" + textwrap.indent(
        textwrap.dedent(fields).strip("\n"), "  "
    )


GOOD_CHOICE = """
- id: {id}
  kind: choice
  title: t
  prompt: p
  explanation: e
  options:
    - {{text: a, correct: true}}
    - {{text: b, feedback: "not this"}}
"""

INVALID = {
    "missing-prompt": (
        """
        - id: d1
          kind: order
          title: t
          explanation: e
          steps: [a, b, c]
        """,
        "drill 'd1': field 'prompt': missing (required: the question",
    ),
    "unknown-kind": (
        d1("essay"),
        "drill 'd1': field 'kind': unknown kind 'essay' (kinds: choice, categorise, order, text, reply)",
    ),
    "no-correct-option": (
        d1(
            "choice",
            """
    options:
      - {text: a, feedback: x}
      - {text: b, feedback: y}
    """,
        ),
        "drill 'd1': field 'options': no option has correct: true",
    ),
    "two-correct-single": (
        d1(
            "choice",
            """
    options:
      - {text: a, correct: true}
      - {text: b, correct: true}
    """,
        ),
        "field 'options': 2 options are correct but multiple is false",
    ),
    "wrong-option-without-feedback": (
        d1(
            "choice",
            """
    options:
      - {text: a, correct: true}
      - {text: b}
    """,
        ),
        "drill 'd1': options[1]: field 'feedback': missing",
    ),
    "duplicate-option": (
        d1(
            "choice",
            """
    options:
      - {text: a, correct: true}
      - {text: A, feedback: x}
    """,
        ),
        "field 'options': duplicate texts: 'A', 'a'",
    ),
    "duplicate-ids": (
        GOOD_CHOICE.format(id="same") + GOOD_CHOICE.format(id="same"),
        "drill 'same': field 'id': duplicate id (also drill #1)",
    ),
    "bad-id": (
        GOOD_CHOICE.format(id="Odr_Defects"),
        "drill 'Odr_Defects': field 'id': must be kebab-case, like 'odr-defects', got 'Odr_Defects'",
    ),
    "unknown-group": (
        d1(
            "categorise",
            """
    groups: [genuine, fraud]
    items:
      - {text: a, group: genuine, feedback: x}
      - {text: b, group: spy, feedback: y}
    """,
        ),
        "drill 'd1': items[1]: field 'group': unknown group 'spy' (groups: genuine, fraud)",
    ),
    "bad-regex": (
        d1(
            "text",
            """
    accept: ["request (for"]
    examples: [x]
    """,
        ),
        "drill 'd1': field 'accept[0]': bad regular expression 'request (for'",
    ),
    "text-without-answer": (
        d1(
            "text",
            """
    examples: [x]
    """,
        ),
        "field 'accept': a text drill needs an 'accept' list of regexes or a 'numeric' answer",
    ),
    "example-not-accepted": (
        d1(
            "text",
            """
    accept: [ok]
    examples: ["no"]
    """,
        ),
        "drill 'd1': field 'examples': example 'no' is not accepted",
    ),
    "wrong-example-caught-by-accept": (
        d1(
            "text",
            """
    accept: [".*"]
    examples: [x]
    wrong: [{match: "y", example: "y", feedback: "no"}]
    """,
        ),
        "field 'wrong[0]': example 'y' does not get this entry's feedback",
    ),
    "value-in-text-drill": (
        d1(
            "text",
            """
    accept: [x]
    examples: [x]
    wrong: [{value: 3, feedback: "no"}]
    """,
        ),
        "wrong[0]: field 'value': 'value' needs a numeric drill",
    ),
    "typo-field": (
        d1(
            "order",
            """
    stepz: [a, b, c]
    """,
        ),
        "drill 'd1': field 'stepz': unknown field",
    ),
    "order-feedback-index": (
        d1(
            "order",
            """
    steps: [a, b, c]
    feedback: {7: x}
    """,
        ),
        "field 'feedback': key 7 is not a step index (0 to 2)",
    ),
    "numeric-not-a-number": (
        d1(
            "text",
            """
    numeric: {value: ninety}
    """,
        ),
        "drill 'd1': numeric: field 'value': must be a number",
    ),
    "options-not-a-list": (
        d1(
            "choice",
            """
    options: "a, b"
    """,
        ),
        "drill 'd1': field 'options': must be a list",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_validation_error_names_file_drill_and_field(tmp_path, case):
    body, expected = INVALID[case]
    path = write(tmp_path, "99_test", body)
    with pytest.raises(DrillValidationError) as info:
        load_file(path)
    message = str(info.value)
    assert str(path) in message or "99_test.yaml" in message
    assert expected in message, message


def test_validation_reports_every_problem_at_once(tmp_path):
    path = write(
        tmp_path,
        "99_test",
        """
        - id: a
          kind: essay
        - id: b
          kind: order
          title: t
          prompt: p
          explanation: e
          steps: [x]
    """,
    )
    with pytest.raises(DrillValidationError) as info:
        load_file(path)
    errors = info.value.errors
    assert any("drill 'a': field 'kind'" in e for e in errors)
    assert any("drill 'b': field 'steps': needs at least 3" in e for e in errors)
    assert str(info.value).startswith(f"{len(errors)} problems")


@pytest.mark.parametrize(
    "content, expected",
    [
        ("chapter: 99_test\ndrills: [\n", "not valid YAML"),
        ("- just a list\n", "must be a mapping with 'chapter' and 'drills'"),
        ("chapter: other\ndrills: []\n", "field 'chapter': is 'other' but must equal the file name '99_test'"),
        ("chapter: 99_test\n", "field 'drills': missing (required: the chapter's drills"),
        ("chapter: 99_test\ndrills: []\n", "field 'drills': needs at least 1 entry, has 0"),
        ("chapter: 99_test\ndrills: [x]\nextra: 1\n", "field 'extra': unknown field (allowed: chapter, drills)"),
        ("chapter: 99_test\ndrills: [x]\n", "drill #1: must be a mapping (id: ..., kind: ..., title: ...), got 'x'"),
    ],
)
def test_file_level_errors(tmp_path, content, expected):
    path = tmp_path / "99_test.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DrillValidationError, match=re.escape(expected)):
        load_file(path)


def test_unknown_chapter_and_drill_are_one_line_errors_listing_ids():
    with pytest.raises(DrillNotFound) as info:
        load_chapter("01_platfrom_rules")
    message = str(info.value)
    assert "\n" not in message
    assert "no drills for chapter '01_platfrom_rules'" in message and "01_platform_rules" in message
    with pytest.raises(DrillNotFound) as info:
        show("01_platform_rules", "odr-defect")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("no drill 'odr-defect' in chapter '01_platform_rules'; available ids: platform-families")
    assert "rfq-term" in message


# ---------------------------------------------------------------- determinism
def test_display_orders_are_deterministic_and_shuffled():
    script = (
        "import json; from borderdesk.drills import load_chapter, available_chapters\n"
        "print(json.dumps({d.id: d.display_order() for c in available_chapters() for d in load_chapter(c)"
        " if hasattr(d, 'display_order')}))"
    )
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", script],
                capture_output=True,
                text=True,
                check=True,
                env={**__import__("os").environ, "PYTHONHASHSEED": seed},
            ).stdout
        )
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    shuffled = []
    for _chapter, d in ALL:
        n = len(
            d.steps
            if isinstance(d, OrderDrill)
            else d.items
            if isinstance(d, CategoriseDrill)
            else d.options
            if isinstance(d, ChoiceDrill)
            else []
        )
        if not n:
            continue
        order = d.display_order()
        assert sorted(order) == list(range(n)), d.id
        shuffled.append(order != list(range(n)))
        if isinstance(d, OrderDrill):
            assert order != list(range(n)), f"{d.id} is shown already in order"
    assert sum(shuffled) >= len(shuffled) - 2, "options and items are shown shuffled, not in YAML order"


# --------------------------------------------------------------------- widgets
def set_widgets(view: DrillView, answer_from_solution: bool = True) -> None:
    """Put the right answer into the widgets, as a learner would."""
    d = view.drill
    if isinstance(d, ChoiceDrill) and not d.multiple:
        view.controls.value = next(i for i, o in enumerate(d.options) if o.correct)
    elif isinstance(d, ChoiceDrill):
        for box in view.controls:
            box.value = d.options[box.option_index].correct
    elif isinstance(d, CategoriseDrill):
        for item in d.items:
            view.controls[item.text].value = item.group
    elif isinstance(d, OrderDrill):
        for pos, dropdown in enumerate(view.controls):
            dropdown.value = pos
    else:
        view.controls.value = d.solution()


def state_of(view: DrillView) -> str:
    match = re.search(r'data-state="(\w+)"', view.feedback.value)
    assert match, view.feedback.value
    return match.group(1)


@pytest.mark.parametrize("chapter, drill_id", [(c, d.id) for c, d in ALL], ids=IDS)
def test_widget_view_click_through(chapter, drill_id):
    view = drill_view(chapter, drill_id)
    assert view.feedback.value == ""
    view.check_button.click()  # nothing chosen yet
    assert state_of(view) == "not_attempted" and "Not attempted" in view.feedback.value

    d = view.drill
    if isinstance(d, ChoiceDrill) and not d.multiple:
        view.controls.value = next(i for i, o in enumerate(d.options) if not o.correct)
    elif isinstance(d, ChoiceDrill):
        next(b for b in view.controls if not d.options[b.option_index].correct).value = True
    elif isinstance(d, CategoriseDrill):
        item = d.items[0]
        view.controls[item.text].value = next(g for g in d.groups if g != item.group)
    elif isinstance(d, OrderDrill):
        for pos, dropdown in enumerate(view.controls):
            dropdown.value = (pos + 1) % len(d.steps)
    else:
        view.controls.value = "zzz"
    view.check_button.click()
    assert state_of(view) == "wrong" and "borderdesk-wrong" in view.feedback.value

    set_widgets(view)
    view.check_button.click()
    assert state_of(view) == "right", view.feedback.value
    assert view.result is not None and view.result.right
    assert "Right!" not in view.feedback.value, "the label says Right once; the message does not repeat it"


def test_widget_prompt_is_rendered_markdown_and_hint_button_graduates():
    view = drill_view("01_platform_rules", "john-tom-judge")
    assert "<blockquote>" in view.prompt.value and "<strong>From:</strong>" in view.prompt.value
    n = len(view.drill.hints)
    for k in range(1, n + 1):
        view.hint_button.click()
        assert f"Hint {k} of {n}:" in view.hint_area.value
        assert view.hint_area.value.count("Hint ") == k  # earlier hints stay visible
    view.hint_button.click()
    assert "No more hints" in view.hint_area.value


def test_widget_order_shows_shuffled_lettered_steps():
    view = drill_view("01_platform_rules", "dispute-steps")
    listing = view.inputs.children[0].value
    shown = [view.drill.steps[i] for i in view.drill.display_order()]
    positions = [listing.index(s) for s in shown]
    assert positions == sorted(positions)
    assert len(view.controls) == len(view.drill.steps)
    assert all(view_module.chosen(dd) is None for dd in view.controls)


def test_widget_choice_display_order_follows_seed():
    view = drill_view("01_platform_rules", "judge-sender")
    shown = [value for _, value in view.controls.options]
    assert shown == view.drill.display_order()
    assert view.controls.value is None


def test_show_and_show_all_display_widgets(monkeypatch):
    displayed = []
    monkeypatch.setattr(view_module, "display", displayed.append)
    show("00_start_here", "kpi-first-reply")
    show_all("01_platform_rules")
    assert displayed[0].__class__.__name__ == "VBox"
    assert len(displayed[1].children) == 1 + len(load_chapter("01_platform_rules"))


def test_chapter_view_progress_counts_right_drills():
    cv = chapter_view("00_start_here")
    assert isinstance(cv, ChapterView)
    total = len(load_chapter("00_start_here"))
    assert f"0 of {total} right" in cv.progress.value
    view = cv["competency-model"]
    set_widgets(view)
    view.check_button.click()
    assert f"1 of {total} right" in cv.progress.value
    view.controls[view.drill.items[0].text].value = view_module.UNANSWERED  # back to "— group —"
    view.check_button.click()
    assert f"0 of {total} right" in cv.progress.value


def test_markdown_renders_drill_text():
    out = to_html("**Bold** and *it* and `code`\n\n- one\n- two\n\n> quoted")
    assert "<strong>Bold</strong>" in out and "<em>it</em>" in out and "<code>code</code>" in out
    assert "<li>one</li>" in out and "<blockquote>" in out


def test_drill_errors_are_borderdesk_errors():
    # The CLI turns a BorderDeskError into a one-line message instead of a traceback.
    assert issubclass(DrillError, BorderDeskError)
    assert issubclass(DrillNotFound, LookupError) and issubclass(DrillValidationError, ValueError)


def test_drill_files_are_the_manifests():
    listed = {Path(c.drills).stem: c for c in chapters() if c.drills}
    assert set(CHAPTERS) == set(listed), (
        "every drill file in course/drills/ must be the `drills:` of a chapter in course/chapters.yaml, and back"
    )
    for chapter in listed.values():
        assert (course_root() / chapter.drills).is_file(), chapter.drills


# ---------------------------------------------------------------------- titles
def test_every_course_drill_has_a_short_title_for_people(drill):
    assert drill.title and drill.title != drill.id
    assert len(drill.title) <= 60 and not drill.title.endswith(".")
    assert drill.title[0].isupper(), "a title starts like a sentence"


def test_widget_heading_is_the_title_not_the_id():
    view = drill_view("01_platform_rules", "odr-defects")
    assert html.escape(view.drill.title) in view.title.value
    assert 'data-drill-id="odr-defects"' in view.title.value  # for the browser tests, not shown
    assert "Drill · odr-defects" not in view.title.value


@pytest.mark.parametrize(
    "title, expected",
    [
        (None, "drill 'd1': field 'title': missing (required: the drill's heading for learners"),
        ("x" * 61, "drill 'd1': field 'title': must be at most 60 characters, has 61"),
        ('"  "', "drill 'd1': field 'title': must be a non-empty text"),
        ("no", "field 'title': must be a text, got False (YAML reads yes/no/on/off as true/false: quote the text)"),
    ],
)
def test_title_is_required_and_short(tmp_path, title, expected):
    body = d1("order", "steps: [a, b, c]").replace("  title: t\n", "" if title is None else f"  title: {title}\n")
    with pytest.raises(DrillValidationError) as info:
        load_file(write(tmp_path, "99_test", body))
    assert expected in str(info.value)


# ------------------------------------------------------------------ JSON Schema
def schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((drills_dir() / SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_json(path: Path):
    """A YAML file as an editor's schema checker sees it (JSON: mapping keys are texts)."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))))


def test_committed_schema_matches_the_models():
    committed = (drills_dir() / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text(), (
        f"course/drills/{SCHEMA_FILE} differs from the drill models in src/borderdesk/drills/model.py: "
        f"run `{SCHEMA_COMMAND}` and commit the file"
    )


def test_schema_command_writes_the_schema(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(loader_module, "drills_dir", lambda: tmp_path)
    assert drills_main(["--schema"]) == 0
    assert f"wrote {tmp_path / SCHEMA_FILE}" in capsys.readouterr().out
    assert (tmp_path / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()


@pytest.mark.parametrize("path", sorted(drills_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_drill_files_name_the_schema_and_pass_it(path):
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema={SCHEMA_FILE}", (
        f"{path.name}: the first line names the schema, so editors check and complete the file"
    )
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in schema_validator().iter_errors(as_json(path))]
    assert not errors, errors


# Structural mistakes the schema catches in the editor, before the loader sees them
# (the rules that need the whole drill, such as the self-test, are the loader's).
SCHEMA_CATCHES = [
    "bad-id",
    "missing-prompt",
    "numeric-not-a-number",
    "options-not-a-list",
    "text-without-answer",
    "typo-field",
    "unknown-kind",
    "wrong-option-without-feedback",
]


@pytest.mark.parametrize("case", SCHEMA_CATCHES)
def test_schema_rejects_what_the_loader_rejects(tmp_path, case):
    path = write(tmp_path, "99_test", INVALID[case][0])
    with pytest.raises(DrillValidationError):
        load_file(path)
    assert not schema_validator().is_valid(as_json(path)), f"the schema accepts the invalid case {case!r}"


def test_schema_accepts_a_minimal_drill_of_each_kind(tmp_path):
    path = write(
        tmp_path,
        "99_test",
        GOOD_CHOICE.format(id="a")
        + d1("order", "steps: [a, b, c]\nfeedback: {0: x}").replace("id: d1", "id: b")
        + "\n"
        + d1("text", "numeric: {value: 3}\nwrong: [{value: 4, feedback: nope}]").replace("id: d1", "id: c")
        + "\n"
        + d1(
            "categorise",
            "groups: [g, h]\nitems: [{text: a, group: g, feedback: x}, {text: b, group: h, feedback: y}]",
        ).replace("id: d1", "id: d")
        + "\n"
        + d1("reply", "case: {message: 'Hi, where is my parcel? Tom'}\nmodel_reply: 'Hi Tom, ...'").replace(
            "id: d1", "id: e"
        ),
    )
    assert len(load_file(path)) == 5
    errors = [e.message for e in schema_validator().iter_errors(as_json(path))]
    assert not errors, errors


def test_wrong_answer_needs_exactly_one_of_match_or_value(tmp_path):
    path = write(
        tmp_path,
        "99_test",
        d1("text", 'numeric: {value: 3}\nwrong: [{match: "x", value: 4, feedback: nope}]'),
    )
    with pytest.raises(DrillValidationError, match=re.escape("wrong[0]: field 'match': give exactly one of")):
        load_file(path)
    assert not schema_validator().is_valid(as_json(path))


# ------------------------------------------------------------- drop-downs
DROPDOWN_DRILLS = [(c, d.id) for c, d in ALL if isinstance(d, (CategoriseDrill, OrderDrill))]


@pytest.mark.parametrize("chapter, drill_id", DROPDOWN_DRILLS, ids=[f"{c}:{i}" for c, i in DROPDOWN_DRILLS])
def test_dropdowns_start_on_a_visible_placeholder(chapter, drill_id):
    view = drill_view(chapter, drill_id)
    dropdowns = list(view.controls.values()) if isinstance(view.controls, dict) else view.controls
    placeholder = (
        view_module.GROUP_PLACEHOLDER if isinstance(view.drill, CategoriseDrill) else view_module.STEP_PLACEHOLDER
    )
    for dd in dropdowns:
        # ipywidgets 8 shows a Dropdown with index None as an empty box: the placeholder is a real option.
        assert dd.index == 0 and dd.label == placeholder and dd.options[0][0] == placeholder
        assert view_module.chosen(dd) is None
    assert view.check().state is State.NOT_ATTEMPTED

    first = dropdowns[0]
    first.index = 1
    assert view_module.chosen(first) is not None
    first.index = 0  # the learner picks the placeholder again
    assert view_module.chosen(first) is None
    first.index = 1
    first.value = None  # code that clears it gets the placeholder back, not an empty box
    assert first.index == 0 and first.label == placeholder
    assert view.check().state is State.NOT_ATTEMPTED


# ------------------------------------------------------------- glossary terms
def test_glossary_terms_render_with_chinese_and_definition():
    inquiry = lookup("inquiry")
    out = to_html("An [[inquiry]], two [[Inquiry|inquiries]] and a [[no such term]].")
    assert f"inquiry ({inquiry.zh_forms[0]})</abbr>" in out
    assert f"inquiries ({inquiry.zh_forms[0]})</abbr>" in out
    assert f'title="{html.escape(inquiry.definition)}"' in out
    assert "a no such term." in out  # an unknown term (only possible in learner input) stays plain words
    assert "[[" not in out


def test_course_drills_cite_glossary_terms():
    cited = [
        (chapter, d.id)
        for chapter, d in ALL
        if TERM.search(" ".join([d.prompt, d.explanation, *d.hints, json.dumps(d.model_dump(mode="json"))]))
    ]
    assert len(cited) >= 3, cited
    view = drill_view("01_platform_rules", "judge-sender")
    assert 'class="borderdesk-term"' in view.prompt.value and "[[" not in view.prompt.value


@pytest.mark.parametrize(
    "fields, expected",
    [
        (
            "options: [{text: a, correct: true}, {text: b, feedback: 'Not an [[inquiri]]'}]",
            "drill 'd1': options[1]: field 'feedback': [[inquiri]] is not a term in the glossary: did you mean",
        ),
        (
            "options: [{text: 'An [[inquiry]]', correct: true}, {text: b, feedback: x}]",
            "drill 'd1': options[0]: field 'text': is shown as plain text, so [[term]] does not work here",
        ),
    ],
)
def test_glossary_citations_are_checked(tmp_path, fields, expected):
    with pytest.raises(DrillValidationError) as info:
        load_file(write(tmp_path, "99_test", d1("choice", fields)))
    assert expected in str(info.value)


@pytest.mark.parametrize(
    "chapter, where",
    [
        ("01_platform_rules", "add it to course/glossary/01_platform_rules.yaml (term, zh, definition)"),
        ("99_test", "add it to the glossary file of the chapter that teaches it, course/glossary/<chapter slug>.yaml"),
    ],
)
def test_unknown_glossary_term_in_prompt_is_an_error_saying_which_file_to_add_it_to(tmp_path, chapter, where):
    body = d1("order", "steps: [a, b, c]").replace("prompt: p", "prompt: 'Answer the [[zzz-not-a-term]] first'")
    with pytest.raises(DrillValidationError) as info:
        load_file(write(tmp_path, chapter, body))
    assert "drill 'd1': field 'prompt': [[zzz-not-a-term]] is not a term in the glossary: " + where in str(info.value)


# ------------------------------------------------------------------ reply drills
REPLY = ("02_language", "reply-parcel-not-received")


def test_reply_drill_model_reply_passes_every_check():
    drill = get_drill(*REPLY)
    findings = drill.findings(drill.model_reply)
    assert findings, "the pre-check returned no findings"
    assert not [f.check for f in findings if f.passed is False]


def test_reply_drill_names_what_the_pre_check_found_and_escapes_the_reply():
    drill = get_drill(*REPLY)
    draft = drill.model_reply.replace("Hi Tom,", "<b>Hello</b>") + "\nThis lamp is guaranteed to never break."
    result = drill.check(draft)
    assert result.state is State.WRONG
    failing = [f for f in drill.findings(draft) if f.passed is False]
    assert {f.check for f in failing} >= {"greeting", "absolute_claims"}, [f.check for f in failing]
    for finding in failing:
        assert finding.title in result.message
    assert "guaranteed" in result.message, "the checklist shows the words the pre-check found"
    assert "<b>Hello</b>" not in result.message, "learner text reaches the message escaped"
    assert drill.explanation not in result.message


def test_reply_drill_pre_check_error_is_feedback(monkeypatch):
    from borderdesk import reply_check

    def refuse(*args, **kwargs):
        raise reply_check.ReplyCheckError("the reply is empty: type a reply first")

    monkeypatch.setattr(reply_check, "check_reply", refuse)
    result = get_drill(*REPLY).check("word " * 40)
    assert result.state is State.WRONG
    assert "I could not read that answer. the reply is empty" in result.message


@pytest.mark.parametrize(
    "fields, expected",
    [
        ("model_reply: 'Hi'", "field 'case': missing"),
        ("case: {message: 'Hi'}", "field 'model_reply': missing"),
        ("case: {message: 'Hi'}\nmodel_reply: 'Hi'\nmin_words: 0", "field 'min_words': must be 1 or more"),
        ("case: {message: 'Hi', platform: etsy}\nmodel_reply: 'Hi'", "case: field 'platform'"),
    ],
)
def test_reply_drill_validation(tmp_path, fields, expected):
    path = write(tmp_path, "99_test", d1("reply", fields))
    with pytest.raises(DrillValidationError) as err:
        load_file(path)
    assert expected in str(err.value), str(err.value)


def test_reply_widget_shows_the_buyer_message_and_a_text_area():
    view = drill_view(*REPLY)
    assert "114-3941689-8772232" in view.inputs.children[0].value
    assert view.controls.rows >= 5
