"""One of several processes writing one gradebook at once (tests/test_postgres.py).

    python gradebook_writer.py DB_URL WRITER N

Adds N students of its own with a graded submission of assignment "hw" (nbgrader's
Gradebook API, one transaction per student, as autograde does), and records an
outcome for the students of both writers (0 and 1), so the writers' upserts
collide; student 000 of each gets none, as after a plain `nbgrader autograde`.
"""

import sys

from nbgrader.api import Gradebook

from borderdesk.grading import outcome_store

db_url, writer, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with Gradebook(db_url) as gradebook:
    for i in range(n):
        student = f"w{writer}_{i:03d}"
        gradebook.update_or_create_student(student)
        submission = gradebook.add_submission("hw", student)
        for grade in submission.notebooks[0].grades:
            grade.auto_score, grade.needs_manual_grade = float(i % 3), False
        gradebook.db.commit()
for i in range(1, n):
    for w in range(2):
        student = f"w{w}_{i:03d}"
        outcome_store.record(
            db_url,
            outcome_store.Outcome(
                "hw", student, outcome_store.GRADED, reason=f"writer {writer}", score=float(i % 3) * 2, max_score=4.0
            ),
        )
