"""Submissions that subvert the test harness gain nothing (issue 16, section 1).

Each case (tests/submissions.py, ``HARNESS``) adds one cell after the setup of ``partial``
(honest score FULL - 4) that, under plain nbgrader, changes how later cells run, report
or compare. The whole class is graded ONCE by the real ``borderdesk grade``, sandboxed;
the tests read the outcomes and nbgrader's gradebook.

Expected, per case: the score, and what the outcome's evidence must say. "Detected"
(read in the source by the parent, or changed while a test ran) scores every test after
the cell 0; "blocked" (the kernel's harness_guard put things back before each test) keeps
the honest score. Where the guard also restored something, its words are checked too.
"""

from __future__ import annotations

import nbformat
import pytest
import submissions
from assignment_suite import wrong_answers
from conftest import REPO
from nbgrader.api import Gradebook
from prereqs import require_program
from test_grade import FULL, LIMITS, db_url, grade, new_course

from borderdesk.grading import outcome_store
from borderdesk.grading.integrity import harness_tampering

HONEST = FULL - 4  # partial: two questions wrong
GUARD = "restored before the test"
# case -> (score, evidence substrings the outcome's tamper_detail must hold)
EXPECTED = {
    "input_transformer": (0.0, ["uses .input_transformers_post", f"{GUARD}: shell.input_transformers_post"]),
    "ast_transformer": (0.0, ["uses .ast_transformers", f"{GUARD}: shell.ast_transformers"]),
    "custom_exc": (0.0, ["uses .set_custom_exc", f"{GUARD}: shell.CustomTB; shell.custom_exceptions"]),
    "showtraceback": (0.0, ["uses .showtraceback", f"{GUARD}: shell.showtraceback"]),
    "class_showtraceback": (0.0, ["uses ._showtraceback", "ZMQInteractiveShell._showtraceback"]),
    "excepthook_and_trace": (0.0, ["changes sys.excepthook", "sys.excepthook", "a trace function"]),
    "threading_settrace": (0.0, ["imports threading", "threading.settrace"]),
    "do_execute": (0.0, ["uses .do_execute", "kernel.do_execute"]),
    "session_send": (0.0, ["uses get_ipython", "session.send"]),
    "pre_run_cell": (0.0, ["uses get_ipython", "event callbacks (pre_run_cell)"]),
    "builtins_module": (0.0, ["imports builtins", f"{GUARD}: builtins.abs; builtins.round"]),
    "shadowed_builtins": (HONEST, [f"{GUARD}: the builtin isinstance (shadowed by a notebook variable)"]),
    "patched_functions": (0.0, ["changes math.isclose", "changes pd.testing.assert_frame_equal", "math.isclose"]),
    "patched_checks": (0.0, ["rebinds check_type, which the tests use"]),
    "equal_to_anything": (0.0, ["class Anything subclasses Series", "class Anything defines __eq__"]),
    "thread_rewrites": (0.0, ["imports threading", "thread(s) the notebook started are still running"]),
    "child_process": (HONEST, [f"{GUARD}: killed 1 process(es) the notebook left running"]),
    "double_fork": (HONEST, [f"{GUARD}: killed 1 process(es) the notebook left running"]),
    "obfuscated": (0.0, ["calls exec()", f"{GUARD}: shell.showtraceback"]),
    "removes_the_guard": (0.0, ["uses .shell_handlers", "the harness check did not report on this test"]),
    "reaches_the_guard": (0.0, ["imports gc"]),
    "blank_transformer": (0.0, ["red_flag_features uses .input_transformers_post"]),
    "helper_module": (0.0, ["submitted file helper.py uses .showtraceback", f"{GUARD}: shell.showtraceback"]),
}
HONEST_CASES = {"partial": HONEST, "correct": FULL, "blank": 0.0}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    require_program("bwrap")
    root = new_course(tmp_path_factory, "harness")
    for case in [*EXPECTED, *HONEST_CASES]:
        submissions.write(root, case, case)
    run = grade(root, *LIMITS)
    outcomes = {o.student: o for o in outcome_store.load(db_url(root), submissions.ASSIGNMENT)}
    with Gradebook(db_url(root)) as gb:
        scores = {s: gb.find_submission(submissions.ASSIGNMENT, s).score for s in outcomes}
    return {"run": run, "outcomes": outcomes, "scores": scores}


@pytest.mark.parametrize("case", list(EXPECTED))
def test_each_family_gains_nothing_and_is_flagged(graded, case):
    score, evidence = EXPECTED[case]
    outcome = graded["outcomes"][case]
    assert outcome.status == "graded", outcome
    assert (outcome.score, graded["scores"][case]) == (score, score), outcome
    assert outcome.tampered and outcome.tamper_detail.startswith("harness tampering: "), outcome
    for words in evidence:
        assert words in outcome.tamper_detail, outcome.tamper_detail


def test_detected_cases_name_the_tests_scored_zero(graded):
    detail = graded["outcomes"]["input_transformer"].tamper_detail
    assert "scored 0: test_red_flag_features, test_flag_suspicious" in detail and "test_triage" in detail
    assert "scored 0" not in graded["outcomes"]["shadowed_builtins"].tamper_detail


@pytest.mark.parametrize("case", list(HONEST_CASES))
def test_honest_submissions_keep_their_score_and_are_not_flagged(graded, case):
    outcome = graded["outcomes"][case]
    assert (outcome.status, outcome.score, outcome.tampered, outcome.tamper_detail) == (
        "graded",
        HONEST_CASES[case],
        False,
        "",
    )


def test_summary_lists_harness_tampering_for_the_instructor(graded):
    out = graded["run"].stdout
    assert "tampered with tests" in out and "harness tampering" in out


def _assignments():
    return sorted(p.parent.name for p in (REPO / "solutions").glob("*/*.ipynb"))


@pytest.mark.parametrize("assignment", _assignments())
def test_reading_the_source_flags_no_solution_and_no_known_wrong_answer(assignment):
    """Honest answers of every assignment (its solution, and each known-wrong answer in
    place of the right one) use nothing that counts as harness tampering."""
    (solution,) = (REPO / "solutions" / assignment).glob("*.ipynb")
    released = nbformat.read(REPO / "exercises" / assignment / solution.name, as_version=4)
    nb = nbformat.read(solution, as_version=4)
    assert harness_tampering(nb, released) == []
    for grade_id, source in wrong_answers(assignment).items():
        for cell in nb.cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
                cell.source = source
    assert harness_tampering(nb, released) == []


def test_reading_the_source_sees_through_magics_and_strings():
    released = submissions.released()
    for source, words in [
        ("%load_ext autoreload", "runs the IPython magic %load_ext"),
        ("%timeit sum(range(3))\nx = getattr(object, 'run_' + 'cell')", "getattr() with a computed or harness name"),
        ("ip = sys.modules['IPython']", "uses sys.modules"),
        ("def f():\n    global call\n    call = print", "rebinds call (global), which the tests use"),
        ("if True:\n    check_type = print", "rebinds check_type, which the tests use"),
        ("from os import path as call", "rebinds call, which the tests use"),
    ]:
        nb = submissions._insert_after_setup(submissions.released(), source)
        (found,) = harness_tampering(nb, released)
        assert words in found["what"], found
    for honest in ("%time 1 + 1", "import pandas as pd\nfrom borderdesk.checks import call", "def f():\n    len = 1"):
        assert harness_tampering(submissions._insert_after_setup(submissions.released(), honest), released) == []
