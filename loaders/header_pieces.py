"""The header block of a document, cut into pieces whatever the layout.

A Vietnamese official document opens with two columns: the issuing organ and
the number on the left, the national motto and the place and date on the right.
Users bring that block as separate lines, as TAB rows (a browser's or Word's
copy), as markdown pipe rows, or run together on one line, often with the
``-------`` rules of the original. :func:`header_pieces` cuts each line into
pieces (cells, then the parts a run-together cell holds) and drops the motto and
the rules, so the header parser classifies one piece at a time.

>>> [p.text for p in header_pieces(["ỦY BAN NHÂN DÂN TỈNH NGHỆ AN -------\\tCỘNG HÒA XÃ HỘI "
...     "CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------",
...     "Số: 980/KH-UBND\\tNghệ An, ngày 18 tháng 11 năm 2025"], 0, 2)]
['ỦY BAN NHÂN DÂN TỈNH NGHỆ AN', 'Số: 980/KH-UBND', 'Nghệ An, ngày 18 tháng 11 năm 2025']
>>> [p.text for p in header_pieces(
...     ["CHÍNH PHỦ_______ Số: 172/2025/NĐ-CP | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập – "
...      "Tự do – Hạnh phúc________ Hà Nội, ngày 30 tháng 6 năm 2025 |"], 0, 1)]
['CHÍNH PHỦ', 'Số: 172/2025/NĐ-CP', 'Hà Nội, ngày 30 tháng 6 năm 2025']
>>> [p.text for p in header_pieces(["Số: 980/KH-UBND Nghệ An, ngày 18 tháng 11 năm 2025",
...                                    "Số: 5348/CT-CS V/v hướng dẫn"], 0, 2)]
['Số: 980/KH-UBND', 'Nghệ An, ngày 18 tháng 11 năm 2025', 'Số: 5348/CT-CS', 'V/v hướng dẫn']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Piece:
    """One part of a header line: its text and its 0-based line index."""

    text: str
    line: int


def fold_chars(text: str) -> str:
    """Fold character by character (same length as ``text``): positions carry over.

    >>> fold_chars("Số: Hà Nội")
    'so: ha noi'
    """
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[:1] or ch
        out.append(base.lower() if len(base.lower()) == 1 else ch)
    return "".join(out)


def _phrase_pattern(phrase: str) -> str:
    """A motto phrase as a pattern over :func:`fold_chars` text: its words with any
    spacing between them (none, where a copy ran cells together), a dash optional.

    >>> print(_phrase_pattern("Độc lập - Tự do"))
    doc\\s*lap\\s*[-–—]?\\s*tu\\s*do
    """
    parts = ["[-–—]?" if w in "-–—" else re.escape(fold_chars(w)) for w in phrase.split()]
    return r"\s*".join(parts)


def _motto_pattern() -> re.Pattern[str]:
    """The national motto's phrases of ``header.toml`` (longest first), and the two halves
    of its first line, which copies split across cells."""
    from obligraph.loaders.header_vocab import vocab

    phrases = sorted(set(vocab().motto), key=len, reverse=True)
    return re.compile("|".join(_phrase_pattern(p) for p in phrases))


_RULE = re.compile(r"[-_–—=.…]{3,}")
_MOTTO = _motto_pattern()
# cut before: a number ("Số:"), a letter's subject ("V/v"), a place before ", ngày <digit>"
_NUMBER_AT = re.compile(r"(?<![a-z])so\s*:\s*(?=[\d\s/])")
_SUBJECT_AT = re.compile(r"(?<![a-z])v/v\b")
_DATE_AT = re.compile(r"(,?)\s*ngay\s*\d")
_TYPE_GLUED = re.compile(
    r"\b(?:QUYẾT ĐỊNH|NGHỊ ĐỊNH|NGHỊ QUYẾT|THÔNG TƯ|KẾ HOẠCH|CHỈ THỊ|THÔNG BÁO|CÔNG ĐIỆN)"
    r"(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ])"
)
_PLACE_WORD = re.compile(
    r"^(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\.?|TP\.?|Tp\.?|phố|tỉnh|thành|xã|phường|huyện|quận|đặc|khu|-)$"
)


def _place_start(text: str, comma: int) -> int:
    """Where the place name before ``, ngày`` begins (capitalised words, at most 5)."""
    words = list(re.finditer(r"\S+", text[:comma]))
    start = comma
    for w in reversed(words[-7:]):
        if not _PLACE_WORD.match(w.group()) or "/" in w.group():
            break
        start = w.start()
    return start


def _cuts(text: str) -> list[str]:
    folded = fold_chars(text)
    marks: list[tuple[int, int]] = []  # (start, end) of removed parts
    for m in _MOTTO.finditer(folded):
        marks.append((m.start(), m.end()))
    for m in _RULE.finditer(text):
        marks.append((m.start(), m.end()))
    cuts: set[int] = set()
    for rx in (_NUMBER_AT, _SUBJECT_AT):
        for m in rx.finditer(folded):
            cuts.add(m.start())
    for m in _TYPE_GLUED.finditer(text):  # "NGHỊ ĐỊNHQuy định về ...": type, then title
        cuts.add(m.end())
    for m in _DATE_AT.finditer(folded):
        at = _place_start(text, m.start())
        place = text[at : m.start()]
        # "Hà Nội ngày 01 ...": without a comma the place must be written in title case
        if m.group(1) or (place and not place.isupper()):
            cuts.add(at)
    # keep what no mark removed; cut before each cut point and where a mark was
    keep = [True] * len(text)
    for a, e in marks:
        for i in range(a, min(e, len(text))):
            keep[i] = False
    out: list[str] = []
    current: list[str] = []
    for i, ch in enumerate(text):
        if i in cuts or (not keep[i] and current and keep[i - 1]):
            out.append("".join(current))
            current = []
        if keep[i]:
            current.append(ch)
    out.append("".join(current))
    return [p.strip(" |,;") for p in out if p.strip(" |,;")]


def split_cells(line: str) -> list[str]:
    """A line's cells: TAB-separated, or markdown pipe cells.

    >>> split_cells("| Số: 16/2025/NĐ-CP | Hà Nội |")
    ['Số: 16/2025/NĐ-CP', 'Hà Nội']
    """
    if "\t" in line:
        cells = line.split("\t")
    elif line.lstrip().startswith("|") or " | " in line:
        cells = line.split("|")
    else:
        cells = [line]
    return [c.strip() for c in cells if c.strip()]


def header_pieces(lines: list[str], start: int, stop: int) -> list[Piece]:
    """Pieces of ``lines[start:stop]``, in reading order (see the module docstring)."""
    out: list[Piece] = []
    for i in range(start, min(stop, len(lines))):
        for cell in split_cells(lines[i]):
            out.extend(Piece(p, i) for p in _cuts(cell))
    return out
