"""Print how long each notebook in the course takes to execute headless.

    python benchmarks/notebooks.py [--repeat N]

Each run starts a fresh kernel, so the figure includes kernel start-up and imports,
as a learner's "Restart and Run All" or nbgrader's Validate would.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from borderdesk.notebooks import execute

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per notebook (default: %(default)s)")
    args = parser.parse_args()
    notebooks = sorted(p for folder in ("course", "solutions", "exercises") for p in (ROOT / folder).rglob("*.ipynb"))
    print(f"{'notebook':60} {'median s':>9} {'min s':>7} {'max s':>7}")
    for path in notebooks:
        seconds = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            # Unanswered exercises stop with "Not attempted yet" errors by design.
            execute(path, allow_errors="exercises" in path.parts)
            seconds.append(time.perf_counter() - start)
        print(
            f"{str(path.relative_to(ROOT)):60} {statistics.median(seconds):9.1f} {min(seconds):7.1f} {max(seconds):7.1f}"
        )


if __name__ == "__main__":
    main()
