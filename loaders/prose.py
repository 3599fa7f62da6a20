"""Assignments written as prose: who leads, who supports, what, under which programme.

Long plans often assign work in sentences rather than tables:

- "Sở Y tế chủ trì triển khai: (i) ...; (ii) ..." -> one task per (i) item, Sở Y tế leads;
- "Sở X chủ trì, phối hợp Sở Y và các đơn vị liên quan thực hiện ..." -> X leads, Y supports;
- "... báo cáo kết quả Chỉ tiêu 3, Chỉ tiêu 4 ..." -> the task serves those indicators;
- "1. Sở X (...):" followed by "- ..." bullets -> each bullet is a task X leads;
- "Đề nghị Tòa án nhân dân ..." addressed to bodies outside the issuer's authority -> a
  request, not an obligation.

The programme a task serves is the decision its group heading names ("Nhóm 3 ... (theo Quyết
định số 1863/QĐ-TTg ...)"), else the one programme the plan implements.

>>> from obligraph.loaders.units import Gazetteer
>>> lines = ["III. NHIỆM VỤ", "",
...          "- Sở Y tế chủ trì, phối hợp các sở, ban, ngành liên quan thực hiện, "
...          "báo cáo kết quả Chỉ tiêu 3 và Chỉ tiêu 4.", "",
...          "- Sở Tư pháp chủ trì triển khai: (i) Truyền thông pháp luật; (ii) Thanh tra."]
>>> tasks, findings = extract_prose_tasks(lines, "plan.txt", Gazetteer.default())
>>> for t in tasks:
...     print(t.task_id, [a.unit.mention for a in t.assignments if a.role == "lead"], t.indicators)
III-g1 ['Sở Y tế'] ['3', '4']
III-g2-i ['Sở Tư pháp'] []
III-g2-ii ['Sở Tư pháp'] []
>>> [a.unit.canonical for a in tasks[0].assignments if a.role == "support"]
['Các sở, ban, ngành liên quan']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from obligraph.loaders.normalise import clean
from obligraph.loaders.records import Assignment, Finding, Modality, SourceSpan, Task, UnitRef
from obligraph.loaders.structure import Item, paragraphs, segment
from obligraph.loaders.timeframes import parse_timeframe
from obligraph.loaders.units import Mention

from obligraph.base.textkeys import fold

if TYPE_CHECKING:  # pragma: no cover
    from obligraph.loaders.context import Context, Extracted, Text
    from obligraph.loaders.units import Gazetteer

# ---------------------------------------------------------------------------------------------
# Text helpers


def fold_keep(text: str) -> str:
    """Fold character by character, keeping offsets (one output char per input char).

    >>> fold_keep("Sở Y tế  chủ trì")
    'so y te  chu tri'
    """
    out = []
    for ch in text:
        if ch.isspace():
            out.append(" ")
            continue
        f = fold(ch)
        out.append(f if len(f) == 1 else (ch.lower()[:1] or " "))
    return "".join(out)


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


def outline(
    lines: list[str], items: list[Item] | None = None, cleaned: Any = None
) -> list[Para]:
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


# ---------------------------------------------------------------------------------------------
# Units in running text

# Verbs (folded) that end a subject: what follows the unit names.
_VERB = re.compile(
    r"\b(?:chu tri|tham muu|phoi hop|trien khai|thuc hien|co trach nhiem|chiu trach nhiem|"
    r"tang(?! cuong)|dua|theo doi|lap|tich cuc|huong dan|xay dung|chi dao|bao cao|"
    r"nghien cuu|de xuat|duoc giao|trong pham vi|can cu|dam bao|phu trach|cung cap|"
    r"ra soat|bo tri|tang cuong|giam sat|thanh lap|de)\b"
)
_PREFIX = re.compile(
    r"^(?:(?P<request>đề nghị)\s+|(?P<assign>giao(?:\s+cho)?)\s+|ngoài ra,?\s+|đối với\s+)+",
    re.IGNORECASE,
)
_UNIT_NOUN = re.compile(
    r"\b(?:so|ban|nganh|don vi|co quan|to chuc|dia phuong|bo|hoi|doan the|uy ban|cong an|"
    r"toa an|vien|dai|bao chi|truong|trung tam)\b"
)
_SUPPORT = re.compile(r"\bphoi hop(?:\s+voi)?\s+")
_ROMAN_ITEM = re.compile(r"\(([ivx]{1,4})\)\s*")
_INDICATOR_REF = re.compile(r"\bchi tieu\s+(\d+(?:\s*(?:,|va)\s*(?:chi tieu\s+)?\d+)*)")
_PROGRAMME = re.compile(
    r"\btheo\s+(?:quyet dinh|chi thi|nghi quyet|ke hoach)(?:\s+so)?\s+"
    r"(\d+\s*/\s*(?:\d{4}\s*/\s*)?[a-z]+(?:\s*-\s*[a-z]+)+)"
)
_TIME_PHRASE = re.compile(
    r"(?:dinh ky\s+)?(?:6 thang|hang nam|hang quy|hang thang|thuong xuyen)"
    r"|(?:vao|trong|den)\s+nam\s+\d{4}|giai doan\s+\d{4}\s*-\s*\d{4}"
)
_ROMAN_ORDER = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def _verb_at(text: str, gazetteer: Gazetteer, start: int = 0) -> int:
    """Offset of the first verb outside a known unit's name ("Sở Xây dựng" is no verb), or -1."""
    key = fold_keep(text)
    known = [(m.start, m.end) for m in gazetteer.find_all(text)]
    for match in _VERB.finditer(key, start):
        if not any(a <= match.start() < b for a, b in known):
            return match.start()
    return -1


