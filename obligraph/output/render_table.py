"""Tables that fit a terminal: whole words wrapped, or one record per block when narrow.

A Vietnamese syllable is a word of its own ("Cục Trẻ em" is three), so a column
must never be narrower than the longest syllable it shows: Rich's ``fold`` cut
"triển" into "triể / n" and printed 44 rows in 2,529 lines at 80 columns. Here:

* every cell is wrapped at spaces; a token with no space (a file name, an IRI, a
  document number) may also break AFTER ``/ - _ . , ; : & ? = #``; only a piece
  longer than :data:`MAX_PIECE` characters (never a syllable) is cut inside;
* each column is at least as wide as its longest piece; the rest of the width is
  shared in proportion to what each column would need to show its longest cell
  on one line;
* when the columns cannot all get their minimum (too many for the terminal), or the
  table would take more lines than records would (squeezed columns turn a long text
  into a ribbon), the rows are printed one record per block, ``field: value`` lines,
  empty fields left out.

Pure text layout: part of the foundation, imports nothing of the project.

>>> print("\\n".join(render_lines(["unit", "role"], [["Cục Trẻ em", "lead"]], 40)))
unit        role
──────────  ────
Cục Trẻ em  lead
>>> print("\\n".join(render_lines(["unit", "text"], [["Cục Trẻ em", "Xây dựng tài liệu"]], 16,
...                               mode="records")))
── 1/1 ─────────
unit: Cục Trẻ em
text: Xây dựng
      tài liệu
>>> wrap("qd-406-ldtbxh-2020-ke-hoach.txt", 12)
['qd-406-', 'ldtbxh-2020-', 'ke-hoach.txt']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

#: A piece (between spaces and break characters) longer than this may be cut anywhere:
#: no Vietnamese syllable comes near it (the longest, "nghiêng", has 7 letters).
MAX_PIECE = 24
#: Space between two columns of a table.
GAP = "  "
_BREAK_AFTER = re.compile(r"(?<=[/\-_.,;:&?=#])")


def display_width(text: str) -> int:
    """Columns a text takes in a terminal (wide East Asian characters count 2).

    >>> display_width("Trẻ em"), display_width("Tre\\u0302\\u0300")
    (6, 3)
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def _pieces(word: str) -> list[str]:
    """A word split after its break characters (``a/b-c`` -> ``a/``, ``b-``, ``c``)."""
    return [p for p in _BREAK_AFTER.split(word) if p]


def _cut(piece: str, width: int) -> list[str]:
    """A piece cut into chunks of at most ``width`` columns (last resort)."""
    chunks, current = [], ""
    for ch in piece:
        if current and display_width(current + ch) > width:
            chunks.append(current)
            current = ""
        current += ch
    return [*chunks, current] if current else chunks


def min_width(text: str) -> int:
    """The narrowest column showing ``text`` without cutting a piece shorter than MAX_PIECE.

    >>> min_width("Ủy ban nhân dân"), min_width("annex-1-a"), min_width("x" * 40)
    (4, 6, 24)
    """
    widest = 0
    for word in text.split():
        for piece in _pieces(word):
            widest = max(widest, min(display_width(piece), MAX_PIECE))
    return widest


