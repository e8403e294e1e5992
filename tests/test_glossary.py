"""The course glossary (course/glossary/<chapter slug>.yaml): its format, and that lessons' key terms are in it."""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO, set_chapter

from borderdesk import generated
from borderdesk.chapters import chapters, ready_chapters
from borderdesk.glossary import (
    GlossaryError,
    chapter_terms,
    check_lesson,
    glossary_file,
    load_glossary,
    lookup,
    marked_terms,
    terms,
)


def test_glossary_loads_and_keys_every_name_casefolded():
    g = load_glossary(REPO)
    assert g["odr"] is g["order defect rate"]
    assert g["odr"].zh == "订单缺陷率" and g["odr"].chapter == "01_platform_rules"
    assert lookup("Order Defect Rate", REPO).term == "order defect rate"
    assert lookup("  FCR ", REPO).term == "first contact resolution"
    with pytest.raises(
        GlossaryError,
        match=r"'no such term' is not in the glossary: add it to the glossary file of the chapter that teaches it, "
        r"course/glossary/<chapter slug>.yaml",
    ):
        lookup("no such term", REPO)


def test_terms_come_chapter_by_chapter_in_manifest_order_with_the_chapter_from_the_file_name():
    order = [c.slug for c in chapters(REPO)]
    seen = [t.chapter for t in terms(REPO)]
    assert seen == sorted(seen, key=order.index)
    assert terms(REPO)[0].term == "customer-service agent" and terms(REPO)[0].chapter == "00_start_here"
    assert [t.term for t in chapter_terms("01_platform_rules", REPO)][:2] == [
        "B2C marketplace",
        "cross-border retail platform",
    ]


@pytest.mark.parametrize("chapter", ready_chapters(REPO), ids=lambda c: c.slug)
def test_every_key_term_a_lesson_marks_is_in_the_glossary(chapter):
    problems = [p for lesson in chapter.lesson for p in check_lesson(REPO / lesson, REPO)]
    assert not problems, f"add these terms to {glossary_file(chapter.slug)}:\n" + "\n".join(map(str, problems))


@pytest.mark.parametrize("chapter", ready_chapters(REPO), ids=lambda c: c.slug)
def test_every_ready_chapter_has_its_glossary_file_with_terms(chapter):
    assert (REPO / glossary_file(chapter.slug)).is_file(), f"{glossary_file(chapter.slug)} is missing"
    assert chapter_terms(chapter.slug, REPO), f"{glossary_file(chapter.slug)} has no terms"


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


@pytest.fixture
def course(tmp_path):
    """A course copy with the manifest and the glossary files."""
    (tmp_path / "course").mkdir()
    shutil.copy(REPO / "course" / "chapters.yaml", tmp_path / "course")
    shutil.copytree(REPO / "course" / "glossary", tmp_path / "course" / "glossary")
    return tmp_path


def test_check_names_term_lesson_cell_and_the_chapters_file(course):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("A **widget rate (小部件率)** is new.", id="c-new"),
        nbformat.v4.new_markdown_cell("The **Order defect rate** (缺陷率) differs.", id="c-zh"),
        nbformat.v4.new_markdown_cell("The **Order defect rate** (订单缺陷率) is known.", id="c-ok"),
        nbformat.v4.new_markdown_cell("A **KPI (关键绩效指标)**, taught by chapter 00, is known here too.", id="c-00"),
    ]
    lesson = course / "course" / "01_platform_rules" / "1_account_health.ipynb"  # chapter 01's first part
    lesson.parent.mkdir()
    nbformat.write(nb, lesson)
    problems = [str(p) for p in check_lesson(lesson, course)]
    assert problems == [
        "course/01_platform_rules/1_account_health.ipynb cell c-new: '**widget rate (小部件率)**': 'widget rate' is not in the "
        "glossary: add it to course/glossary/01_platform_rules.yaml (term, zh, definition)",
        "course/01_platform_rules/1_account_health.ipynb cell c-zh: '**Order defect rate** (缺陷率)': the glossary's Chinese for "
        "'order defect rate' is '订单缺陷率', which the lesson does not use; make them agree",
    ]