def _mentions(text: str, gazetteer: Gazetteer, resolver: Any = None) -> list[UnitRef]:
    """Units named in a short segment (a subject or a "phối hợp với ..." list).

    With a ``resolver`` (:class:`obligraph.loaders.unit_names.UnitResolver`) names are
    resolved in the document's own jurisdiction.
    """
    text = re.sub(r"\((?!\s*(?:thông qua|qua)\b)[^()]*\)", " ", text)
    text = re.sub(r"\(\s*(?:thông qua|qua)\s+([^()]*)\)", r", \1", text)
    if resolver is not None:
        from obligraph.loaders.unit_names import trim_name

        known, rest = gazetteer.split_mentions(text)
        named_rest = [x for x in rest if x.strip(" ,;:.").lower().startswith(("các ", "sở "))]
        if known and not named_rest and all(m.unit.known for m in known):
            # every name is one the gazetteer knows: its reading, in this jurisdiction
            out: list[UnitRef] = []
            for m in known:
                ref = m.unit if m.unit.generic else resolver.resolve(m.unit.mention)
                if all(r.canonical != ref.canonical for r in out):
                    out.append(ref)
            return out
        refs, _rest = resolver.split(text)
        kept: list[UnitRef] = []
        for ref in refs:
            name = ref.mention if ref.known else trim_name(ref.mention)
            if name != ref.mention:
                ref = resolver.resolve(name)
            words = ref.mention.split()
            if len(words) < 2 and not ref.known:
                continue
            if (
                not ref.known
                and not ref.generic
                and not (
                    words[1][:1].isupper()
                    or words[1][:1].isdigit()
                    or resolver.is_local(ref.mention)
                )
            ):
                continue  # "Báo cáo gửi" is not a unit
            if all(r.canonical != ref.canonical for r in kept):
                kept.append(ref)
        return kept
    found, rest = gazetteer.split_mentions(text)
    # lower-case placeholders the scanner leaves over: "... và các tổ chức xã hội"
    for left in rest:
        left = re.sub(r"^(?:và|cùng|với)\s+", "", left.strip(" ,;:."))
        key = fold(left)
        if key.startswith("cac ") and _UNIT_NOUN.search(key[4:20]):
            at = text.find(left)
            found.append(Mention(at, at + len(left), left, gazetteer.resolve(left)))
    found.sort(key=lambda m: m.start)
    out: list[UnitRef] = []
    for mention in found:
        ref = mention.unit
        if not ref.known:
            words = ref.mention.split()
            if len(words) < 2:
                continue
            if not (words[1][:1].isupper() or words[1][:1].isdigit()):
                # "Các đơn vị liên quan" is a placeholder; "Báo cáo gửi" is not a unit
                if not (ref.generic and _UNIT_NOUN.search(fold(" ".join(words[1:4])))):
                    continue
        if all(r.canonical != ref.canonical for r in out):
            out.append(ref)
    return out


