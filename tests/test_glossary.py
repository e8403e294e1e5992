"""The course glossary (course/glossary.yaml): its format, and that lessons' key terms are in it."""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO

from borderdesk import glossary
from borderdesk.chapters import ready_chapters
from borderdesk.glossary import GlossaryError, check_lesson, load_glossary, lookup, marked_terms


def test_glossary_loads_and_keys_every_name_casefolded():
    g = load_glossary(REPO)
    assert g["odr"] is g["order defect rate"]
    assert g["odr"].zh == "订单缺陷率" and g["odr"].chapter == "01_platform_rules"
    assert lookup("Order Defect Rate", REPO).term == "order defect rate"
    assert lookup("  FCR ", REPO).term == "first contact resolution"
    with pytest.raises(GlossaryError, match=r"'no such term' is not in course/glossary.yaml; add it there"):
        lookup("no such term", REPO)


@pytest.mark.parametrize("chapter", ready_chapters(REPO), ids=lambda c: c.slug)
def test_every_key_term_a_lesson_marks_is_in_the_glossary(chapter):
    problems = [p for lesson in chapter.lesson for p in check_lesson(REPO / lesson, REPO)]
    assert not problems, "add these terms to course/glossary.yaml:\n" + "\n".join(map(str, problems))


def test_every_ready_chapter_has_glossary_terms():
    taught = {t.chapter for t in glossary.terms(REPO)}
    for chapter in ready_chapters(REPO):
        assert chapter.slug in taught, f"course/glossary.yaml has no term for chapter {chapter.slug}"


@pytest.mark.parametrize(
    "markdown, expected",
    [
        ("**First reply time (首次响应时间)** | time", [("First reply time", "首次响应时间")]),
        ("| **Order defect rate** (订单缺陷率, ODR) |", [("Order defect rate", "订单缺陷率, ODR")]),
        ("a B2B *inquiry (询盘)* arrives", [("inquiry", "询盘")]),
        ("**First contact resolution, FCR (首次联系解决率)**", [("First contact resolution", "首次联系解决率")]),
        (
            "**RFQ (request for quotation, 采购直达 / 报价请求).** On",
            [("RFQ", "request for quotation, 采购直达 / 报价请求")],
        ),
        ("plain inquiries (询盘) are a translation, not a mark", []),
        ("## 3. Disputes (纠纷)", []),
        ("the *seller* (not the product review, 商品评论)", []),  # italics then an aside
        ("**Validate** (any English aside)", []),
        ("**Skills (技能)** and **Attitude (态度)**", [("Skills", "技能"), ("Attitude", "态度")]),
    ],
)
def test_marked_terms_follow_the_documented_pattern(markdown, expected):
    assert [(m.term, m.zh) for m in marked_terms(markdown)] == expected


def test_check_names_term_lesson_and_cell(tmp_path):
    import nbformat

    (tmp_path / "course").mkdir()
    shutil.copy(REPO / "course" / "glossary.yaml", tmp_path / "course")
    shutil.copy(REPO / "course" / "chapters.yaml", tmp_path / "course")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("A **widget rate (小部件率)** is new.", id="c-new"),
        nbformat.v4.new_markdown_cell("The **Order defect rate** (缺陷率) differs.", id="c-zh"),
        nbformat.v4.new_markdown_cell("The **Order defect rate** (订单缺陷率) is known.", id="c-ok"),
    ]
    lesson = tmp_path / "course" / "lesson.ipynb"
    nbformat.write(nb, lesson)
    problems = [str(p) for p in check_lesson(lesson, tmp_path)]
    assert problems == [
        "course/lesson.ipynb cell c-new: '**widget rate (小部件率)**': 'widget rate' is not in course/glossary.yaml",
        "course/lesson.ipynb cell c-zh: '**Order defect rate** (缺陷率)': the glossary's Chinese for "
        "'order defect rate' is '订单缺陷率', which the lesson does not use; make them agree",
    ]


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            "{term: x-rate, zh: 率, definition: A rate of things., chapter: 01_platform_rules, colour: red}",
            "term 'x-rate': field 'colour': Extra inputs are not permitted",
        ),
        (
            "{term: x-rate, zh: rate, definition: A rate of things., chapter: 01_platform_rules}",
            "term 'x-rate': field 'zh': 'rate' has no Chinese characters",
        ),
        (
            "{term: x-rate, zh: 率, definition: A rate of things, chapter: 01_platform_rules}",
            "term 'x-rate': field 'definition': must be a sentence ending with a full stop",
        ),
        (
            "{term: x-rate, zh: 率, definition: A rate of things., chapter: 09_nowhere}",
            "term 'x-rate': chapter '09_nowhere' is not in course/chapters.yaml; use one of 00_start_here",
        ),
        (
            "{term: ODR, zh: 率, definition: A rate of things., chapter: 01_platform_rules}",
            "'ODR' (in term 'ODR') is already used by term 'order defect rate'",
        ),
        (
            "{term: Y, zh: 率, definition: A rate of things., chapter: 01_platform_rules, also: [order DEFECT rate]}",
            "'order DEFECT rate' (in term 'Y') is already used by term 'order defect rate'",
        ),
    ],
)
def test_a_wrong_entry_is_reported_with_term_field_and_fix(tmp_path, entry, message):
    (tmp_path / "course").mkdir()
    shutil.copy(REPO / "course" / "chapters.yaml", tmp_path / "course")
    text = (REPO / "course" / "glossary.yaml").read_text(encoding="utf-8")
    (tmp_path / "course" / "glossary.yaml").write_text(text + f"  - {entry}\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as err:
        load_glossary(tmp_path)
    assert str(err.value).startswith("course/glossary.yaml: ")
    assert message in str(err.value)


def test_a_missing_glossary_says_how_to_restore_it(tmp_path):
    with pytest.raises(GlossaryError, match="glossary.yaml is missing; restore it with `git checkout"):
        load_glossary(tmp_path)