@pytest.mark.parametrize(
    "file, entry, message",
    [
        (
            "01_platform_rules",
            "{term: x-rate, zh: 率, definition: A rate of things., colour: red}",
            "term 'x-rate': field 'colour': Extra inputs are not permitted",
        ),
        (
            "01_platform_rules",
            "{term: x-rate, zh: rate, definition: A rate of things.}",
            "term 'x-rate': field 'zh': 'rate' has no Chinese characters",
        ),
        (
            "01_platform_rules",
            "{term: x-rate, zh: 率, definition: A rate of things}",
            "term 'x-rate': field 'definition': must be a sentence ending with a full stop",
        ),
        (
            "01_platform_rules",
            "{term: x-rate, zh: 率, definition: A rate of things., chapter: 01_platform_rules}",
            "term 'x-rate': remove `chapter:`; the chapter comes from the file's name",
        ),
        (
            "01_platform_rules",
            "{term: ODR, zh: 率, definition: A rate of things.}",
            "'ODR' (in term 'ODR') is already used by term 'order defect rate'; a term or `also` form may appear only once",
        ),
        (  # across files: chapter 00 is read first, so chapter 01's own term is the duplicate
            "00_start_here",
            "{term: Y, zh: 率, definition: A rate of things., also: [order DEFECT rate]}",
            "'order defect rate' (in term 'order defect rate') is already used by term 'Y' "
            "in course/glossary/00_start_here.yaml",
        ),
    ],
)
def test_a_wrong_entry_is_reported_with_file_term_field_and_fix(course, file, entry, message):
    path = course / glossary_file(file)
    path.write_text(path.read_text(encoding="utf-8") + f"  - {entry}\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as err:
        load_glossary(course)
    assert str(err.value).startswith("course/glossary/01_platform_rules.yaml: ")  # where the problem is found
    assert message in str(err.value)


def test_a_file_that_is_not_a_mapping_names_the_file(course):
    (course / glossary_file("00_start_here")).write_text("- term: x\n", encoding="utf-8")
    with pytest.raises(
        GlossaryError, match=r"^course/glossary/00_start_here.yaml must be a mapping with a `terms:` list"
    ):
        load_glossary(course)


@pytest.mark.parametrize("name", ["07_extra.yaml", "01_platform_rules.yml", "glossary.yaml"])
def test_a_yaml_file_not_named_after_a_chapter_is_an_error(course, name):
    (course / "course" / "glossary" / name).write_text("terms: []\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as err:
        load_glossary(course)
    assert str(err.value) == (
        f"course/glossary/{name} is not named after a chapter of course/chapters.yaml: name it <chapter slug>.yaml, "
        f"one of {', '.join(c.slug + '.yaml' for c in chapters(REPO))}"
    )
    assert "00_start_here.yaml, 01_platform_rules.yaml, 02_language.yaml" in str(err.value)


def test_a_new_chapters_glossary_file_is_picked_up_without_touching_any_other_file(course):
    """A chapter not written yet adds its terms: one new file, nothing else edited (the page is regenerated)."""
    set_chapter(course, chapters(course)[-1].slug, status="coming")  # every chapter may be ready by now
    new_chapter = next(c for c in chapters(course) if c.status == "coming")
    new = course / "course" / "glossary" / f"{new_chapter.slug}.yaml"
    new.unlink(missing_ok=True)
    before = {p.relative_to(course): p.read_bytes() for p in course.rglob("*") if p.is_file()}
    new.write_text(
        "terms:\n"
        "  - term: tone of voice\n"
        "    zh: 语气\n"
        "    definition: How a reply sounds to the buyer, from warm to curt.\n"
        "    also: [tone]\n",
        encoding="utf-8",
    )
    assert lookup("Tone", course).chapter == new_chapter.slug
    order = [c.slug for c in chapters(course)]
    listed = [order.index(t.chapter) for t in terms(course)]
    assert listed == sorted(listed), "terms are listed in chapter order"
    assert [t.term for t in chapter_terms(new_chapter.slug, course)] == ["tone of voice"]
    page = generated.glossary_notebook(course).cells[1].source  # what `borderdesk check --fix` writes
    row = (
        f"| **tone of voice** | 语气 | How a reply sounds to the buyer, from warm to curt. | {new_chapter.number:02d} |"
    )
    assert row in page.splitlines()
    after = {p.relative_to(course): p.read_bytes() for p in course.rglob("*") if p.is_file()}
    assert set(after) - set(before) == {new.relative_to(course)}
    assert all(after[p] == before[p] for p in before)


def test_a_missing_glossary_folder_says_how_to_restore_it(tmp_path):
    with pytest.raises(GlossaryError, match=r"glossary is missing; restore it with `git checkout -- course/glossary`"):
        load_glossary(tmp_path)
