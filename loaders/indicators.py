"""Indicators (Chỉ tiêu) and group objectives, with every target they set.

A plan states its indicators as numbered lines ("- Chỉ tiêu 3:" with "+" parts below, or
"- Chỉ tiêu 1: Tỷ lệ ... đạt 65% vào năm 2025 và đạt 75% vào năm 2030.") and its group
objectives as "(1) Phấn đấu đạt 90% ..." under "a) Mục tiêu:". Each becomes an
:class:`~obligraph.loaders.records.Indicator` with its measure and one
:class:`~obligraph.loaders.records.Target` per year: the value as a number (Vietnamese
decimals use a comma: "7,0", thousands a dot: "5.000"), its unit ("%", "per 1,000 live
births", "per 100,000 children", "count") and comparator (at most for "xuống dưới", at least
for "đạt trên", reduce by for "giảm 10%", maintain for "duy trì đến năm 2030").

An indicator with several measures ("Chỉ tiêu 3" with three "+" lines, or clauses separated by
";") is one indicator ``"3"`` whose parts are ``"3.1"``, ``"3.2"``, ... each with its targets.
Its lead units come from sentences such as "Sở Y tế chủ trì, ... báo cáo kết quả Chỉ tiêu 3,
Chỉ tiêu 4". Under a group heading that says its indicators belong to a national programme
("Nhóm Mục tiêu, Chỉ tiêu thuộc Chương trình ... (theo Quyết định số 23/QĐ-TTg ...)"),
Chỉ tiêu N adapts indicator N of that programme.

>>> from obligraph.loaders.units import Gazetteer
>>> lines = ["1. Nhóm Chỉ tiêu thuộc Chương trình (theo Quyết định số 23/QĐ-TTg ngày 07/01/2021):",
...          "a) Chỉ tiêu:",
...          "- Chỉ tiêu 3: Giảm tỷ suất tử vong trẻ sơ sinh xuống dưới 7,0/1.000 trẻ đẻ sống "
...          "vào năm 2025 và dưới 6,0/1.000 trẻ đẻ sống vào năm 2030.",
...          "b) Trách nhiệm thực hiện:",
...          "- Sở Y tế chủ trì, phối hợp các sở, ban, ngành liên quan báo cáo kết quả Chỉ tiêu 3."]
>>> found, notes = extract_indicators(lines, "plan.txt", Gazetteer.default())
>>> ind = found[0]
>>> ind.indicator_id, ind.measure, ind.programme, ind.adapts.number, ind.adapts_indicator
('3', 'Tỷ suất tử vong trẻ sơ sinh', '23/QĐ-TTg', '23/QĐ-TTg', '3')
>>> [(t.year, t.value, t.unit, t.comparator) for t in ind.targets]
[(2025, 7.0, 'per 1,000 live births', 'at_most'), (2030, 6.0, 'per 1,000 live births', 'at_most')]
>>> [u.canonical for u in ind.lead]
['Sở Y tế Thành phố Hồ Chí Minh']
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from obligraph.loaders.normalise import clean
from obligraph.loaders.outline import Para, outline
from obligraph.loaders.prose import GroupTracker, indicator_refs
from obligraph.loaders.records import Comparator, DocRef, Finding, Indicator, SourceSpan, Target
from obligraph.loaders.structure import Item, segment
from obligraph.loaders.subjects import fold_keep, localise, split_subject

from obligraph.base.textkeys import fold

if TYPE_CHECKING:  # pragma: no cover
    from obligraph.loaders.context import Context, Extracted, Text
    from obligraph.loaders.units import Gazetteer

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_RANGE = re.compile(rf"\btu\s+(?P<a>{_NUM})\s*(?:%|‰)?\s*den\s+(?P<b>{_NUM})\s*(?P<u>%|‰)")
_RATE = re.compile(
    rf"(?<![\d.,])(?P<a>{_NUM})\s*/\s*(?P<den>1\.000|10\.000|100\.000|1000|10000|100000)"
    r"(?P<pop>\s+tre\s+de\s+song|\s+ca\s+de\s+song|\s+tre\s+em|\s+dan)?"
)
_PERCENT = re.compile(rf"(?<![\d.,])(?P<a>{_NUM})\s*(?P<u>%|‰)")
_COUNT = re.compile(
    r"(?<![\d/.,])(?P<a>\d{1,3}(?:\.\d{3})+|\d{2,})\s+"
    r"(?!(?:tuoi|loai|thang|nam|lan|ky|tieu chi|gio|ngay|tuan|muc tieu|chi tieu|nhom)\b)"
    r"(?P<noun>[a-z]+)"
)
_COUNT_BEFORE = re.compile(
    r"(?:nam|so|ngay|thang|chi tieu|tieu chi|nhom|muc tieu|dieu|khoan|tu|den|duoi|tren)\s*$"
)
_YEAR_RANGE = re.compile(r"\bgiai doan\s+((?:19|20)\d\d)\s*-\s*((?:19|20)\d\d)\b")
_YEAR = re.compile(r"\bnam\s+((?:19|20)\d\d)\b")
_HORIZON = re.compile(r"\bden\s+nam\s+((?:19|20)\d\d)\b")
_CUE = re.compile(
    r"(?:(?:giam|xuong con|xuong|duoi|tren|dat|la|it nhat|toi thieu|toi da|tang|khong qua|"
    r"phan dau|trung binh|muc)\s+)+$"
)
_CHI_TIEU = re.compile(r"^chi tieu\s+(\d+)\s*[:.]?\s*")
_GROUP_LABEL = re.compile(r"^(nhom|muc tieu)\s+(\d+)\b")
_LEAD_WORDS = re.compile(r"^(?:phan dau|phan dau|phan dau|giam|tang|nang)\s+")
_DEC_TYPES = {
    "quyet dinh": "Quyết định",
    "chi thi": "Chỉ thị",
    "nghi quyet": "Nghị quyết",
    "ke hoach": "Kế hoạch",
}


@dataclass
class _Value:
    start: int
    end: int
    value: float
    unit: str
    kind: str  # "percent", "rate", "count", "range"


def parse_number(text: str) -> float:
    """A Vietnamese number: "7,0" -> 7.0, "5.000" -> 5000.0, "8,05" -> 8.05.

    >>> parse_number("7,0"), parse_number("5.000"), parse_number("99,3"), parse_number("100.000")
    (7.0, 5000.0, 99.3, 100000.0)
    """
    text = text.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


def _values(key: str) -> list[_Value]:
    """Every value in a folded clause, left to right, without overlaps."""
    found: list[_Value] = []

    def free(a: int, b: int) -> bool:
        return all(b <= v.start or a >= v.end for v in found)

    for m in _RANGE.finditer(key):
        unit = "%" if m.group("u") == "%" else "per 1,000"
        found.append(_Value(m.start(), m.end(), parse_number(m.group("a")), unit, "range"))
    last_rate_unit: dict[str, str] = {}
    for m in _RATE.finditer(key):
        if not free(m.start(), m.end()):
            continue
        den = m.group("den").replace(".", "")
        pop = " ".join((m.group("pop") or "").split())
        shown = f"{int(den):,}"
        if pop in ("tre de song", "ca de song"):
            unit = f"per {shown} live births"
        elif pop == "tre em":
            unit = f"per {shown} children"
        elif pop == "dan":
            unit = f"per {shown} population"
        else:
            unit = last_rate_unit.get(den, f"per {shown}")
        last_rate_unit[den] = unit
        found.append(_Value(m.start(), m.end(), parse_number(m.group("a")), unit, "rate"))
    for m in _PERCENT.finditer(key):
        if free(m.start(), m.end()):
            unit = "%" if m.group("u") == "%" else "per 1,000"
            found.append(_Value(m.start(), m.end(), parse_number(m.group("a")), unit, "percent"))
    for m in _COUNT.finditer(key):
        number = m.group("a")
        if re.fullmatch(r"(?:19|20)\d\d", number) or not free(m.start(), m.end("a")):
            continue
        if _COUNT_BEFORE.search(key[max(0, m.start() - 12) : m.start()]):
            continue
        found.append(_Value(m.start(), m.end("a"), parse_number(number), "count", "count"))
    # "... và 6.000 vào năm 2030": a bare number after a count, before a year, is a count too
    for m in re.finditer(
        r"(?<![\d/.,])(\d{1,3}(?:\.\d{3})+|\d{2,})(?=\s+(?:vao|den)\s+nam\b)", key
    ):
        if free(m.start(), m.end()) and any(v.kind == "count" for v in found):
            found.append(_Value(m.start(), m.end(), parse_number(m.group(1)), "count", "count"))
    found.sort(key=lambda v: v.start)
    return found


def _comparator(window: str, near: str, previous: Comparator) -> Comparator:
    """The comparator the words before a value give; ``previous`` when they give none."""
    if re.search(r"\bxuong\b", window) or re.search(
        r"\b(?:duoi|toi da|khong qua|thap hon)\b", near
    ):
        return "at_most"
    if re.search(r"\bgiam\b", window):
        return "reduce_by"
    if re.search(r"(?<!ha )\btang\b(?! cuong)", window) and not re.search(r"\btang len\b", window):
        return "increase_by"
    if re.search(r"\b(?:tren|it nhat|toi thieu|hon)\b", near):
        return "at_least"
    if re.search(r"\bla\s*$", near):
        return "equal"
    if re.search(r"\b(?:dat|phan dau)\b", window):
        return "at_least"
    return previous


@dataclass
class _Clause:
    """Where a clause sits: the paragraph, and the clause's offsets in ``para.text``."""

    para: Para
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.para.text[self.start : self.end]


