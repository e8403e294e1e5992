"""A sandbox for untrusted student code: bubblewrap + setpriv + prlimit.

Why this approach. nbgrader runs a student's notebook in an ordinary kernel whose
working folder sits inside the course: it can read solutions/ and the gradebook,
write anywhere the grader can, open sockets and kill the grader. We keep nbgrader
and change only the kernel it starts (``Execute.kernel_name``): the kernelspec names
our jupyter_client provisioner (``borderdesk.grading.zygote``), which forks each
kernel from a warm process living inside

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
  kernel with it. ``--as-pid-1`` makes the command itself (the zygote) the namespace's
  init, which the kernel protects from every signal sent inside the namespace without
  a handler (SIGKILL included): a student's code cannot kill it, so a zygote that dies is
  the grading infrastructure failing, never the submission. The environment is cleared (no BORDERDESK_DB_URL, no secrets).
- **setpriv**: when the grader runs as root, the kernel drops to uid/gid 65534
  (nobody) with no capabilities, no supplementary groups and ``no_new_privs``, so it
  cannot undo any of the above and the process limit applies (root is exempt from it).
- **prlimit**: address space (memory), CPU seconds, processes, file size, open files
  (per process: each forked kernel starts its CPU seconds from zero).

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
from dataclasses import dataclass
from pathlib import Path

from ..errors import BorderDeskError

KERNEL_NAME = "borderdesk-sandbox"
NOBODY = 65534
INCOMING = "/incoming"  # the submission's files, read-only; the kernel runs on a copy in /tmp/submission
SCRATCH = "/tmp/submission"
INSTALL_HINT = (
    "install bubblewrap (`apt-get install bubblewrap`, it provides `bwrap`) and util-linux (prlimit, setpriv)"
)


class SandboxUnavailable(BorderDeskError):
    """The sandbox for student code cannot run on this machine; the message says why."""


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


def kernelspec(dest: Path) -> Path:
    """Write the sandbox kernelspec under ``dest/kernels/`` (put ``dest`` on JUPYTER_PATH)."""
    folder = dest / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    from .zygote import PROVISIONER

    spec = {
        # What each kernel runs; the provisioner forks it from the zygote instead of exec'ing it.
        "argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (BorderDesk sandbox)",
        "language": "python",
        "interrupt_mode": "message",
        "metadata": {"kernel_provisioner": {"provisioner_name": PROVISIONER}},
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
        raise SandboxUnavailable(f"bwrap not found; {INSTALL_HINT}")
    limits = settings.limits or Limits()
    root = os.geteuid() == 0
    prefix = Path(sys.prefix).resolve()
    package = Path(__file__).resolve().parents[2]  # the folder holding borderdesk/ (src/ or site-packages)
    made: set[str] = set()
    argv = [
        bwrap,
        "--die-with-parent",
        "--new-session",
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--as-pid-1",
    ]
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
    argv += [
        "--perms",
        "0755",
        "--dir",
        "/course",
        "--perms",
        "0755",
        "--dir",
        "/course/autograder",
        "--ro-bind",
        settings.data,
        "/course/data",
        # course_root() looks for this marker; the real config is not bound.
        "--ro-bind",
        str(Path(__file__).with_name("sandbox_marker.py")),
        "/course/autograder/nbgrader_config.py",
    ]
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "BORDERDESK_ROOT": "/course",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MPLCONFIGDIR": "/tmp/matplotlib",
    }
    if settings.cache:
        argv += ["--perms", "0755", "--dir", "/cache", "--ro-bind", settings.cache, "/cache"]
        env["BORDERDESK_CACHE"] = "/cache"
    if settings.sockets:  # writable while the kernel creates its sockets; locked before student code runs
        argv += _dirs(Path(settings.sockets), made) + ["--bind", settings.sockets, settings.sockets]
    argv += [
        "--perms",
        "0755",
        "--dir",
        INCOMING,
        "--ro-bind",
        settings.work,
        INCOMING,
        "--chdir",
        "/tmp",
        "--clearenv",
    ]
    for key, value in env.items():
        argv += ["--setenv", key, value]
    if root:
        argv += [
            "--cap-add",
            "CAP_SETUID,CAP_SETGID,CAP_SETPCAP",
            "--",
            "setpriv",
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
        ]
    else:
        argv += ["--", "setpriv"]
    argv += [
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--no-new-privs",
        "--",
        "prlimit",
        f"--as={limits.memory}",
        f"--cpu={limits.cpu}",
        f"--nproc={limits.nproc}",
        f"--fsize={limits.fsize}",
        f"--nofile={limits.nofile}",
        "--core=0",
        "--",
        *inner,
    ]
    return argv


def check(timeout: float = 30) -> None:
    """Raise SandboxUnavailable saying why, if a sandboxed Python cannot run here."""
    from tempfile import TemporaryDirectory

    missing = [p for p in ("bwrap", "setpriv", "prlimit") if shutil.which(p) is None]
    if missing:
        raise SandboxUnavailable(f"{', '.join(missing)} not found; {INSTALL_HINT}")
    with TemporaryDirectory() as tmp:
        work, data = Path(tmp) / "work", Path(tmp) / "data"
        work.mkdir()
        data.mkdir()
        prepare_work(work)
        probe = (
            "import socket, os; os.getcwd()\n"
            "try:\n socket.create_connection(('1.1.1.1', 53), timeout=2)\nexcept OSError: print('ok')"
        )
        argv = bwrap_argv(Settings(work=str(work), data=str(data)), [sys.executable, "-c", probe])
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise SandboxUnavailable(f"a sandboxed Python did not finish within {timeout:.0f} s") from None
    if done.stdout.strip() != "ok":
        why = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise SandboxUnavailable(
            f"bwrap could not start a sandboxed Python ({why}); it needs user namespaces "
            "(sysctl kernel.unprivileged_userns_clone=1) or root, and the same paths this Python uses"
        )


def prepare_work(work: Path) -> None:
    """Let the sandboxed kernel (uid nobody when the grader is root) write its folder."""
    if os.geteuid() != 0:
        return
    for folder, _, files in os.walk(work):
        os.chown(folder, NOBODY, NOBODY)
        for name in files:
            os.chown(os.path.join(folder, name), NOBODY, NOBODY)


def zygote_argv(settings: Settings, preload: list[str]) -> list[str]:
    """The sandbox of one grading worker, running the zygote that forks its kernels."""
    return bwrap_argv(settings, [sys.executable, "-m", "borderdesk.grading.zygote", json.dumps(preload)])
