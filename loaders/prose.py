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

from obligraph.loaders.outline import Para, outline
from obligraph.loaders.records import Assignment, Finding, Modality, SourceSpan, Task, UnitRef
from obligraph.loaders.structure import Item
from obligraph.loaders.subjects import (
    fold_keep,
    issuer_chain,
    localise,
    split_subject,
    support_units,
)
from obligraph.loaders.timeframes import parse_timeframe
from obligraph.loaders.unit_names import UnitResolver, list_end
from obligraph.loaders.units import Gazetteer

from obligraph.base.textkeys import fold

if TYPE_CHECKING:  # pragma: no cover
    from obligraph.loaders.context import Context, Extracted, Text

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


def _modality(kind: str, units: list[UnitRef], gazetteer: Gazetteer, issuer: str) -> Modality:
    """A "Đề nghị" to bodies outside the issuer's authority is a request."""
    if kind != "request":
        return "obligation"
    if not issuer:
        return "request"
    for unit in units:
        if issuer not in issuer_chain(gazetteer, unit.canonical)[1:]:
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
        who = m.group("who")
        units, _left = resolver.split(who[: list_end(who)] if list_end(who) > 0 else who)
        if not units:
            return None
        kind = "request" if m.groupdict().get("request") else ""
        role = "support" if m.groupdict().get("role") == "phối hợp" else "lead"
        return _Owner(units, _modality(kind, units, gazetteer, issuer), title, role)
    return None


@dataclass
class _Reading:
    """What reading one document's prose carries from paragraph to paragraph."""

    lines: list[str]
    file: str
    gazetteer: Gazetteer
    issuer: str
    resolver: UnitResolver | None
    year: int | None
    fallback_programme: str  # the one programme the plan implements, if only one
    owners: dict[int, _Owner] = field(default_factory=dict)  # item index -> owner of its bullets
    article_owned: set[int] = field(default_factory=set)  # articles (Điều) about one unit
    groups: GroupTracker = field(default_factory=GroupTracker)
    tasks: list[Task] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @classmethod
    def start(cls, lines: list[str], file: str, gazetteer: Gazetteer, context: Any) -> _Reading:
        jurisdiction = getattr(context, "jurisdiction", "") or ""
        programmes = getattr(context, "programme_numbers", []) or []
        return cls(
            lines,
            file,
            gazetteer,
            issuer=getattr(context, "issuer", "") or "",
            resolver=UnitResolver(gazetteer, jurisdiction) if jurisdiction else None,
            year=getattr(context, "year", None),
            fallback_programme=programmes[0] if len(programmes) == 1 else "",
        )

    def local(self, ref: UnitRef) -> UnitRef:
        """A unit read in the issuer's place (the resolver already did when there is one)."""
        return ref if self.resolver is not None else localise(ref, self.issuer, self.gazetteer)


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
    reading = _Reading.start(lines, file, gazetteer or Gazetteer.default(), context)
    for para in outline(lines, items, cleaned):
        reading.groups.update(para)
        if para.item is None or _under_objectives(para):
            continue
        if para.item.kind == "dieu" and not _in_owned_article(para, reading):
            continue
        if not para.body.strip():
            continue
        owner = _owner_of(para, reading)
        if owner is not None:
            _read_tasks(para, owner, reading)
    return reading.tasks, reading.findings


def _in_owned_article(para: Para, reading: _Reading) -> bool:
    """Whether an article's paragraph is a duty of the unit its title names.

    The title paragraph itself is not: it records the owner ("Điều 5. Nội dung Sở X có
    trách nhiệm chủ trì", "Điều 14." over "Trách nhiệm của Sở X") for the paragraphs below.
    """
    assert para.item is not None
    if para.first and reading.resolver is not None:
        title = para.body
        if len(title.strip()) <= 3 and para.line_end < len(reading.lines):
            title = reading.lines[para.line_end]  # "Điều 14." / "Trách nhiệm của Sở X"
        owner = _article_owner(title, reading.resolver, reading.gazetteer, reading.issuer)
        if owner is not None:
            reading.owners[para.item.index] = owner
            reading.article_owned.add(para.item.index)
    return not para.first and para.item.index in reading.article_owned


