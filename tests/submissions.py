"""Submissions of assignment 01 for grading tests and benchmarks/grading.py: one home.

Every case starts from the release (what a learner receives) with the answers taken
from solutions/ (what a learner who got everything right would type), then breaks it
the way issue 4 section 3 lists. ``write(root, student, case)`` puts one case at
autograder/submitted/<student>/01_platform_rules/ of the course at ``root``.

Cases that try to escape the sandbox aim at the real paths of the course at ``root``
(its solutions/, gradebook, another student's submission) and print what they read,
so a test can check by effect: the file is still there, the secret is not in output.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from assignment_suite import wrong_answers

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "01_platform_rules"
WRONG_ANSWERS = wrong_answers(ASSIGNMENT)
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
SECRET = "### BEGIN HIDDEN TESTS"  # in solutions/ only, never in a release or a submission
MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _find(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if _meta(c).get("grade_id") == grade_id)


def released(root: Path = REPO):
    return nbformat.read(root / "exercises" / ASSIGNMENT / NOTEBOOK, as_version=4)


def correct(root: Path = REPO):
    """The release with every answer cell filled in from the solution."""
    nb, source = released(root), nbformat.read(root / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4)
    answers = {
        _meta(c)["grade_id"]: MARKERS.sub("", c.source)
        for c in source.cells
        if _meta(c).get("solution") and _meta(c).get("grade_id")
    }
    for cell in nb.cells:
        gid = _meta(cell).get("grade_id")
        if _meta(cell).get("solution") and gid in answers:
            cell.source = answers[gid]
    return nb


def _code(source: str):
    return nbformat.v4.new_code_cell(source)


def _insert_after_setup(nb, source: str):
    nb.cells.insert(_find(nb, "toy_frames") + 1, _code(source))
    return nb


def partial(root: Path = REPO):
    """Two questions wrong (flag_suspicious, 2 points; respond_by, 2 points)."""
    nb = correct(root)
    for gid in ("flag_suspicious", "respond_by"):
        nb.cells[_find(nb, gid)].source = WRONG_ANSWERS[gid].strip("\n")
    return nb


def tests_edited(root: Path = REPO):
    """Triage left unanswered, its test cell replaced by one that always passes."""
    nb = correct(root)
    nb.cells[_find(nb, "triage")].source = released(root).cells[_find(released(root), "triage")].source
    nb.cells[_find(nb, "test_triage")].source = "assert True  # all good"
    return nb


def tests_deleted(root: Path = REPO):
    """Account health left unanswered and its test cell deleted."""
    nb = correct(root)
    nb.cells[_find(nb, "account_health")].source = released(root).cells[_find(released(root), "account_health")].source
    del nb.cells[_find(nb, "test_account_health")]
    return nb


def solution_cells_deleted(root: Path = REPO):
    """The answer cells of breaches and respond_by deleted (their tests then fail)."""
    nb = correct(root)
    for gid in ("breaches", "respond_by"):
        del nb.cells[_find(nb, gid)]
    return nb


def duplicated_cells(root: Path = REPO):
    """The flag_suspicious answer and test cells pasted twice (same grade_ids)."""
    nb = correct(root)
    for gid in ("test_flag_suspicious", "flag_suspicious"):
        i = _find(nb, gid)
        copy = nbformat.from_dict(nb.cells[i])
        copy["id"] = copy["id"] + "-copy"
        nb.cells.insert(i + 1, copy)
    return nb


def infinite_loop(root: Path = REPO):
    return _insert_after_setup(correct(root), "while True:\n    pass")


def ignores_interrupt(root: Path = REPO):
    return _insert_after_setup(
        correct(root),
        (
            "import signal\n"
            "signal.signal(signal.SIGINT, lambda *args: None)  # swallow KeyboardInterrupt\n"
            "while True:\n    pass"
        ),
    )


def os_exit(root: Path = REPO):
    return _insert_after_setup(correct(root), "import os\nos._exit(3)")


def segfault(root: Path = REPO):
    return _insert_after_setup(correct(root), "import ctypes\nctypes.string_at(0)")


def memory_bomb(root: Path = REPO):
    return _insert_after_setup(correct(root), ("hog = []\nwhile True:\n    hog.append(bytearray(100 * 1024 * 1024))"))


def huge_output(root: Path = REPO):
    """One 50 MB line of output."""
    return _insert_after_setup(correct(root), "print('x' * 50_000_000)")


OTHER_STUDENTS_FILE = "notes.txt"  # written by the extra_files case
OTHER_STUDENTS_TEXT = "my private notes, not for classmates"


def read_files(root: Path = REPO, other: str = "extra_files"):
    """Prints the solution notebook, the gradebook and another student's file."""
    targets = [
        root / "solutions" / ASSIGNMENT / NOTEBOOK,
        root / "autograder" / "gradebook.db",
        root / "autograder" / "submitted" / other / ASSIGNMENT / OTHER_STUDENTS_FILE,
    ]
    return _insert_after_setup(
        correct(root),
        (
            f"for path in {[str(t) for t in targets]!r}:\n"
            "    try:\n        print(open(path, 'rb').read().decode('latin-1'))\n"
            "    except OSError as exc:\n        print('blocked:', exc)"
        ),
    )


