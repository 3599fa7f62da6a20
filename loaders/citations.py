"""Documents cited by a document: legal bases, implemented programmes, other citations.

:func:`find_references` finds every document reference in a text — by number
("Quyết định số 23/QĐ-TTg ngày 07 tháng 01 năm 2021 của Thủ tướng Chính phủ",
"Nghị định số 14/2017/NĐ-CP", "số1863/QĐ-TTg", "06/QĐ- TTg", a letter
"708/LĐTBXH-TE") or, for laws, by name and date ("Luật Trẻ em ngày 05 tháng 4
năm 2016"). :func:`extract_citations` gives each one its relation:

- ``based_on``: a "Căn cứ ..." or "Thực hiện ..." paragraph of the preamble
  (the first document of each ";"-separated basis);
- ``implements``: the programme the title or Điều 1 says the plan carries out
  ("... thực hiện Quyết định số 23/QĐ-TTg"), and the programme a group heading
  of the plan follows ("Nhóm 3 ... (theo Quyết định số 1863/QĐ-TTg ...)");
- ``cites``: any other document named anywhere (body, annex, footnotes).

>>> [(r.ref.number, r.ref.doc_type, r.ref.date) for r in find_references(
...     "Căn cứ Quyết định số 23/QĐ-TTg ngày 07 tháng 01 năm 2021 của Thủ tướng Chính phủ")]
[('23/QĐ-TTg', 'Quyết định', '2021-01-07')]
>>> find_references("Quyết định số 06/QĐ- TTg ngày 03/01/2019")[0].ref.number
'06/QĐ-TTg'
>>> r = find_references("Căn cứ Luật Trẻ em ngày 05 tháng 4 năm 2016;")[0].ref
>>> (r.doc_type, r.title, r.date)
('Luật', 'Luật Trẻ em', '2016-04-05')
>>> find_references("Công văn số 708/LĐTBXH-TE")[0].ref.doc_type
'Công văn'
>>> normalise_number("704 /QĐ-LĐTBXH")
'704/QĐ-LĐTBXH'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from obligraph.loaders.dates import find_dates, plausible_year
from obligraph.loaders.records import Citation, DocRef, Finding, SourceSpan

from obligraph.base.textkeys import fold

TYPE_WORDS = (
    "Thông tư liên tịch",
    "Quyết định",
    "Chỉ thị",
    "Nghị định",
    "Nghị quyết",
    "Thông tư",
    "Kế hoạch",
    "Công văn",
    "Tờ trình",
    "Thông báo",
    "Hướng dẫn",
    "Kết luận",
    "Chương trình",
    "Pháp lệnh",
    "Bộ luật",
    "Luật",
    "Văn bản",
)
# type code written in a number (first segment after the number / year) -> document type
CODE_TYPES = {
    "QĐ": "Quyết định", "CT": "Chỉ thị", "NĐ": "Nghị định", "NQ": "Nghị quyết",
    "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "KH": "Kế hoạch", "HD": "Hướng dẫn",
    "TB": "Thông báo", "KL": "Kết luận", "TTr": "Tờ trình", "CTr": "Chương trình",
    "L": "Luật", "PL": "Pháp lệnh", "BC": "Báo cáo",
}  # fmt: skip
# issuer implied by the issuer code of a number, when the text does not say
CODE_ISSUERS = {"TTg": "Thủ tướng Chính phủ", "CP": "Chính phủ"}

_TYPE_RE = "|".join(TYPE_WORDS)
_SEG = r"[A-ZĐƯ][A-Za-zĐđƯư0-9&]*"
_NUMBER = re.compile(
    rf"(?:(?P<type>{_TYPE_RE}|{_TYPE_RE.lower()})\s*(?:số\s*)?)?"
    rf"(?<![\d/])(?P<num>\d{{1,6}})\s*/\s*(?:(?P<year>\d{{4}})\s*/\s*)?"
    rf"(?P<code>{_SEG}(?:\s?-\s?{_SEG})*)"
)
_LAW = re.compile(r"(?<![\w])(Bộ luật|Luật)\s+(?=\w)")
_DATE_AFTER = re.compile(r"^\s*,?\s*(?:ban hành\s+)?ngày\s*")
_YEAR_AFTER = re.compile(r"^\s*(?:năm\s+)(\d{4})\b")


def normalise_number(number: str) -> str:
    """Spacing normalised, nothing else: ``"06/QĐ- TTg"`` -> ``"06/QĐ-TTg"``."""
    number = re.sub(r"\s*/\s*", "/", number.strip())
    return re.sub(r"\s*-\s*", "-", number)


def type_from_number(number: str) -> str:
    """Document type implied by a number's code ("" when it cannot tell).

    >>> type_from_number("14/2017/NĐ-CP"), type_from_number("708/LĐTBXH-TE")
    ('Nghị định', 'Công văn')
    """
    parts = number.split("/")
    code = parts[-1].split("-")[0] if parts else ""
    if code in CODE_TYPES:
        return CODE_TYPES[code]
    if re.fullmatch(r"QH\d*|UBTVQH\d*", code):
        return ""  # a law or a resolution: only the written type tells
    if code and len(parts) == 2:
        return "Công văn"  # "708/LĐTBXH-TE": an issuer code straight after the number
    return ""


@dataclass
class RefMatch:
    """A document reference found in a text: character span and what it names."""

    start: int
    end: int
    ref: DocRef
    text: str


def _issuer_after(rest: str, number: str, gazetteer: object | None) -> tuple[str, int]:
    """Issuer named right after a reference ("của Thủ tướng Chính phủ"), and its length."""
    m = re.match(r"^\s*,?\s*của\s+", rest)
    if m and gazetteer is not None:
        tail = rest[m.end() : m.end() + 160]
        tail = re.sub(r"^(?:Bộ trưởng|Chủ tịch|Giám đốc|Cục trưởng|Vụ trưởng)\s+", "", tail)
        found = gazetteer.find_all(tail)  # type: ignore[attr-defined]
        if found and found[0].start <= 1:
            return found[0].unit.canonical, m.end() + found[0].end
    code = number.rsplit("-", 1)[-1] if "-" in number else ""
    if code in CODE_ISSUERS:
        return CODE_ISSUERS[code], 0
    if re.fullmatch(r"QH\d+", number.rsplit("/", 1)[-1]):
        return "Quốc hội", 0
    return "", 0


def _issuer_before(before: str, gazetteer: object | None) -> str:
    """The issuer named just before a reference: "đề nghị của Sở X tại Tờ trình số ..."."""
    m = re.search(rf"\bcủa\s+(.+?)\s+tại\s+(?:(?:{_TYPE_RE})\s*)?(?:số\s*)?$", before)
    if not m or gazetteer is None:
        return ""
    found = gazetteer.find_all(m.group(1))  # type: ignore[attr-defined]
    if found and found[0].start <= 1 and found[-1].end >= len(m.group(1).rstrip(" ,")) - 1:
        return found[0].unit.canonical
    return ""


_TITLE_VERB = re.compile(r"^\s*,?\s*(?:quy định|về|phê duyệt|hướng dẫn|ban hành)\s")
_TITLE_BEFORE = re.compile(r"(?:^|[;:]|\(\d+\))\s*([A-ZĐÀ-Ỹ][^();:]{8,250}?)\s*\(\s*$")


def _title_before(before: str) -> str:
    """A title written before a parenthesised reference: "(2) Đề án ... (Quyết định số ...)".

    >>> _title_before("(1) Đề án hỗ trợ trẻ em khuyết tật giai đoạn 2018 -  2025 (")
    'Đề án hỗ trợ trẻ em khuyết tật giai đoạn 2018 - 2025'
    """
    m = _TITLE_BEFORE.search(before)
    return re.sub(r"\s+", " ", m.group(1)).strip(" ,") if m else ""


def _title_after(rest: str) -> str:
    """A cited document's title as written after it ("phê duyệt Chương trình ...")."""
    rest = rest.strip(" ,")
    rest = re.split(r"[;:]|\s\(|\.\s|\.$", rest, maxsplit=1)[0]
    rest = rest.strip(" ,.")[:300]
    return rest if rest[:1].isalpha() else ""