def parse_targets(
    clause: _Clause, file: str, default_year: int | None, previous: Comparator = ""
) -> tuple[list[Target], list[tuple[int, int]], list[str]]:
    """Targets of one clause, the offsets of their values, and the value texts with no year.

    Each value takes the year written after it ("đạt 65% vào năm 2025"); a year that follows
    "duy trì" with no value of its own repeats the previous value ("duy trì đến năm 2030");
    a value with no year takes ``default_year`` (the group's horizon) when there is one.
    """
    text = clause.text
    key = fold_keep(text)
    values = _values(key)
    years = _years_in(key)
    targets: list[Target] = []
    spans: list[tuple[int, int]] = []
    orphans: list[str] = []
    used_years: set[int] = set()
    prev_end = 0
    for n, value in enumerate(values):
        next_start = values[n + 1].start if n + 1 < len(values) else len(key)
        comparator = _value_comparator(key, value, prev_end, previous)
        previous = comparator
        cue = _CUE.search(key[prev_end : value.start])
        begin = prev_end + cue.start() if cue else value.start
        bound = _year_of(years, value, prev_end, next_start, used_years)
        if value.kind == "count" and bound is None:
            prev_end = value.end
            continue
        end = max(bound[1], value.end) if bound else value.end
        if bound is not None and bound[0] < begin:
            begin = bound[0]
        shown = " ".join(text[begin:end].split()).strip(" ,;.")
        if bound is None and default_year is None:
            orphans.append(shown)
            prev_end = value.end
            continue
        year = bound[2] if bound else default_year
        assert year is not None
        a, b = clause.para.span(clause.start + begin, clause.start + end)
        span = SourceSpan(file, a, b, shown, section=clause.para.section)
        targets.append(Target(year, value.value, value.unit, comparator, shown, span))
        spans.append((value.start, value.end))
        used_years.add(year)
        prev_end = end
        kept, prev_end = _maintained(clause, file, years, value, end, next_start, used_years)
        targets += kept
    return targets, spans, orphans


