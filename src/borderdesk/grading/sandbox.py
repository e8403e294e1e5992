"""A sandboxed Python kernel for untrusted student code: bubblewrap + setpriv + prlimit.

Why this approach. nbgrader runs a student's notebook in an ordinary kernel whose
working folder sits inside the course: it can read solutions/ and the gradebook,
write anywhere the grader can, open sockets and kill the grader. We keep nbgrader
and change only the kernel it starts (``Execute.kernel_name``): the kernelspec's
argv runs ``python -m borderdesk.grading.sandbox -f {connection_file}``, which
execs ipykernel inside

- **bubblewrap** (``bwrap``, Debian ``bubblewrap``): a new mount, PID, network, IPC
  and UTS namespace. The filesystem is an empty tmpfs plus, read-only, /usr, /etc,
  the Python installation, the borderdesk package, and a minimal course view
  (``/course``: data/ and the marker file, ``BORDERDESK_ROOT=/course``). The only
  writable place is a private, size-limited tmpfs /tmp: the submission's files (the
  autograded copy nbgrader makes, never the submitted/ original) are bound read-only at
  /incoming and copied to /tmp/submission, the notebook's working folder. Nothing the
  student writes reaches the grader's disk. solutions/, the gradebook, other students
  and the instructor's home are simply not there. No network (only a private
  loopback); the kernel reaches the grader through unix sockets
  (``KernelManager.transport = "ipc"``) in a per-worker folder, writable only while
  the kernel starts, with the connection file. The PID namespace means the student cannot
  see or signal the grader; ``--die-with-parent`` means a killed worker takes its
  kernel with it. The environment is cleared (no BORDERDESK_DB_URL, no secrets).
- **setpriv**: when the grader runs as root, the kernel drops to uid/gid 65534
  (nobody) with no capabilities, no supplementary groups and ``no_new_privs``, so it
  cannot undo any of the above and the process limit applies (root is exempt from it).
- **prlimit**: address space (memory), CPU seconds, processes, file size, open files.

Chosen over containers (Docker/podman need a daemon or setup a laptop may lack) and
over seccomp-only or Python-level guards (which untrusted code can undo). bwrap is
small, packaged by every distribution, used by Flatpak, and needs no daemon.
``interrupt_mode: message`` makes timeouts interrupt through the kernel protocol,
because the grader cannot signal a process in another PID namespace.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

KERNEL_NAME = "borderdesk-sandbox"
ENV = "BORDERDESK_SANDBOX"  # JSON settings handed from the grading worker to the launcher
NOBODY = 65534
INCOMING = "/incoming"  # the submission's files, read-only; the kernel runs on a copy in /tmp/submission
SCRATCH = "/tmp/submission"
INSTALL_HINT = "install bubblewrap (`apt-get install bubblewrap`, it provides `bwrap`) and util-linux (prlimit, setpriv)"


@dataclass
class Limits:
    memory: int = 2 * 1024**3  # bytes of address space
    cpu: int = 600  # CPU seconds for the whole kernel
    nproc: int = 256  # processes + threads (all sandboxed kernels share uid nobody)
    fsize: int = 64 * 1024**2  # largest file the kernel may write
    nofile: int = 256
    disk: int = 512 * 1024**2  # the sandbox's /tmp (and so the submission's scratch copy) is a tmpfs this big


@dataclass
class Settings:
    work: str  # the submission's files, shown read-only at /incoming (copied to /tmp/submission to run)
    data: str  # the course's data/ folder, bound read-only at /course/data
    sockets: str = ""  # folder holding the kernel's ipc sockets (bound read-write)
    cache: str = ""  # validated-data cache (borderdesk.datasets), bound read-only
    limits: Limits | None = None
    preload: list[str] = field(default_factory=list)  # modules imported while the kernel boots

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, text: str) -> "Settings":
        raw = json.loads(text)
        raw["limits"] = Limits(**(raw.get("limits") or {}))
        return cls(**raw)


def kernelspec(dest: Path) -> Path:
    """Write the sandbox kernelspec under ``dest/kernels/`` (put ``dest`` on JUPYTER_PATH)."""
    folder = dest / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        # jupyter_client replaces a leading "python" by the grader's own interpreter.
        "argv": ["python", "-m", "borderdesk.grading.sandbox", "-f", "{connection_file}"],
        "display_name": "Python 3 (BorderDesk sandbox)",
        "language": "python",
        "interrupt_mode": "message",
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))
    return folder


def _dirs(path: Path, made: set[str]) -> list[str]:
    """bwrap arguments creating ``path``'s parents as 0755 (bwrap's default is 0700,
    which uid nobody could not traverse)."""
    out = []
    for parent in reversed(path.parents):
        p = str(parent)
        if p != "/" and p not in made:
            made.add(p)
            out += ["--perms", "0755", "--dir", p]
    return out


def bwrap_argv(settings: Settings, inner: list[str]) -> list[str]:
    """The full command: bwrap [namespaces, binds] -- setpriv -- prlimit -- inner."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise RuntimeError(f"bwrap not found; {INSTALL_HINT}")
    limits = settings.limits or Limits()
    root = os.geteuid() == 0
    prefix = Path(sys.prefix).resolve()
    package = Path(__file__).resolve().parents[2]  # the folder holding borderdesk/ (src/ or site-packages)
    made: set[str] = set()
    argv = [bwrap, "--die-with-parent", "--new-session",
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    if not root:
        argv.append("--unshare-user")  # unprivileged: the user namespace provides the mounts
    argv += ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = Path("/") / link
        if target.is_symlink():
            argv += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            argv += ["--ro-bind", str(target), str(target)]
    # The only writable place: a size-limited tmpfs (no file the student writes ever lands on disk).
    argv += ["--proc", "/proc", "--dev", "/dev", "--perms", "01777", "--size", str(limits.disk), "--tmpfs", "/tmp"]
    for path in {prefix, Path(sys.base_prefix).resolve(), package}:
        if not str(path).startswith("/usr/"):
            argv += _dirs(path, made) + ["--ro-bind", str(path), str(path)]
    argv += ["--perms", "0755", "--dir", "/course", "--perms", "0755", "--dir", "/course/autograder",
             "--ro-bind", settings.data, "/course/data",
             # course_root() looks for this marker; the real config is not bound.
             "--ro-bind", str(Path(__file__).with_name("sandbox_marker.py")), "/course/autograder/nbgrader_config.py"]
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
           "BORDERDESK_ROOT": "/course", "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1",
           "MPLCONFIGDIR": "/tmp/matplotlib"}
    if settings.cache:
        argv += ["--perms", "0755", "--dir", "/cache", "--ro-bind", settings.cache, "/cache"]
        env["BORDERDESK_CACHE"] = "/cache"
    if settings.sockets:  # writable while the kernel creates its sockets; locked before student code runs
        argv += _dirs(Path(settings.sockets), made) + ["--bind", settings.sockets, settings.sockets]
    argv += ["--perms", "0755", "--dir", INCOMING, "--ro-bind", settings.work, INCOMING,
             "--chdir", "/tmp", "--clearenv"]
    for key, value in env.items():
        argv += ["--setenv", key, value]
    if root:
        argv += ["--cap-add", "CAP_SETUID,CAP_SETGID,CAP_SETPCAP", "--",
                 "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    else:
        argv += ["--", "setpriv"]
    argv += ["--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
             "prlimit", f"--as={limits.memory}", f"--cpu={limits.cpu}", f"--nproc={limits.nproc}",
             f"--fsize={limits.fsize}", f"--nofile={limits.nofile}", "--core=0", "--", *inner]
    return argv


def check(timeout: float = 30) -> None:
    """Raise RuntimeError saying why, if a sandboxed Python cannot run here."""
    from tempfile import TemporaryDirectory

    missing = [p for p in ("bwrap", "setpriv", "prlimit") if shutil.which(p) is None]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not found; {INSTALL_HINT}")
    with TemporaryDirectory() as tmp:
        work, data = Path(tmp) / "work", Path(tmp) / "data"
        work.mkdir()
        data.mkdir()
        prepare_work(work)
        probe = ("import socket, os; os.getcwd()\n"
                 "try:\n socket.create_connection(('1.1.1.1', 53), timeout=2)\nexcept OSError: print('ok')")
        argv = bwrap_argv(Settings(work=str(work), data=str(data)), [sys.executable, "-c", probe])
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"a sandboxed Python did not finish within {timeout:.0f} s") from None
    if done.stdout.strip() != "ok":
        why = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(
            f"bwrap could not start a sandboxed Python ({why}); it needs user namespaces "
            "(sysctl kernel.unprivileged_userns_clone=1) or root, and the same paths this Python uses")


