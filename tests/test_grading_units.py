"""Grading's pure functions, without bubblewrap, kernels or a graded class: tampering,
how a kernel ended, the submission fingerprint, the output cap, the bwrap command line,
message normalising, and HTML pages that show hostile text as text."""

from __future__ import annotations

import signal

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_notebook

from borderdesk.grading import harness_guard, outcome_store, sandbox
from borderdesk.grading.integrity import fingerprint, tampering
from borderdesk.grading.kernels import describe_exit
from borderdesk.grading.report import Mistake, QuestionRow, normalise, render
from borderdesk.grading.results import GRADED, UNGRADABLE, ClassResults, StudentResult

HOSTILE = "<script>alert('x')</script>"


# ----------------------------------------------------------------------------- tampering
def _cell(source: str, grade_id: str, *, grade=True, solution=False):
    meta = {"grade": grade, "solution": solution, "grade_id": grade_id, "locked": not solution, "schema_version": 3}
    return new_code_cell(source, metadata={"nbgrader": meta})


def _released():
    return new_notebook(
        cells=[
            _cell("def answer():\n    raise NotImplementedError", "answer", grade=False, solution=True),
            _cell("assert answer() == 1, 'expected 1'", "test_one"),
            _cell("assert answer() > 0", "test_two"),
        ]
    )


def test_untouched_tests_are_not_tampering():
    submitted = _released()
    submitted.cells[0].source = "def answer():\n    return 1"  # the student's own answer is theirs to change
    submitted.cells[1].source += "\n\n"  # trailing whitespace is not an edit
    assert tampering(submitted, _released()) == ""


def test_edited_and_deleted_test_cells_are_named():
    submitted = _released()
    submitted.cells[1].source = "assert True"
    del submitted.cells[2]
    assert tampering(submitted, _released()) == "edited test cells test_one; deleted test cells test_two"


def test_a_test_cell_turned_into_an_answer_cell_counts_as_deleted():
    submitted = _released()
    submitted.cells[2].metadata["nbgrader"]["solution"] = True
    assert tampering(submitted, _released()) == "deleted test cells test_two"


# ----------------------------------------------------------------------------- describe_exit
@pytest.mark.parametrize(
    ("code", "words"),
    [
        (None, "kernel died"),
        (-signal.SIGSEGV, "kernel died: segmentation fault (SIGSEGV)"),
        (128 + signal.SIGSEGV, "kernel died: segmentation fault (SIGSEGV)"),  # as a shell reports it
        (-signal.SIGKILL, "kernel died: killed (SIGKILL)"),
        (-signal.SIGXCPU, "kernel died: CPU time limit reached (SIGXCPU)"),
        (-signal.SIGUSR1, f"kernel died: signal {int(signal.SIGUSR1)}"),
        (3, "kernel died: the process exited with status 3 (os._exit or sys.exit in the kernel)"),
    ],
)
def test_describe_exit(code, words):
    assert describe_exit(code) == words


# ----------------------------------------------------------------------------- fingerprint
def _folder(root, files: dict[str, bytes]):
    root.mkdir(parents=True)
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_fingerprint_depends_on_names_and_bytes_only(tmp_path):
    files = {"hw.ipynb": b"{}", "data/extra.csv": b"a,b\n"}
    same = fingerprint(_folder(tmp_path / "one", files)), fingerprint(_folder(tmp_path / "two", files))
    assert same[0] == same[1] and len(same[0]) == 64
    (tmp_path / "two" / "empty").mkdir()  # an empty folder is not part of a submission
    assert fingerprint(tmp_path / "two") == same[0]


@pytest.mark.parametrize(
    "changed",
    [
        {"hw.ipynb": b"{ }", "data/extra.csv": b"a,b\n"},  # one byte more
        {"hw2.ipynb": b"{}", "data/extra.csv": b"a,b\n"},  # a file renamed
        {"hw.ipynb": b"{}"},  # a file removed
        {"hw.ipynb": b"{}a", "data/extra.csv": b",b\n"},  # bytes moved from one file to the next
    ],
)
def test_fingerprint_changes_with_the_submission(tmp_path, changed):
    before = fingerprint(_folder(tmp_path / "before", {"hw.ipynb": b"{}", "data/extra.csv": b"a,b\n"}))
    assert fingerprint(_folder(tmp_path / "after", changed)) != before