def _subject(
    body: str, gazetteer: Gazetteer, resolver: Any = None
) -> tuple[list[UnitRef], int, str]:
    """Units opening ``body``, where the rest starts, and ``"request"``/``"assign"``/``""``."""
    prefix = _PREFIX.match(body)
    kind = ""
    start = 0
    if prefix:
        kind = (
            "request" if prefix.group("request") else ("assign" if prefix.group("assign") else "")
        )
        start = prefix.end()
    rest = body[start:]
    key = fold_keep(rest)
    colon = rest.find(":")
    ends = [p for p in (_verb_at(rest, gazetteer), colon) if p > 0]
    if resolver is not None:
        from obligraph.loaders.unit_names import list_end

        end_of_list = list_end(rest)
        if ends:
            pass  # a known verb or a colon ends the subject
        elif 0 < end_of_list < len(rest):
            ends.append(end_of_list)
        elif len(rest.split()) <= 12:
            ends.append(len(rest))  # a heading that is only a unit's name: "1. Sở Y tế"
    if not ends:
        return [], start, kind
    end = min(ends)
    segment_text = rest[:end]
    if not segment_text[:1].isupper() and not key.startswith("cac "):
        return [], start, kind
    letters = [c for c in segment_text if c.isalpha()]
    if len(letters) > 6 and all(c.isupper() for c in letters):
        return [], start, kind  # a heading or a signature in capitals, not a subject
    if resolver is not None:
        from obligraph.loaders.unit_names import _looks_like_unit

        if not _looks_like_unit(segment_text.strip()) and gazetteer.find(segment_text) is None:
            return [], start, kind  # "Báo cáo gửi về ...": no unit opens the sentence
    units = _mentions(segment_text, gazetteer, resolver)
    if not units:
        return [], start, kind
    first = fold(units[0].mention.split()[0]) if units[0].mention else ""
    if not fold(segment_text).startswith(first):
        return [], start, kind
    return units, start + end, kind


def unit_list_at(text: str, gazetteer: Gazetteer | None = None) -> list[UnitRef]:
    """The units a sentence opens with (its subject), or ``[]``.

    >>> [u.canonical for u in unit_list_at("Sở Y tế, Sở Tư pháp chủ trì triển khai")]
    ['Sở Y tế Thành phố Hồ Chí Minh', 'Sở Tư pháp Thành phố Hồ Chí Minh']
    """
    gazetteer = gazetteer or _default_gazetteer()
    return _subject(text.strip(), gazetteer)[0]


def resolve_units_in(
    text: str, gazetteer: Gazetteer | None = None, limit: int = 5
) -> list[UnitRef]:
    """Units named at the start of a phrase ("Bộ X (thông qua Cục Y) trước ngày ...")."""
    gazetteer = gazetteer or _default_gazetteer()
    verb = _verb_at(text, gazetteer)
    segment_text = text[:verb] if verb > 0 else text
    return _mentions(segment_text, gazetteer)[:limit]


def _default_gazetteer() -> Gazetteer:
    from obligraph.loaders.units import Gazetteer

    return Gazetteer.default()


def _supports(text: str, gazetteer: Gazetteer, resolver: Any = None) -> list[UnitRef]:
    """Units named after "phối hợp (với)" in ``text``."""
    key = fold_keep(text)
    out: list[UnitRef] = []
    for match in _SUPPORT.finditer(key):
        tail = text[match.end() :]
        cut = [p for p in (_verb_at(tail, gazetteer), *(tail.find(c) for c in ":;.(")) if p > 0]
        if resolver is not None:
            from obligraph.loaders.unit_names import list_end

            cut.append(list_end(tail))
        segment_text = tail[: min(cut)] if cut else tail
        if not segment_text.strip()[:1]:
            continue
        for ref in _mentions(segment_text, gazetteer, resolver):
            if all(r.canonical != ref.canonical for r in out):
                out.append(ref)
    return out


