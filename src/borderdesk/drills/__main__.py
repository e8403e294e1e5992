"""``python -m borderdesk.drills [chapter ...]``: validate drill files, print a summary.

Exit status 1 when a file is invalid, with every problem listed (file, drill id, field).
"""

from __future__ import annotations

import sys
from collections import Counter

from .loader import DrillError, available_chapters, load_chapter


def main(argv: list[str] | None = None) -> int:
    chapters = (argv if argv is not None else sys.argv[1:]) or available_chapters()
    status = 0
    for chapter in chapters:
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