def _owner_of(para: Para, reading: _Reading) -> _Owner | None:
    """Who owes the tasks a paragraph holds: the units it opens with, else those of the
    article or heading it sits under; ``None`` when it holds none.

    A paragraph that is only a unit heading ("1. Sở X:" over bullets, "- Sở X chủ trì thực
    hiện:" over "+" bullets) holds no task itself: it becomes the owner of its bullets.
    """
    assert para.item is not None
    units, rest_at, kind = split_subject(para.body, reading.gazetteer, reading.resolver)
    units = [reading.local(u) for u in units]
    if not units:
        return _inherited_owner(para, reading)
    modality = _modality(kind, units, reading.gazetteer, reading.issuer)
    rest = para.body[rest_at:]
    if _is_heading(para, units, rest):
        reading.owners[para.item.index] = _Owner(units, modality, para.item.title)
        return None
    if rest.strip().endswith(":") and para.item.children:
        # "- Sở X chủ trì thực hiện:" over "+" bullets: the bullets are the tasks
        reading.owners[para.item.index] = _Owner(units, modality, para.body.strip())
        return None
    return _Owner(units, modality, para.ancestors[0].title if para.ancestors else "")


def _inherited_owner(para: Para, reading: _Reading) -> _Owner | None:
    """The owner of the article or the nearest heading a paragraph naming no unit sits under."""
    assert para.item is not None
    if para.item.index in reading.article_owned and not para.first:
        return reading.owners[para.item.index]  # a paragraph of an article about one unit
    if not para.first:
        return None  # a continuation of an item already read ("Báo cáo gửi về ...")
    for anc in para.ancestors:
        if anc.index in reading.owners:
            return reading.owners[anc.index]
    return None


@dataclass
class _Piece:
    """One task of a paragraph: the whole paragraph, or one of its "(i)" items."""

    task_id: str
    text: str
    start: int  # offsets in the paragraph's body
    end: int


def _pieces(para: Para, roman: list[tuple[str, int, int]]) -> list[_Piece]:
    """The tasks a paragraph holds: one per "(i)" item, else the paragraph."""
    assert para.item is not None
    base = para.item.item_id if para.first else f"{para.item.item_id}-para{para.ordinal}"
    if not roman:
        return [_Piece(base, para.body, 0, len(para.body))]
    at = para.body_start
    return [_Piece(f"{base}-{label}", para.text[at + a : at + b], a, b) for label, a, b in roman]


def _read_tasks(para: Para, owner: _Owner, reading: _Reading) -> None:
    """The tasks of one paragraph, with their assignments and findings."""
    head_text, roman = _roman_items(para.body)
    head_supports = support_units(
        head_text if roman else para.body, reading.gazetteer, reading.resolver
    )
    head_supports = [reading.local(u) for u in head_supports]
    for piece in _pieces(para, roman):
        text = piece.text.strip().rstrip(";").strip()
        if not text:
            continue
        a, b = para.span(para.body_start + piece.start, para.body_start + piece.end)
        section = para.section + (f" / ({piece.task_id.rsplit('-', 1)[1]})" if roman else "")
        span = SourceSpan(reading.file, a, b, text, section=section)
        # An item's unit is named by its paragraph ("Sở Y tế chủ trì triển khai: (i) ..."):
        # the assignment quotes the paragraph as printed, the task only its item.
        said = span
        supports = list(head_supports)
        if roman:
            said = SourceSpan(reading.file, para.line_start, para.line_end, para.text, section)
            for ref in support_units(text, reading.gazetteer, reading.resolver):
                ref = reading.local(ref)
                if all(r.canonical != ref.canonical for r in supports):
                    supports.append(ref)
        task = Task(
            task_id=piece.task_id,
            text=text,
            span=span,
            heading=head_text.strip().rstrip(":").strip() if roman else owner.heading,
            modality=owner.modality,
            programme=reading.groups.programme or reading.fallback_programme,
            indicators=indicator_refs(text if roman else para.body),
            extractor="prose",
        )
        frame = time_of(text, reading.year)
        if frame is not None:
            task.timeframe = frame
        for unit in owner.units:
            task.assignments.append(Assignment(unit, owner.role, owner.modality, said))
        for unit in supports:
            task.assignments.append(Assignment(unit, "support", owner.modality, said))
        reading.findings += _unit_findings(piece.task_id, owner.units, supports, span)
        reading.tasks.append(task)


def _unit_findings(
    task_id: str, leads: list[UnitRef], supports: list[UnitRef], span: SourceSpan
) -> list[Finding]:
    """``lead-and-support`` for a unit in both lists, ``unknown-unit`` for one the gazetteer
    lacks (placeholders aside)."""
    findings: list[Finding] = []
    lead_names = {u.canonical for u in leads}
    for unit in supports:
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
    return findings


def extract(text: Text, ctx: Context) -> Extracted[Task]:
    """The loaders' contract (:mod:`obligraph.loaders.context`): prose assignments."""
    from obligraph.loaders.context import Extracted

    tasks, findings = extract_prose_tasks(
        text.lines, text.file, ctx.units, items=text.items, context=ctx, cleaned=text.cleaned
    )
    return Extracted(tasks, findings)