def natural_width(text: str) -> int:
    """The width of the longest line of ``text`` unwrapped."""
    return max((display_width(" ".join(line.split())) for line in text.splitlines()), default=0)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, breaking between words first.

    Line breaks inside ``text`` are kept; runs of spaces become one.

    >>> wrap("Xây dựng tài liệu và hướng dẫn", 10)
    ['Xây dựng', 'tài liệu', 'và hướng', 'dẫn']
    >>> wrap("", 5)
    ['']
    """
    width = max(width, 1)
    out: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            sep = " " if line else ""
            if display_width(line + sep + word) <= width:
                line += sep + word
                continue
            if display_width(word) <= width:
                out.append(line)
                line = word
                continue
            # a word wider than the column: break it after its break characters
            for n, piece in enumerate(_pieces(word)):
                joiner = sep if n == 0 else ""
                if display_width(line + joiner + piece) <= width:
                    line += joiner + piece
                    continue
                if line:
                    out.append(line)
                chunks = _cut(piece, width) if display_width(piece) > width else [piece]
                out.extend(chunks[:-1])
                line = chunks[-1]
        out.append(line)
    return out


@dataclass(frozen=True)
class Layout:
    """How a table is shown: ``"table"`` with column ``widths``, or ``"records"``."""

    mode: str
    widths: tuple[int, ...] = ()


def _share(minimum: list[int], natural: list[int], available: int) -> list[int]:
    """Widths from ``minimum`` up to ``natural``, extra space in proportion to the need."""
    widths = list(minimum)
    extra = available - sum(widths)
    while extra > 0:
        wanting = [i for i, w in enumerate(widths) if w < natural[i]]
        if not wanting:
            break
        need = sum(natural[i] - widths[i] for i in wanting)
        if need <= extra:
            for i in wanting:
                widths[i] = natural[i]
            break
        given = 0
        for i in wanting:
            add = (natural[i] - widths[i]) * extra // need
            widths[i] += add
            given += add
        if given == 0:  # rounding left everything at 0: one column each, neediest first
            for i in sorted(wanting, key=lambda i: widths[i] - natural[i])[:extra]:
                widths[i] += 1
            break
        extra -= given
    return widths


def layout(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> Layout:
    """A table when every column gets at least its longest piece; records otherwise.

    >>> layout(["a", "b"], [["xin chào", "tạm biệt"]], 80)
    Layout(mode='table', widths=(8, 8))
    >>> layout(["a", "b"], [["xin chào", "tạm biệt"]], 7).mode
    'records'
    """
    if not columns:
        return Layout("records")
    minimum = [min_width(c) for c in columns]
    natural = [natural_width(c) for c in columns]
    for row in rows:
        for i, value in enumerate(row):
            minimum[i] = max(minimum[i], min_width(value))
            natural[i] = max(natural[i], natural_width(value))
    available = width - display_width(GAP) * (len(columns) - 1)
    if sum(minimum) > available:
        return Layout("records")
    return Layout("table", tuple(_share(minimum, natural, available)))


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(width - display_width(text), 0)
    return space + text if right else text + space


def _numeric(values: Sequence[str]) -> bool:
    filled = [v for v in values if v]
    return bool(filled) and all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in filled)


def table_lines(
    columns: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
) -> list[str]:
    """The header, its rule and the rows wrapped to ``widths``; a blank line between
    rows when some row takes several lines."""
    right = [_numeric([r[i] for r in rows]) for i in range(len(columns))]

    def block(cells: Sequence[str]) -> list[str]:
        wrapped = [wrap(c, w) for c, w in zip(cells, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        lines = []
        for n in range(height):
            parts = [
                _pad(w[n] if n < len(w) else "", widths[i], right[i]) for i, w in enumerate(wrapped)
            ]
            lines.append(GAP.join(parts).rstrip())
        return lines

    out = block(columns)
    out.append(GAP.join("─" * w for w in widths))
    blocks = [block(row) for row in rows]
    spaced = any(len(b) > 1 for b in blocks)
    for n, lines in enumerate(blocks):
        if spaced and n:
            out.append("")
        out.extend(lines)
    return out


def record_lines(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """One block per row: a numbered rule, then ``field: value`` lines (empty ones left out)."""
    label_width = min(max((display_width(c) for c in columns), default=0) + 1, max(width // 3, 1))
    value_width = max(width - label_width - 1, 1)
    out: list[str] = []
    for n, row in enumerate(rows, 1):
        head = f"── {n}/{len(rows)} "
        out.append(head + "─" * max(width - display_width(head), 0))
        for column, value in zip(columns, row, strict=True):
            if not value.strip():
                continue
            label = _pad(column + ":", label_width)
            for k, line in enumerate(wrap(value, value_width)):
                out.append(((label if k == 0 else " " * label_width) + " " + line).rstrip())
    return out


def render_lines(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    mode: str = "auto",
) -> list[str]:
    """The rows as lines of at most ``width`` columns (``mode``: ``auto`` or ``records``)."""
    rows = [["" if v is None else str(v) for v in row] for row in rows]
    chosen = layout(columns, rows, width)
    if not rows:
        return table_lines(columns, rows, chosen.widths) if chosen.mode == "table" else []
    records = record_lines(columns, rows, width)
    if chosen.mode == "records" or mode == "records":
        return records
    table = table_lines(columns, rows, chosen.widths)
    # squeezed columns wrap a long text into a ribbon: then records read better
    return table if len(table) <= len(records) else records
