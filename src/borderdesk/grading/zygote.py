"""Sandboxed kernels forked from a warm process: the "zygote".

Booting a kernel costs about a second of CPU per submission, almost all of it
imports (ipykernel, pandas, numpy, holidays, ...), and on a 2-core machine that CPU
is taken from the grading itself. So each grading worker starts one sandbox
(``sandbox.bwrap_argv``: its own namespaces, uid nobody, no capabilities, resource
limits) whose process, the zygote, imports all of that once and then
forks one fresh kernel per submission. A fork costs milliseconds and every kernel
still starts from the same clean state: the zygote never runs student code.

Isolation between successive submissions that share the sandbox:

- Before each new kernel the zygote kills every other process in the sandbox
  (``kill(-1, SIGKILL)`` until none is left; it is their subreaper, so it reaps
  them) and empties the writable places (/tmp, /dev/shm). Nothing a student left
  running or writing survives into the next student's kernel.
- The zygote is not dumpable: processes of the same uid cannot ptrace it or read
  its memory or file descriptors under /proc, so they cannot reach its control
  pipe. A kernel gets /dev/null as stdin and stdout, never the pipe.
- The zygote is the sandbox's PID 1 (``bwrap --as-pid-1``), so a student cannot kill it:
  the kernel drops every signal sent to a namespace's init from inside without a handler
  (SIGKILL, ``kill(-1)``), and the zygote ignores SIGINT. A zygote that dies all the same
  (the machine's OOM killer, a bug, bwrap) is the grading infrastructure failing: the
  worker says so, and the submission is graded again on the next run.

Two halves live here: ``main()`` runs inside the sandbox, and ``Zygote`` /
``ZygoteProvisioner`` run in the grading worker. jupyter_client finds the
provisioner through the ``jupyter_client.kernel_provisioners`` entry point named in
the kernelspec (``sandbox.kernelspec``), so nbgrader's Execute starts kernels as
usual and only the way the process comes to life changes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from jupyter_client.provisioning import LocalProvisioner

from .sandbox import INCOMING, SCRATCH

PROVISIONER = "borderdesk-zygote"  # entry point name (pyproject.toml)
KERNEL_ARGS = ["--HistoryManager.hist_file=:memory:"]  # also the warm Validate kernels' (warm_kernel)
# Grading kernels print tracebacks in Python's own form (the failing line and the error): IPython's
# default Context mode re-highlights every frame with stack_data and pygments, about 0.05 s of CPU per
# error, which made a blank submission cost more to grade than a correct one. Scores do not change;
# Validate keeps Context, so a learner sees there what nbgrader's Validate shows.
GRADING_KERNEL_ARGS = [*KERNEL_ARGS, "--InteractiveShell.xmode=Plain"]
# Packages that import parts of themselves on first use; a kernel would pay that each time.
ON_FIRST_USE = {"holidays": ["holidays.countries"]}  # every country calendar: 0.3 s in each kernel
WRITABLE = ("/tmp", "/dev/shm")  # emptied between kernels


# ------------------------------------------------------------------ inside the sandbox
def main(argv: list[str] | None = None) -> None:
    """``python -m borderdesk.grading.zygote MODULES_JSON``: serve the worker on stdin/stdout."""
    import ctypes
    import gc
    import importlib
    import threading

    argv = sys.argv[1:] if argv is None else argv
    # Never import from the working folder (/tmp, which students write). Not `python -P`:
    # kernels inherit that flag, and IPython 9 then leaves the notebook's folder off sys.path.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(4, 0)  # PR_SET_DUMPABLE 0: same-uid processes cannot ptrace us or open /proc/<us>/fd
    libc.prctl(36, 1)  # PR_SET_CHILD_SUBREAPER: orphans of a kernel come to us (PID 1 gets them anyway)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # PID 1 gets signals it has a handler for: have none
    # The kernel's own modules, then what the notebooks import. A module that fails to
    # import here fails in the student's kernel too, with the student's traceback.
    wanted = json.loads(argv[0] if argv else "[]")
    for name in [
        "ipykernel.kernelapp",
        "ipykernel.ipkernel",
        "ipykernel.zmqshell",
        "ipykernel.debugger",  # the kernel imports it (and debugpy, 0.3 s) while it starts
        "IPython.core.completer",
        "borderdesk.grading.harness_guard",
        *wanted,
        *(extra for module in wanted for extra in ON_FIRST_USE.get(module, [])),
    ]:
        try:
            importlib.import_module(name)
        except Exception:
            pass
    if "borderdesk.datasets" in sys.modules:  # the assignment's data (as build_cache listed it), once for every kernel
        try:
            sys.modules["borderdesk.datasets"].preload()
        except Exception:  # the student's kernel meets the same problem and reports it
            pass
    if threading.active_count() != 1:  # forking a threaded process could deadlock its children
        sys.exit(f"zygote: an import started a thread ({threading.enumerate()}); cannot fork safely")
    # Everything imported so far lives as long as the zygote: kept out of the kernels' garbage
    # collections, which would otherwise walk (and, by touching them, copy) every page of it.
    gc.freeze()
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
            _sweep(exits)
            exits.clear()  # the worker has had every earlier kernel's status
            pid = os.fork()
            if pid == 0:
                _run_kernel(request["connection"], request.get("tests", []), request.get("secret", ""))  # never returns
            reply(pid=pid)
        elif op == "poll":
            _reap(exits, block=False)
            reply(code=exits.get(request["pid"]))
        elif op == "signal":
            try:
                os.kill(request["pid"], request["signal"])
            except ProcessLookupError:
                pass
            if request["signal"] == signal.SIGKILL:  # its processes go with it
                _sweep(exits)
            reply(code=exits.get(request["pid"]))
        else:
            reply(error=f"unknown op {op!r}")
    _sweep(exits)  # the worker closed the pipe: leave nothing behind


def _returncode(status: int) -> int:
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _reap(exits: dict[int, int], block: bool) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        exits[pid] = _returncode(status)


def _sweep(exits: dict[int, int]) -> None:
    """Kill and reap every other process in the sandbox, then empty the writable places."""
    for _ in range(1000):
        try:
            os.kill(-1, signal.SIGKILL)  # every process we may signal, except ourselves
        except ProcessLookupError:
            break
        _reap(exits, block=True)
    for top in WRITABLE:
        if os.path.isdir(top):
            _empty(top, _mount_points())


def _mount_points() -> set[str]:
    """Paths mounted in this sandbox (the worker's sockets folder may sit under /tmp)."""
    with open("/proc/self/mountinfo") as handle:
        return {line.split()[4] for line in handle}


def _empty(folder: str, mounts: set[str]) -> None:
    """Remove everything in ``folder`` except mount points and the folders leading to them."""
    import shutil

    for entry in os.scandir(folder):
        path = entry.path
        if path in mounts:
            continue
        if any(m.startswith(path + "/") for m in mounts):
            _empty(path, mounts)
        elif entry.is_dir(follow_symlinks=False):
            for parent, dirs, _ in os.walk(path):  # a student may have made folders unwritable
                for name in dirs:
                    _chmod(os.path.join(parent, name))
            _chmod(path)
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


def _chmod(path: str) -> None:
    try:
        os.chmod(path, 0o700, follow_symlinks=False)
    except OSError:
        pass


def _run_kernel(connection: str, tests: list[str], secret: str) -> None:
    """In the forked child: copy the submission to the tmpfs, work there, and become an
    ipykernel on ``connection`` whose test cells (``tests``: hashes of their source) run on
    pristine machinery (``harness_guard``, which signs its reports with ``secret``),
    installed before any cell runs."""
    import shutil

    code = 1
    try:
        shutil.copytree(INCOMING, SCRATCH, symlinks=True)
        os.chdir(SCRATCH)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)  # the control pipe stays with the zygote
        os.dup2(null, 1)
        os.close(null)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if "numpy" in sys.modules:  # each kernel its own random state, as a fresh process would have
            sys.modules["numpy"].random.seed()
        from ipykernel.kernelapp import IPKernelApp

        from . import harness_guard

        app = IPKernelApp.instance()
        app.initialize(["-f", connection, *GRADING_KERNEL_ARGS])
        harness_guard.install(app.kernel, tests, secret)
        app.start()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


