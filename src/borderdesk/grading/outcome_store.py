"""What happened to each submission: graded (with a score) or could not be graded (and why).

nbgrader records a submission that crashed the kernel or timed out as an ordinary 0;
this table keeps the difference. One row per (assignment, student) in table
``borderdesk_outcomes``, in the same database as nbgrader's gradebook (SQLite or
PostgreSQL), written by ``borderdesk grade`` and read by feedback, export and report.
Per-question scores stay in nbgrader's own tables (use its ``Gradebook`` API).

A second table, ``borderdesk_graded_answers``, keeps the SHA-256 of each written answer a
grader scored by hand, as the grader saw it (``hand_grades``): nbgrader deletes the graded
copy of a submission it failed to grade, and a regrade still has to tell an unchanged
answer (its hand grade stays) from a changed one.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime

GRADED = "graded"
UNGRADABLE = "ungradable"  # could not be graded; ``reason`` says why


@dataclass
class Outcome:
    assignment: str
    student: str
    status: str  # GRADED | UNGRADABLE
    reason: str = ""  # "" or a sentence: "timed out after 60 s", "kernel died: memory limit (1 GiB)"
    tampered: bool = False  # test cells edited or deleted (nbgrader restored them)
    tamper_detail: str = ""
    late: bool = False
    score: float | None = None  # None when ungradable
    max_score: float = 0.0
    sandboxed: bool = True
    graded_at: datetime | None = None
    fingerprint: str = ""  # hash of the submission folder, for "only new or changed"

    def __post_init__(self) -> None:
        if self.status not in (GRADED, UNGRADABLE):
            raise ValueError(f"Outcome.status must be {GRADED!r} or {UNGRADABLE!r}, not {self.status!r}")
        if self.status == UNGRADABLE and self.score is not None:
            raise ValueError("an ungradable submission has no score (score=None)")
        if self.graded_at is None:
            self.graded_at = datetime.now(UTC)


_engines: dict[str, object] = {}
_lock = threading.Lock()


@functools.cache
def _table():
    import sqlalchemy as sa

    metadata = sa.MetaData()
    return sa.Table(
        "borderdesk_outcomes",
        metadata,
        sa.Column("assignment", sa.String(128), primary_key=True),
        sa.Column("student", sa.String(128), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False, default=""),
        sa.Column("tampered", sa.Boolean, nullable=False, default=False),
        sa.Column("tamper_detail", sa.Text, nullable=False, default=""),
        sa.Column("late", sa.Boolean, nullable=False, default=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("max_score", sa.Float, nullable=False, default=0.0),
        sa.Column("sandboxed", sa.Boolean, nullable=False, default=True),
        sa.Column("graded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fingerprint", sa.String(128), nullable=False, default=""),
    )


@functools.cache
def _answers_table():
    import sqlalchemy as sa

    return sa.Table(
        "borderdesk_graded_answers",
        sa.MetaData(),
        sa.Column("assignment", sa.String(128), primary_key=True),
        sa.Column("student", sa.String(128), primary_key=True),
        sa.Column("notebook", sa.String(128), primary_key=True),
        sa.Column("grade_id", sa.String(128), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
    )


def _engine(db_url: str):
    """One engine per URL per process, with the outcomes table created."""
    import sqlalchemy as sa

    with _lock:
        engine = _engines.get(db_url)
        if engine is None:
            kwargs = {}
            if db_url.startswith("sqlite"):
                # Several grading processes may write at once: wait for the lock
                # instead of failing with "database is locked".
                kwargs["connect_args"] = {"timeout": 120}
            engine = sa.create_engine(db_url, **kwargs)
            # IF NOT EXISTS: two grading runs may both find the table missing. On
            # PostgreSQL that alone still races (both insert the table's row type:
            # UniqueViolation on pg_type), so creators take turns under an advisory lock.
            with engine.begin() as conn:
                if engine.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('borderdesk_outcomes'))"))
                for table in (_table(), _answers_table()):
                    conn.execute(sa.schema.CreateTable(table, if_not_exists=True))
            _engines[db_url] = engine
        return engine


def record(db_url: str, outcome: Outcome) -> None:
    """Insert or replace the outcome of (assignment, student)."""
    _upsert(db_url, _table(), [asdict(outcome)])


def _upsert(db_url: str, table, rows: list[dict]) -> None:
    """Insert or replace ``rows`` of ``table`` (by its primary key), in one transaction."""
    if not rows:
        return
    engine, keys = _engine(db_url), [c.name for c in table.primary_key]
    if engine.dialect.name not in ("postgresql", "sqlite"):  # any other database: delete then insert
        with engine.begin() as conn:
            for row in rows:
                match = [table.c[k] == row[k] for k in keys]
                conn.execute(table.delete().where(*match))
                conn.execute(table.insert().values(**row))
        return
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    with engine.begin() as conn:
        for row in rows:
            stmt = insert(table).values(**row)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=keys, set_={k: stmt.excluded[k] for k in row if k not in keys}
                )
            )


def record_graded_answers(db_url: str, assignment: str, student: str, answers: dict[tuple[str, str], str]) -> None:
    """Remember the SHA-256 of written answers graded by hand: {(notebook, grade_id): sha256}."""
    rows = [
        {"assignment": assignment, "student": student, "notebook": nb, "grade_id": gid, "sha256": sha}
        for (nb, gid), sha in answers.items()
    ]
    _upsert(db_url, _answers_table(), rows)


def graded_answers(db_url: str, assignment: str, student: str) -> dict[tuple[str, str], str]:
    """{(notebook, grade_id): sha256} of the student's written answers last seen graded by hand."""
    engine, table = _engine(db_url), _answers_table()
    query = table.select().where((table.c.assignment == assignment) & (table.c.student == student))
    with engine.connect() as conn:
        return {(r.notebook, r.grade_id): r.sha256 for r in conn.execute(query)}


def load(db_url: str, assignment: str | None = None, student: str | None = None) -> list[Outcome]:
    """Every recorded outcome (of one assignment, of one student), sorted by assignment then student."""
    engine, table = _engine(db_url), _table()
    query = table.select().order_by(table.c.assignment, table.c.student)
    if assignment is not None:
        query = query.where(table.c.assignment == assignment)
    if student is not None:
        query = query.where(table.c.student == student)
    names = [f.name for f in fields(Outcome)]
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    outcomes = []
    for row in rows:
        values = {name: row[name] for name in names}
        if values["graded_at"] is not None and values["graded_at"].tzinfo is None:
            # SQLite keeps no time zone; we always store UTC.
            values["graded_at"] = values["graded_at"].replace(tzinfo=UTC)
        outcomes.append(Outcome(**values))
    return outcomes


def find(db_url: str, assignment: str, student: str) -> Outcome | None:
    """The recorded outcome of one submission, or None (one row read, not the class)."""
    found = load(db_url, assignment, student)
    return found[0] if found else None