def _years_in(key: str) -> list[tuple[int, int, int]]:
    """``(start, end, year)`` of every year a folded clause writes; a range counts as its end."""
    years: list[tuple[int, int, int]] = []
    for m in _YEAR_RANGE.finditer(key):
        years.append((m.start(), m.end(), int(m.group(2))))
    for m in _YEAR.finditer(key):
        if all(m.start() >= e or m.end() <= s for s, e, _ in years):
            years.append((m.start(), m.end(), int(m.group(1))))
    years.sort()
    return years


def _value_comparator(key: str, value: _Value, prev_end: int, previous: Comparator) -> Comparator:
    """The comparator of one value, from the words since the previous value."""
    window = key[prev_end : value.start]
    near = key[max(prev_end, value.start - 14) : value.start]
    comparator = _comparator(window, near, previous)
    if not comparator and value.unit == "%" and not window.strip():
        comparator = "at_least"  # "100% cán bộ ... được tập huấn": a share to reach
    return comparator


def _year_of(
    years: list[tuple[int, int, int]],
    value: _Value,
    prev_end: int,
    next_start: int,
    used_years: set[int],
) -> tuple[int, int, int] | None:
    """The year a value goes with: the first written after it (before the next value), else
    one not yet taken written before it ("Phấn đấu đến năm 2030 giảm ... xuống còn 4,5%")."""
    bound = next((y for y in years if value.end <= y[0] < next_start), None)
    if bound is not None:
        return bound
    return next(
        (
            y
            for y in reversed(years)
            if prev_end <= y[0] and y[1] <= value.start and y[2] not in used_years
        ),
        None,
    )


