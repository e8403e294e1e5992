"""The outcome store: graded vs could-not-be-graded survives a round trip and upserts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from borderdesk.grading import config, outcome_store
from borderdesk.grading.outcome_store import Outcome


def test_record_load_upsert(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    when = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    outcome_store.record(url, Outcome("01", "ana", "graded", score=0.0, max_score=10, graded_at=when, fingerprint="a"))
    outcome_store.record(url, Outcome("01", "bo", "ungradable", reason="timed out after 5 s", graded_at=when))
    outcome_store.record(url, Outcome("02", "ana", "graded", score=3.5, max_score=10, late=True, graded_at=when))
    # Re-grading ana replaces her row, it does not add one.
    outcome_store.record(
        url,
        Outcome(
            "01",
            "ana",
            "graded",
            score=7.0,
            max_score=10,
            tampered=True,
            tamper_detail="test cell q1 edited",
            graded_at=when,
            fingerprint="b",
        ),
    )
    rows = outcome_store.load(url, "01")
    assert [(o.student, o.status, o.score, o.reason) for o in rows] == [
        ("ana", "graded", 7.0, ""),
        ("bo", "ungradable", None, "timed out after 5 s"),
    ]
    assert rows[0].tampered and rows[0].fingerprint == "b" and rows[0].graded_at == when
    assert len(outcome_store.load(url)) == 3


def test_ungradable_has_no_score():
    with pytest.raises(ValueError):
        Outcome("01", "ana", "ungradable", score=0.0)
    with pytest.raises(ValueError):
        Outcome("01", "ana", "failed")


def test_config_points_at_the_course_gradebook(course_copy, monkeypatch):
    monkeypatch.delenv("BORDERDESK_DB_URL", raising=False)
    root = course_copy()
    assert config.db_url(root) == f"sqlite:///{root / 'autograder' / 'gradebook.db'}"
    assert config.load(root).CourseDirectory.source_directory == "solutions"
    monkeypatch.setenv("BORDERDESK_DB_URL", "postgresql+psycopg://x@y/z")
    assert config.db_url(root) == "postgresql+psycopg://x@y/z"


def test_find_reads_one_submission(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    outcome_store.record(url, Outcome("01", "ana", "graded", score=2.0, max_score=10, fingerprint="a"))
    outcome_store.record(url, Outcome("01", "bo", "ungradable", reason="kernel died"))
    outcome_store.record(url, Outcome("02", "bo", "graded", score=1.0, max_score=10))
    found = outcome_store.find(url, "01", "bo")
    assert (found.student, found.assignment, found.status, found.reason) == ("bo", "01", "ungradable", "kernel died")
    assert outcome_store.find(url, "01", "cy") is None and outcome_store.find(url, "03", "ana") is None
    assert [o.assignment for o in outcome_store.load(url, student="bo")] == ["01", "02"]


def test_gradebooks_in_one_process_share_an_engine_and_see_other_writers(tmp_path, monkeypatch):
    """lock_nbgrader_gradebook: after the first Gradebook sets up the schema, later ones reuse
    its engine (no create_all), each with its own session, and still see what another
    process committed in between."""
    import fcntl
    import subprocess
    import sys

    from nbgrader import api

    from borderdesk.grading import worker

    for name in ("__init__", "close"):  # undo the process-wide patch after the test
        monkeypatch.setattr(api.Gradebook, name, getattr(api.Gradebook, name))
    monkeypatch.setattr(api.Gradebook, "_borderdesk_locked", False, raising=False)
    monkeypatch.setattr(worker, "_gradebook_engines", {})
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    worker.lock_nbgrader_gradebook(url)
    with api.Gradebook(url) as gb:
        gb.add_assignment("hw")
        engine = gb.engine
    monkeypatch.setattr(api.Base.metadata, "create_all", lambda *a, **k: pytest.fail("create_all ran again"))
    writer = "from nbgrader.api import Gradebook\nwith Gradebook(%r) as gb: gb.add_student('ana')" % url
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
