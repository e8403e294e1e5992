"""The Chinese 操作指南 (course/guide_zh.ipynb): reachable from chapter 00 and the README, covers what a
first-time learner trips on, and writes Chinese with full-width punctuation, as chapter 00's 本章小结 do."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import REPO

from borderdesk import generated
from borderdesk.chapters import chapter

GUIDE = "course/guide_zh.ipynb"
CJK = r"[\u3400-\u9fff]"
# ASCII punctuation touching a Chinese character: "运行,然后" or "提示(即时)".
HALF_WIDTH = re.compile(rf"{CJK}[,:;!?()]|[,:;!?(]{CJK}")
# What may keep ASCII: inline code, and a key term's gloss in an English sentence, "cells (单元格)".
EXEMPT = re.compile(r"`[^`]*`|[A-Za-z*_]\s\([^()]*\)")


def markdown(path: str) -> list[str]:
    """The Markdown cells of a notebook, without the generated navigation (its titles come from the manifest)."""
    cells = nbformat.read(REPO / path, as_version=4).cells
    return [c.source for c in cells if c.cell_type == "markdown" and not generated.is_navigation(c)]


def half_width_marks(text: str) -> list[str]:
    return [m.group() for m in HALF_WIDTH.finditer(EXEMPT.sub("", text))]


def test_the_guide_is_linked_from_chapter_00_and_the_readme():
    first = chapter("00_start_here", REPO).lesson[0]
    assert "](guide_zh.ipynb)" in markdown(first)[0], f"{first}'s first cell should link the 操作指南"
    assert f"]({GUIDE})" in (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "topic",
    ["Shift + Enter", "Busy", "Idle", "Restart Kernel", "Interrupt", "Validate", "Ctrl + S", "exercises/", "Hint"],
)
def test_the_guide_covers(topic):
    assert topic in "\n".join(markdown(GUIDE))


def test_the_guide_is_one_page_in_chinese():
    (page,) = markdown(GUIDE)
    chinese = len(re.findall(CJK, page))
    assert chinese > 0.5 * len(re.findall(r"[A-Za-z]", page)), "the guide should be mostly Chinese"
    assert len(page) < 6000, "one page: keep it short"


def test_half_width_marks_are_found_and_glosses_are_not():
    assert half_width_marks("每章:阅读课文,运行示例(即时反馈)") == ["章:", "文,", "例(", "馈)"]
    assert half_width_marks("A notebook is a list of **cells (单元格)**.") == []
    assert half_width_marks("请按 `Shift + Enter`：运行。") == []


@pytest.mark.parametrize("path", [GUIDE, *chapter("00_start_here", REPO).lesson])
def test_chinese_text_uses_full_width_punctuation(path):
    found = [marks for text in markdown(path) if (marks := half_width_marks(text))]
    assert not found, f"{path}: use ：，；（） in Chinese text, not {found}"
