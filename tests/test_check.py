"""`borderdesk check`: a complete chapter passes; a broken one fails the right checks, saying what to fix."""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest
from conftest import REPO, copy_course, set_chapter

from borderdesk import check, cli, generated
from borderdesk.chapters import ready_chapters

LESSON = "course/01_platform_rules/3_b2b_inquiries.ipynb"  # the part that shows drill rfq-term
FIRST_PART = "course/01_platform_rules/1_account_health.ipynb"


def lines(results) -> list[str]:
    return [f"{r.scope}: {r}" for r in results]


def test_the_course_passes_every_check():
    results = check.run(root=REPO)
    assert results and all(r.ok for r in results), "\n".join(lines(r for r in results if not r.ok))
    assert {r.scope for r in results} == {c.slug for c in ready_chapters(REPO)} | {"course"}


def test_command_prints_one_line_per_check_and_exits_0(capsys, monkeypatch):
    monkeypatch.setenv("BORDERDESK_ROOT", str(REPO))
    assert cli.main(["check", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "01_platform_rules"
    assert "  ✓ dataset orders is registered, generated and documented" in out
    assert "  ✓ assignment in the shared suite (tests/assignments/01_platform_rules.py)" in out
    assert re.fullmatch(r"\d+ checks, 0 failed", out[-1])


def test_a_coming_chapter_needs_only_its_manifest_entry(tmp_path):
    root = copy_course(tmp_path / "course", "course")
    shutil.copy(REPO / "README.md", root)
    set_chapter(root, "03_cross_cultural", status="coming")
    assert lines(check.run("03_cross_cultural", root))[0] == (
        "03_cross_cultural: ✓ manifest entry (coming: nothing else is required yet)"
    )


def test_an_unknown_chapter_is_one_failing_check():
    (result,) = check.run("09", REPO)
    assert not result.ok and "no chapter '09' in course/chapters.yaml; known: 00_start_here" in str(result)


@pytest.fixture
def broken(tmp_path):
    """Chapter 01 in a course copy, broken in one way per check."""
    root = copy_course(tmp_path / "course", "course", "data", "solutions", "exercises", "tests/assignments")
    shutil.copy(REPO / "README.md", root)
    # manifest: a dataset nobody generates (no chapter's cases package has `widgets`)
    manifest = root / "course" / "chapters.yaml"
    manifest.write_text(manifest.read_text().replace("[inquiries, orders, disputes]", "[inquiries, orders, widgets]"))
    # datasets: orders undocumented, inquiries not generated
    readme = root / "data" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("### orders.csv\n", "### Orders\n"), encoding="utf-8")
    (root / "data" / "inquiries.csv").unlink()
    # lesson: an output, no sources, no 本章小结, stale navigation, an unknown key term, a drill not shown
    nb = nbformat.read(root / LESSON, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", text="hello\n")]
    code.execution_count = 1
    for cell in nb.cells:
        cell.source = re.sub(r"checked 20\d\d", "looked at", cell.source).replace("### 本章小结", "### Summary")
        cell.source = cell.source.replace('show("01_platform_rules", "rfq-term")', "pass")
    nb.cells[-1].source = "old links"
    nb.cells[2].source += "\n\nA **widget rate (小部件率)** is new."
    nbformat.write(nb, root / LESSON)
    # assignment: not released, not in the shared suite
    shutil.rmtree(root / "exercises" / "01_platform_rules")
    (root / "tests" / "assignments" / "01_platform_rules.py").unlink()
    # course-wide: a hand-edited README table
    readme_text = (REPO / "README.md").read_text(encoding="utf-8")
    (root / "README.md").write_text(re.sub(r"\| \d+ \| \[`exercises/01", "| 0 | [`exercises/01", readme_text))
    return root


def test_a_broken_chapter_fails_the_right_checks_with_the_right_messages(broken):
    failed = [line for line in lines(check.run("01_platform_rules", broken)) if "✗" in line]
    cell = nbformat.read(broken / LESSON, as_version=4).cells[2].id
    assert failed == [
        "01_platform_rules: ✗ dataset inquiries is registered, generated and documented: "
        "data/inquiries.csv is missing: run `borderdesk data`",
        "01_platform_rules: ✗ dataset orders is registered, generated and documented: "
        "data/README.md has no heading `### orders.csv`: describe its columns there, under the chapter's heading",
        "01_platform_rules: ✗ dataset widgets: not in the case-data registry: "
        "add a module defining DATASET under src/borderdesk/cases/c01_platform_rules/",
        "01_platform_rules: ✗ the chapter lists the datasets it generates: disputes belong to this chapter's "
        "cases package: add them to its `datasets` in course/chapters.yaml",
        f"01_platform_rules: ✗ lesson {LESSON} is committed clean: cells 1 ({nbformat.read(broken / LESSON, 4).cells[1].id})"
        " have outputs or execution counts: run Edit → Clear Outputs of All Cells, then save",
        f"01_platform_rules: ✗ lesson {LESSON} gives sources: "
        'no "checked 2026": state each rule and number with its source and year',
        f"01_platform_rules: ✗ lesson {LESSON} has a 本章小结 section: "
        "add a heading `### 本章小结` with a short Chinese summary",
        f"01_platform_rules: ✗ lesson {LESSON} ends with its navigation cell: "
        "missing or out of date: run `borderdesk check --fix`",
        f"01_platform_rules: ✗ lesson {LESSON}: key terms are in the glossary: {LESSON} cell {cell}: "
        "'**widget rate (小部件率)**': 'widget rate' is not in the glossary: "
        "add it to course/glossary/01_platform_rules.yaml (term, zh, definition)",
        "01_platform_rules: ✗ the lesson shows every drill: no lesson cell shows drill 'rfq-term': "
        "add `show('01_platform_rules', 'rfq-term')`",
        "01_platform_rules: ✗ assignment released in exercises/01_platform_rules/01_platform_rules.ipynb: "
        "missing: run `borderdesk release` and commit exercises/",
        "01_platform_rules: ✗ assignment in the shared suite (tests/assignments/01_platform_rules.py): "
        "missing: add tests/assignments/01_platform_rules.py with the assignment's known-wrong answers",
        "course: ✗ README chapter table (README.md) is up to date: out of date: run `borderdesk check --fix`",
    ]


def test_fix_regenerates_the_generated_parts_and_the_rest_still_fails(broken, capsys, monkeypatch):
    monkeypatch.setenv("BORDERDESK_ROOT", str(broken))
    assert cli.main(["check", "--fix", "01"]) == 1
    out = capsys.readouterr().out
    assert "regenerated README.md (README chapter table)" in out
    assert f"regenerated {LESSON} (navigation cell)" in out
    assert f"✓ lesson {LESSON} ends with its navigation cell" in out
    assert "✓ README chapter table (README.md) is up to date" in out
    assert f"✗ lesson {LESSON} gives sources" in out
    assert re.search(r"\n\d+ checks, 11 failed: fix the ✗ lines above\n$", out)
    assert generated.drift(broken) == []


@pytest.mark.parametrize(
    "content, problem",
    [
        (None, "missing: write it with the key terms the lesson teaches (format: course/glossary/README.md)"),
        ("terms: []\n", "has no terms: add the key terms the lesson teaches"),
    ],
)
def test_a_ready_chapter_needs_its_glossary_file_with_terms(tmp_path, content, problem):
    root = copy_course(tmp_path / "course", "course")
    shutil.copy(REPO / "README.md", root)
    file = root / "course" / "glossary" / "00_start_here.yaml"
    if content is None:
        file.unlink()
    else:
        file.write_text(content, encoding="utf-8")
    results = lines(check.run("00_start_here", root))
    assert f"00_start_here: ✗ glossary course/glossary/00_start_here.yaml: {problem}" in results
    assert "01_platform_rules: ✓ glossary course/glossary/01_platform_rules.yaml (55 terms)" in lines(
        check.run("01", root)
    )


@pytest.mark.parametrize(
    "opening, problem",
    [
        (
            "# 01\n\n**Time:** about 45 minutes.",
            "the parts' first cells say 45 + 30 + 30 = 105 minutes, course/chapters.yaml says 90: make them agree",
        ),
        ("# 01\n\nNo time given.", "the first cell should say `**Time:** about N minutes`, this part's time"),
    ],
)
def test_each_part_opens_with_its_time_and_the_parts_add_up_to_the_manifests(tmp_path, opening, problem):
    root = copy_course(tmp_path / "course", "course", "data")
    shutil.copy(REPO / "README.md", root)
    assert all(r.ok for r in check.run("01", root) if "time" in r.what or "minutes" in r.what)
    nb = nbformat.read(root / FIRST_PART, as_version=4)
    nb.cells[0].source = opening
    nbformat.write(nb, root / FIRST_PART)
    failed = [str(r) for r in check.run("01", root) if not r.ok and ("time" in r.what or "minutes" in r.what)]
    assert len(failed) == 1 and problem in failed[0], failed


def test_a_one_notebook_lesson_states_the_manifests_time(tmp_path):
    root = copy_course(tmp_path / "course", "course", "data")
    shutil.copy(REPO / "README.md", root)
    manifest = root / "course" / "chapters.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace(
            "      - course/01_platform_rules/2_disputes.ipynb\n      - course/01_platform_rules/3_b2b_inquiries.ipynb\n",
            "",
        ),
        encoding="utf-8",
    )
    (result,) = [r for r in check.run("01", root) if "opens with its time" in r.what]
    assert not result.ok
    assert "the first cell says 30 minutes, course/chapters.yaml says 90: make them agree" in str(result)