def _maintained(
    clause: _Clause,
    file: str,
    years: list[tuple[int, int, int]],
    value: _Value,
    end: int,
    next_start: int,
    used_years: set[int],
) -> tuple[list[Target], int]:
    """The same value kept for a later year ("... và duy trì đến năm 2030", ``maintain``), and
    where the text read so far ends (``end``, or the last such year's end)."""
    text, key = clause.text, fold_keep(clause.text)
    targets: list[Target] = []
    last = end
    for ys, ye, y in years:
        if ys >= end and ys < next_start and y not in used_years:
            between = key[end:ys]
            if re.search(r"\bduy tri\b", between):
                m_shown = " ".join(text[end + between.find("duy tri") : ye].split())
                a, b = clause.para.span(clause.start + end, clause.start + ye)
                span = SourceSpan(file, a, b, m_shown, section=clause.para.section)
                targets.append(Target(y, value.value, value.unit, "maintain", m_shown, span))
                used_years.add(y)
                last = ye
    return targets, last


def _measure(text: str, first_value: tuple[int, int] | None) -> str:
    """The thing measured: the words before the first value, else those after it."""
    key = fold_keep(text)
    if first_value is None:
        out = text
    else:
        start, end = first_value
        before = text[:start]
        cue = _CUE.search(key[:start])
        if cue:
            before = text[: cue.start()]
        before = re.sub(r"(?i)^\s*(?:phấn đấu|phân đấu|phần đầu)\s+", "", before)
        if len(before.split()) >= 3:
            out = before
        else:
            after = text[end:]
            stop = re.search(r"\s(?:vào|đến|trong)\s+năm\s|[;]", after)
            out = after[: stop.start()] if stop else after
    out = re.sub(r"(?i)^\s*(?:phấn đấu|phân đấu|phần đầu)\s+", "", out)
    out = re.sub(r"(?i)^\s*(?:đến|vào)\s+năm\s+\d{4},?\s+", "", out)
    out = re.sub(r"(?i)^\s*giảm\s+(?=(?:tỷ|tỉ|số)\b)", "", out)
    # a value left inside the measure: "100% trẻ em ...", "... đạt trung bình đạt trên 98%"
    out = re.sub(r"^\s*(?:đạt\s+)?\d+(?:[,.]\d+)?\s*%\s+", "", out)
    out = re.split(r"\s+(?:đạt|là)\s+(?:trung bình\s+)?(?:đạt\s+)?(?:trên\s+|dưới\s+)?\d", out)[0]
    out = " ".join(out.split()).strip(" ,;:.")
    out = re.sub(r"(?:,|\s+và|\s+hoặc)$", "", out)
    return out[:1].upper() + out[1:] if out else out


def _clauses(para: Para, start: int) -> list[_Clause]:
    """Clauses of a paragraph body from ``start``, split at ";"."""
    out: list[_Clause] = []
    pos = start
    for match in re.finditer(r";", para.text[start:]):
        end = start + match.start()
        out.append(_Clause(para, pos, end))
        pos = end + 1
    out.append(_Clause(para, pos, len(para.text)))
    return [c for c in out if c.text.strip()]


def _split_parts(
    clauses: list[_Clause], file: str, default_year: int | None
) -> list[tuple[str, list[Target], list[str], _Clause]]:
    """(measure, targets, orphans, clause) per part: a clause, or a run of values whose years
    rise (two values for one year are two measures). A clause with no comparator word takes
    the previous clause's ("Phấn đấu 100% ...; 100% học sinh ...")."""
    parts: list[tuple[str, list[Target], list[str], _Clause]] = []
    previous: Comparator = ""
    for clause in clauses:
        targets, spans, orphans = parse_targets(clause, file, default_year, previous)
        if targets:
            previous = targets[-1].comparator if targets[-1].comparator != "maintain" else previous
        if not targets:
            parts.append((_measure(clause.text, None), [], orphans, clause))
            continue
        groups: list[list[int]] = [[]]
        for i, target in enumerate(targets):
            current = groups[-1]
            if current and any(targets[j].year == target.year for j in current):
                groups.append([])
            groups[-1].append(i)
        for g, members in enumerate(groups):
            first = next((spans[i] for i in members if i < len(spans)), None)
            if len(groups) > 1 and first is not None:
                nxt = (
                    next((spans[i] for i in groups[g + 1] if i < len(spans)), None)
                    if (g + 1 < len(groups))
                    else None
                )
                start = 0 if g == 0 else first[0]
                end = nxt[0] if nxt else len(clause.text)
                local = clause.text[start:end]
                measure = _measure(local, (first[0] - start, first[1] - start))
            else:
                measure = _measure(clause.text, spans[0] if spans else None)
            parts.append(
                (measure, [targets[i] for i in members], orphans if g == 0 else [], clause)
            )
    return parts


