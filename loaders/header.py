"""The header and signature of a document: type, number, date, place, issuer, signer, title.

A Vietnamese administrative document opens with the issuing organ (in
capitals), "Số: 704/QĐ-LĐTBXH", "Hà Nội, ngày 22 tháng 6 năm 2021", the type
("QUYẾT ĐỊNH") and the title; it closes with the signing title ("KT. BỘ
TRƯỞNG / THỨ TRƯỞNG") and the signer's name. The block comes as separate lines,
TAB rows, pipe rows or one run-together line (:mod:`header_pieces` cuts it up);
the vocabulary is data (``data/header.toml``). A document whose header is missing
still loads, with a finding that says what is missing; a text that is no
official document at all (an article, a form) is reported as such.

>>> from obligraph.loaders.normalise import clean
>>> from obligraph.loaders.units import Gazetteer
>>> lines = ["BỘ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI", "Số: 704 /QĐ-LĐTBXH",
...          "Hà Nội, ngày 22 tháng 6 năm 2021", "QUYẾT ĐỊNH", "Ban hành Kế hoạch",
...          "BỘ TRƯỞNG BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Điều 1. Ban hành.",
...          "Nơi nhận:", "- Lưu: VT.", "KT.BỘ TRƯỞNG", "THỨ TRƯỞNG", "", "Nguyễn Thị Hà"]
>>> h = parse_header(clean(lines), file="a.txt", gazetteer=Gazetteer.default())
>>> (h.doc_type, h.number, h.date, h.place)
('Quyết định', '704/QĐ-LĐTBXH', '2021-06-22', 'Hà Nội')
>>> (h.issuer, h.jurisdiction)
('Bộ Lao động - Thương binh và Xã hội', 'Việt Nam')
>>> (h.title, h.signer, h.signer_title)
('Ban hành Kế hoạch', 'Nguyễn Thị Hà', 'KT. BỘ TRƯỞNG / THỨ TRƯỞNG')
>>> tab = ["ỦY BAN NHÂN DÂN TỈNH NGHỆ AN -------\\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
...        "Số: 980/KH-UBND\\tNghệ An, ngày 18 tháng 11 năm 2025", "KẾ HOẠCH",
...        "TRIỂN KHAI CHUYỂN ĐỔI SỐ", "NĂM 2026", "I. MỤC ĐÍCH", "Nội dung.",
...        "Nơi nhận: - UBND tỉnh;\\tTM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Lê Văn A"]
>>> h = parse_header(clean(tab), file="b.txt", gazetteer=Gazetteer.default())
>>> (h.number, h.doc_type, h.date, h.issuer, h.jurisdiction)
('980/KH-UBND', 'Kế hoạch', '2025-11-18', 'Ủy ban nhân dân tỉnh Nghệ An', 'tỉnh Nghệ An')
>>> (h.title, h.signer)
('TRIỂN KHAI CHUYỂN ĐỔI SỐ NĂM 2026', 'Lê Văn A')
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from obligraph.loaders.citations import TYPE_WORDS, normalise_number
from obligraph.loaders.dates import find_dates, plausible_year
from obligraph.loaders.header_pieces import Piece, fold_chars, header_pieces
from obligraph.loaders.header_vocab import vocab
from obligraph.loaders.normalise import Cleaned
from obligraph.loaders.records import Finding, SourceSpan
from obligraph.loaders.signature import find_recipients, find_signature

from obligraph.base.textkeys import fold

_SEG = r"[A-ZĐƯ][A-Za-zĐđƯư0-9&.]*"
_NUMBER = re.compile(
    rf"^Số\s*:?\s*(?P<num>\d{{0,7}}\s*/\s*(?:\d{{4}}\s*/\s*)?{_SEG}(?:\s*-\s*{_SEG})*)",
    re.IGNORECASE,
)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,\d]{2,60}),\s*ngày\b|^(?P<bare>(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]*\.?\s){1,4})ngày\s*\d"
)
_SUBJECT = re.compile(r"^V/v\s*:?\s*(?P<s>.+)$", re.IGNORECASE)
_ISSUES_VERBS = ("huong dan", "ban hanh", "thong bao", "de nghi", "yeu cau", "trien khai")
_BODY_START = ("Căn cứ ", "Căn cứ:", "Thực hiện ", "Điều 1", "Kính gửi", "Kính\u00a0gửi")


@dataclass
class Header:
    """What the header and the signature say; empty strings when absent."""

    doc_type: str = ""
    number: str = ""
    date: str | None = None
    place: str = ""
    issuer: str = ""
    issuer_parent: str = ""
    jurisdiction: str = ""
    signer: str = ""
    signer_title: str = ""
    title: str = ""
    subject: str = ""
    recipients: list[str] = field(default_factory=list)
    span: SourceSpan | None = None
    title_lines: set[int] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    missing: bool = False
    official: bool = True

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _head_limit(lines: list[str]) -> int:
    """0-based index where the header area ends: the first legal basis, article or item.

    A title may itself open with "Thực hiện" (right under the type line, "KẾ HOẠCH"):
    that line is the title, not a basis.

    >>> _head_limit(["KẾ HOẠCH", "Thực hiện phân loại rác", "", "Thực hiện Quyết định số 1/QĐ-TTg"])
    3
    """
    types = vocab().types
    previous = ""
    for i, line in enumerate(lines[:160]):
        t = line.strip()
        title_line = t.startswith("Thực hiện ") and previous in types
        if not title_line and (
            t.startswith(_BODY_START) or re.match(r"^(I|1)\.\s", t) or t.startswith("Kính\ngửi")
        ):
            return i
        if t == "Kính" or (t.startswith("Kính") and fold(t).startswith("kinh gui")):
            return i
        if t:
            previous = t
    return min(len(lines), 40)


def _type_of(text: str) -> str:
    t = re.sub(r"\s+", " ", text.strip().rstrip(".:"))
    return vocab().types.get(t, "")


def _number_code(number: str) -> tuple[str, str]:
    """(type code, organ code) of a number: "98/2025/QĐ-UBND" -> ("QĐ", "UBND").

    >>> _number_code("98/2025/QĐ-UBND"), _number_code("708/LĐTBXH-TE")
    (('QĐ', 'UBND'), ('', 'LĐTBXH'))
    """
    tail = number.rsplit("/", 1)[-1] if "/" in number else ""
    parts = [p for p in tail.split("-") if p]
    if not parts:
        return "", ""
    if parts[0] in vocab().codes:
        return parts[0], parts[1] if len(parts) > 1 else ""
    return "", parts[0]


def _find_header_start(lines: list[str], limit: int, noise: dict[int, str]) -> int:
    """0-based first line of the header block (after a portal's page furniture)."""
    for i in range(min(limit, len(lines))):
        if lines[i].strip() and (i + 1) not in noise:
            return i
    return 0


def parse_header(cleaned: Cleaned, *, file: str, gazetteer: object) -> Header:
    """Read the header and signature of a document (see the module docstring)."""
    lines = cleaned.lines
    h = Header()
    limit = _head_limit(lines)
    start = _find_header_start(lines, limit, cleaned.noise)
    pieces = header_pieces(lines, start, limit)
    number_at = type_at = date_at = None
    issuer_pieces: list[Piece] = []
    for k, p in enumerate(pieces):
        text = p.text
        if number_at is None and (m := _NUMBER.match(text)):
            raw = normalise_number(m.group("num")).rstrip(".")
            h.number = raw if re.match(r"^\d", raw) else ""
            number_at = k
            continue
        if (m := _SUBJECT.match(text)) and not h.subject:
            h.subject = m.group("s").strip()
            continue
        if date_at is None and (m := _PLACE_DATE.match(text)):
            dates = find_dates(text)
            if dates and dates[0].iso:
                place = m.group("place") or m.group("bare")
                h.place, h.date, date_at = place.strip(), dates[0].iso, k
                continue
        if type_at is None and _is_caps(text) and _type_of(text):
            h.doc_type = _type_of(text)
            type_at = k
            continue
        if number_at is None and type_at is None and date_at is None and _is_caps(text):
            issuer_pieces.append(p)
    h.missing = number_at is None and type_at is None and date_at is None
    _subject_continues(h, pieces, number_at, date_at)
    title_from = (
        type_at
        if type_at is not None
        else max((x for x in (number_at, date_at) if x is not None), default=None)
    )
    authority = _title(h, pieces, title_from)
    type_code, organ_code = _number_code(h.number)
    h.signer, h.signer_title, _sign_at = find_signature(lines, limit)
    h.recipients = find_recipients(lines, limit)
    _issuer(h, issuer_pieces, authority, organ_code, gazetteer)
    if not h.issuer:
        h.issuer = _issuer_from_opening(cleaned, gazetteer)
        if h.issuer:
            h.jurisdiction = _jurisdiction(h.issuer, "", h.place, organ_code)
    _doc_type(h, lines, limit, type_code)
    if pieces:
        used = [pieces[x].line for x in (number_at, type_at, date_at) if x is not None]
        used += [n - 1 for n in h.title_lines] + [pieces[0].line]
        first, last = pieces[0].line, max(used)
        quote = "\n".join(line for line in cleaned.raw[first : last + 1] if line.strip())
        h.span = SourceSpan(file, first + 1, last + 1, quote)
    h.official = not h.missing or _reads_official(lines, start)
    _findings(h, file, lines, start)
    return h


def _subject_continues(h: Header, pieces: list[Piece], number_at, date_at) -> None:
    """A letter's "V/v ..." may wrap onto the next lines of the left cell."""
    if not h.subject:
        return
    idx = next((k for k, p in enumerate(pieces) if _SUBJECT.match(p.text)), None)
    if idx is None:
        return
    for p in pieces[idx + 1 : idx + 4]:
        if _NUMBER.match(p.text) or _PLACE_DATE.match(p.text) or _is_caps(p.text):
            break
        if p.line == pieces[idx].line:
            continue
        h.subject += " " + p.text


def _is_authority(text: str) -> bool:
    """The line under a title that names who decides ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH")."""
    t = text.strip()
    v = vocab()
    if any(t == a or t.startswith(a + " ") for a in v.authority):
        return True
    heads = ("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "CHÍNH PHỦ", "QUỐC HỘI")
    return t.startswith(heads) or t in ("ỦY BAN THƯỜNG VỤ QUỐC HỘI",)


def _title(h: Header, pieces: list[Piece], after: int | None) -> str:
    """Fill ``h.title`` from the pieces after ``after``; return the authority line found."""
    if after is None:
        return ""
    parts: list[str] = []
    caps: bool | None = None
    authority = ""
    for p in pieces[after + 1 :]:
        text = p.text
        if _NUMBER.match(text) or _PLACE_DATE.match(text) or _SUBJECT.match(text):
            continue
        if _is_caps(text) and _is_authority(text) and (parts or not h.doc_type):
            authority = text
            # "CHỦ TỊCH ỦY BAN NHÂN DÂN" may wrap: the next caps piece ends it
            nxt = pieces.index(p) + 1
            if nxt < len(pieces) and _is_caps(pieces[nxt].text):
                authority += " " + pieces[nxt].text
            break
        is_caps = _is_caps(text)
        if caps is not None and is_caps != caps:
            if is_caps and _is_authority(text):
                authority = text
            break
        caps = is_caps
        parts.append(text)
        h.title_lines.add(p.line + 1)
    # a lone place word left over from a broken authority line ("TỈNH")
    while parts and fold(parts[-1]) in ("tinh", "thanh pho", "huyen", "xa", "phuong"):
        parts.pop()
    h.title = re.sub(r"\s+", " ", " ".join(parts)).strip()
    return authority


def _split_organs(text: str) -> list[str]:
    """An issuer cell's organs, outermost first: "BỘ TÀI CHÍNH CỤC THUẾ" -> two.

    >>> _split_organs("BỘ TÀI CHÍNH CỤC THUẾ")
    ['BỘ TÀI CHÍNH', 'CỤC THUẾ']
    >>> _split_organs("VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH NGHỆ AN")
    ['VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH NGHỆ AN']
    >>> _split_organs("ỦY BAN NHÂN DÂN TỈNH LAI CHÂU SỞ Y TẾ")
    ['ỦY BAN NHÂN DÂN TỈNH LAI CHÂU', 'SỞ Y TẾ']
    """
    v = vocab()
    words = text.split()
    heads = [h.split() for h in v.organ_heads]

    def head_at(i: int) -> int:
        for hw in heads:
            if words[i : i + len(hw)] == hw:
                rest = " ".join(words[i : i + len(hw) + 2])
                if any(rest.startswith(x) for x in v.not_after):
                    return 0
                return len(hw)
        return 0

    cuts = [0]
    i = 1
    while i < len(words):
        n = head_at(i)
        left = words[cuts[-1] : i]
        if n and len(left) > head_at(cuts[-1]) and i + n < len(words):
            cuts.append(i)
        i += max(n, 1)
    cuts.append(len(words))
    return [" ".join(words[a:b]) for a, b in itertools.pairwise(cuts) if a < b]


_CAP_NEXT = tuple(
    tuple(h.split())
    for h in ("sở", "bộ", "cục", "tổng cục", "chi cục", "vụ", "ban", "trung tâm", "văn phòng",
              "viện", "thanh tra", "kho bạc nhà nước", "thuế")
)  # fmt: skip


def caps_name(text: str) -> str:
    """An all-capitals organ name written the usual way; place names keep capitals.

    >>> caps_name("ỦY BAN NHÂN DÂN TỈNH AN GIANG")
    'Ủy ban nhân dân tỉnh An Giang'
    >>> caps_name("CỤC HẢI QUAN"), caps_name("SỞ Y TẾ"), caps_name("VĂN PHÒNG CHÍNH PHỦ")
    ('Cục Hải quan', 'Sở Y tế', 'Văn phòng Chính phủ')
    """
    from obligraph.loaders.divisions import find_province

    words = text.split()
    out: list[str] = []
    place = False
    lowered = [w.lower() for w in words]
    # the word after a head word opens the organ's own name: "Sở Y tế", "Cục Hải quan"
    cap_next = {
        n
        for k in range(len(lowered))
        for head in _CAP_NEXT
        if lowered[k : k + len(head)] == list(head) and k == 0
        for n in (k + len(head),)
    }
    for i, word in enumerate(words):
        low = word.lower()
        out.append(word.capitalize() if i == 0 or place or i in cap_next else low)
        if low in ("tỉnh", "huyện", "quận", "xã", "phường") or (
            low == "phố" and i and words[i - 1].lower() == "thành"
        ):
            place = True
    name = " ".join(out)
    prov = find_province(name)
    if prov is not None and not place:
        # "TP. HỒ CHÍ MINH" style without a kind word: capitalise the province's words
        key = fold(prov.name)
        folded = fold(name)
        at = folded.find(key)
        if at >= 0:
            name = name[:at] + prov.name + name[at + len(prov.name) :]
    return name


def _canonical(name: str, gazetteer: object, where=None) -> str:
    """An organ's name as the gazetteer knows it, in the province ``where`` it stands.

    A name that names no province ("SỞ Y TẾ") under a province's organ is that
    province's: never the gazetteer's namesake of another province.
    """
    from obligraph.loaders.divisions import find_province

    ref = gazetteer.find(name)  # type: ignore[attr-defined]
    own = find_province(name)
    if ref is not None:
        theirs = find_province(ref.canonical)
        if where is None or own is not None or theirs is None or theirs == where:
            return ref.canonical
    text = caps_name(name) if _is_caps(name) else name
    if where is not None and own is None:
        text = f"{text} {where.full_name}"
    return text


def _jurisdiction(issuer: str, parent: str, place: str, organ_code: str) -> str:
    """The jurisdiction an organ acts for: its province, or the State for a central organ."""
    from obligraph.loaders.divisions import find_province

    for name in (issuer, parent):
        prov = find_province(name) if name else None
        if prov is not None:
            return prov.full_name
    v = vocab()
    organ = fold(parent or issuer)
    if any(organ.startswith(fold(c)) for c in v.central_heads):
        return v.state
    if organ_code and v.is_local_code(organ_code) and place:
        prov = find_province(place)
        if prov is not None:
            return prov.full_name
    return ""


def _issuer(h: Header, issuer_pieces: list[Piece], authority: str, organ_code: str,
            gazetteer: object) -> None:  # fmt: skip
    """Issuing organ, its parent and jurisdiction from the issuer cell (or the authority line)."""
    from obligraph.loaders.divisions import find_province

    v = vocab()
    cell = " ".join(p.text for p in issuer_pieces).strip()
    cell = re.sub(r"\s+", " ", cell)
    organs = _split_organs(cell) if cell else []
    if organs and not _opens_organ(organs[0]) and find_province(organs[0]) is not None:
        # the cell lost its first words in the copy ("TỈNH QUẢNG TRỊ", "DÂN THÀNH PHỐ HÀ NỘI")
        prov = find_province(organs[0])
        kind = v.organ_codes.get(organ_code) or _kind_from(authority, h.signer_title)
        organs[0] = f"{kind} {prov.full_name}"
    if not organs and authority:
        stripped = authority
        for a in v.authority:
            if stripped.startswith(a + " "):
                stripped = stripped[len(a) + 1 :]
                break
        organs = _split_organs(stripped)
    if not organs:
        issuer = _issuer_from_code(h.number, gazetteer)
        if issuer:
            h.issuer = issuer
            h.jurisdiction = _jurisdiction(issuer, "", h.place, organ_code)
        return
    names: list[str] = []
    where = None  # the province of the outer organ: a bare "SỞ Y TẾ" under it is its own
    for organ in organs:
        names.append(_canonical(organ, gazetteer, where))
        where = find_province(names[-1]) or where
    h.issuer = names[-1]
    h.issuer_parent = names[-2] if len(names) > 1 else ""
    h.jurisdiction = _jurisdiction(h.issuer, h.issuer_parent, h.place, organ_code)


def _issuer_from_code(number: str, gazetteer: object) -> str:
    """The organ a national number's code names ("09/2025/NĐ-CP": Chính phủ; "BGDĐT")."""
    from obligraph.loaders.citations import CODE_ISSUERS

    _type, code = _number_code(number)
    if not code or vocab().is_local_code(code):
        return ""
    if code in CODE_ISSUERS:
        return CODE_ISSUERS[code]
    for name in (code, "Bộ " + code.removeprefix("B")):
        ref = gazetteer.find(name)  # type: ignore[attr-defined]
        if ref is not None and not ref.generic:
            return ref.canonical
    return ""


def _opens_organ(text: str) -> bool:
    v = vocab()
    return any(text.startswith(hw) for hw in v.organ_heads) or any(
        text.startswith(c) for c in v.central_heads
    )


def _kind_from(authority: str, signer_title: str) -> str:
    both = fold(authority + " " + signer_title)
    if "hoi dong nhan dan" in both:
        return "Hội đồng nhân dân"
    return "Ủy ban nhân dân"


def _doc_type(h: Header, lines: list[str], limit: int, type_code: str) -> None:
    v = vocab()
    if type_code in v.overriding_codes:
        h.doc_type = v.codes[type_code]
        return
    if h.doc_type:
        return
    letter = bool(h.subject) or any(
        fold(x).startswith("kinh") and "gui" in fold(" ".join(lines[i : i + 2]))[:12]
        for i, x in enumerate(lines[: limit + 3])
    )
    if letter:
        h.doc_type = "Công văn"
    elif type_code:
        h.doc_type = v.codes[type_code]
    elif h.number:
        h.doc_type = "Công văn"  # a number with an organ code only: a letter (708/LĐTBXH-TE)
    else:
        h.doc_type = _self_named_type(lines)


def _reads_official(lines: list[str], start: int) -> bool:
    """Does a header-less text read like an official document, not a form or an article?

    Legal bases or articles make it one, unless it opens as a form ("Mẫu số ...");
    addressees or recipients do when it is not mostly blanks to fill in.
    """
    v = vocab()
    head = [x.strip() for x in lines[start : start + 40] if x.strip()][:3]
    if any(re.match(rf"^{re.escape(o)}\b", x) for x in head for o in v.form_openings):
        return False
    stripped = [x.strip() for x in lines]
    if any(t.startswith("Căn cứ ") or re.match(r"^Điều \d+\.", t) for t in stripped):
        return True
    blanks = sum(1 for x in stripped if re.search(r"\.{5,}|…{3,}", x))
    weak = any(t.startswith(("Kính gửi", "Nơi nhận")) for t in stripped)
    return weak and blanks < v.form_blank_lines


def _findings(h: Header, file: str, lines: list[str], start: int) -> None:
    first = next((i for i in range(start, len(lines)) if lines[i].strip()), 0)
    where = SourceSpan(file, first + 1, first + 1, lines[first] if lines else "")
    if not h.official:
        h.findings.append(
            Finding(
                "not-official-document",
                "warning",
                "the text is no official document (no number, date, type line, legal basis, "
                "article or signature): nothing is extracted from it",
                where,
            )
        )
        return
    if h.missing:
        h.findings.append(
            Finding(
                "missing-header",
                "warning",
                "the document has no header (no number, date or type line); "
                f"type read as {h.doc_type or 'unknown'!r}, issuer as {h.issuer or 'unknown'!r}",
                where,
                args={"type": h.doc_type or "", "issuer": h.issuer or ""},
            )
        )
        return
    for what, value in (("number", h.number), ("date", h.date), ("issuer", h.issuer),
                        ("signer", h.signer)):  # fmt: skip
        if not value:
            h.findings.append(
                Finding(f"missing-{what}", "warning", f"the header gives no {what}", where)
            )
    if h.date and not plausible_year(int(h.date[:4])):
        h.findings.append(
            Finding(
                "implausible-year",
                "error",
                f"the document is dated {h.date}",
                h.span,
                args={"date": h.date},
            )
        )


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


__all__ = ["Header", "caps_name", "fold_chars", "parse_header"]
