"""The body as paragraphs: hard-wrapped lines joined, each tied to its structure item.

Extractors that read running text (prose assignments, deadlines, indicators) walk
the same paragraphs: each knows the file lines it spans (so a quote can be traced
to its line), the item it belongs to, the item's ancestors and its sentences.

>>> paras = outline(["1. Sở Y tế:", "", "- Báo cáo trước ngày 15/12. Gửi Sở Tư pháp."])
>>> [(s.line_start, s.text) for s in paras[1].sentences()]
[(3, '- Báo cáo trước ngày 15/12.'), (3, 'Gửi Sở Tư pháp.')]
>>> paras[1].headings()
['Sở Y tế:']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from obligraph.loaders.normalise import clean
from obligraph.loaders.structure import Item, paragraphs, segment


@dataclass
class Sentence:
    """A sentence of a paragraph with the file lines it spans."""

    text: str
    line_start: int
    line_end: int


@dataclass
class Para:
    """One paragraph of the body (hard-wrapped lines joined), tied to its structure item."""

    line_start: int
    line_end: int
    text: str
    offsets: list[tuple[int, int]]  # (offset in text where a file line starts, line number)
    item: Item | None = None
    first: bool = False  # this paragraph opens its item (carries the marker)
    ordinal: int = 1  # position among the paragraphs of its item
    body_start: int = 0  # offset of the text after the marker
    ancestors: list[Item] = field(default_factory=list)  # nearest first

    @property
    def body(self) -> str:
        return self.text[self.body_start :]

    @property
    def section(self) -> str:
        return self.item.section if self.item is not None else ""

    def line_at(self, offset: int) -> int:
        line = self.line_start
        for start, number in self.offsets:
            if start <= offset:
                line = number
            else:
                break
        return line

    def span(self, start: int, end: int) -> tuple[int, int]:
        """File lines covered by ``text[start:end]``."""
        return self.line_at(start), self.line_at(max(start, end - 1))

    def sentences(self) -> list[Sentence]:
        out: list[Sentence] = []
        pos = 0
        for match in re.finditer(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", self.text):
            out.append(self._sentence(pos, match.start()))
            pos = match.end()
        out.append(self._sentence(pos, len(self.text)))
        return [s for s in out if s.text]

    def _sentence(self, start: int, end: int) -> Sentence:
        a, b = self.span(start, end)
        return Sentence(self.text[start:end].strip(), a, b)

    def headings(self) -> list[str]:
        """Titles of the enclosing items, nearest first (the item itself when not first)."""
        out = []
        if self.item is not None and not self.first:
            out.append(self.item.title)
        out.extend(a.title for a in self.ancestors)
        return out


def outline(lines: list[str], items: list[Item] | None = None, cleaned: Any = None) -> list[Para]:
    """The body paragraphs of a document, each with its item and line offsets.

    >>> paras = outline(["1. Sở Y tế:", "", "- Hướng dẫn chuyên môn", "cho các đơn vị."])
    >>> [(p.line_start, p.line_end, p.body, p.section) for p in paras]
    [(1, 1, 'Sở Y tế:', '1'), (3, 4, 'Hướng dẫn chuyên môn cho các đơn vị.', '1 / -')]
    """
    cleaned = cleaned if cleaned is not None else clean(lines)
    items = items if items is not None else segment(cleaned)
    by_line: dict[int, Item] = {}
    for item in items:
        for n in item.lines:
            by_line.setdefault(n, item)
    out: list[Para] = []
    seen: dict[int, int] = {}
    for start, end, text in paragraphs(cleaned):
        offsets: list[tuple[int, int]] = []
        pos = 0
        for n in range(start, end + 1):
            piece = cleaned.lines[n - 1].strip()
            if piece:
                offsets.append((pos, n))
                pos += len(piece) + 1
        item = by_line.get(start)
        prev = out[-1] if out else None
        if (
            prev is not None
            and item is not None
            and prev.item is item
            and item.line_start != start
            and not prev.text.rstrip().endswith((".", ";", ":", "!", "?"))
        ):
            # a hard-wrapped line the segmenter took for a new paragraph ("(thông qua" / "Cục ...")
            shift = len(prev.text) + 1
            prev.offsets.extend((o + shift, n) for o, n in offsets)
            prev.text = f"{prev.text} {text}"
            prev.line_end = end
            continue
        para = Para(start, end, text, offsets, item)
        if item is not None:
            para.first = item.line_start == start
            seen[item.index] = seen.get(item.index, 0) + 1
            para.ordinal = seen[item.index]
            if para.first:
                at = text.find(item.title) if item.title else len(text)
                para.body_start = at if at >= 0 else 0
            anc = items[item.parent] if item.parent is not None else None
            while anc is not None:
                para.ancestors.append(anc)
                anc = items[anc.parent] if anc.parent is not None else None
        out.append(para)
    return out