def _programme_ref(heading: Item | None, number: str, context: Any) -> DocRef | None:
    """The cited programme as a DocRef: from the context's citations, else from the heading."""
    if not number:
        return None
    for citation in getattr(context, "citations", []) or []:
        target = citation.target
        if target.number and re.sub(r"\s+", "", target.number) == number:
            return target
    title = heading.title if heading is not None else ""
    doc_type = ""
    key = fold(title)
    for word, shown in _DEC_TYPES.items():
        if f"theo {word}" in key:
            doc_type = shown
            break
    date = None
    try:
        from obligraph.loaders.dates import parse_date

        date = parse_date(title[title.find(number.split("/")[0]) :])
    except ImportError:  # pragma: no cover - dates ships with the loaders
        date = None
    return DocRef(number=number, doc_type=doc_type, date=date)


def _group_label(para: Para) -> str:
    for anc in para.ancestors:
        m = _GROUP_LABEL.match(fold(anc.title))
        if m:
            return f"{anc.title.split()[0]} {m.group(2)}"
    return ""


def _horizon(para: Para) -> int | None:
    for anc in para.ancestors:
        m = _HORIZON.search(fold(anc.title))
        if m:
            return int(m.group(1))
    return None


def _is_objective_list(item: Item | None) -> bool:
    if item is None:
        return False
    key = fold(item.title).rstrip(":. ")
    return key in ("muc tieu", "muc tieu cu the", "chi tieu", "chi tieu cu the", "cac chi tieu")


_Part = tuple[str, list[Target], list[str], _Clause, Para]  # measure, targets, orphans, where


@dataclass
class _Found:
    """The indicators of one document as they are read, and their findings."""

    file: str
    indicators: list[Indicator] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    by_id: dict[str, Indicator] = field(default_factory=dict)
    objective_count: dict[str, int] = field(default_factory=dict)  # group label -> objectives

    def add(self, ind: Indicator) -> None:
        """Keep an indicator; one whose id is taken is reported, not kept."""
        if ind.indicator_id in self.by_id:
            self.findings.append(
                Finding(
                    "duplicate-indicator",
                    "warning",
                    f"indicator {ind.indicator_id} is defined twice",
                    ind.span,
                    about=ind.indicator_id,
                    args={"indicator": ind.indicator_id},
                )
            )
            return
        self.by_id[ind.indicator_id] = ind
        self.indicators.append(ind)

    def no_year(self, orphans: list[str], clause: _Clause, about: str) -> None:
        """Report each value no year goes with."""
        for text in orphans:
            a, b = clause.para.line_start, clause.para.line_end
            self.findings.append(
                Finding(
                    "target-without-year",
                    "info",
                    f"indicator {about}: the value '{text}' has no year",
                    SourceSpan(self.file, a, b, clause.para.text, section=clause.para.section),
                    about=about,
                    args={"indicator": about, "value": text},
                )
            )


@dataclass
class _Tags:
    """What every indicator of one definition shares: programme, adapted indicator, group."""

    programme: str
    adapts: DocRef | None
    adapts_indicator: str
    group: str

    def indicator(
        self, ind_id: str, measure: str, span: SourceSpan, targets: list[Target]
    ) -> Indicator:
        return Indicator(
            ind_id,
            measure,
            span,
            targets,
            programme=self.programme,
            adapts=self.adapts,
            adapts_indicator=self.adapts_indicator,
            group=self.group,
        )


