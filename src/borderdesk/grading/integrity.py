"""What a submission is, and whether its tests were changed.

- ``fingerprint``: a hash of the submission folder, so ``borderdesk grade`` regrades
  only new or changed submissions.
- ``tampering``: which test cells a student edited or deleted, compared with the
  released notebook (nbgrader restores them before grading; we record that it happened).
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def fingerprint(folder: Path) -> str:
    """Hash of every file's relative path and bytes: changes when the submission does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def _test_cells(nb) -> dict[str, str]:
    out = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and meta.get("grade_id"):
            out.setdefault(meta["grade_id"], cell.source.strip())
    return out


def tampering(submitted, released) -> str:
    """Which test cells a student edited or deleted, compared with the released notebook.

    nbgrader compares against the source, whose hidden tests the release never had,
    so its checksum warning fires for every student; the release is the fair yardstick.
    """
    theirs, ours = _test_cells(submitted), _test_cells(released)
    edited = [gid for gid in ours if gid in theirs and theirs[gid] != ours[gid]]
    deleted = [gid for gid in ours if gid not in theirs]
    parts = []
    if edited:
        parts.append("edited test cells " + ", ".join(edited))
    if deleted:
        parts.append("deleted test cells " + ", ".join(deleted))
    return "; ".join(parts)
