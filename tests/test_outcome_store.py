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
