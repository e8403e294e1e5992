"""Inside each sandboxed kernel: before every graded test cell, put IPython's execution
machinery back as it was before the student's first cell, and say what had changed.

nbgrader scores a test cell by its outputs (an error output fails it), in the kernel the
student's code runs in. One line in an answer cell can change how later cells run or
report: an input or AST transformer that rewrites the tests, a custom exception handler
or a silenced ``showtraceback``, a patched ``run_cell`` or ``send_response``, a
``pre_run_cell`` callback, a patched ``isinstance`` or ``math.isclose``, a trace
function. ``install`` runs in the forked kernel after ipykernel has set itself up and
before any cell: it records that pristine state and wraps the kernel's
``execute_request`` handler. For a test cell (recognised by the hash of its source,
which the worker sends with the spawn request) it then

- before the cell: restores every item below that differs, kills processes the notebook
  left running, and notes live threads the notebook started (these it cannot stop);
- after the cell (before the kernel reports idle): looks again, because a student's
  function the test calls may patch something while the test runs.

What it found goes to the worker as one stdout line starting with ``PREFIX`` in that
cell's output (never stderr: nbgrader fails a test cell that writes to stderr); the
worker (``nbgrader_steps.SandboxExecute``) takes it out of the notebook and the parent
scores the cell (``integrity.score_harness_tampering``). "restored" means blocked (the test ran on
pristine machinery, its result stands); "changed during the test" and "threads" mean
detected (the parent scores the test 0).

The snapshot lives in the student's process, so a student who finds it (``gc``,
frames, ``ctypes``) can change it: that is why the parent also reads the source
(``integrity.harness_tampering``) and flags any use of those tools. See
autograder/README.md, "What a submission cannot do to the tests".
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import sysconfig
import threading
from pathlib import Path

PREFIX = "borderdesk harness check"
RESTORED, DURING, THREADS = "restored before the test", "changed during the test", "threads still running"
OK, MISSING = "ok", "the harness check did not report on this test"
# Modules whose functions the tests and borderdesk.checks rely on (those the zygote imported).
MODULES = (
    "builtins",
    "math",
    "operator",
    "numpy",
    "numpy.testing",
    "numpy.testing._private.utils",
    "pandas",
    "pandas.testing",
    "pandas._testing",
    "pandas._testing.asserters",
    "borderdesk.checks",
    "IPython.core.interactiveshell",
    "ipykernel.ipkernel",
    "ipykernel.kernelbase",
    "ipykernel.iostream",
    "jupyter_client.session",
)
SHELL_ITEMS = (
    "input_transformers_cleanup",
    "input_transformers_post",
    "input_transformer_manager",
    "ast_transformers",
    "custom_exceptions",
    "CustomTB",
    "InteractiveTB",
    "SyntaxTB",
    "displayhook",
    "display_pub",
    "display_trap",
    "builtin_trap",
    "events",
    "compile",
    "excepthook",
    "shell_handlers",
    "session",
    "iopub_socket",
    "iopub_thread",
    "shell",
)
SYS_ITEMS = ("excepthook", "displayhook", "breakpointhook", "stdout", "stderr", "settrace", "setprofile")
# Changed by ipykernel itself on every request.
IGNORED_KEYS = {"_", "__", "___", "__warningregistry__", "_sys_raw_input", "_sys_eval_input"}
# Instance attributes IPython 9 sets itself while running honest cells: the %logstart logger, built on first
# use, and the stream's write, wrapped during every cell to record outputs in the history. Left alone only
# while the value is library code, so a notebook's own replacement is still restored and flagged.
LIBRARY_LAZY_KEYS = {"_logger", "write"}


def _library_code(value) -> bool:
    """Defined in an installed file (a library), not in a notebook cell."""
    code = getattr(getattr(value, "__func__", value), "__code__", None)
    if code is None:
        return isinstance(value, type(sys)) or type(value).__module__ not in ("__main__", None)
    return code.co_filename.startswith(LIBRARY_DIRS)


# Where installed code lives (the standard library, site-packages, this package). A notebook's cells and
# any file a submission brings along are elsewhere, wherever the course or the venv happens to be.
LIBRARY_DIRS = tuple(
    {sysconfig.get_paths()[k] + os.sep for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    | {str(Path(__file__).resolve().parents[1]) + os.sep}
)


class _Snapshot:
    """Shallow copies of the objects that decide how a cell runs and reports."""

    def __init__(self, kernel):
        self.kernel, self.shell = kernel, kernel.shell
        self.modules = {name: dict(vars(sys.modules[name])) for name in MODULES if name in sys.modules}
        self.classes = {cls: dict(vars(cls)) for cls in self._classes()}
        self.instances = {id(obj): (obj, dict(vars(obj)), dict(_traits(obj))) for obj in self._instances()}
        self.lists = {id(obj): (obj, list(obj)) for obj in self._lists()}
        self.events = {name: list(found) for name, found in self.shell.events.callbacks.items()}
        self.sys = {name: getattr(sys, name) for name in SYS_ITEMS}
        self.user_shadows = {k: v for k, v in self.shell.user_ns.items() if k in self.modules["builtins"]}
        self.threads: set[int] | None = None  # the kernel's own, noted at its first cell

    def _instances(self):
        shell, kernel = self.shell, self.kernel
        found = [shell, kernel, kernel.session, shell.displayhook, shell.display_pub, shell.InteractiveTB]
        found += [shell.input_transformer_manager, shell.events, kernel.iopub_socket, sys.stdout, sys.stderr]
        return [obj for obj in found if hasattr(obj, "__dict__")]

    def _classes(self):
        seen = []
        for obj in self._instances():
            for cls in type(obj).__mro__:
                if cls is not object and cls not in seen and hasattr(cls, "__dict__"):
                    seen.append(cls)
        for name in ("pandas", "numpy"):
            module = sys.modules.get(name)
            if module is not None:
                seen += [c for c in (getattr(module, "DataFrame", None), getattr(module, "Series", None)) if c]
        return seen

    def _lists(self):
        shell, manager = self.shell, self.shell.input_transformer_manager
        found = [shell.input_transformers_cleanup, shell.input_transformers_post, shell.ast_transformers]
        found += [manager.cleanup_transforms, manager.line_transforms, manager.token_transformers]
        return found

    # -------------------------------------------------------------- check and restore
    def restore(self) -> list[str]:
        """Put everything back; return what had changed, in words."""
        changed: list[str] = []
        for name in SYS_ITEMS[:5]:
            if getattr(sys, name) is not self.sys[name]:
                changed.append(f"sys.{name}")
                setattr(sys, name, self.sys[name])
        for name in ("settrace", "setprofile"):
            if self.sys[name] is not getattr(sys, name):
                changed.append(f"sys.{name} replaced")
                setattr(sys, name, self.sys[name])
        if sys.gettrace() is not None:
            changed.append("a trace function (sys.settrace)")
        if sys.getprofile() is not None:
            changed.append("a profile function (sys.setprofile)")
        self.sys["settrace"](None)
        self.sys["setprofile"](None)
        if threading._trace_hook is not None or threading._profile_hook is not None:
            changed.append("threading.settrace / setprofile")
            threading._trace_hook = threading._profile_hook = None
        for name, saved in self.modules.items():
            changed += self._restore_dict(sys.modules.get(name), saved, name, module=True)
        for cls, saved in self.classes.items():
            changed += self._restore_dict(cls, saved, f"{cls.__module__}.{cls.__qualname__}")
        for obj, saved, traits in self.instances.values():
            changed += self._restore_dict(obj, saved, _label(self, obj), instance=True)
            changed += self._restore_traits(obj, traits, _label(self, obj))
        handlers = self.kernel.shell_handlers
        if handlers.keys() != self.handlers.keys() or any(handlers[k] is not v for k, v in self.handlers.items()):
            changed.append("the kernel's message handlers")
            handlers.clear()
            handlers.update(self.handlers)
        for obj, saved in self.lists.values():
            if len(obj) != len(saved) or any(a is not b for a, b in zip(obj, saved, strict=True)):
                changed.append(f"shell.{_list_name(self, obj)}")
                obj[:] = saved
        callbacks = self.shell.events.callbacks
        for name, saved in self.events.items():
            added = [f for f in callbacks.get(name, []) if not any(f is s for s in saved)]
            kept = [s for s in saved if any(f is s for f in callbacks.get(name, []))]
            if any(not _library_code(f) for f in added) or len(kept) < len(saved):
                changed.append(f"event callbacks ({name})")
                callbacks[name] = saved + [f for f in added if _library_code(f)]  # a library's own stay
        user_ns = self.shell.user_ns
        if user_ns.get("__builtins__") is not sys.modules["builtins"]:
            changed.append("the notebook's __builtins__")
            user_ns["__builtins__"] = sys.modules["builtins"]
        builtins = self.modules["builtins"]
        for key in [k for k in user_ns if k in builtins and k not in IGNORED_KEYS and not k.startswith("__")]:
            if user_ns[key] is builtins[key]:
                continue  # the builtin itself, imported by name (IPython.display's display)
            if key not in self.user_shadows:
                changed.append(f"the builtin {key} (shadowed by a notebook variable)")
                del user_ns[key]
            elif user_ns[key] is not self.user_shadows[key]:
                changed.append(f"the notebook's {key}")
                user_ns[key] = self.user_shadows[key]
        return changed

    def _restore_dict(self, obj, saved: dict, label: str, module=False, instance=False) -> list[str]:
        if obj is None:
            return []
        current = vars(obj)
        changed = []
        for key, value in saved.items():
            if key in IGNORED_KEYS:
                continue
            if key not in current or current[key] is not value:
                if instance and key not in SHELL_ITEMS and not callable(value) and not callable(current.get(key)):
                    continue  # ordinary state (execution_count, parent headers...)
                changed.append(f"{label}.{key}")
                setattr(obj, key, value)
        for key in [k for k in current if k not in saved and k not in IGNORED_KEYS]:
            value = current[key]
            if module and isinstance(value, type(sys)):
                continue  # a submodule imported since
            if instance and not hasattr(type(obj), key):
                continue  # new state of the object, not a method replaced
            if instance and key not in SHELL_ITEMS and not callable(value) and not callable(getattr(type(obj), key)):
                continue  # ordinary state over a class default, as above (Session.message_count, set on first send)
            if instance and key in LIBRARY_LAZY_KEYS and _library_code(value):
                continue
            changed.append(f"{label}.{key}")
            delattr(obj, key)
        return changed

    def _restore_traits(self, obj, saved: dict, label: str) -> list[str]:
        """Traitlets keep an object's settings in ``_trait_values``, not in ``vars(obj)``."""
        current, changed = _traits(obj), []
        for key, value in saved.items():
            if key in IGNORED_KEYS:
                continue
            new = current.get(key)
            if new is not value and (key in SHELL_ITEMS or callable(value) or callable(new)):
                changed.append(f"{label}.{key}")
                current[key] = value
        return changed

    def kill_children(self) -> list[str]:
        """Kill every other descendant of the zygote (our parent, the subreaper that adopts
        orphans): whatever the notebook started, double forks too."""
        me, zygote = os.getpid(), os.getppid()
        others = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != me and _descends(int(p), zygote)]
        killed = 0
        for other in others:
            zombie = _field(other, "State:").startswith("Z")  # ended, waiting to be reaped: not counted
            try:
                os.kill(other, signal.SIGKILL)
                killed += not zombie
            except OSError:  # gone already, or not ours to signal
                continue
            try:
                os.waitpid(other, 0)
            except ChildProcessError:  # a grandchild: the zygote reaps it
                pass
        return [f"killed {killed} process(es) the notebook left running"] if killed else []

    def foreign_threads(self) -> list[str]:
        """Python threads running notebook code (libraries' threads, and zmq's own native
        ones, are not counted; ``_thread`` is flagged in the source instead)."""
        live = {t.ident: t for t in threading.enumerate()}
        if self.threads is None:
            self.threads = set(live)
            return []
        new = [t for ident, t in live.items() if ident not in self.threads]
        mine = [t for t in new if not _library_code(getattr(t, "_target", None) or type(t).run)]
        return [f"{len(mine)} thread(s) the notebook started are still running"] if mine else []


