"""The chapter manifest (course/chapters.yaml): what it holds, and how a wrong entry is reported."""

from __future__ import annotations

import pytest
from conftest import REPO

from borderdesk.chapters import ManifestError, assignments, chapter, chapters, manifest, ready_chapters


def test_the_manifest_lists_six_chapters_in_order():
    listed = chapters(REPO)
    assert [c.number for c in listed] == [0, 1, 2, 3, 4, 5]
    assert [c.slug for c in ready_chapters(REPO)] == [
        "00_start_here",
        "01_platform_rules",
        "02_language",
        "03_cross_cultural",
        "04_complaints",
        "05_data_driven",
    ]
    assert assignments(REPO) == [
        "01_platform_rules",
        "02_language",
        "03_cross_cultural",
        "04_complaints",
        "05_data_driven",
    ]


@pytest.mark.parametrize("chapter_entry", ready_chapters(REPO), ids=lambda c: c.slug)
def test_a_ready_chapter_names_files_that_exist(chapter_entry):
    for lesson in chapter_entry.lesson:
        assert (REPO / lesson).is_file(), f"{chapter_entry.slug}: lesson {lesson} is missing"
    if chapter_entry.drills:
        assert (REPO / chapter_entry.drills).is_file(), f"{chapter_entry.slug}: drills {chapter_entry.drills} missing"
    if chapter_entry.assignment:
        assert (REPO / chapter_entry.assignment_notebook()).is_file()
        assert (REPO / "solutions" / chapter_entry.assignment / f"{chapter_entry.assignment}.ipynb").is_file()


@pytest.mark.parametrize("key", ["01_platform_rules", 1, "1", "01"])
def test_a_chapter_is_found_by_slug_number_or_assignment(key):
    assert chapter(key, REPO).slug == "01_platform_rules"


def test_an_unknown_chapter_lists_the_known_ones():
    with pytest.raises(ManifestError, match=r"no chapter '07' in course/chapters.yaml; known: 00_start_here, "):
        chapter("07", REPO)


GOOD = """\
chapters:
  - {number: 0, slug: 00_intro, title: Intro, title_zh: 介绍, status: ready, lesson: [course/00_intro.ipynb],
     minutes: 20}
"""


@pytest.mark.parametrize(
    "text, message",
    [
        (GOOD.replace("minutes: 20", "minutes: 20, colour: red"), "chapter '00_intro': field 'colour': Extra inputs"),
        (GOOD.replace("slug: 00_intro", "slug: 03_intro"), "does not start with the chapter number 00"),
        (GOOD.replace("slug: 00_intro", "slug: Intro"), "slug 'Intro' must look like 01_platform_rules"),
        (GOOD.replace("lesson: [course/00_intro.ipynb],", ""), "a ready chapter needs `lesson`"),
        (GOOD.replace("status: ready", "status: draft"), "field 'status': Input should be 'ready' or 'coming'"),
        (
            GOOD + "  - {number: 0, slug: 00_again, title: Again, title_zh: 再次, status: coming}\n",
            "in order of number",
        ),
        ("chapters: [", "course/chapters.yaml is not valid YAML"),
        ("- just a list", "must be a mapping with a `chapters:` list"),
    ],
)
def test_a_wrong_manifest_names_the_chapter_field_and_problem(tmp_path, text, message):
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "chapters.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        manifest(tmp_path)
    assert message in str(err.value)


def test_the_good_example_loads(tmp_path):
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "chapters.yaml").write_text(GOOD, encoding="utf-8")
    (only,) = chapters(tmp_path)
    assert (only.slug, only.lesson, only.assignment, only.datasets) == (
        "00_intro",
        ("course/00_intro.ipynb",),
        None,
        (),
    )


def test_a_missing_manifest_says_how_to_restore_it(tmp_path):
    with pytest.raises(ManifestError, match=r"chapters.yaml is missing; restore it with `git checkout -- course/"):
        manifest(tmp_path)