def extract_indicators(
    lines: list[str],
    file: str,
    gazetteer: Gazetteer | None = None,
    *,
    context: Any = None,
    items: list[Item] | None = None,
    cleaned: Any = None,
) -> tuple[list[Indicator], list[Finding]]:
    """Every Chỉ tiêu and group objective with its targets, programme and lead units.

    Findings: ``target-without-year`` (a value no year goes with), ``indicator-without-lead``
    (a numbered Chỉ tiêu no sentence assigns), ``unknown-indicator`` (a sentence assigns a
    Chỉ tiêu the plan does not define), ``duplicate-indicator`` and ``indicator-numbering-gap``.
    """
    if gazetteer is None:
        from obligraph.loaders.units import Gazetteer

        gazetteer = Gazetteer.default()
    issuer = getattr(context, "issuer", "") or ""
    cleaned = cleaned if cleaned is not None else clean(lines)
    items = items if items is not None else segment(cleaned)
    paras = outline(lines, items, cleaned)
    groups = GroupTracker()
    found = _Found(file)
    paras_by_item: dict[int, Para] = {p.item.index: p for p in paras if p.item and p.first}
    for para in paras:
        groups.update(para)
        defined = _definition(para, items, found.objective_count)
        if defined is None:
            continue
        ind_id, body_start, numbered = defined
        group_heading = groups.heading
        adapts = None
        if numbered and group_heading is not None and "chi tieu" in fold(group_heading.title):
            adapts = _programme_ref(group_heading, groups.programme, context)
        tags = _Tags(
            groups.programme, adapts, ind_id if adapts is not None else "", _group_label(para)
        )
        horizon = _horizon(para)
        own = _split_parts(_clauses(para, body_start), file, horizon)
        parts = _parts_with_children(para, own, numbered, paras_by_item, file, horizon)
        _add_indicators(found, para, ind_id, own, parts, tags)
    _assign_leads(paras, found.indicators, found.findings, gazetteer, issuer, file)
    _numbering(found.indicators, found.findings)
    return found.indicators, found.findings


def _definition(
    para: Para, items: list[Item], objective_count: dict[str, int]
) -> tuple[str, int, bool] | None:
    """The indicator a paragraph opens, if any: ``(id, where its text starts, numbered)``.

    A numbered "Chỉ tiêu N" is indicator "N"; an item of an objectives list ("Mục tiêu cụ
    thể") is an objective numbered within its group ("nhom-2-mt-1"), unless it sits under
    a Chỉ tiêu (it is then that indicator's part).
    """
    item = para.item
    if item is None or not para.first:
        return None
    parent = items[item.parent] if item.parent is not None else None
    chi_tieu = _CHI_TIEU.match(fold_keep(item.title))
    if chi_tieu:
        return str(int(chi_tieu.group(1))), para.body_start + chi_tieu.end(), True
    if not _is_objective_list(parent) or item.kind not in ("paren", "dash", "letter", "number"):
        return None
    if parent is not None and _CHI_TIEU.match(fold(parent.title)):
        return None
    group = _group_label(para)
    label = group or (parent.item_id if parent is not None else "")
    objective_count[label] = objective_count.get(label, 0) + 1
    slug = re.sub(r"[^a-z0-9]+", "-", fold(group)).strip("-") if group else ""
    ordinal = item.label if item.kind == "paren" else str(objective_count[label])
    return (f"{slug}-mt-{ordinal}" if slug else f"mt-{item.item_id}"), para.body_start, False


def _parts_with_children(
    para: Para,
    own: list[tuple[str, list[Target], list[str], _Clause]],
    numbered: bool,
    paras_by_item: dict[int, Para],
    file: str,
    horizon: int | None,
) -> list[_Part]:
    """The parts of an indicator: its own clauses with values, then its sub-items' when they
    have values (or when a numbered Chỉ tiêu has none of its own)."""
    assert para.item is not None
    children = [paras_by_item[c] for c in para.item.children if c in paras_by_item]
    child_parts = []
    for child in children:
        cparts = _split_parts(_clauses(child, child.body_start), file, horizon)
        child_parts.append((child, cparts))
    has_child_values = any(t for _, cp in child_parts for _m, t, _o, _c in cp)
    own_has_values = any(t for _m, t, _o, _c in own)
    parts: list[_Part] = []
    if own_has_values:
        parts.extend((m, t, o, c, para) for m, t, o, c in own)
    if has_child_values or (numbered and not own_has_values):
        for child, cparts in child_parts:
            parts.extend((m, t, o, c, child) for m, t, o, c in cparts)
    return parts