# ----------------------------------------------------------------------------- output cap
def _stream(text: str) -> dict:
    return {
        "msg_type": "stream",
        "header": {"msg_type": "stream"},
        "parent_header": {},
        "metadata": {},
        "content": {"name": "stdout", "text": text},
    }


@pytest.fixture
def execute():
    """nbgrader's Execute as our worker uses it, in the state nbclient leaves it in before a cell."""
    from borderdesk.grading.nbgrader_steps import SandboxExecute

    step = SandboxExecute()
    step.timed_out, step.truncated, step._stuck, step._bytes = [], [], False, {}
    step.clear_before_next_output = False
    return step


def test_output_is_cut_at_notebook_bytes_per_cell(execute):
    from borderdesk.grading.nbgrader_steps import NOTEBOOK_BYTES

    outs: list = []
    half = NOTEBOOK_BYTES // 2 + 1
    execute.output(outs, _stream("a" * half), None, 0)
    execute.output(outs, _stream("b" * half), None, 0)  # goes over: cut, with a note
    execute.output(outs, _stream("c" * half), None, 0)  # already cut: dropped
    kept = "".join(o.text for o in outs if o.name == "stdout")
    assert kept == "a" * half + "b" * (NOTEBOOK_BYTES - half)
    assert len(kept) == NOTEBOOK_BYTES
    assert [o.name for o in outs][-1] == "stderr" and "output truncated" in outs[-1].text
    assert execute.truncated == ["0"]
    execute.output(outs, _stream("d" * 10), None, 1)  # each cell has its own allowance
    assert outs[-1].text == "d" * 10 and execute.truncated == ["0"]


# ----------------------------------------------------------------------------- bwrap command line
@pytest.fixture
def argv_as(monkeypatch, tmp_path):
    """bwrap_argv for a grader running as ``uid``, with a stand-in bwrap (none needed installed)."""

    def build(uid: int):
        monkeypatch.setattr(sandbox.shutil, "which", lambda name: f"/usr/bin/{name}")
        monkeypatch.setattr(sandbox.os, "geteuid", lambda: uid)
        settings = sandbox.Settings(
            work=str(tmp_path / "work"),
            data=str(tmp_path / "data"),
            sockets=str(tmp_path / "run"),
            limits=sandbox.Limits(memory=1024**3, cpu=30),
        )
        return sandbox.bwrap_argv(settings, ["python", "-c", "pass"]), settings

    return build


def _pairs(argv: list[str], flag: str) -> list[tuple[str, str]]:
    return [(argv[i + 1], argv[i + 2]) for i, a in enumerate(argv) if a == flag]


def test_bwrap_isolates_and_limits(argv_as):
    argv, settings = argv_as(1000)
    assert argv[0] == "/usr/bin/bwrap" and argv[-3:] == ["python", "-c", "pass"]
    for flag in ("--die-with-parent", "--unshare-net", "--unshare-pid", "--as-pid-1", "--unshare-user", "--clearenv"):
        assert flag in argv, flag
    # The only writable bind is the kernel's socket folder; the submission and data are read-only.
    assert _pairs(argv, "--bind") == [(settings.sockets, settings.sockets)]
    read_only = dict((dest, src) for src, dest in _pairs(argv, "--ro-bind"))
    assert read_only[sandbox.INCOMING] == settings.work and read_only["/course/data"] == settings.data
    assert not any("solutions" in src or "gradebook" in src for src in read_only.values())
    limits = argv[argv.index("prlimit") :]
    assert "--as=1073741824" in limits and "--cpu=30" in limits and "--core=0" in limits
    assert "--no-new-privs" in argv and "--reuid=65534" not in argv  # unprivileged: nothing to drop


def test_bwrap_as_root_drops_to_nobody(argv_as):
    argv, _ = argv_as(0)
    assert "--unshare-user" not in argv
    setpriv = argv[argv.index("setpriv") :]
    assert setpriv[1:4] == [f"--reuid={sandbox.NOBODY}", f"--regid={sandbox.NOBODY}", "--clear-groups"]
    assert argv.index("setpriv") < argv.index("prlimit")  # limits apply to the unprivileged process


def test_missing_bwrap_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(sandbox.SandboxUnavailable, match="apt-get install bubblewrap"):
        sandbox.bwrap_argv(sandbox.Settings(work=str(tmp_path), data=str(tmp_path)), ["true"])