def indicator_refs(text: str) -> list[str]:
    """Chỉ tiêu numbers a sentence names.

    >>> indicator_refs("báo cáo kết quả Chỉ tiêu 3, Chỉ tiêu 4, Chỉ tiêu 5 và Chỉ tiêu 6")
    ['3', '4', '5', '6']
    >>> indicator_refs("để đạt được các chỉ tiêu 1, 2, 8 của Chương trình")
    ['1', '2', '8']
    """
    out: list[str] = []
    for match in _INDICATOR_REF.finditer(fold(text)):
        for number in re.findall(r"\d+", match.group(1)):
            number = str(int(number))
            if number not in out:
                out.append(number)
    return out


def programme_of(titles: list[str]) -> str:
    """The decision number the nearest group heading ties its tasks to ("theo Quyết định số ...").

    >>> programme_of(["b) Nhiệm vụ", "Nhóm 3. ... (theo Quyết định số 1863/QĐ-TTg ngày ...)"])
    '1863/QĐ-TTg'
    """
    for title in titles:
        key = fold_keep(title)
        match = _PROGRAMME.search(key)
        if match:
            return re.sub(r"\s+", "", title[match.start(1) : match.end(1)])
    return ""


class GroupTracker:
    """Follows numbered headings in document order and the programme each one names.

    A heading "Nhóm 3. ... (theo Quyết định số 1863/QĐ-TTg ...)" ties what follows to 1863/QĐ-TTg
    until a heading of the same or a higher rank with another number opens (a repeated number,
    as in "1. Nhóm ..." followed by "1. Mục tiêu 1.", stays inside the group).
    """

    def __init__(self) -> None:
        self.stack: list[tuple[int, str, str, Item]] = []  # rank, label, programme, heading

    def update(self, para: Para) -> None:
        item = para.item
        if item is None or not para.first or item.kind not in ("dieu", "section", "number"):
            return
        rank = item.rank
        self.stack = [e for e in self.stack if e[0] < rank or (e[0] == rank and e[1] == item.label)]
        programme = programme_of([item.title])
        if programme:
            self.stack.append((rank, item.label, programme, item))

    @property
    def programme(self) -> str:
        return self.stack[-1][2] if self.stack else ""

    @property
    def heading(self) -> Item | None:
        return self.stack[-1][3] if self.stack else None


def time_of(text: str, context_year: int | None = None):
    """The time frame a task's words give ("Định kỳ hàng năm", "vào năm 2025"), if any."""
    key = fold_keep(text)
    phrases = [text[m.start() : m.end()] for m in _TIME_PHRASE.finditer(key)]
    if not phrases:
        return None
    return parse_timeframe("; ".join(phrases), context_year=context_year)


def _roman_items(body: str) -> tuple[str, list[tuple[str, int, int]]]:
    """Split "intro: (i) a; (ii) b" into the intro and ``(label, start, end)`` of each item."""
    found = list(_ROMAN_ITEM.finditer(body))
    items: list[tuple[str, int, int]] = []
    expected = 0
    kept = []
    for match in found:
        label = match.group(1)
        if expected < len(_ROMAN_ORDER) and label == _ROMAN_ORDER[expected]:
            kept.append(match)
            expected += 1
    if len(kept) < 2:
        return body, []
    for n, match in enumerate(kept):
        end = kept[n + 1].start() if n + 1 < len(kept) else len(body)
        items.append((match.group(1), match.end(), end))
    return body[: kept[0].start()], items


# ---------------------------------------------------------------------------------------------
# Tasks


