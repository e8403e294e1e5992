"""Submissions per minute: plain serial nbgrader against `borderdesk grade`.

    python benchmarks/grading.py [--n 60] [--plain-n 20] [--modes plain,w2,w3]

Builds N submissions of assignment 01 in a throwaway course (a class mix: correct,
partially correct, blank, and adversarial cases that are safe to run unsandboxed),
then grades the same set with

- ``plain``: one serial ``nbgrader autograde`` (no sandbox; on the first --plain-n
  submissions, because it is the slow one),
- ``wN``: ``borderdesk grade --workers N``, sandboxed (by default N = the cores, and
  the cores + 1 that ``borderdesk grade`` uses without ``--workers``),

each on a fresh copy of the course, so no run profits from another's gradebook.
It also times the solution notebook executed alone. Besides wall-clock seconds it
prints CPU seconds per submission (user + system of every process the run started:
nbgrader, workers, sandboxes, kernels), which hardly depends on what else the machine
is doing: on a shared machine compare those. ``--n 500 --modes w3`` is the class of
500 the throughput target is set for (on 2 cores). Cases that attack the machine
(memory bomb, deleting files, a loop that ignores interrupts) are left out, because
plain nbgrader would run them with the grader's own rights; tests/test_grade.py
covers them.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the submission factory shared with the tests

import submissions  # noqa: E402
from conftest import copy_course  # noqa: E402

from borderdesk.grading.release import nbgrader  # noqa: E402
from borderdesk.notebooks import execute  # noqa: E402

ASSIGNMENT = submissions.ASSIGNMENT
# A class of 20: 9 correct, 4 partially correct, 3 blank, 4 adversarial (cycled).
HONEST = {"correct", "partial", "blank"}  # must all end as graded
MIX = ["correct"] * 9 + ["partial"] * 4 + ["blank"] * 3 + ["adversarial"] * 4
SAFE_ADVERSARIAL = [
    "tests_edited",
    "tests_deleted",
    "solution_cells_deleted",
    "duplicated_cells",
    "os_exit",
    "segfault",
    "huge_output",
    "network",
    "corrupt_json",
    "missing_notebook",
    "extra_files",
    "infinite_loop",
]
CELL_TIMEOUT = 10  # seconds, for every mode: an infinite loop costs the same everywhere


def class_cases(n: int) -> list[str]:
    adversarial = itertools.cycle(SAFE_ADVERSARIAL)
    mix = itertools.cycle(MIX)
    return [next(adversarial) if kind == "adversarial" else kind for kind in itertools.islice(mix, n)]


def make_course(dest: Path, cases: list[str]) -> Path:
    root = copy_course(dest, "solutions", "exercises", "data")
    result = nbgrader("generate_assignment", ASSIGNMENT, "--force", root=root)
    if result.returncode:
        sys.exit(f"nbgrader generate_assignment failed:\n{result.stderr}")
    for i, case in enumerate(cases):
        submissions.write(root, f"s{i:04d}_{case}", case)
    return root


class CpuMeter:
    """CPU seconds used by this process and everything it starts, sandboxes included.

    ``RUSAGE_CHILDREN`` misses what runs inside bubblewrap (bwrap exits without reaping its
    PID namespace's init, so the kernels' CPU time never reaches us), so the benchmark moves
    itself into a cgroup of its own and reads the cgroup's CPU counter (v1 cpuacct or v2
    cpu.stat; needs root). Without one it falls back to RUSAGE_CHILDREN and says what that misses.
    """

    def __init__(self):
        self.group, self.counter = None, None
        name = f"borderdesk-bench-{os.getpid()}"
        for base, counter in (
            (Path("/sys/fs/cgroup/cpuacct"), "cpuacct.usage"),
            (Path("/sys/fs/cgroup/unified"), "cpu.stat"),
            (Path("/sys/fs/cgroup"), "cpu.stat"),
        ):
            if not (base / "cgroup.procs").exists():
                continue
            try:
                (base / name).mkdir()
                (base / name / "cgroup.procs").write_text(str(os.getpid()))
            except OSError:  # not ours to make, or not allowed to join
                if (base / name).is_dir():
                    (base / name).rmdir()
                continue
            self.base, self.group, self.counter = base, base / name, counter
            break
        self.what = "cgroup, sandboxes included" if self.group else "RUSAGE_CHILDREN: sandboxed kernels NOT counted"

    def seconds(self) -> float:
        if self.group is None:
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            return usage.ru_utime + usage.ru_stime
        text = (self.group / self.counter).read_text()
        if self.counter == "cpuacct.usage":
            return int(text) / 1e9
        return int(dict(line.split() for line in text.splitlines())["usage_usec"]) / 1e6

    def close(self) -> None:
        if self.group is not None:
            (self.base / "cgroup.procs").write_text(str(os.getpid()))
            for _ in range(50):  # the last processes of a run may still be exiting
                try:
                    self.group.rmdir()
                    return
                except OSError:
                    time.sleep(0.1)


def run_plain(root: Path) -> float:
    start = time.perf_counter()
    result = nbgrader("autograde", ASSIGNMENT, f"--ExecutePreprocessor.timeout={CELL_TIMEOUT}", root=root)
    elapsed = time.perf_counter() - start
    if result.returncode:  # nbgrader exits 1 when some submission failed; the others are graded
        print(f"  (plain nbgrader exit {result.returncode}: some submissions failed, as expected)")
    return elapsed


def run_borderdesk(root: Path, workers: int) -> float:
    env = dict(os.environ, BORDERDESK_ROOT=str(root))
    start = time.perf_counter()
    result = subprocess.run(
        ["borderdesk", "grade", ASSIGNMENT, f"--workers={workers}", f"--timeout={CELL_TIMEOUT}"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"borderdesk grade failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    check_honest_graded(root)
    return elapsed


def check_honest_graded(root: Path) -> None:
    """A fast run that graded nothing is no figure: every honest submission must be graded."""
    from borderdesk.grading import config, outcome_store

    outcomes = {o.student: o for o in outcome_store.load(config.db_url(root), ASSIGNMENT)}
    honest = [p.name for p in (root / "autograder" / "submitted").iterdir() if p.name.split("_", 1)[1] in HONEST]
    missing = [s for s in honest if s not in outcomes or outcomes[s].status != outcome_store.GRADED]
    if missing:
        reasons = {outcomes[s].reason for s in missing if s in outcomes} or {"no outcome recorded"}
        sys.exit(f"{len(missing)} of {len(honest)} honest submissions were not graded: {'; '.join(sorted(reasons))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60, help="submissions in the class (default: %(default)s)")
    parser.add_argument(
        "--plain-n",
        type=int,
        default=20,
        help="submissions graded by plain nbgrader, the first of the same set (default: %(default)s)",
    )
    cores = os.cpu_count() or 1
    parser.add_argument(
        "--modes",
        default=f"plain,w{cores},w{cores + 1}",
        help="comma-separated: plain, wN for --workers N (default: %(default)s; "
        f"w{cores + 1} is what `borderdesk grade` runs without --workers)",
    )
    args = parser.parse_args()
    modes = args.modes.split(",")
    cases = class_cases(args.n)
    print(
        f"class: {args.n} submissions of {ASSIGNMENT}: "
        + ", ".join(f"{k} {cases.count(k)}" for k in sorted(set(cases)))
    )
    print(f"machine: {os.cpu_count()} cores; per-cell timeout {CELL_TIMEOUT} s in every mode")

    meter = CpuMeter()
    print(f"CPU time measured by {meter.what}")
    try:
        rows = measure(args, modes, cases, meter)
    finally:
        meter.close()
    report(rows)


def measure(args, modes, cases, meter) -> list:
    with tempfile.TemporaryDirectory(prefix="borderdesk-bench-") as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        execute(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
        print(f"solution notebook executed alone: {time.perf_counter() - start:.1f} s")

        rows = []
        for mode in modes:
            if mode == "plain":
                count = min(args.plain_n, args.n)
                root = make_course(tmp / mode, cases[:count])
                cpu = meter.seconds()
                seconds = run_plain(root)
                label = "plain serial nbgrader autograde"
            elif mode[:1] == "w" and mode[1:].isdigit():
                count = args.n
                root = make_course(tmp / mode, cases)
                cpu = meter.seconds()
                seconds = run_borderdesk(root, int(mode[1:]))
                label = f"borderdesk grade --workers {mode[1:]} (sandboxed)"
            else:
                sys.exit(f"unknown mode {mode!r}; use plain or wN (N workers: w1, w2, ...)")
            cpu = meter.seconds() - cpu
            rows.append((label, count, seconds, cpu))
            print(f"  {label}: {count} in {seconds:.0f} s, {cpu:.0f} CPU s")
            shutil.rmtree(root)
    return rows


def report(rows: list) -> None:
    print(f"\n{'run':44} {'subs':>5} {'seconds':>8} {'subs/min':>9} {'s/sub':>6} {'CPU s/sub':>10}")
    for label, count, seconds, cpu in rows:
        print(
            f"{label:44} {count:5d} {seconds:8.0f} {60 * count / seconds:9.1f} {seconds / count:6.2f} {cpu / count:10.2f}"
        )
    plain = next((r for r in rows if r[0].startswith("plain")), None)
    for label, count, seconds, cpu in rows:
        if plain is None or label == plain[0]:
            continue
        wall = (plain[2] / plain[1]) / (seconds / count)
        print(f"{label}: {wall:.1f}x plain nbgrader (wall clock), {(plain[3] / plain[1]) / (cpu / count):.1f}x (CPU)")
    for label, count, seconds, cpu in rows:
        if "workers" in label:
            cores = min(int(label.split("--workers ")[1].split()[0]), os.cpu_count() or 1)
            print(
                f"{label}: 500 submissions would take {500 * seconds / count / 60:.1f} min "
                f"(from CPU: {500 * cpu / count / cores / 60:.1f} min on {cores} free core(s))"
            )


if __name__ == "__main__":
    main()