def delete_files(root: Path = REPO):
    """Deletes or overwrites the solution, the gradebook and its own original submission."""
    targets = [
        root / "solutions" / ASSIGNMENT / NOTEBOOK,
        root / "autograder" / "gradebook.db",
        root / "autograder" / "submitted" / "delete_files" / ASSIGNMENT / NOTEBOOK,
    ]
    return _insert_after_setup(
        correct(root),
        (
            "import os, shutil\n"
            f"for path in {[str(t) for t in targets]!r}:\n"
            "    for attempt in (lambda: open(path, 'w').write('gone'), lambda: os.remove(path),\n"
            "                    lambda: shutil.rmtree(os.path.dirname(path))):\n"
            "        try:\n            attempt()\n        except OSError as exc:\n            print('blocked:', exc)"
        ),
    )


def network(root: Path = REPO, port: int = 9):
    """Opens sockets: a public address and a port on the grader's own loopback."""
    return _insert_after_setup(
        correct(root),
        (
            "import socket\n"
            f"for address in [('1.1.1.1', 53), ('127.0.0.1', {port})]:\n"
            "    try:\n        socket.create_connection(address, timeout=3).sendall(b'escaped')\n"
            "        print('connected to', address)\n"
            "    except OSError as exc:\n        print('blocked:', exc)"
        ),
    )


def extra_files(root: Path = REPO):
    """Extra files beside the notebook (added by ``write``), which the notebook uses."""
    return _insert_after_setup(
        correct(root),
        (
            "from scratch.helper import X\n"
            "print(open('notes.txt').read(), X)\n"
            "open('results.csv', 'w').write('a,b\\n')  # its working folder is writable\n"
            "print('wrote', open('results.csv').read().strip())"
        ),
    )


def lingers(root: Path = REPO):
    """Leaves a process behind that keeps planting files where the next student's kernel works."""
    return _insert_after_setup(
        correct(root),
        (
            "import os, time\n"
            "open('/tmp/leftover.txt', 'w').write('left by an earlier student')\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    while True:\n"
            "        for path in ('/tmp/planted.txt', '/tmp/submission/planted.txt'):\n"
            "            try:\n                open(path, 'w').write('planted')\n"
            "            except OSError:\n                pass\n"
            "        time.sleep(0.01)"
        ),
    )


def probe(root: Path = REPO):
    """Reports other processes and planted files in its sandbox (after giving them time to act)."""
    return _insert_after_setup(
        correct(root),
        (
            "import os, time\n"
            "time.sleep(0.5)\n"
            "others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid(), os.getppid())]\n"
            "planted = [p for p in ('/tmp/planted.txt', '/tmp/submission/planted.txt', '/tmp/leftover.txt') if os.path.exists(p)]\n"
            "print('probe: other processes', others, 'planted files', planted)"
        ),
    )


def kills_everything(root: Path = REPO):
    """Kills every process it may signal (its kernel, and whatever started it)."""
    return _insert_after_setup(correct(root), "import os, signal\nos.kill(-1, signal.SIGKILL)")


