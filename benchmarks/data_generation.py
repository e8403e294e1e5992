"""Print each chapter's case data: rows, megabytes, and how long generating and validating it takes.

    python benchmarks/data_generation.py [--chapter N] [--repeat N]

Generation is timed per chapter, with the datasets its generators need from earlier chapters
(as `borderdesk data --chapter N` runs it), into a temporary folder; validation is the
loader's check of every written file (pandera), timed once, without the validated cache.
Wall-clock seconds are the median of the runs; "cpu s" is this process's CPU time, the
figure to compare on a busy machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from borderdesk.cases import generate, in_order, of_chapter, registry
from borderdesk.chapters import chapter, chapters
from borderdesk.datasets import validate_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", metavar="N", help="only this chapter (number or slug)")
    parser.add_argument("--repeat", type=int, default=3, help="generation runs per chapter (default: %(default)s)")
    args = parser.parse_args()
    slugs = [chapter(args.chapter).slug] if args.chapter else [c.slug for c in chapters()]
    print(f"{'chapter':20} {'dataset':18} {'rows':>8} {'MB':>6} {'generate s':>11} {'cpu s':>6} {'validate s':>11}")
    for slug in slugs:
        names = of_chapter(slug)
        if not names:
            continue
        seconds, cpu = [], []
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(args.repeat):
                start, start_cpu = time.perf_counter(), time.process_time()
                written = generate(Path(tmp), names)
                seconds.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            start = time.perf_counter()
            rows = validate_all(tmp, names)
            validate = time.perf_counter() - start
            total_rows = total_mb = 0.0
            for dataset in in_order(names):
                if dataset.name not in names:
                    continue  # generated because a dataset needs it; reported under its own chapter
                mb = written[dataset.name].stat().st_size / 1e6
                total_rows, total_mb = total_rows + rows[dataset.name], total_mb + mb
                print(f"{slug:20} {dataset.name:18} {rows[dataset.name]:8,} {mb:6.2f}")
        print(
            f"{slug:20} {'(all)':18} {int(total_rows):8,} {total_mb:6.2f} "
            f"{statistics.median(seconds):11.1f} {statistics.median(cpu):6.1f} {validate:11.1f}"
        )
    if not args.chapter:
        print(f"registered datasets: {len(registry)}")


if __name__ == "__main__":
    main()
