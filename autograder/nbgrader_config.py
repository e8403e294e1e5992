# nbgrader configuration for the BorderDesk course.
#
# Every path is computed from this file's own location, so the course works
# wherever it is cloned. Point nbgrader at this file explicitly: run nbgrader
# from this folder (`cd autograder && nbgrader ...`) or pass
# `--config autograder/nbgrader_config.py` from the course root. Without it
# nbgrader silently falls back to its defaults (source/, release/ in the
# current folder) and finds no assignments.
import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

AUTOGRADER = Path(__file__).resolve().parent
ROOT = AUTOGRADER.parent

c.CourseDirectory.course_id = "borderdesk"
c.CourseDirectory.root = str(ROOT)
# Instructor sources (solutions and hidden tests) and the generated student versions.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# Runtime folders: git-ignored, kept beside this file.
c.CourseDirectory.submitted_directory = "autograder/submitted"
c.CourseDirectory.autograded_directory = "autograder/autograded"
c.CourseDirectory.feedback_directory = "autograder/feedback"
# SQLite beside this file by default; several graders can share one PostgreSQL
# gradebook by setting BORDERDESK_DB_URL (e.g. postgresql+psycopg://user@host/borderdesk).
c.CourseDirectory.db_url = os.environ.get("BORDERDESK_DB_URL") or f"sqlite:///{AUTOGRADER / 'gradebook.db'}"
# The exchange: on one machine it lives here; a JupyterHub deployment sets
# BORDERDESK_EXCHANGE to its shared folder (deploy/hub), so `nbgrader` and
# `borderdesk feedback` run in a hub terminal release to the learners' exchange.
if os.environ.get("BORDERDESK_EXCHANGE"):
    c.Exchange.root = os.environ["BORDERDESK_EXCHANGE"]
else:
    c.Exchange.root = str(AUTOGRADER / "exchange")
    (AUTOGRADER / "exchange").mkdir(exist_ok=True)  # nbgrader expects it to exist

# An unanswered question must say so, not raise a bare NotImplementedError.
c.ClearSolutions.code_stub = {
    "python": ('# YOUR CODE HERE\nraise NotImplementedError("Not attempted yet: replace this line with your answer.")')
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Notebooks import pandas and matplotlib; give slow machines room.
c.ExecutePreprocessor.timeout = 120

# Feedback is rendered from the autograded notebook, which holds the hidden tests
# again; nbgrader's default feedback shows them. HideHiddenTests clears them and
# the tracebacks that would quote them.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "borderdesk.grading.hide_hidden_tests.HideHiddenTests",
]