# ------------------------------------------------------------------ harness tampering (issue 16)
# Each inserts one cell after the setup of ``partial`` (honest score: all but 4 points) that
# would make later failing tests pass under plain nbgrader; tests/test_harness_tampering.py
# says what each must score. ``HARNESS`` maps case -> that cell's source.
HARNESS = {
    "input_transformer": 'get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])',
    "ast_transformer": (
        "import ast\n"
        "class Empty(ast.NodeTransformer):\n"
        "    def visit_Module(self, node):\n"
        "        node.body = []\n"
        "        return node\n"
        "get_ipython().ast_transformers.append(Empty())"
    ),
    "custom_exc": "get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)",
    "showtraceback": "get_ipython().showtraceback = lambda *args, **kwargs: None",
    "class_showtraceback": "type(get_ipython())._showtraceback = lambda *args, **kwargs: None",
    "excepthook_and_trace": (
        "import sys\nsys.excepthook = lambda *args: None\nsys.settrace(lambda frame, event, arg: None)"
    ),
    "threading_settrace": "import threading\nthreading.settrace(lambda frame, event, arg: None)",
    "do_execute": (
        "kernel = get_ipython().kernel\n"
        "real = kernel.do_execute\n"
        "async def quiet(*args, **kwargs):\n"
        "    kwargs['code'] = 'pass'\n"
        "    return await real(*args, **kwargs)\n"
        "kernel.do_execute = quiet"
    ),
    "session_send": (
        "session = get_ipython().kernel.session\n"
        "real = session.send\n"
        "def send(stream, kind, *args, **kwargs):\n"
        "    return None if kind == 'error' else real(stream, kind, *args, **kwargs)\n"
        "session.send = send"
    ),
    "pre_run_cell": (
        "ip = get_ipython()\n"
        "ip.events.register('pre_run_cell', lambda info: ip.input_transformers_post.append(lambda lines: ['pass']))"
    ),
    "builtins_module": "import builtins\nbuiltins.round = lambda *args: 0\nbuiltins.abs = lambda value: 0",
    "shadowed_builtins": "isinstance = lambda *args: True\nlen = lambda value: 6\nround = lambda *args: 0",
    "patched_functions": (
        "import math\nmath.isclose = lambda *args, **kwargs: True\n"
        "pd.testing.assert_frame_equal = lambda *args, **kwargs: None\n"
        "np.testing.assert_allclose = lambda *args, **kwargs: None"
    ),
    "patched_checks": (
        "check_type = check_columns = check_index = check_dtype = check_length = check_set = "
        "lambda *args, **kwargs: None"
    ),
    "equal_to_anything": (
        "class Anything(pd.Series):\n"
        "    def __eq__(self, other):\n"
        "        return True\n"
        "    def __len__(self):\n"
        "        return 6"
    ),
    "thread_rewrites": (
        "import threading, time\n"
        "def rewrite():\n"
        "    while True:\n"
        "        time.sleep(0.001)\n"
        "threading.Thread(target=rewrite, daemon=True).start()"
    ),
    "child_process": "import os, time\nif os.fork() == 0:\n    while True:\n        time.sleep(1)",
    "double_fork": (  # a daemon: its parent exits at once, so the kernel has no child left
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    if os.fork() != 0:\n"
        "        os._exit(0)\n"
        "    os.setsid()\n"
        "    while True:\n"
        "        time.sleep(1)"
    ),
    "obfuscated": "exec(bytes.fromhex('" + b"get_ipython().showtraceback = print".hex() + "').decode())",
    "removes_the_guard": (
        "kernel = get_ipython().kernel\nkernel.shell_handlers['execute_request'] = kernel.execute_request\n"
        "get_ipython().showtraceback = lambda *args, **kwargs: None"
    ),
    "reaches_the_guard": "import gc\nguards = [o for o in gc.get_objects() if type(o).__name__ == '_Snapshot']",
}


def _harness_case(source: str):
    def build(root: Path = REPO):
        return _insert_after_setup(partial(root), source)

    return build


def helper_module(root: Path = REPO):
    """The tampering in a module submitted beside the notebook (written by ``write``), imported by a cell."""
    return _insert_after_setup(partial(root), "import helper")


HELPER_SOURCE = "get_ipython().showtraceback = lambda *args, **kwargs: None\n"


def blank_transformer(root: Path = REPO):
    """The issue's example: a blank notebook whose first answer cell adds one line."""
    nb = released(root)
    cell = nb.cells[_find(nb, "red_flag_features")]
    cell.source = HARNESS["input_transformer"] + "\n" + cell.source
    return nb


# name -> builder; every builder takes the course root (and maybe keyword options).
CASES = {
    "correct": correct,
    "blank": released,
    "partial": partial,
    "tests_edited": tests_edited,
    "tests_deleted": tests_deleted,
    "solution_cells_deleted": solution_cells_deleted,
    "duplicated_cells": duplicated_cells,
    "infinite_loop": infinite_loop,
    "ignores_interrupt": ignores_interrupt,
    "os_exit": os_exit,
    "segfault": segfault,
    "memory_bomb": memory_bomb,
    "huge_output": huge_output,
    "read_files": read_files,
    "delete_files": delete_files,
    "network": network,
    "corrupt_json": correct,  # written as broken JSON by ``write``
    "missing_notebook": correct,  # written under another name by ``write``
    "extra_files": extra_files,
    "lingers": lingers,
    "probe": probe,
    "kills_everything": kills_everything,
    **{case: _harness_case(source) for case, source in HARNESS.items()},
    "blank_transformer": blank_transformer,
    "helper_module": helper_module,
}


def folder(root: Path, student: str) -> Path:
    return root / "autograder" / "submitted" / student / ASSIGNMENT


def write(root: Path, student: str, case: str, **options) -> Path:
    """Write submission ``case`` for ``student`` into the course at ``root``; return its folder."""
    nb = CASES[case](root, **options)
    out = folder(root, student)
    out.mkdir(parents=True, exist_ok=True)
    if case == "corrupt_json":
        text = nbformat.writes(nb)
        (out / NOTEBOOK).write_text(text[: len(text) // 2])  # cut mid-file, as a crashed upload
    elif case == "missing_notebook":
        nbformat.write(nb, out / "my_assignment.ipynb")
    else:
        nbformat.write(nb, out / NOTEBOOK)
    if case == "helper_module":
        (out / "helper.py").write_text(HELPER_SOURCE)
    if case == "extra_files":
        (out / OTHER_STUDENTS_FILE).write_text(OTHER_STUDENTS_TEXT + "\n")
        (out / "scratch").mkdir(exist_ok=True)
        (out / "scratch" / "helper.py").write_text("X = 1\n")
        (out / "big.bin").write_bytes(b"\0" * 1_000_000)
    return out