# ----------------------------------------------------------------------------- harness guard
class _Session:
    message_count = 0  # as jupyter_client's Session: the first message sets it on the instance

    def send(self):
        return "sent"


def test_the_guard_restores_replaced_methods_not_ordinary_state():
    session = _Session()
    saved = dict(vars(session))
    session.message_count += 1  # ordinary state over a class default: not tampering
    assert harness_guard._Snapshot._restore_dict(None, session, saved, "session", instance=True) == []
    assert session.message_count == 1
    session.send = lambda: "faked"  # a method replaced on the instance is put back and named
    assert harness_guard._Snapshot._restore_dict(None, session, saved, "session", instance=True) == ["session.send"]
    assert session.send() == "sent"


# ----------------------------------------------------------------------------- report messages
@pytest.mark.parametrize(
    ("ename", "evalue", "line"),
    [
        ("AssertionError", "expected 12\n   rows,  got 3", "AssertionError: expected 12 rows, got 3"),
        ("TypeError", "<object at 0x7f3a2b>", "TypeError: <object at 0x…>"),
        ("AssertionError", "mean was 0.123456789", "AssertionError: mean was 0.123"),
        ("AssertionError", "rate 12.5", "AssertionError: rate 12.5"),  # short decimals stay
    ],
)
def test_normalise_counts_one_mistake_once(ename, evalue, line):
    assert normalise(ename, evalue) == line


def test_normalise_cuts_long_messages():
    text = normalise("AssertionError", "x" * 1000)
    assert len(text) == 300 and text.endswith("…")


# ----------------------------------------------------------------------------- HTML escaping
def _results():
    return ClassResults(
        HOSTILE,
        ["test_q"],
        {"test_q": 2.0},
        ["test_q"],
        [
            StudentResult("ana", GRADED, total=2.0, scores={"test_q": 2.0}),
            StudentResult(HOSTILE, UNGRADABLE, reason=HOSTILE, scores={"test_q": None}),
        ],
    )


def test_report_shows_hostile_ids_messages_and_reasons_as_text():
    tampered = outcome_store.Outcome(
        HOSTILE, HOSTILE, outcome_store.GRADED, tampered=True, tamper_detail=HOSTILE, score=1.0, max_score=2.0
    )
    mistake = Mistake(HOSTILE, hidden=False, students=["ana", HOSTILE])
    rows = [QuestionRow("test_q", 1, HOSTILE, 2.0, written=False, wrong=2, mistakes=[mistake])]
    page = render(_results(), rows, [tampered], title_note=HOSTILE)
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("script") is None
    assert HOSTILE not in page
    assert soup.title.text == f"Class report: {HOSTILE}"
    messages = [td.text for td in soup.select("#mistakes td")]
    assert messages == [f"Q1 {HOSTILE}", "2", f"ana, {HOSTILE}", HOSTILE]
    assert [td.text for td in soup.select("#ungradable td")] == [HOSTILE, HOSTILE, ""]
    assert f"{HOSTILE}: {HOSTILE}" in [li.text for li in soup.find_all("li")]


def test_not_graded_page_shows_a_hostile_reason_as_text(course_copy):
    from nbgrader.api import Gradebook

    from borderdesk.grading import config
    from borderdesk.grading.feedback import write_notes

    root = course_copy()
    db_url = config.db_url(root)
    with Gradebook(db_url) as gradebook:
        gradebook.add_assignment("hw")
        gradebook.add_notebook("hw", "hw")
    outcome_store.record(db_url, outcome_store.Outcome("hw", "bo", outcome_store.UNGRADABLE, reason=HOSTILE))
    folders = write_notes(root, db_url, "hw")
    page = (folders["bo"] / "hw.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("script") is None and HOSTILE not in page
    assert f"Why: {HOSTILE}" in soup.find("p").text
    assert "could not be graded" in soup.find("h2").text


def test_released_notebook_reads_with_nbformat(tmp_path):
    """The yardstick `tampering` is given is what nbformat reads from disk (cell sources as one string)."""
    path = tmp_path / "hw.ipynb"
    nbformat.write(_released(), path)
    submitted = nbformat.read(path, as_version=4)
    submitted.cells[1].source = "assert True"
    assert tampering(submitted, nbformat.read(path, as_version=4)) == "edited test cells test_one"
