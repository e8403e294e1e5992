"""Print the average English sentence length (words per sentence) of lesson notebooks.

    python benchmarks/sentence_length.py course/01_platform_rules/*.ipynb

The course aims at about 15 words a sentence for intermediate readers. What is counted:
the prose of the markdown cells, without the generated navigation cell, headings, table
rows, fenced code, quoted model replies (lines starting with ">") and lines that are mostly
Chinese (the 本章小结). A paragraph or list item is split into sentences by the reply
pre-check's splitter (borderdesk.reply_check.split_sentences): after ".", "!" or "?" and any
closing quote or markup, then a space, but not in a German date such as "9. Oktober"; a list
item without a final full stop counts as one sentence.
Words are runs of letters, digits, apostrophes and hyphens; inline code counts as a word.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import nbformat

from borderdesk.reply_check import split_sentences

CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-.,%]*")
BLOCK_START = re.compile(r"^\s*(?:[-*]|\d+\.)\s+")


def prose_blocks(markdown: str) -> list[str]:
    """Paragraphs and list items of a markdown cell, as plain text."""
    markdown = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    blocks, current = [], []
    for line in markdown.splitlines():
        stripped = line.strip()
        mostly_chinese = len(CJK.findall(stripped)) > len(stripped) / 4
        skip = stripped.startswith(("#", "|", ">", "<")) or mostly_chinese
        if not stripped or skip or BLOCK_START.match(line):
            if current:
                blocks.append(" ".join(current))
            current = [BLOCK_START.sub("", line).strip()] if BLOCK_START.match(line) and not skip else []
            continue
        current.append(stripped)
    if current:
        blocks.append(" ".join(current))
    return [b for b in blocks if b]


def sentences(markdown: str) -> list[list[str]]:
    """The sentences of a markdown cell, each as its list of words."""
    out = []
    for block in prose_blocks(markdown):
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", block)  # a link counts as its text
        for sentence in split_sentences(text):
            words = WORD.findall(sentence)
            if words:
                out.append(words)
    return out


def measure(path: Path) -> tuple[int, int]:
    """(sentences, words) of a notebook's lesson prose."""
    nb = nbformat.read(path, as_version=4)
    cells = [
        c
        for c in nb.cells
        if c.cell_type == "markdown" and c.get("metadata", {}).get("borderdesk", {}).get("generated") != "navigation"
    ]
    found = [s for c in cells for s in sentences(c.source)]
    return len(found), sum(len(s) for s in found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args()
    total_s = total_w = 0
    print(f"{'notebook':55} {'sentences':>9} {'words':>7} {'words/sentence':>15}")
    for path in args.notebooks:
        n, w = measure(path)
        total_s, total_w = total_s + n, total_w + w
        print(f"{str(path):55} {n:9d} {w:7d} {w / max(n, 1):15.1f}")
    if len(args.notebooks) > 1:
        print(f"{'all':55} {total_s:9d} {total_w:7d} {total_w / max(total_s, 1):15.1f}")


if __name__ == "__main__":
    main()
