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
(``borderdesk.validate_hook``). When the warm process cannot start a kernel, it falls back
to an ordinary kernel, so Validate still works, only slower.
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
    """``python -m borderdesk.warm_kernel MODULES_JSON``: import, then fork kernels on request (stdin/stdout)."""
    import importlib
    import threading

    argv = sys.argv[1:] if argv is None else argv
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # each kernel puts its own folder first (IPython's init_path), as a new one would
    # What ipykernel sets before a notebook imports matplotlib: figures inline.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # debugpy's import warns about frozen modules
    wanted = json.loads(argv[0] if argv else "[]")
    for name in [*KERNEL_MODULES, *wanted, *(extra for module in wanted for extra in ON_FIRST_USE.get(module, []))]:
        try:
            importlib.import_module(name)
        except Exception:  # the kernel meets the same problem and reports it in the notebook
            pass
    if "borderdesk.datasets" in sys.modules:  # the course data, validated once for every kernel
        try:
            sys.modules["borderdesk.datasets"].preload()
        except Exception:
            pass
    if threading.active_count() != 1:  # forking a threaded process could deadlock its children
        sys.exit(f"warm kernel: an import started a thread ({threading.enumerate()}); cannot fork safely")
    control_in, control_out = os.fdopen(0, "r"), os.fdopen(1, "w")
    exits: dict[int, int] = {}

    def reply(**message) -> None:
        control_out.write(json.dumps(message) + "\n")
        control_out.flush()

    reply(ready=True)
    for line in control_in:
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
        else:
            reply(error=f"unknown op {op!r}")
    for pid in list(_groups):  # the server closed the pipe (it stops): leave nothing behind
        _signal(pid, signal.SIGKILL)


_groups: set[int] = set()  # kernels whose process group may still hold processes


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
    """The server's handle on its warm process (the zygote's, with a folder and an environment per kernel)."""

    def __init__(self, modules: list[str]):
        super().__init__([sys.executable, "-m", "borderdesk.warm_kernel", json.dumps(modules)])

    def start(self) -> None:
        """Start the warm process without waiting for its imports; its errors go to the server's log."""
        import subprocess

        if self.process is not None and self.process.poll() is None:
            return
        self.close()
        self.process = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self._ready = False

    def fork_kernel(self, connection: str, cwd: str, env: dict[str, str]) -> ForkedKernel:
        """A kernel forked for one Validate; a warm process that died is restarted once."""
        for _ in range(2):
            try:
                self._ensure()
                reply = self.request(op="spawn", connection=connection, cwd=cwd, env=env)
                return ForkedKernel(self, self.process, reply["pid"])
            except ZygoteDied as exc:
                why = exc
                self.close()
        raise SandboxFailed(f"the warm process did not start a kernel: {why}", "")


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