def find_references(text: str, *, gazetteer: object | None = None) -> list[RefMatch]:
    """Every document reference in ``text``, left to right."""
    out = [_numbered_reference(text, m, gazetteer) for m in _NUMBER.finditer(text)]
    out += _law_references(text, [(r.start, r.end) for r in out])
    out.sort(key=lambda r: r.start)
    return out


def _numbered_reference(text: str, m: re.Match[str], gazetteer: object | None) -> RefMatch:
    """A reference by number ("Quyết định số 23/QĐ-TTg ngày 07/01/2021 của Thủ tướng ..."):
    its type, date, issuer and title from the words around it."""
    number = normalise_number(
        m.group("num") + "/" + (m.group("year") + "/" if m.group("year") else "") + m.group("code")
    )
    written = m.group("type")
    doc_type = ""
    if written:
        doc_type = next(t for t in TYPE_WORDS if t.lower() == written.lower())
    doc_type = doc_type or type_from_number(number)
    end = m.end()
    date = None
    d = _DATE_AFTER.match(text[end:])
    if d:
        dates = find_dates(text[end : end + 40])
        if dates and dates[0].start <= d.end() + 1 and dates[0].iso:
            date = dates[0].iso
            end += dates[0].end
    year_hint = int(m.group("year")) if m.group("year") else None
    issuer, used = _issuer_after(text[end:], number, gazetteer)
    if not issuer:
        issuer = _issuer_before(text[max(0, m.start() - 160) : m.start()], gazetteer)
    title_start = end + used
    title = _title_after(text[title_start:]) if used else ""
    if not title and _TITLE_VERB.match(text[title_start:]):
        title = _title_after(text[title_start:])  # "Nghị định số 56/2017/NĐ-CP quy định ..."
    if not title:
        title = _title_before(text[max(0, m.start() - 300) : m.start()])
    start = m.start() if written else m.start("num")
    ref = DocRef(number, doc_type, date, issuer, title, year_hint)
    return RefMatch(start, end + used, ref, text[start : end + used])


