"""Print how long Validate takes: plain nbgrader and BorderDesk's, side by side (median of N runs, warm).

    python benchmarks/validate.py [--n 5] [--notebook exercises/01_platform_rules/01_platform_rules.ipynb]

Three ways to validate the same notebook, each timed N times after one unmeasured run:

- ``nbgrader validate``: the command line (a new process, a new kernel);
- nbgrader's server: ``POST /assignments/validate`` to a Jupyter server with nbgrader's
  Validate alone, as the learner's button worked before (a new kernel per press);
- BorderDesk's server: ``POST /borderdesk/validate`` to a server with the course's config
  (``borderdesk.validate_hook``: a kernel forked from the warm process, plus the summary),
  once its warm process is ready (as after the learner opened the assignment).

Both servers run on this checkout, with the course's Jupyter config (jupyter-config/), and
record progress into a throwaway folder. The machine's load changes wall-clock figures:
compare the columns of one run, and note the load (printed first). The CPU column (median
CPU seconds of the server, its kernels and the warm process per Validate) does not depend on it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from support import free_port, stop_process_group  # noqa: E402 (the test suite's server helpers)

NBGRADER_ONLY = "--ServerApp.jpserver_extensions=borderdesk.validate_hook=False"  # merged into the course's config


@contextmanager
def server(home: Path, borderdesk: bool):
    """A Jupyter server on the course, with or without BorderDesk's Validate; yields post(url, path)."""
    port, token = free_port(), "benchmark"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_PATH": os.pathsep.join(str(ROOT / "jupyter-config" / d) for d in ("learner", "")),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "BORDERDESK_PROGRESS_DIR": str(home / "progress"),
        "BORDERDESK_ROOT": str(ROOT),
        "JUPYTER_TOKEN": token,
    }
    argv = [sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}", f"--ServerApp.root_dir={ROOT}"]
    if not borderdesk:
        argv.append(NBGRADER_ONLY)
    if os.geteuid() == 0:
        argv.append("--allow-root")
    log = open(home / f"server-{'borderdesk' if borderdesk else 'nbgrader'}.log", "wb")
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base, auth = f"http://127.0.0.1:{port}", {"Authorization": f"token {token}"}

    def post(url: str, path: str) -> dict:
        body = json.dumps({"path": path}).encode()
        request = urllib.request.Request(base + url, data=body, headers={**auth, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=300) as response:
            return json.load(response)

    def warm_up() -> None:
        """Start the warm process as opening an assignment does, and wait until it is ready."""
        post("/borderdesk/validate/warm", "")
        ready = urllib.request.Request(base + "/borderdesk/validate/warm", headers=auth)
        while not json.load(urllib.request.urlopen(ready, timeout=30))["ready"]:
            time.sleep(0.5)

    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(urllib.request.Request(base + "/api/status", headers=auth), timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the Jupyter server did not start; see {log.name}") from None
                time.sleep(0.25)
        if borderdesk:
            warm_up()
        yield post, lambda: tree_cpu(proc.pid)
    finally:
        stop_process_group(proc)
        log.close()


def tree_cpu(root: int) -> float:
    """CPU seconds of process ``root`` and its descendants, the ended ones included (they are
    in their parent's cutime/cstime once reaped): a figure the machine's load does not change."""
    parents, times = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(times.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


def self_cpu() -> float:
    """CPU seconds of this process's ended children (a command run with subprocess.run)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(runs: int, once, cpu) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each of ``runs`` calls of ``once``, after one unmeasured call."""
    once()  # warm: the server's imports, the warm process, the OS file cache
    seconds, cpu_seconds = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), cpu()
        once()
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(cpu() - start_cpu)
    return seconds, cpu_seconds


def failing(result: dict) -> int:
    assert result.get("success", True), result
    return len(result.get("value", result).get("failed", []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5, help="measured runs of each (default: %(default)s)")
    parser.add_argument("--notebook", default="exercises/01_platform_rules/01_platform_rules.ipynb")
    args = parser.parse_args()
    notebook = args.notebook
    print(f"{notebook}, median of {args.n} runs after one warm-up; load average {os.getloadavg()[0]:.1f}")

    rows, verdicts = [], {}
    command = [sys.executable, "-m", "nbgrader", "validate", notebook]
    once = lambda: subprocess.run(command, cwd=ROOT, capture_output=True)  # noqa: E731
    rows.append(("nbgrader validate (command)", *timed(args.n, once, self_cpu)))
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        with server(home, borderdesk=False) as (post, cpu):
            once = lambda: verdicts.update(nbgrader=failing(post("/assignments/validate", notebook)))  # noqa: E731
            rows.append(("nbgrader's server: POST /assignments/validate", *timed(args.n, once, cpu)))
        with server(home, borderdesk=True) as (post, cpu):
            once = lambda: verdicts.update(borderdesk=failing(post("/borderdesk/validate", notebook)))  # noqa: E731
            rows.append(("BorderDesk: POST /borderdesk/validate", *timed(args.n, once, cpu)))
    print(f"{'':48} {'median s':>9} {'min s':>7} {'max s':>7} {'CPU s':>7}")
    for name, seconds, cpu_seconds in rows:
        print(
            f"{name:48} {statistics.median(seconds):9.2f} {min(seconds):7.2f} {max(seconds):7.2f}"
            f" {statistics.median(cpu_seconds):7.2f}"
        )
    print(f"failing cells: nbgrader's server {verdicts['nbgrader']}, BorderDesk {verdicts['borderdesk']}")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
