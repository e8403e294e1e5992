"""``python -m borderdesk.drills [chapter ...]``: validate drill files, print a summary.

Exit status 1 when a file is invalid, with every problem listed (file, drill id, field).
``python -m borderdesk.drills --schema`` regenerates course/drills/drills.schema.json,
the JSON Schema editors use to check and complete drill files, from the drill models.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from .loader import DrillError, available_chapters, load_chapter, write_schema


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m borderdesk.drills", description=__doc__.split("\n")[0])
    parser.add_argument("chapters", nargs="*", help="chapters to validate (default: every drill file)")
    parser.add_argument(
        "--schema", action="store_true", help="write course/drills/drills.schema.json from the drill models"
    )
    args = parser.parse_args(argv)
    if args.schema:
        print(f"wrote {write_schema()}")
    status = 0
    for chapter in args.chapters or available_chapters():
        try:
            drills = load_chapter(chapter)
        except DrillError as err:
            print(err, file=sys.stderr)
            status = 1
            continue
        kinds = Counter(d.kind for d in drills)
        print(f"{chapter}: {len(drills)} drills ok ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})")
    return status


if __name__ == "__main__":
    sys.exit(main())