def _add_indicators(
    found: _Found,
    para: Para,
    ind_id: str,
    own: list[tuple[str, list[Target], list[str], _Clause]],
    parts: list[_Part],
    tags: _Tags,
) -> None:
    """One indicator when it has at most one part; else a head and one indicator per part
    ("3.1", "3.2", ...), each with the findings of its values that have no year."""
    span = SourceSpan(found.file, para.line_start, para.line_end, para.text, section=para.section)
    measure_own = "; ".join(m for m, *_ in own if m).strip()
    if len(parts) <= 1:
        if parts:
            measure, targets, orphans, clause, _where = parts[0]
        else:
            measure, targets = measure_own, []
            orphans = [o for _m, _t, os_, _c in own for o in os_]
            clause = own[0][3] if own else None
        found.add(tags.indicator(ind_id, measure or measure_own, span, targets))
        if clause is not None:
            found.no_year(orphans, clause, ind_id)
        return
    own_has_values = any(t for _m, t, _o, _c in own)
    head = measure_own if measure_own and not own_has_values else ""
    head = head or "; ".join(m for m, *_ in parts if m)
    found.add(tags.indicator(ind_id, head, span, []))
    for k, (measure, targets, orphans, clause, where) in enumerate(parts, start=1):
        part_id = f"{ind_id}.{k}"
        part_span = SourceSpan(
            found.file, where.line_start, where.line_end, where.text, section=where.section
        )
        found.add(tags.indicator(part_id, measure, part_span, targets))
        found.no_year(orphans, clause, part_id)


def _assign_leads(
    paras: list[Para],
    indicators: list[Indicator],
    findings: list[Finding],
    gazetteer: Gazetteer,
    issuer: str,
    file: str,
) -> None:
    """Lead units from sentences that give a unit the results of some Chỉ tiêu."""
    by_id = {i.indicator_id: i for i in indicators}
    for para in paras:
        body = para.body
        if "chi tieu" not in fold(body) or _CHI_TIEU.match(fold(body.strip())):
            continue
        refs = indicator_refs(body)
        if not refs:
            continue
        units, _rest, _kind = split_subject(body, gazetteer)
        if not units:
            continue
        units = [localise(u, issuer, gazetteer) for u in units]
        for ref in refs:
            targets = [
                i
                for i in indicators
                if i.indicator_id == ref or i.indicator_id.startswith(f"{ref}.")
            ]
            if ref not in by_id:
                findings.append(
                    Finding(
                        "unknown-indicator",
                        "warning",
                        f"Chỉ tiêu {ref} is assigned but the plan does not define it",
                        SourceSpan(
                            file, para.line_start, para.line_end, para.text, section=para.section
                        ),
                        about=ref,
                        args={"indicator": ref},
                    )
                )
                continue
            for ind in targets:
                for unit in units:
                    if all(u.canonical != unit.canonical for u in ind.lead):
                        ind.lead.append(unit)


def _numbering(indicators: list[Indicator], findings: list[Finding]) -> None:
    numbered = [i for i in indicators if i.indicator_id.isdigit()]
    for ind in numbered:
        if not ind.lead:
            findings.append(
                Finding(
                    "indicator-without-lead",
                    "warning",
                    f"Chỉ tiêu {ind.indicator_id} has no unit assigned to lead or report on it",
                    ind.span,
                    about=ind.indicator_id,
                    args={"indicator": ind.indicator_id},
                )
            )
    numbers = [int(i.indicator_id) for i in numbered]
    for a, b in itertools.pairwise(numbers):
        if b != a + 1:
            after = next(i for i in numbered if int(i.indicator_id) == b)
            findings.append(
                Finding(
                    "indicator-numbering-gap",
                    "info",
                    f"Chỉ tiêu {b} follows Chỉ tiêu {a}",
                    after.span,
                    about=after.indicator_id,
                    args={"indicator": str(b), "previous": str(a)},
                )
            )


def extract(text: Text, ctx: Context) -> Extracted[Indicator]:
    """The loaders' contract (:mod:`obligraph.loaders.context`): indicators and targets."""
    from obligraph.loaders.context import Extracted

    indicators, findings = extract_indicators(
        text.lines, text.file, ctx.units, context=ctx, items=text.items, cleaned=text.cleaned
    )
    return Extracted(indicators, findings)
