"""A warm interpreter per Jupyter server that forks a fresh kernel for each Validate.

Why: nbgrader's Validate starts a new kernel and runs the whole notebook. On the course's
assignments most of that time is the same every press: booting ipykernel, importing pandas,
matplotlib and holidays, and validating the course data (pandera). So the server keeps one
process that has done all of that once, and forks a new kernel from it for each Validate.
A fork costs milliseconds, and every kernel still starts from a clean state: the warm
process never runs notebook code, so no variable survives from the last run. Each kernel
works in the notebook's folder, with the environment jupyter_client gives any kernel.

This is the grader's zygote (``borderdesk.grading.zygote``) without the sandbox: Validate
runs the learner's own code on the learner's own server, as nbgrader's does. The server half
reuses the zygote's ``Zygote`` (start, restart, request) and ``ForkedKernel`` (what
jupyter_client expects of a kernel process); only this file's ``main`` differs: it cannot
kill every process it may signal (it is not in a PID namespace of its own), so each kernel
gets a process group, and that group goes when the kernel ends.

``WarmKernelManager`` is the kernel manager nbgrader's ``Execute`` uses for Validate
(``borderdesk.validate_hook``). When the warm process is not ready (still importing, or
it could not start), that Validate gets an ordinary kernel: never slower than nbgrader's.

Memory: the warm process holds about 160 MB (ipykernel, pandas, matplotlib, ...), shared
copy-on-write with the kernels it forks; the course data stays on disk as validated pickles.
It runs only while the learner works on an assignment (``WarmProcess.IDLE``).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

from .grading.zygote import KERNEL_ARGS, ON_FIRST_USE, ForkedKernel, SandboxFailed, Zygote, ZygoteDied

# Imported by every warm process, whatever the notebooks import: the kernel's own modules
# (its debugger too: debugpy is 0.4 s of every kernel's start).
KERNEL_MODULES = [
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "IPython.core.completer",
]


# ------------------------------------------------------------------ the warm process
def main(argv: list[str] | None = None) -> None:
    """``python -m borderdesk.warm_kernel MODULES_JSON IDLE_SECONDS``: import, then fork kernels on
    request (stdin/stdout); exit after IDLE_SECONDS without a request."""
    import importlib
    import select
    import threading

    argv = sys.argv[1:] if argv is None else argv
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # each kernel puts its own folder first (IPython's init_path), as a new one would
    # What ipykernel sets before a notebook imports matplotlib: figures inline.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # debugpy's import warns about frozen modules
    wanted = json.loads(argv[0] if argv else "[]")
    idle = float(argv[1]) if len(argv) > 1 else None
    for name in [*KERNEL_MODULES, *wanted, *(extra for module in wanted for extra in ON_FIRST_USE.get(module, []))]:
        try:
            importlib.import_module(name)
        except Exception:  # the kernel meets the same problem and reports it in the notebook
            pass
    cache = _validated_data()
    if threading.active_count() != 1:  # forking a threaded process could deadlock its children
        sys.exit(f"warm kernel: an import started a thread ({threading.enumerate()}); cannot fork safely")
    control_in, control_out = os.fdopen(0, "r"), os.fdopen(1, "w")
    exits: dict[int, int] = {}

    def reply(**message) -> None:
        control_out.write(json.dumps(message) + "\n")
        control_out.flush()

    reply(ready=True, cache=cache)
    # One request at a time (the server waits for each reply), so nothing waits in the file's buffer.
    while select.select([control_in], [], [], idle)[0]:
        line = control_in.readline()
        if not line:
            break  # the server closed the pipe
        request = json.loads(line)
        op = request["op"]
        if op == "spawn":
            _reap(exits)
            exits.clear()  # the server has had every earlier kernel's status
            pid = os.fork()
            if pid == 0:
                _run_kernel(request["connection"], request["cwd"], request["env"])  # never returns
            _groups.add(pid)
            reply(pid=pid)
        elif op == "poll":
            _reap(exits)
            reply(code=exits.get(request["pid"]))
        elif op == "signal":
            _signal(request["pid"], request["signal"])
            _reap(exits)
            reply(code=exits.get(request["pid"]))
        elif op == "ping":
            reply(idle=idle)
        else:
            reply(error=f"unknown op {op!r}")
    for pid in list(_groups):  # the server stopped, or no Validate for IDLE seconds: leave nothing behind
        _signal(pid, signal.SIGKILL)


_groups: set[int] = set()  # kernels whose process group may still hold processes


def _validated_data() -> str:
    """Validate the course data once into the user's cache folder (borderdesk.datasets' pickles,
    keyed by each file's bytes); its path, or "" without borderdesk.datasets. Kernels read the
    pickles in milliseconds instead of validating again (about 1.4 s for assignment 01's data).
    A forked child validates, so the memory pandera and the frames took goes with it (90 MB)."""
    datasets = sys.modules.get("borderdesk.datasets")
    if datasets is None:
        return ""
    from platformdirs import user_cache_path

    folder = user_cache_path("borderdesk", appauthor=False) / "validated-data"
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            datasets.build_cache(datasets.data_dir(), folder)
            code = 0
        except BaseException:  # a kernel meets the same problem and reports it in the notebook
            pass
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return str(folder) if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else ""


def _signal(pid: int, signum: int) -> None:
    try:
        if signum == signal.SIGKILL:
            os.killpg(pid, signum)  # the kernel and whatever the notebook started
        else:
            os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _reap(exits: dict[int, int]) -> None:
    """Collect ended kernels; what a notebook left running in a kernel's group goes with it."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        exits[pid] = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        if pid in _groups:
            _groups.discard(pid)
            _signal(pid, signal.SIGKILL)


def _run_kernel(connection: str, cwd: str, env: dict[str, str]) -> None:
    """In the forked child: become an ipykernel on ``connection``, working in ``cwd``."""
    code = 1
    try:
        os.setsid()  # a process group of its own, killed with the kernel
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)  # the control pipe stays with the warm process
        os.dup2(null, 1)
        os.close(null)
        for signum in (signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        if "numpy" in sys.modules:  # each kernel its own random state, as a fresh process would have
            sys.modules["numpy"].random.seed()
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        # The kernel exits if the warm process goes (ipykernel's parent poller), as one started by the server would.
        app.initialize(["-f", connection, f"--IPKernelApp.parent_handle={os.getppid()}", *KERNEL_ARGS])
        app.start()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


# ------------------------------------------------------------------ in the Jupyter server
class WarmProcess(Zygote):
    """The server's handle on its warm process (the zygote's, with a folder and an environment per
    kernel). Started when a learner opens an assignment (the learner extension asks); it exits by
    itself after ``IDLE`` seconds without a Validate: a server used for lessons only never holds it."""

    IDLE = 20 * 60

    def __init__(self, modules: list[str]):
        super().__init__([sys.executable, "-m", "borderdesk.warm_kernel", json.dumps(modules), str(self.IDLE)])
        self.cache = ""  # the validated-data folder the warm process made (BORDERDESK_CACHE of its kernels)
        self.forked = 0  # kernels forked so far

    def start(self) -> None:
        """Start the warm process without waiting for its imports (its errors go to the server's log);
        a running one starts counting its idle time again."""
        import subprocess

        if self.process is not None and self.process.poll() is None:
            if self.ready():
                try:
                    self.request(op="ping")
                except ZygoteDied:
                    self.close()
            if self.process is not None:
                return
        self.close()
        self.process = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self._ready = False

    def ready(self) -> bool:
        """Whether a kernel can be forked now, without waiting (a warm process still importing is not ready)."""
        import select

        if self.process is None or self.process.poll() is not None:
            return False
        if not self._ready and select.select([self.process.stdout], [], [], 0)[0]:
            try:
                message = self._receive()
            except ZygoteDied:
                self.close()
                return False
            self._ready, self.cache = bool(message.get("ready")), message.get("cache", "")
        return self._ready

    def fork_kernel(self, connection: str, cwd: str, env: dict[str, str]) -> ForkedKernel:
        """A kernel forked for one Validate. ``SandboxFailed`` when the warm process is not ready
        (it is started for the next Validate) or died."""
        if not self.ready():
            self.start()
            raise SandboxFailed("the warm process is not ready yet", "")
        if self.cache:
            env.setdefault("BORDERDESK_CACHE", self.cache)
        try:
            reply = self.request(op="spawn", connection=connection, cwd=cwd, env=env)
        except ZygoteDied as exc:
            self.close()
            self.start()
            raise SandboxFailed(f"the warm process did not start a kernel: {exc}", "") from None
        self.forked += 1
        return ForkedKernel(self, self.process, reply["pid"])


class WarmProvisioner(LocalProvisioner):
    """jupyter_client provisioner: the kernel is forked by the server's warm process."""

    warm: WarmProcess | None = None  # set by borderdesk.validate_hook when the server starts

    async def launch_kernel(self, cmd: list[str], **kwargs) -> dict:
        warm = WarmProvisioner.warm
        if warm is not None:
            env = {key: str(value) for key, value in (kwargs.get("env") or os.environ).items()}
            cwd = str(kwargs.get("cwd") or os.getcwd())
            try:
                self.process = warm.fork_kernel(self.parent.connection_file, cwd, env)
            except SandboxFailed as exc:
                self.log.warning("borderdesk: %s; Validate starts an ordinary kernel", exc)
            else:
                self.pid, self.pgid = self.process.pid, None  # signals go through the warm process
                self.cwd = cwd
                return self.connection_info
        return await super().launch_kernel(cmd, **kwargs)


class WarmKernelManager(AsyncKernelManager):
    """The kernel manager of Validate: its kernel comes from the warm process."""

    async def _async_pre_start_kernel(self, **kw):
        self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
        if self.provisioner is None:
            self.provisioner = WarmProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


if __name__ == "__main__":
    main()