def _under_objectives(para: Para) -> bool:
    """Whether the paragraph lists indicators or objectives rather than assignments."""
    titles = [para.item.title] if para.item is not None and para.item.kind == "letter" else []
    titles += [a.title for a in para.ancestors if a.kind in ("letter", "number", "section")][:2]
    for title in titles:
        key = fold(title).rstrip(":. ")
        if key in ("chi tieu", "muc tieu", "muc tieu cu the", "chi tieu cu the"):
            return True
        if key.startswith(("muc dich", "yeu cau", "muc tieu tong quat", "muc tieu chung")):
            return True
    return False


def _is_heading(para: Para, units: list[UnitRef], rest: str) -> bool:
    """A unit heading: "1. Sở X (Cơ quan thường trực ...):" with bullets below it."""
    tail = re.sub(r"\([^()]*\)", "", rest).strip()
    return bool(units) and tail in (":", "") and para.item is not None and bool(para.item.children)


def _issuer_chain(gazetteer: Gazetteer, canonical: str) -> list[str]:
    chain = []
    while canonical and canonical not in chain and len(chain) < 10:
        chain.append(canonical)
        entry = gazetteer.entry(canonical)
        canonical = entry.parent if entry is not None else ""
    return chain


def localise(ref: UnitRef, issuer: str, gazetteer: Gazetteer) -> UnitRef:
    """Keep a bare local name ("Sở Y tế") from meaning one province's unit in another's text.

    The gazetteer knows "Sở Lao động - Thương binh và Xã hội" as Ho Chi Minh City's department
    (its alternative label). In a document whose issuer is not under that city, the bare name
    means "the department of each province": the gazetteer's placeholder "<name> các tỉnh,
    thành phố" when it has one, else a generic unit of that name.

    >>> from obligraph.loaders.units import Gazetteer
    >>> gaz = Gazetteer.default()
    >>> ref = gaz.resolve("Sở Lao động - Thương binh và Xã hội")
    >>> localise(ref, "Bộ Lao động - Thương binh và Xã hội", gaz).canonical
    'Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố'
    >>> localise(ref, "Ủy ban nhân dân Thành phố Hồ Chí Minh", gaz).canonical
    'Sở Lao động - Thương binh và Xã hội Thành phố Hồ Chí Minh'
    """
    if not issuer or not ref.known:
        return ref
    chain = _issuer_chain(gazetteer, ref.canonical)
    province = ""
    for name in chain[1:]:
        entry = gazetteer.entry(name)
        if entry is not None and entry.level == "province":
            province = name
            break
    if not province:
        return ref
    own = _issuer_chain(gazetteer, gazetteer.resolve(issuer).canonical)
    if province in own or ref.canonical in own or fold(ref.mention) == fold(ref.canonical):
        return ref
    place = re.match(r"^(?:Ủy ban nhân dân|UBND)\s+((?:tỉnh|thành phố)\s+\S.*)$", issuer)
    if place:  # the issuing province's own department: "Sở Tư pháp tỉnh An Giang"
        return UnitRef(ref.mention, f"{ref.mention} {place.group(1)}", False, False, issuer,
                       "provincial_department")  # fmt: skip
    placeholder = gazetteer.find(f"{ref.mention} các tỉnh, thành phố")
    if placeholder is not None:
        return UnitRef(
            ref.mention, placeholder.canonical, True, True, placeholder.parent, placeholder.level
        )
    return UnitRef(ref.mention, ref.mention, False, True, "", ref.level)


def _modality(kind: str, units: list[UnitRef], gazetteer: Gazetteer, issuer: str) -> Modality:
    """A "Đề nghị" to bodies outside the issuer's authority is a request."""
    if kind != "request":
        return "obligation"
    if not issuer:
        return "request"
    for unit in units:
        if issuer not in _issuer_chain(gazetteer, unit.canonical)[1:]:
            return "request"
    return "obligation"


@dataclass
class _Owner:
    units: list[UnitRef]
    modality: Modality
    heading: str
    role: str = "lead"


_ARTICLE_OWNER = (
    re.compile(r"^(?:Nội dung|Nhiệm vụ|Trách nhiệm)?\s*(?:của\s+)?(?P<who>.+?)\s+có trách nhiệm\s+"
               r"(?P<role>chủ trì|phối hợp)"),
    re.compile(r"^(?:Trách nhiệm|Nhiệm vụ|Nhiệm vụ, quyền hạn|Trách nhiệm và quyền hạn|"
               r"Nhiệm vụ và quyền hạn) của\s+(?P<who>.+?)\.?$"),
    re.compile(r"^(?P<request>Đề nghị)\s+(?P<who>.+?)\.?$"),
)  # fmt: skip


