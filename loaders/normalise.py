r"""Clean read lines: markup out, noise recognised, footnotes marked.

Line numbers never change: a noise line becomes ``""`` in :attr:`Cleaned.lines`
and is listed in :attr:`Cleaned.noise` with its reason, so every later step
still quotes the line as it stands on disk.

Noise is what a scanner or a PDF export adds and a reader skips: receiving
stamps ("CÔNG VĂN ĐẾN / Số: 281 / Ngày: 18 tháng 6"), bare page numbers, and
digital-signature blocks ("... đã ký lên văn bản này!" with its timestamp).

>>> strip_markup("**Ban hành** <p>Kế hoạch</p> *Phụ lục kèm theo*")
'Ban hành Kế hoạch Phụ lục kèm theo'
>>> c = clean(["Số: 704/QĐ-LĐTBXH", "", "3", "", "trẻ em", "\t\t2020-08-04T16:47:50+0700"])
>>> c.lines
['Số: 704/QĐ-LĐTBXH', '', '', '', 'trẻ em', '']
>>> sorted(c.noise.items())
[(3, 'page-number'), (6, 'digital-signature')]
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from obligraph.base.textkeys import fold

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_BLOCK_TAG = re.compile(r"</(?:p|div|li|h[1-6]|td|th|tr)\s*>|<br\s*/?>", re.IGNORECASE)
_BOLD = re.compile(r"\*\*|__")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_SIGNATURE_NOTE = re.compile(r"\*?\[(?:signature|chữ ký|ký tên)\]\*?", re.IGNORECASE)
_MULTISPACE = re.compile(r"[ ]{2,}")
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:?\d{2}|Z)?")
_FOOTNOTE_START = re.compile(r"^\s*(?:[¹²³⁴⁵⁶⁷⁸⁹]+|\d{1,2}(?= \(\d+\) | [A-ZĐ]))\s+\S")
_MARKER = re.compile(
    r"^\s*(?:Điều\s+\d+|[IVXLC]+\.\s|\d+(?:\.\d+)*[.)]\s|[a-zđ]\)\s|\(\d+\)\s|[-+•]\s)"
)


@dataclass
class Cleaned:
    """Cleaned lines (0-based list; line ``n`` is ``lines[n - 1]``) with what was removed."""

    lines: list[str]
    noise: dict[int, str] = field(default_factory=dict)  # 1-based line -> reason
    footnotes: set[int] = field(default_factory=set)  # 1-based lines of footnote text
    raw: list[str] = field(default_factory=list)  # the lines as read, for quoting

    def quote(self, start: int, end: int) -> str:
        """The lines ``start..end`` as read (blank lines left out), for a SourceSpan."""
        src = self.raw or self.lines
        return "\n".join(x for x in src[start - 1 : end] if x.strip())

    def text(self, n: int) -> str:
        """Cleaned text of 1-based line ``n`` ("" when out of range)."""
        return self.lines[n - 1] if 1 <= n <= len(self.lines) else ""


def strip_markup(line: str) -> str:
    """Remove markdown bold/italic markers, HTML tags and entities; keep TABs."""
    line = _SIGNATURE_NOTE.sub("", line)
    line = _BLOCK_TAG.sub(" ", line)  # "<p>Số: 7/KH</p><p>Gia Lai, ...": two phrases, not one
    line = _TAG.sub("", line)
    line = _BOLD.sub("", line)
    line = _ITALIC.sub(r"\1", line)
    line = html.unescape(line)
    cells = [_MULTISPACE.sub(" ", cell).strip(" ") for cell in line.split("\t")]
    return "\t".join(cells) if "\t" in line else cells[0]


def _is_signature(line: str) -> bool:
    low = fold(line)
    return (
        "da ky len van ban" in low
        or bool(_TIMESTAMP.search(line))
        or ("ky boi" in low and "@" in line)
        or low.startswith(("signature valid", "ky so boi"))
    )


def _stamp_lines(lines: list[str]) -> set[int]:
    """0-based indices of a receiving-office stamp ("CÔNG VĂN ĐẾN"/"CÔNG VĂN BẢN" block)."""
    found: set[int] = set()
    for i, line in enumerate(lines):
        if fold(line).strip() not in ("cong van den", "cong van ban", "van ban den", "den"):
            continue
        if fold(line).strip() == "den" and not any(
            fold(lines[j]).startswith("so:") for j in range(i + 1, min(len(lines), i + 4))
        ):
            continue
        found.add(i)
        # the receiving office's name, just above, in capitals
        for j in range(i - 1, max(-1, i - 4), -1):
            if lines[j].strip():
                if lines[j].strip().isupper() and not fold(lines[j]).startswith(
                    ("quyet dinh", "ke hoach", "cong hoa")
                ):
                    found.add(j)
                break
        # Số: <digits>, Ngày: ..., Chuyển: ..., Lưu hồ sơ số: ... just below
        seen = 0
        for j in range(i + 1, len(lines)):
            text = fold(lines[j]).strip()
            if not text:
                continue
            seen += 1
            if re.match(r"^so\s*:\s*\d+\s*$", text) or re.match(
                r"^(ngay|chuyen|luu ho so so|gio)\s*:", text
            ):
                found.add(j)
            else:
                break
            if seen > 5:
                break
    return found


def clean(raw: list[str]) -> Cleaned:
    """Strip markup and blank out noise lines, keeping the line count."""
    lines = [strip_markup(line) for line in raw]
    noise: dict[int, str] = {}
    for i in _stamp_lines(lines):
        noise[i + 1] = "receiving-stamp"
    # digital-signature blocks: the signature line and its neighbours in one block
    for i, line in enumerate(lines):
        if line and _is_signature(line):
            noise[i + 1] = "digital-signature"
            for j in (i - 1, i + 1, i + 2):
                if not (0 <= j < len(lines) and lines[j]):
                    continue
                short_cells = "\t" in raw[j] and len(lines[j].replace("\t", "")) < 40
                if short_cells or _is_signature(lines[j]):
                    noise[j + 1] = "digital-signature"
    # page numbers: a bare number standing alone between blank lines
    for i, line in enumerate(lines):
        if "\t" in raw[i] or not _PAGE_NUMBER.match(line):
            continue
        prev = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        after = next((lines[j] for j in range(i + 1, len(lines)) if lines[j].strip()), "")
        if i > 0 and not lines[i - 1].strip() and (i + 1 >= len(lines) or not lines[i + 1].strip()):
            if prev or after:
                noise[i + 1] = "page-number"
    for i in _portal_lines(lines):
        noise[i + 1] = "portal"
    for n in noise:
        lines[n - 1] = ""
    return Cleaned(lines, noise, _footnotes(lines), list(raw))


def _portal_lines(lines: list[str]) -> list[int]:
    """0-based lines of a legal portal's page furniture (``data/header.toml``, [portal]).

    Only before the document's header (the first line with the national motto or a
    "Số:" number) and the portal's closing notes; never inside the text.

    >>> _portal_lines(["Bản dịch này thuộc quyền sở hữu của", "X", "Loại văn bản:\tThông báo",
    ...                "Số: 5/TB-VPCP\tHà Nội", "Văn bản này chưa cập nhật nội dung Tiếng Anh"])
    [0, 1, 2, 4]
    """
    from obligraph.loaders.header_vocab import vocab

    v = vocab()
    starts = tuple(fold(s) for s in v.portal_starts)
    found: list[int] = []
    for i, line in enumerate(lines[:80]):
        key = fold(line.replace("\t", " "))
        if "cong hoa xa hoi" in key or re.match(r"^so\s*:\s*\d", key):
            break
        if key.startswith(starts) or line.strip() in v.portal_exact:
            found.append(i)
    closing = tuple(fold(s) for s in v.portal_closing)
    found += [i for i, line in enumerate(lines) if fold(line).startswith(closing)]
    return sorted(set(found))


def _footnotes(lines: list[str]) -> set[int]:
    """1-based lines of footnote text: a numbered note after a rule line, up to the next item."""
    notes: set[int] = set()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "\t" not in line and _FOOTNOTE_START.match(line) and not _MARKER.match(line):
            j = i
            while j < len(lines):
                if j > i and lines[j].strip() and (_MARKER.match(lines[j]) or "\t" in lines[j]):
                    break
                if lines[j].strip():
                    notes.add(j + 1)
                j += 1
                if j > i and lines[j - 1].rstrip().endswith((".", ").", ";")) and j - i > 0:
                    nxt = next((k for k in range(j, len(lines)) if lines[k].strip()), None)
                    if nxt is None or _MARKER.match(lines[nxt]):
                        break
            i = j
            continue
        i += 1
    return notes
