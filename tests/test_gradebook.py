"""The gradebook shared by parallel grading: nbgrader Gradebooks under one lock, one engine."""

from __future__ import annotations

import pytest


def test_gradebooks_in_one_process_share_an_engine_and_see_other_writers(tmp_path, monkeypatch):
    """lock_nbgrader_gradebook: after the first Gradebook sets up the schema, later ones reuse
    its engine (no create_all), each with its own session, and still see what another
    process committed in between."""
    import fcntl
    import subprocess
    import sys

    from nbgrader import api

    from borderdesk.grading import gradebook

    for name in ("__init__", "close"):  # undo the process-wide patch after the test
        monkeypatch.setattr(api.Gradebook, name, getattr(api.Gradebook, name))
    monkeypatch.setattr(api.Gradebook, "_borderdesk_locked", False, raising=False)
    monkeypatch.setattr(gradebook, "_gradebook_engines", {})
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    gradebook.lock_nbgrader_gradebook(url)
    with api.Gradebook(url) as gb:
        gb.add_assignment("hw")
        engine = gb.engine
    monkeypatch.setattr(api.Base.metadata, "create_all", lambda *a, **k: pytest.fail("create_all ran again"))
    writer = f"from nbgrader.api import Gradebook\nwith Gradebook({url!r}) as gb: gb.add_student('ana')"
    subprocess.run([sys.executable, "-c", writer], check=True)
    with api.Gradebook(url) as gb:
        assert gb.engine is engine
        assert ([a.name for a in gb.assignments], [s.id for s in gb.students]) == (["hw"], ["ana"])
        gb.add_student("bo")
    with api.Gradebook(url) as gb, open(tmp_path / "gradebook.db.lock") as other:
        assert [s.id for s in gb.students] == ["ana", "bo"]
        with pytest.raises(BlockingIOError):  # a shared engine still means the lock is held while open
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(tmp_path / "gradebook.db.lock") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # and released on close