def _law_references(text: str, taken: list[tuple[int, int]]) -> list[RefMatch]:
    """Laws cited by name ("Luật Trẻ em ngày 05 tháng 4 năm 2016") outside the ``taken``
    spans of numbered references."""
    out: list[RefMatch] = []
    taken = list(taken)
    for m in _LAW.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        if re.search(r"(?:Hội|Liên đoàn|Đoàn)\s+$", text[max(0, m.start() - 12) : m.start()]):
            continue  # "Hội Luật sư Việt Nam" is a unit, not a law
        found = _law_reference(text, m)
        if found is not None:
            out.append(found)
            taken.append((m.start(), found.end))
    return out


def _law_reference(text: str, m: re.Match[str]) -> RefMatch | None:
    """The law a "Luật"/"Bộ luật" opens: its title up to the first stop, and its date or
    year; ``None`` when no title follows."""
    body = text[m.end() :]
    amending = fold(body).startswith("sua doi")
    stops = [len(body), 220]
    for pattern in ([r";", r"\(", r"\)"] if amending else
                    [r",", r";", r"\s+và\s+", r"\(", r"\)", r"\.(?:\s|$)", r"\s+quy định",
                     r"\s+có hiệu lực", r"\s+năm\s+\d{4}", r"\s+số\s"]):  # fmt: skip
        s = re.search(pattern, body)
        if s:
            stops.append(s.start())
    dates = find_dates(body[:260])
    long_dates = [x for x in dates if x.iso and re.match(r"ngày", body[x.start : x.start + 4])]
    if long_dates:
        stops.append(long_dates[0].start)
    cut = min(stops)
    title_words = re.sub(r"\s+ngày\s*$", "", body[:cut]).strip(" ,")
    if not title_words or len(title_words) > 200:
        return None
    if not amending:
        title_words = title_words[0].upper() + title_words[1:]
    title = f"{m.group(1)} {title_words}"
    rest = body[cut:]
    date, year_hint, end = None, None, m.end() + cut
    dd = _DATE_AFTER.match(rest)
    if dd and long_dates and long_dates[0].start <= cut + dd.end() + 1:
        date = long_dates[0].iso
        end = m.end() + long_dates[0].end
    else:
        y = _YEAR_AFTER.match(rest)
        if y:
            year_hint = int(y.group(1))
            end = m.end() + cut + y.end()
    doc_type = "Bộ luật" if m.group(1) == "Bộ luật" else "Luật"
    ref = DocRef("", doc_type, date, "Quốc hội", title, year_hint)
    return RefMatch(m.start(), end, ref, text[m.start() : end])


