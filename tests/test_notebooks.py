"""Every notebook is committed clean and runs headless from top to bottom."""

from __future__ import annotations

import nbformat
import pytest
from conftest import REPO, repo_notebooks
from nbgrader.nbgraderformat import MetadataValidator

from borderdesk.chapters import ready_chapters
from borderdesk.notebooks import execute

NOTEBOOKS = repo_notebooks()
IDS = [str(nb.relative_to(REPO)) for nb in NOTEBOOKS]
NOT_ATTEMPTED = "Not attempted yet"


def test_the_course_has_its_notebooks():
    """Every ready chapter's lesson(s), and its assignment in solutions/ and exercises/ (course/chapters.yaml)."""
    names = set(IDS)
    for chapter in ready_chapters(REPO):
        expected = [*chapter.lesson]
        if chapter.assignment:
            expected += [
                f"{folder}/{chapter.assignment}/{chapter.assignment}.ipynb" for folder in ("solutions", "exercises")
            ]
        for path in expected:
            assert path in names, f"{path} is missing (chapter {chapter.slug} in course/chapters.yaml)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) >= (4, 5), "needs nbformat 4.5 (cell ids)"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    for index, cell in enumerate(nb.cells):
        assert cell.get("id"), f"cell {index} has no id"
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {index} ({cell.id}) has outputs"
            assert cell.execution_count is None, f"cell {index} ({cell.id}) has an execution count"
    # Raises with the cell and the problem if nbgrader metadata is malformed.
    MetadataValidator().validate_nb(nb)


@pytest.mark.parametrize(
    "path",
    [nb for nb in NOTEBOOKS if "exercises" not in nb.parts],
    ids=[i for i in IDS if not i.startswith("exercises")],
)
def test_notebook_executes_headless(path):
    # Raises CellExecutionError, naming the cell, if any cell fails
    # (in solutions/ that includes every visible and hidden test).
    execute(path)


@pytest.mark.parametrize(
    "path",
    [nb for nb in NOTEBOOKS if "exercises" in nb.parts],
    ids=[i for i in IDS if i.startswith("exercises")],
)
def test_unanswered_exercise_only_says_not_attempted(path):
    nb = execute(path, allow_errors=True)
    errors = [
        (cell.id, out)
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "error"
    ]
    assert errors, "an unanswered exercise should fail its tests"
    for cell_id, out in errors:
        assert out.ename == "NotImplementedError" and NOT_ATTEMPTED in out.evalue, (
            f"cell {cell_id} fails with {out.ename}: {out.evalue}; an unanswered question "
            f"must only say '{NOT_ATTEMPTED}'"
        )
