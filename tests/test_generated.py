"""Generated parts (README chapter table, lesson navigation, glossary page) match their sources."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, copy_course, set_chapter

from borderdesk import generated
from borderdesk.chapters import chapters, ready_chapters
from borderdesk.drills import load_file

LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def test_nothing_generated_has_drifted():
    drifted = [f"{p.path} ({p.what})" for p in generated.drift(REPO)]
    assert not drifted, f"out of date: {', '.join(drifted)}; run `borderdesk check --fix` and commit the result"


@pytest.fixture
def course(tmp_path):
    root = copy_course(tmp_path / "course", "course")
    shutil.copy(REPO / "README.md", root)
    return root


def test_readme_table_lists_every_chapter_from_the_manifest(course):
    table = generated.readme_table(course)
    rows = [line for line in table.splitlines() if line.startswith("| 0")]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == [c.name for c in chapters(REPO)]
    for c in chapters(REPO):
        assert (f"| {c.name} | | coming | | |" in rows) == (c.status == "coming"), f"{c.name}: listed as {c.status}"
    assert rows[1].endswith(
        "| [`course/01_platform_rules/1_account_health.ipynb`](course/01_platform_rules/1_account_health.ipynb), "
        "[`course/01_platform_rules/2_disputes.ipynb`](course/01_platform_rules/2_disputes.ipynb), "
        "[`course/01_platform_rules/3_b2b_inquiries.ipynb`](course/01_platform_rules/3_b2b_inquiries.ipynb) "
        f"| {len(load_file(REPO / 'course' / 'drills' / '01_platform_rules.yaml'))} "
        "| [`exercises/01_platform_rules/`](exercises/01_platform_rules) |"
    )


def test_a_hand_edited_readme_table_is_drift_and_fix_restores_it(course):
    readme = course / "README.md"
    committed = readme.read_text(encoding="utf-8")
    readme.write_text(re.sub(r"\| \d+ \| \[`exercises/01", "| 0 | [`exercises/01", committed), encoding="utf-8")
    assert [(str(p.path), p.what) for p in generated.drift(course)] == [("README.md", "README chapter table")]
    generated.fix(course)
    assert readme.read_text(encoding="utf-8") == committed
    assert generated.drift(course) == []


def test_readme_without_its_heading_says_where_the_table_goes(course):
    readme = course / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("## Chapters\n", "## Chapter list\n"))
    with pytest.raises(generated.BorderDeskError, match="README.md has no `## Chapters` heading"):
        generated.drift(course)


@pytest.mark.parametrize("lesson", [p for c in ready_chapters(REPO) for p in c.lesson])
def test_each_lesson_ends_with_its_navigation_and_every_link_resolves(lesson):
    nb = nbformat.read(REPO / lesson, as_version=4)
    navigation = [c for c in nb.cells if generated.is_navigation(c)]
    assert len(navigation) == 1 and nb.cells[-1] is navigation[0], f"{lesson}: the navigation cell must be the last"
    assert generated.NAV_TAG in nb.cells[-1].metadata["tags"]
    # every link in the lesson (navigation and prose) opens a file of the course
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for text, target in LINK.findall(cell.source):
            if "://" in target or target.startswith("#"):
                continue
            assert (REPO / lesson).parent.joinpath(target).resolve().exists(), (
                f"{lesson} cell {cell.id}: link {text!r} points to {target}, which does not exist"
            )


def test_navigation_links_neighbours_assignment_and_glossary_and_names_coming_chapters(course):
    for later in ("02_language", "03_cross_cultural", "04_complaints", "05_data_driven"):  # no later chapter is ready
        set_chapter(course, later, status="coming")
    source = generated.navigation_source("course/01_platform_rules/3_b2b_inquiries.ipynb", course)
    assert (
        "- Previous: [01 · Platform rules and B2B inquiries" in source and "(part 2 of 3)](2_disputes.ipynb)" in source
    )
    assert "](../00_start_here.ipynb)" in source, "the chapter list links chapter 00's first lesson"
    assert "- Next: 02 · Language for service · 客服语言, coming soon" in source, (
        "a coming chapter is named, not linked"
    )
    assert "](../../exercises/01_platform_rules/01_platform_rules.ipynb)" in source
    assert "[Glossary · 术语表](../glossary.ipynb)" in source
    first_part = generated.navigation_source("course/01_platform_rules/1_account_health.ipynb", course)
    assert "- Previous: [00 · Start here" in first_part
    assert (
        "- Next: [01 · Platform rules and B2B inquiries" in first_part
        and "(part 2 of 3)](2_disputes.ipynb)" in first_part
    )
    assert "- 02 · Language for service · 客服语言 (coming)" in source
    first = generated.navigation_source("course/00_start_here.ipynb", course)
    assert "Previous" not in first and "This chapter has no graded assignment." in first


def test_regeneration_replaces_the_navigation_cell_and_keeps_the_others(course):
    lesson = course / "course" / "00_start_here.ipynb"
    nb = nbformat.read(lesson, as_version=4)
    others = [c.source for c in nb.cells if not generated.is_navigation(c)]
    # a stale navigation cell, moved up by an editor
    stale = nb.cells.pop()
    stale.source = "old links"
    nb.cells.insert(3, stale)
    nbformat.write(nb, lesson)
    assert [str(p.path) for p in generated.drift(course)] == ["course/00_start_here.ipynb"]
    generated.fix(course)
    fixed = nbformat.read(lesson, as_version=4)
    assert [c.source for c in fixed.cells[:-1]] == others
    assert fixed.cells[-1].source == generated.navigation_source("course/00_start_here.ipynb", course)
    assert lesson.read_bytes() == (REPO / "course" / "00_start_here.ipynb").read_bytes()


def test_a_lesson_without_navigation_gets_one(course):
    lesson = course / "course" / "01_platform_rules" / "2_disputes.ipynb"
    nb = nbformat.read(lesson, as_version=4)
    nb.cells = [c for c in nb.cells if not generated.is_navigation(c)]
    nbformat.write(nb, lesson)
    generated.fix(course)
    assert lesson.read_bytes() == (REPO / "course" / "01_platform_rules" / "2_disputes.ipynb").read_bytes()


def test_glossary_page_has_every_term_and_links_its_chapter():
    from borderdesk.glossary import terms

    nb = nbformat.read(REPO / generated.GLOSSARY_PAGE, as_version=4)
    table = nb.cells[1].source
    for t in terms(REPO):
        assert f"**{t.term}**" in table and t.zh in table and t.definition in table
    assert "| **order defect rate** (ODR) | 订单缺陷率 |" in table
    assert "[01](01_platform_rules/1_account_health.ipynb)" in table, "a term links its chapter's first part"
    for _, target in LINK.findall(table):
        assert (REPO / "course" / target).is_file(), target


def test_a_new_glossary_term_makes_the_page_drift(course):
    path = course / "course" / "glossary" / "00_start_here.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  - {term: zebra rate, zh: 斑马率, definition: A made-up rate for this test.}\n",
        encoding="utf-8",
    )
    assert [str(p.path) for p in generated.drift(course)] == ["course/glossary.ipynb"]
    generated.fix(course)
    page = nbformat.read(course / generated.GLOSSARY_PAGE, as_version=4)
    assert page.cells[1].source.splitlines()[-1] == (
        "| **zebra rate** | 斑马率 | A made-up rate for this test. | [00](00_start_here.ipynb) |"
    )


def test_unknown_lesson_is_an_error():
    with pytest.raises(generated.BorderDeskError, match="is not the lesson of a ready chapter"):
        generated.navigation_source(str(Path("course") / "99_none.ipynb"), REPO)


def test_navigation_of_a_chapter_in_parts_links_part_to_part(course):
    set_chapter(
        course,
        "02_language",
        status="ready",
        minutes=60,
        lesson=["course/02_language/1_tone.ipynb", "course/02_language/2_templates.ipynb"],
    )
    for later in ("03_cross_cultural", "04_complaints", "05_data_driven"):
        set_chapter(course, later, status="coming")
    first = generated.navigation_source("course/02_language/1_tone.ipynb", course)
    assert "- Previous: [01 · Platform rules" in first and "](../01_platform_rules/3_b2b_inquiries.ipynb)" in first
    assert "- Next: [02 · Language for service · 客服语言 (part 2 of 2)](2_templates.ipynb)" in first
    assert "[Glossary · 术语表](../glossary.ipynb)" in first
    second = generated.navigation_source("course/02_language/2_templates.ipynb", course)
    assert "- Previous: [02 · Language for service · 客服语言 (part 1 of 2)](1_tone.ipynb)" in second
    assert "- Next: 03 · Cross-cultural cues · 跨文化沟通, coming soon" in second
    nav01 = generated.navigation_source("course/01_platform_rules/3_b2b_inquiries.ipynb", course)
    assert "- Next: [02 · Language for service · 客服语言 (part 1 of 2)](../02_language/1_tone.ipynb)" in nav01