def ref_key(ref: DocRef) -> tuple[str, str, int | None]:
    """Identity of a cited document: type code, number (or title), year."""
    from obligraph.base.vocab import doc_type_code

    ident = fold(ref.number) if ref.number else fold(ref.title)
    year = ref.year
    if ref.number and year is None:
        m = re.search(r"/(\d{4})/", ref.number)
        year = int(m.group(1)) if m else None
    return doc_type_code(ref.doc_type), ident, year


@dataclass
class Block:
    """A paragraph of text with the lines it spans (for citation spans)."""

    start: int
    end: int
    text: str
    offsets: list[tuple[int, int]]  # (char offset in text, 1-based line)

    def line_at(self, offset: int) -> int:
        line = self.start
        for off, n in self.offsets:
            if off <= offset:
                line = n
        return line


def extract_citations(
    blocks: list[Block],
    *,
    file: str,
    own_number: str,
    body_start: int,
    implements_lines: set[int],
    group_heading_lines: set[int],
    excluded_lines: set[int],
    gazetteer: object | None = None,
) -> tuple[list[Citation], list[Finding]]:
    """Citations of one document, one per (cited document, relation), first occurrence kept.

    ``body_start`` is the first line of the body (Điều 1 or the first section):
    "Căn cứ"/"Thực hiện" paragraphs before it are legal bases.
    ``implements_lines`` are the title's and Điều 1's lines; ``group_heading_lines``
    the lines of plan headings whose "theo ..." reference names a programme.
    """
    found: dict[tuple[tuple[str, str, int | None], str], Citation] = {}
    findings: list[Finding] = []
    own = fold(normalise_number(own_number)) if own_number else ""
    for block in blocks:
        if block.start in excluded_lines:
            continue
        opener = fold(block.text[:12])
        is_basis = block.start < body_start and opener.startswith(("can cu", "thuc hien"))
        refs = find_references(block.text, gazetteer=gazetteer)
        clauses = _basis_clauses(block.text, refs) if is_basis else {}
        # the document's own number is no citation
        refs = [r for r in refs if not (own and r.ref.number and fold(r.ref.number) == own)]
        relations = _relations(block, refs, clauses, implements_lines, group_heading_lines)
        for r, relation in zip(refs, relations, strict=True):
            span = SourceSpan(file, block.line_at(r.start), block.line_at(r.start), r.text)
            if relation == "based_on":
                # a legal basis quotes its whole clause as printed ("Căn cứ Nghị định ...")
                at, clause = clauses[r.start]
                last = block.line_at(at + len(clause) - 1)
                span = SourceSpan(file, block.line_at(at), last, clause)
            k = (ref_key(r.ref), relation)
            if k not in found:
                found[k] = Citation(r.ref, relation, span)  # type: ignore[arg-type]
            year = r.ref.year
            if year is not None and not plausible_year(year):
                findings.append(_implausible_year(r.ref, year, span))
    cits = _merge_details(list(found.values()))
    # a document that is a basis or implemented is not also listed as merely cited
    strong = {ref_key(c.target)[:2] for c in cits if c.relation != "cites"}
    cits = [c for c in cits if c.relation != "cites" or ref_key(c.target)[:2] not in strong]
    return cits, findings


