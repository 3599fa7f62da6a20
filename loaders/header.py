"""The header and signature of a document: type, number, date, place, issuer, signer, title.

A Vietnamese administrative document opens with the issuing body (in
capitals), "Số: 704/QĐ-LĐTBXH", "Hà Nội, ngày 22 tháng 6 năm 2021", the type
("QUYẾT ĐỊNH") and the title; it closes with the signing title ("KT. BỘ
TRƯỞNG / THỨ TRƯỞNG") and the signer's name. A document whose header is
missing (a letter pasted without its first page) still loads: the type is
taken from how the text names itself ("... kèm theo Công văn này"), the issuer
from an opening sentence ("Bộ Lao động - Thương binh và Xã hội hướng dẫn ..."),
and a ``missing-header`` finding says so.

>>> from obligraph.loaders.normalise import clean
>>> from obligraph.loaders.units import Gazetteer
>>> lines = ["BỘ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI", "Số: 704 /QĐ-LĐTBXH",
...          "Hà Nội, ngày 22 tháng 6 năm 2021", "QUYẾT ĐỊNH", "Ban hành Kế hoạch",
...          "BỘ TRƯỞNG BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Điều 1. Ban hành.",
...          "Nơi nhận:", "- Lưu: VT.", "KT.BỘ TRƯỞNG", "THỨ TRƯỞNG", "", "Nguyễn Thị Hà"]
>>> h = parse_header(clean(lines), file="a.txt", gazetteer=Gazetteer.default())
>>> (h.doc_type, h.number, h.date, h.place, h.issuer)
('Quyết định', '704/QĐ-LĐTBXH', '2021-06-22', 'Hà Nội', 'Bộ Lao động - Thương binh và Xã hội')
>>> (h.title, h.signer, h.signer_title)
('Ban hành Kế hoạch', 'Nguyễn Thị Hà', 'KT. BỘ TRƯỞNG / THỨ TRƯỞNG')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from obligraph.loaders.citations import TYPE_WORDS, normalise_number, type_from_number
from obligraph.loaders.dates import find_dates, plausible_year
from obligraph.loaders.normalise import Cleaned
from obligraph.loaders.records import Finding, SourceSpan

from obligraph.textkeys import fold

_NUMBER_LINE = re.compile(r"^Số\s*:?\s*(.+?/.+?)\s*$", re.IGNORECASE)
_PLACE_DATE = re.compile(r"^(?P<place>[^,\d]{2,60}),\s*ngày\b", re.IGNORECASE)
_TYPE_LINE = re.compile(rf"^(?:{'|'.join(t.upper() for t in TYPE_WORDS)})$")
_NATIONAL = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc")
_SIGN_WORDS = (
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "CỤC TRƯỞNG",
    "PHÓ CỤC TRƯỞNG",
    "VỤ TRƯỞNG",
    "TRƯỞNG BAN",
    "CHÁNH VĂN PHÒNG",
    "TỔNG CỤC TRƯỞNG",
    "THỦ TƯỚNG",
    "PHÓ THỦ TƯỚNG",
    "TRƯỞNG",
    "HIỆU TRƯỞNG",
    "VIỆN TRƯỞNG",
    "CHÁNH THANH TRA",
)
_SIGN_LINE = re.compile(
    r"^(?:(?:KT|TM|TL|TUQ|Q|QUYỀN)\.?\s*)?(?:" + "|".join(_SIGN_WORDS) + r")\b[A-ZĐÀ-Ỹ .\-]*$"
)
_DELEGATION = re.compile(r"^(KT|TM|TL|TUQ|Q)\.\s*")
_NAME = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]*(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]*){1,5}$")
_ISSUES_VERBS = ("huong dan", "ban hanh", "thong bao", "de nghi", "yeu cau", "trien khai")


@dataclass
class Header:
    """What the header and the signature say; empty strings when absent."""

    doc_type: str = ""
    number: str = ""
    date: str | None = None
    place: str = ""
    issuer: str = ""
    signer: str = ""
    signer_title: str = ""
    title: str = ""
    span: SourceSpan | None = None
    title_lines: set[int] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    missing: bool = False

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _head_limit(lines: list[str]) -> int:
    """0-based index where the header area ends: the first legal basis or article.

    A title may itself open with "Thực hiện" (right under the type line, "KẾ HOẠCH"):
    that line is the title, not a basis.

    >>> _head_limit(["KẾ HOẠCH", "Thực hiện phân loại rác", "", "Thực hiện Quyết định số 1/QĐ-TTg"])
    3
    """
    previous = ""
    for i, line in enumerate(lines[:120]):
        t = line.strip()
        title_line = t.startswith("Thực hiện ") and bool(_TYPE_LINE.match(previous))
        if not title_line and (
            t.startswith(("Căn cứ ", "Thực hiện ", "Điều 1", "Kính gửi"))
            or re.match(r"^(I|1)\.\s", t)
        ):
            return i
        if t:
            previous = t
    return min(len(lines), 40)


def parse_header(cleaned: Cleaned, *, file: str, gazetteer: object) -> Header:
    """Read the header and signature of a document (see the module docstring)."""
    lines = cleaned.lines
    h = Header()
    limit = _head_limit(lines)
    first = next((i for i in range(limit) if lines[i].strip()), None)
    number_at = type_at = date_at = None
    caps_top: list[str] = []
    for i in range(limit):
        text = lines[i].strip()
        if not text:
            continue
        if number_at is None and (m := _NUMBER_LINE.match(text)):
            h.number = normalise_number(m.group(1))
            number_at = i
            continue
        if date_at is None and (m := _PLACE_DATE.match(text)):
            dates = find_dates(text)
            if dates and dates[0].iso:
                h.place, h.date, date_at = m.group("place").strip(), dates[0].iso, i
                continue
        if type_at is None and _TYPE_LINE.match(text):
            h.doc_type = next(t for t in TYPE_WORDS if t.upper() == text)
            type_at = i
            continue
        if (
            number_at is None
            and type_at is None
            and _is_caps(text)
            and not fold(text).startswith(_NATIONAL)
        ):
            caps_top.append(text)
    h.missing = number_at is None and type_at is None and date_at is None
    # title: after the type line, up to the authority line (capitals) or the header's end
    if type_at is not None:
        parts = []
        for i in range(type_at + 1, limit):
            text = lines[i].strip()
            if not text:
                continue
            if _is_caps(text) or fold(text).startswith(_NATIONAL):
                if parts:
                    break
                continue
            parts.append(text)
            h.title_lines.add(i + 1)
        h.title = " ".join(parts)
    # issuer: capitals above the number, or the authority line, or the number's code
    h.issuer = _issuer(caps_top, lines[:limit], h.number, gazetteer)
    if not h.issuer:
        h.issuer = _issuer_from_opening(cleaned, gazetteer)
    if not h.doc_type:
        h.doc_type = type_from_number(h.number) if h.number else ""
    if not h.doc_type:
        h.doc_type = _self_named_type(lines)
    h.signer, h.signer_title = _signature(lines, limit)
    if first is not None:
        last = max(
            [i for i in (number_at, type_at, date_at) if i is not None]
            + [n - 1 for n in h.title_lines]
            + [first]
        )
        quote = "\n".join(line for line in lines[first : last + 1] if line.strip())
        h.span = SourceSpan(file, first + 1, last + 1, quote)
    _findings(h, file, lines)
    return h


def _findings(h: Header, file: str, lines: list[str]) -> None:
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    where = SourceSpan(file, first + 1, first + 1, lines[first] if lines else "")
    if h.missing:
        h.findings.append(
            Finding(
                "missing-header",
                "warning",
                "the document has no header (no number, date or type line); "
                f"type read as {h.doc_type or 'unknown'!r}, issuer as {h.issuer or 'unknown'!r}",
                where,
            )
        )
        return
    if not h.number:
        h.findings.append(Finding("missing-number", "warning", "the header gives no number", where))
    if not h.date:
        h.findings.append(Finding("missing-date", "warning", "the header gives no date", where))
    elif not plausible_year(int(h.date[:4])):
        h.findings.append(
            Finding("implausible-year", "error", f"the document is dated {h.date}", h.span)
        )


def _find(gazetteer: object, name: str):
    return gazetteer.find(name)  # type: ignore[attr-defined]


def _issuer(caps_top: list[str], head: list[str], number: str, gazetteer: object) -> str:
    if caps_top:
        ref = _find(gazetteer, " ".join(caps_top))
        if ref is not None:
            return ref.canonical
        for text in caps_top:
            ref = _find(gazetteer, text)
            if ref is not None:
                return ref.canonical
    for text in head:
        text = text.strip()
        if _is_caps(text) and len(text) > 12:
            stripped = re.sub(
                r"^(?:BỘ TRƯỞNG|CHỦ TỊCH|GIÁM ĐỐC|THỦ TƯỚNG|CỤC TRƯỞNG|VỤ TRƯỞNG)\s+", "", text
            )
            ref = _find(gazetteer, stripped)
            if ref is not None:
                return ref.canonical
    if number and "-" in number:
        code = number.rsplit("/", 1)[-1].split("-", 1)[-1]
        ref = _find(gazetteer, code) or _find(gazetteer, "Bộ " + code)
        if ref is not None:
            return ref.canonical
    joined = " ".join(t.strip() for t in caps_top)
    if re.match(r"^(?:ỦY BAN NHÂN DÂN|UBND|SỞ|BỘ)\s+\S", joined):
        return _caps_name(joined)  # a province the gazetteer lacks: "ỦY BAN NHÂN DÂN TỈNH AN GIANG"
    return ""


def _caps_name(text: str) -> str:
    """An all-capitals unit name written the usual way; place names keep their capitals.

    >>> _caps_name("ỦY BAN NHÂN DÂN TỈNH AN GIANG")
    'Ủy ban nhân dân tỉnh An Giang'
    """
    words = text.lower().split()
    out: list[str] = []
    place = False
    for i, word in enumerate(words):
        out.append(word.capitalize() if i == 0 or place else word)
        if word in ("tỉnh", "huyện", "quận", "xã", "phường") or (
            word == "phố" and i and words[i - 1] == "thành"
        ):
            place = True
    return " ".join(out)


def _issuer_from_opening(cleaned: Cleaned, gazetteer: object) -> str:
    """A unit that opens a sentence of the first paragraphs with an issuing verb."""
    from obligraph.loaders.structure import paragraphs

    for _start, _end, text in paragraphs(cleaned)[:6]:
        for sentence in re.split(r"(?<=\.)\s+", text):
            found = gazetteer.find_all(sentence[:200])  # type: ignore[attr-defined]
            if found and found[0].start == 0:
                after = fold(sentence[found[0].end : found[0].end + 30]).strip()
                if after.startswith(_ISSUES_VERBS):
                    return found[0].unit.canonical
    return ""


def _self_named_type(lines: list[str]) -> str:
    """The type a text calls itself: "... kèm theo Công văn này", "Quyết định này"."""
    text = " ".join(lines)
    counts: dict[str, int] = {}
    for t in TYPE_WORDS:
        n = len(re.findall(rf"\b{t}\s+này\b", text, flags=re.IGNORECASE))
        if n:
            counts[t] = n
    return max(counts, key=lambda t: counts[t]) if counts else ""


def _signature(lines: list[str], limit: int) -> tuple[str, str]:
    """Signer and signing title: capitals like "KT. BỘ TRƯỞNG" then a person's name."""
    for i in range(limit, len(lines)):
        text = lines[i].strip()
        if not (text and _SIGN_LINE.match(text)):
            continue
        titles = [text]
        j = i + 1
        name = ""
        while j < len(lines) and j < i + 14:
            t = lines[j].strip()
            j += 1
            if not t:
                continue
            if _SIGN_LINE.match(t) or (_is_caps(t) and len(t) < 40):
                titles.append(t)
                continue
            if _NAME.match(t):
                name = t
            break
        if name:
            # "TM. ỦY BAN NHÂN DÂN" may stand just above the first title line
            k = i - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            if k >= 0 and _DELEGATION.match(lines[k].strip()) and _is_caps(lines[k]):
                titles.insert(0, lines[k].strip())
            shown = [_DELEGATION.sub(lambda m: m.group(1) + ". ", t) for t in titles]
            return name, " / ".join(shown)
    return "", ""