def _field(pid: int, name: str) -> str:
    """A field of /proc/<pid>/status ('' if the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            return next((line[len(name) :].strip() for line in handle if line.startswith(name)), "")
    except OSError:
        return ""


def _parent(pid: int) -> int:
    return int(_field(pid, "PPid:") or 0)


def _descends(pid: int, ancestor: int) -> bool:
    for _ in range(64):
        pid = _parent(pid)
        if pid == ancestor:
            return True
        if pid <= 1:
            return False
    return False


def _traits(obj) -> dict:
    values = vars(obj).get("_trait_values")
    return values if isinstance(values, dict) else {}


def _label(snapshot: _Snapshot, obj) -> str:
    names = {id(snapshot.shell): "shell", id(snapshot.kernel): "kernel", id(snapshot.kernel.session): "session"}
    return names.get(id(obj), type(obj).__name__)


def _list_name(snapshot: _Snapshot, obj) -> str:
    for name in ("input_transformers_cleanup", "input_transformers_post", "ast_transformers"):
        if getattr(snapshot.shell, name, None) is obj:
            return name
    return "input_transformer_manager"


def install(kernel, test_hashes: list[str], secret: str = "") -> None:
    """Wrap the kernel's execute_request handler; test cells are checked before and after.

    After each test it reports ``OK`` with a signature (``signature``: the test's hash keyed
    with ``secret``, which the worker sent with the spawn request), so the worker can tell
    a guard that ran from one a student removed and imitated by printing.
    """
    tests = set(test_hashes)
    original = kernel.shell_handlers["execute_request"]

    async def execute_request(stream, ident, parent):
        code = parent.get("content", {}).get("code", "")
        threads = snapshot.foreign_threads()  # the first call notes the kernel's own threads
        digest = hashlib.sha256(code.encode()).hexdigest()
        if digest not in tests:
            return await original(stream, ident, parent)
        before = snapshot.restore() + snapshot.kill_children()
        _report(kernel, parent, RESTORED, before)
        _report(kernel, parent, THREADS, threads)
        await original(stream, ident, parent)
        _report(kernel, parent, DURING, snapshot.restore())
        _report(kernel, parent, OK, [signature(secret, digest)])

    kernel.shell_handlers["execute_request"] = execute_request
    snapshot = _Snapshot(kernel)
    snapshot.handlers = dict(kernel.shell_handlers)


def _report(kernel, parent, kind: str, what: list[str]) -> None:
    if what:
        text = f"{PREFIX}: {kind}: {'; '.join(dict.fromkeys(what))}\n"
        kernel.session.send(kernel.iopub_socket, "stream", {"name": "stdout", "text": text}, parent=parent)


def signature(secret: str, digest: str) -> str:
    import hmac

    return hmac.new(secret.encode(), digest.encode(), "sha256").hexdigest()


def test_hashes(nb) -> list[str]:
    """Hashes of the notebook's graded test cells (what ``install`` is given)."""
    out = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
            out.append(hashlib.sha256(cell.source.encode()).hexdigest())
    return out