def _basis_clauses(text: str, refs: list[RefMatch]) -> dict[int, tuple[int, str]]:
    """The clauses of a "Căn cứ ..." paragraph (split at ";"), by the start of the first
    reference each holds: ``{ref start: (clause start, clause text)}``."""
    clauses: dict[int, tuple[int, str]] = {}
    seg_start = 0
    for seg in re.split(r";", text):
        first = next((r for r in refs if seg_start <= r.start < seg_start + len(seg)), None)
        if first is not None:
            lead = len(seg) - len(seg.lstrip())
            clauses[first.start] = (seg_start + lead, seg.strip())
        seg_start += len(seg) + 1
    return clauses


def _relations(
    block: Block,
    refs: list[RefMatch],
    clauses: dict[int, tuple[int, str]],
    implements_lines: set[int],
    group_heading_lines: set[int],
) -> list[str]:
    """What the document does with each reference of a block: ``based_on`` (the first of a
    legal-basis clause), ``implements`` (after "thực hiện"/"triển khai" in the title or
    Điều 1, or named by a group heading's "(theo ...)"), else ``cites``."""
    out: list[str] = []
    group_end = -1  # end of the last programme a group heading's "(theo ...)" named
    for r in refs:
        line = block.line_at(r.start)
        before = fold(block.text[max(0, r.start - 40) : r.start])
        between = block.text[group_end : r.start] if group_end >= 0 else ""
        if r.start in clauses:
            relation = "based_on"
        elif line in implements_lines and re.search(r"(thuc hien|trien khai)\s*$", before):
            relation = "implements"
        elif line in group_heading_lines and re.search(r"\(\s*theo\s*$", before):
            relation, group_end = "implements", r.end
        elif group_end >= 0 and re.fullmatch(r"[^()]*?(?:,|\svà)\s*", between):
            # "(theo Quyết định số 1863/QĐ-TTg ... và Quyết định số 1472/QĐ-TTg ...)"
            relation, group_end = "implements", r.end
        else:
            relation = "cites"
        out.append(relation)
    return out


def _implausible_year(ref: DocRef, year: int, span: SourceSpan) -> Finding:
    return Finding(
        "implausible-year",
        "warning",
        f"cited document {ref.number or ref.title} is dated {year}, an implausible year",
        span,
        args={"document": ref.number or ref.title, "year": str(year)},
        variant="cited",
    )


def _merge_details(cits: list[Citation]) -> list[Citation]:
    """Give every citation of one document the fullest date/issuer/title seen."""
    best: dict[tuple[str, str, int | None], DocRef] = {}
    by_ident: dict[tuple[str, str], DocRef] = {}
    for c in cits:
        k = ref_key(c.target)
        old = best.get(k)
        best[k] = _fuller(old, c.target) if old else c.target
    for ref in best.values():
        k = ref_key(ref)
        by_ident[(k[0], k[1])] = _fuller(by_ident.get((k[0], k[1])), ref)
    out = []
    for c in cits:
        k = ref_key(c.target)
        ref = best[k]
        if k[2] is None and (k[0], k[1]) in by_ident:  # undated mention of a dated citation
            ref = by_ident[(k[0], k[1])]
        out.append(Citation(ref, c.relation, c.span))
    # an undated mention may have become the same document as another citation
    seen: set[tuple[tuple[str, str, int | None], str]] = set()
    unique = []
    for c in out:
        k = (ref_key(c.target), c.relation)
        if k not in seen:
            seen.add(k)
            unique.append(c)
    return unique


def _fuller(a: DocRef | None, b: DocRef) -> DocRef:
    if a is None:
        return b
    return DocRef(
        a.number or b.number,
        a.doc_type or b.doc_type,
        a.date or b.date,
        a.issuer or b.issuer,
        a.title if len(a.title) >= len(b.title) else b.title,
        a.year_hint or b.year_hint,
    )