# ------------------------------------------------------------------ in the grading worker
class ZygoteDied(RuntimeError):
    pass


class SandboxFailed(RuntimeError):
    """The sandbox could not start a kernel: the grading infrastructure failed, not the
    student's code. ``output`` is what the sandbox wrote to its stderr."""

    def __init__(self, message: str, output: str):
        super().__init__(message)
        self.output = output


class Zygote:
    """The worker's handle on its sandbox: start it, ask it for kernels, restart it if it
    died."""

    def __init__(self, argv: list[str], stderr: str = ""):
        self.argv, self.stderr = argv, stderr  # stderr: file for the sandbox's own error output (bwrap, zygote)
        self.process: subprocess.Popen | None = None
        self._ready = False

    def start(self) -> None:
        """Start the sandbox without waiting for it (its imports overlap with other work)."""
        if self.process is not None and self.process.poll() is None:
            return
        self.close()
        with open(self.stderr or os.devnull, "w") as err:  # each sandbox's output from empty: it says why it died
            self.process = subprocess.Popen(
                self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True, bufsize=1
            )
        self._ready = False

    def exit_status(self) -> int | None:
        """How the sandbox ended (bwrap's exit status), or None while it runs."""
        return None if self.process is None else self.process.poll()

    def error_output(self, lines: int = 20) -> str:
        """The last ``lines`` lines the sandbox wrote to its stderr (bwrap's and the zygote's errors)."""
        try:
            with open(self.stderr, "rb") as err:  # a kernel may have written megabytes there: read the end only
                err.seek(max(0, os.fstat(err.fileno()).st_size - 20_000))
                return "\n".join(err.read().decode(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _ensure(self) -> None:
        """A running zygote that has finished its imports (a new one if the last one died)."""
        self.start()
        if not self._ready:
            self._ready = bool(self._receive().get("ready"))

    def _receive(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            raise ZygoteDied(f"the sandbox's zygote exited (status {code})")
        return json.loads(line)

    def request(self, **message) -> dict:
        try:
            self.process.stdin.write(json.dumps(message) + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            raise ZygoteDied("the sandbox's zygote is gone") from None
        return self._receive()

    def spawn(self, connection: str, tests: list[str], secret: str) -> ForkedKernel:
        """A kernel forked for the next submission. If the zygote has died (under the last
        kernel, or now), a new one is tried once; if that dies too before any student code
        ran, the sandbox itself is broken (``SandboxFailed``)."""
        for _ in range(2):
            try:
                self._ensure()
                reply = self.request(op="spawn", connection=connection, tests=tests, secret=secret)
                return ForkedKernel(self, self.process, reply["pid"])
            except ZygoteDied as exc:
                why = exc
                output = self.error_output()
                self.close()
        raise SandboxFailed(f"the sandbox did not start a kernel: {why}", output)

    def close(self) -> None:
        if self.process is None:
            return
        try:
            self.process.stdin.close()  # the zygote sweeps and exits
            self.process.wait(5)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        self.process = None


class ForkedKernel:
    """What jupyter_client's LocalProvisioner expects of a ``Popen``, for a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, zygote: Zygote, process: subprocess.Popen, pid: int):
        self.zygote, self.process, self.pid = zygote, process, pid
        self.returncode: int | None = None

    def _ask(self, **message) -> int | None:
        if self.returncode is not None:
            return self.returncode
        if self.zygote.process is not self.process:  # the zygote was replaced: this kernel died with the old one
            self.returncode = -signal.SIGKILL
            return self.returncode
        try:
            self.returncode = self.zygote.request(pid=self.pid, **message)["code"]
        except ZygoteDied:
            self.returncode = -signal.SIGKILL  # the sandbox died, and its kernels with it
        return self.returncode

    def poll(self) -> int | None:
        return self._ask(op="poll")

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        self._ask(op="signal", signal=int(signum))

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ZygoteProvisioner(LocalProvisioner):
    """jupyter_client provisioner: the kernel process is forked by the worker's zygote."""

    zygote: Zygote | None = None  # set by the grading worker (one per worker process)
    on_launch = None  # called with the connection file before the kernel starts
    tests: list[str] = []  # hashes of the next kernel's test cells (harness_guard), set by KernelSlot.take
    secret = ""  # the key harness_guard signs its reports with, set by KernelSlot.take

    async def launch_kernel(self, cmd: list[str], **kwargs) -> dict:
        if self.zygote is None:
            raise RuntimeError("no zygote: this kernel is started by `borderdesk grade`, not by hand")
        connection = self.parent.connection_file
        if ZygoteProvisioner.on_launch is not None:
            ZygoteProvisioner.on_launch(connection)
        self.process = self.zygote.spawn(connection, ZygoteProvisioner.tests, ZygoteProvisioner.secret)
        self.pid, self.pgid = self.process.pid, None  # signals go through the zygote, never killpg
        self.cwd = kwargs.get("cwd")
        return self.connection_info


if __name__ == "__main__":
    main()