def prepare_work(work: Path) -> None:
    """Let the sandboxed kernel (uid nobody when the grader is root) write its folder."""
    if os.geteuid() != 0:
        return
    for folder, _, files in os.walk(work):
        os.chown(folder, NOBODY, NOBODY)
        for name in files:
            os.chown(os.path.join(folder, name), NOBODY, NOBODY)


def main(argv: list[str] | None = None) -> None:
    """Kernel launcher: ``python -m borderdesk.grading.sandbox -f CONNECTION_FILE``."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] != "-f":
        sys.exit("usage: python -m borderdesk.grading.sandbox -f CONNECTION_FILE")
    connection = Path(argv[1]).resolve()
    text = os.environ.get(ENV)
    if not text:
        sys.exit(f"{ENV} is not set: this kernel is started by `borderdesk grade`, not by hand")
    settings = Settings.from_env(text)
    info = json.loads(connection.read_text())
    if info.get("transport") != "ipc":
        sys.exit("the sandboxed kernel has no network: start it with KernelManager.transport = 'ipc'")
    settings.sockets = str(Path(info["ip"]).resolve().parent)
    prepare_work(Path(settings.work))
    if os.geteuid() == 0:  # jupyter_client writes it 0600 for root; the kernel runs as nobody
        os.chown(connection, NOBODY, NOBODY)
        os.chown(settings.sockets, NOBODY, NOBODY)
    inner = [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection),
             "--HistoryManager.hist_file=:memory:"]
    if settings.preload:
        # Import what the notebook will import while the kernel boots (ahead of its
        # submission); nothing is bound in the student's namespace.
        inner.append("--IPKernelApp.exec_lines=" + (
            f"import importlib as _bd\nfor _m in {settings.preload!r}:\n"
            "    try:\n        _bd.import_module(_m)\n    except Exception:\n        pass\n"
            "del _bd, _m"))
    full = bwrap_argv(settings, inner)
    # The connection file sits in the sockets folder or is bound read-only on its own.
    if connection.parent != Path(settings.sockets):
        at = full.index("--chdir")
        full[at:at] = _dirs(connection, set()) + ["--ro-bind", str(connection), str(connection)]
    _die_with_parent()
    # Stay as bwrap's parent to record how the kernel ended ("segmentation fault" reads
    # better than "kernel died"); interrupts arrive as messages, so no signal relaying.
    code = subprocess.call(full)
    # Beside the sockets: the worker owns that folder and reads it after a crash.
    (Path(settings.sockets) / (connection.name + ".exit")).write_text(str(code))
    sys.exit(code if 0 <= code < 256 else 1)


def _die_with_parent() -> None:
    """If the grading worker is killed (time budget), take the kernel down with it."""
    import ctypes
    import signal

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


if __name__ == "__main__":
    main()
