"""The gradebook on a real PostgreSQL server (tests/postgres.py starts it).

The feedback/export/report pipeline runs on PostgreSQL in
test_feedback_export_report.py (parametrised); here: the URL reaches every
component, and two processes write one gradebook at once without losing a row.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from conftest import copy_course
from nbgrader.api import Gradebook

from borderdesk.grading import config, outcome_store
from borderdesk.grading.export import write_csv

WRITER = Path(__file__).with_name("gradebook_writer.py")


def test_db_url_comes_from_the_environment(postgres_db, tmp_path, monkeypatch):
    root = copy_course(tmp_path / "course")
    assert config.db_url(root) == f"sqlite:///{root / 'autograder' / 'gradebook.db'}"
    monkeypatch.setenv("BORDERDESK_DB_URL", postgres_db)
    assert config.db_url(root) == postgres_db
    # nbgrader itself, run from the course folder, creates its tables there.
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", "db", "student", "add", "ada"],
        cwd=root / "autograder",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    with Gradebook(postgres_db) as gradebook:
        assert [s.id for s in gradebook.students] == ["ada"]


def test_two_writers_at_once_lose_nothing(postgres_db, tmp_path):
    n = 40
    with Gradebook(postgres_db) as gradebook:
        gradebook.add_assignment("hw")
        gradebook.add_notebook("nb", "hw")
        for q in ("q1", "q2"):
            gradebook.add_grade_cell(q, "nb", "hw", max_score=2, cell_type="code")
    writers = [
        subprocess.Popen([sys.executable, str(WRITER), postgres_db, str(w), str(n)], stderr=subprocess.PIPE, text=True)
        for w in range(2)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err[-3000:]

    outcomes = outcome_store.load(postgres_db, "hw")
    assert len(outcomes) == 2 * (n - 1), "one outcome per student, however the upserts collided"
    assert {o.reason for o in outcomes} <= {"writer 0", "writer 1"}

    output = tmp_path / "grades.csv"
    assert write_csv(postgres_db, output, "hw", root=tmp_path) == 2 * n
    with output.open() as fh:
        rows = {row["student"]: row for row in csv.DictReader(fh)}
    for w in range(2):
        for i in range(n):
            row = rows[f"w{w}_{i:03d}"]
            assert (row["q1"], row["q2"], row["total"], row["status"]) == (
                f"{i % 3}",
                f"{i % 3}",
                f"{2 * (i % 3)}",
                "graded",
            ), row  # 000: nbgrader's word alone