def _article_owner(body: str, resolver: Any, gazetteer: Gazetteer, issuer: str) -> _Owner | None:
    """The unit an article (Điều) is about: "Nội dung Sở X có trách nhiệm chủ trì",
    "Trách nhiệm của Sở X", "Đề nghị Ủy ban Mặt trận ..." (a request)."""
    title = re.sub(r"\s+", " ", body).strip()
    title = re.sub(r"^Điều \d+\.?\s*", "", title)
    for rx in _ARTICLE_OWNER:
        m = rx.match(title)
        if not m:
            continue
        from obligraph.loaders.unit_names import list_end

        who = m.group("who")
        units, _left = resolver.split(who[: list_end(who)] if list_end(who) > 0 else who)
        if not units:
            return None
        kind = "request" if m.groupdict().get("request") else ""
        role = "support" if m.groupdict().get("role") == "phối hợp" else "lead"
        return _Owner(units, _modality(kind, units, gazetteer, issuer), title, role)
    return None


def extract_prose_tasks(
    lines: list[str],
    file: str,
    gazetteer: Gazetteer | None = None,
    *,
    items: list[Item] | None = None,
    context: Any = None,
    cleaned: Any = None,
) -> tuple[list[Task], list[Finding]]:
    """Tasks assigned in running text, with lead and support units, and their findings.

    ``items`` is :func:`obligraph.loaders.structure.segment` output for the same
    lines (computed when not given); ``context`` an
    :class:`obligraph.loaders.context.Context` (issuer, year, programmes).
    Findings: ``lead-and-support`` (one unit both leads and supports a task) and
    ``unknown-unit`` (a unit the gazetteer lacks).
    """
    gazetteer = gazetteer or _default_gazetteer()
    issuer = getattr(context, "issuer", "") or ""
    jurisdiction = getattr(context, "jurisdiction", "") or ""
    resolver = None
    if jurisdiction:
        from obligraph.loaders.unit_names import UnitResolver

        resolver = UnitResolver(gazetteer, jurisdiction)

    def local(ref: UnitRef) -> UnitRef:
        return ref if resolver is not None else localise(ref, issuer, gazetteer)

    year = getattr(context, "year", None)
    programmes = getattr(context, "programme_numbers", []) or []
    fallback_programme = programmes[0] if len(programmes) == 1 else ""
    tasks: list[Task] = []
    findings: list[Finding] = []
    owners: dict[int, _Owner] = {}  # item index -> owner its bullets inherit
    article_owned: set[int] = set()  # articles (Điều) about one unit's duties
    groups = GroupTracker()
    for para in outline(lines, items, cleaned):
        groups.update(para)
        if para.item is None or _under_objectives(para):
            continue
        if para.item.kind == "dieu":
            if para.first and resolver is not None:
                title = para.body
                if len(title.strip()) <= 3 and para.line_end < len(lines):
                    title = lines[para.line_end]  # "Điều 14." / "Trách nhiệm của Sở X"
                owner = _article_owner(title, resolver, gazetteer, issuer)
                if owner is not None:  # "Điều 5. Nội dung Sở X có trách nhiệm chủ trì"
                    owners[para.item.index] = owner
                    article_owned.add(para.item.index)
            if para.first or para.item.index not in article_owned:
                continue
        body = para.body.strip()
        if not body:
            continue
        units, rest_at, kind = _subject(para.body, gazetteer, resolver)
        units = [local(u) for u in units]
        rest = para.body[rest_at:]
        inherited: _Owner | None = None
        if not units and para.item.index in article_owned and not para.first:
            inherited = owners[para.item.index]  # a paragraph of an article about one unit
        elif not units:
            if not para.first:
                continue  # a continuation of an item already read ("Báo cáo gửi về ...")
            chain = para.ancestors
            for anc in chain:
                if anc.index in owners:
                    inherited = owners[anc.index]
                    break
            if inherited is None:
                continue
        if units and _is_heading(para, units, rest):
            owners[para.item.index] = _Owner(
                units, _modality(kind, units, gazetteer, issuer), para.item.title
            )
            continue
        if units:
            modality = _modality(kind, units, gazetteer, issuer)
            leads = units
        else:
            assert inherited is not None
            modality, leads = inherited.modality, inherited.units
        if units and rest.strip().endswith(":") and para.item.children:
            # "- Sở X chủ trì thực hiện:" over "+" bullets: the bullets are the tasks
            owners[para.item.index] = _Owner(leads, modality, body)
            continue
        programme = groups.programme or fallback_programme
        base = para.item.item_id if para.first else f"{para.item.item_id}-para{para.ordinal}"
        head_text, roman = _roman_items(para.body)
        head_supports = [
            local(u) for u in _supports(head_text if roman else para.body, gazetteer, resolver)
        ]
        heading = para.ancestors[0].title if para.ancestors else ""
        if inherited is not None:
            heading = inherited.heading
        pieces: list[tuple[str, str, int, int]] = []  # (task id, text, start, end)
        if roman:
            for label, start, end in roman:
                pieces.append(
                    (
                        f"{base}-{label}",
                        para.text[para.body_start + start : para.body_start + end],
                        start,
                        end,
                    )
                )
        else:
            pieces.append((base, para.body, 0, len(para.body)))
        for task_id, text, start, end in pieces:
            text = text.strip().rstrip(";").strip()
            if not text:
                continue
            a, b = para.span(para.body_start + start, para.body_start + end)
            section = para.section + (f" / ({task_id.rsplit('-', 1)[1]})" if roman else "")
            span = SourceSpan(file, a, b, text, section=section)
            # An item's unit is named by its paragraph ("Sở Y tế chủ trì triển khai: (i) ..."):
            # the assignment quotes the paragraph as printed, the task only its item.
            said = span
            if roman:
                said = SourceSpan(file, para.line_start, para.line_end, para.text, section)
            supports = list(head_supports)
            if roman:
                for ref in _supports(text, gazetteer, resolver):
                    ref = local(ref)
                    if all(r.canonical != ref.canonical for r in supports):
                        supports.append(ref)
            task = Task(
                task_id=task_id,
                text=text,
                span=span,
                heading=head_text.strip().rstrip(":").strip() if roman else heading,
                modality=modality,
                programme=programme,
                indicators=indicator_refs(text if roman else para.body),
                extractor="prose",
            )
            frame = time_of(text, year)
            if frame is not None:
                task.timeframe = frame
            own_role = inherited.role if inherited is not None and not units else "lead"
            for unit in leads:
                task.assignments.append(Assignment(unit, own_role, modality, said))
            lead_names = {u.canonical for u in leads}
            for unit in supports:
                task.assignments.append(Assignment(unit, "support", modality, said))
                if unit.canonical in lead_names and not unit.generic:
                    findings.append(
                        Finding(
                            "lead-and-support",
                            "warning",
                            f"{unit.canonical} both leads and supports task {task_id}",
                            span,
                            about=task_id,
                            args={"unit": unit.canonical, "item": task_id},
                        )
                    )
            for unit in [*leads, *supports]:
                if not unit.known and not unit.generic:
                    findings.append(
                        Finding(
                            "unknown-unit",
                            "warning",
                            f"unit not in the gazetteer: {unit.mention}",
                            span,
                            about=task_id,
                            args={"unit": unit.mention},
                        )
                    )
            tasks.append(task)
    return tasks, findings


def extract(text: Text, ctx: Context) -> Extracted[Task]:
    """The loaders' contract (:mod:`obligraph.loaders.context`): prose assignments."""
    from obligraph.loaders.context import Extracted

    tasks, findings = extract_prose_tasks(
        text.lines, text.file, ctx.units, items=text.items, context=ctx, cleaned=text.cleaned
    )
    return Extracted(tasks, findings)
