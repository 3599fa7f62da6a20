"""Annex tables: TAB-separated rows assigning each task a lead and support units.

A table is found by its header row — the column names, not the file: a
number column ("TT", "STT"), the content ("Nội dung", "Nhiệm vụ"), the lead
("Đơn vị chủ trì", "Cơ quan chủ trì"), the support ("Đơn vị phối hợp", "Cơ
quan phối hợp"), the time ("Thời gian thực hiện", "Thời gian hoàn thành") and
the output ("Sản phẩm", "Kết quả"). A header that forgets its content column
while the rows carry one is read with the content after the number.

Rows are group rows (a number or Roman numeral with content but no units) or
task rows; a number and its content may share a cell ("2 Rà soát ..."); cells
may hold ``<p>`` tags and several units run together, split by ";", or listed
("Bộ: GDĐT, CA"). Every task gets the id ``annex-{path}`` ("annex-2-a").

>>> from obligraph.loaders.normalise import clean
>>> from obligraph.loaders.units import Gazetteer
>>> rows = ["TT\\tNội dung\\tĐơn vị chủ trì\\tĐơn vị phối hợp\\tThời gian thực hiện",
...         "1\\tRà soát chính sách\\t\\t\\t",
...         "a\\t<p>Nghiên cứu</p>\\tCục Trẻ em Vụ Pháp chế\\tVụ Pháp chế; Bộ: GDĐT, YT\\tHằng năm"]
>>> table = parse_tables(clean(rows), file="a.txt", gazetteer=Gazetteer.default())[0]
>>> [(t.task_id, t.parent_id, t.text) for t in table.tasks]
[('annex-1', '', 'Rà soát chính sách'), ('annex-1-a', 'annex-1', 'Nghiên cứu')]
>>> for a in table.tasks[1].assignments:
...     print(a.role, a.unit.canonical)
lead Cục Trẻ em
lead Vụ Pháp chế
support Vụ Pháp chế
support Bộ Giáo dục và Đào tạo
support Bộ Y tế
>>> [f.code for f in table.findings]
['lead-and-support']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from obligraph.loaders.normalise import Cleaned
from obligraph.loaders.records import Assignment, DocRef, Finding, SourceSpan, Task, TimeFrame
from obligraph.loaders.tables import RawTable, Row, read_tables

from obligraph.base.textkeys import fold

if TYPE_CHECKING:  # pragma: no cover
    from obligraph.loaders.context import Context, Extracted, Text
    from obligraph.loaders.unit_names import UnitResolver

_INDICATORS = re.compile(
    r"chỉ tiêu\s+((?:\d+\s*(?:,|và)\s*)*\d+)(\s+của\s+Chương trình)?", re.IGNORECASE
)
_KIND_ORDER = ("upper", "roman", "num", "letter", "paren")


@dataclass
class Table:
    """One annex table: its caption, header, tasks and findings."""

    header_line: int
    columns: list[str]
    caption: str = ""
    caption_span: SourceSpan | None = None
    caption_refs: list[DocRef] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    last_line: int = 0


def _id_label(label: str) -> str:
    return label.replace("đ", "dd")


def parse_tables(
    cleaned: Cleaned,
    *,
    file: str,
    gazetteer: object,
    context_year: int | None = None,
    parse_timeframe: object | None = None,
    jurisdiction: str = "",
) -> list[Table]:
    """Every task table of a document, in order (see :mod:`obligraph.loaders.tables`)."""
    from obligraph.loaders.unit_names import UnitResolver

    resolver = UnitResolver(gazetteer, jurisdiction)  # type: ignore[arg-type]
    tables: list[Table] = []
    for raw in read_tables(cleaned):
        table = Table(header_line=raw.header_line, columns=raw.roles, last_line=raw.last_line)
        _caption(table, cleaned, raw.header_line - 1, file)
        _tasks(
            table,
            raw,
            cleaned,
            file=file,
            resolver=resolver,
            prefix=("annex" if not tables else f"annex{len(tables) + 1}"),
            context_year=context_year,
            parse_timeframe=parse_timeframe,
        )
        tables.append(table)
    return tables


def _caption(table: Table, cleaned: Cleaned, header_at: int, file: str) -> None:
    """Lines just above the header: "PHỤ LỤC", "(Kèm theo Quyết định số ... ngày ...)"."""
    from obligraph.loaders.citations import find_references

    picked: list[int] = []
    i = header_at - 1
    while i >= 0 and len(picked) < 6:
        text = cleaned.lines[i].strip()
        if "\t" in cleaned.lines[i]:
            break
        if text:
            if re.match(r"^(Điều \d|Nơi nhận|- )", text) or (picked and len(text) > 200):
                break
            picked.append(i)
        i -= 1
    picked.reverse()
    starts = [
        k
        for k, i in enumerate(picked)
        if re.match(
            r"^(?:PHỤ LỤC|Phụ lục|\(|Kèm theo|KÈM THEO|Ban hành kèm|BẢNG|Bảng)",
            cleaned.lines[i].strip(),
        )
    ]
    if starts:
        picked = picked[starts[0] :]
    parts = [cleaned.lines[i].strip() for i in picked]
    text = " ".join(parts)
    if not re.search(
        r"phụ lục|kèm theo|ban hành kèm",
        fold(text).replace("phu luc", "phụ lục").replace("kem theo", "kèm theo"),
        re.IGNORECASE,
    ) and not find_references(text):
        return  # fmt: skip
    table.caption = text
    if picked:
        table.caption_span = SourceSpan(file, picked[0] + 1, picked[-1] + 1, "\n".join(parts))
    table.caption_refs = [r.ref for r in find_references(text) if r.ref.number]


def _depth(row: Row, kinds_seen: list[str]) -> int:
    """Nesting depth of a numbered row: A > I > 1 > 1.1 > a > (1)."""
    order = [k for k in _KIND_ORDER if k in kinds_seen]
    base = order.index(row.label_kind) if row.label_kind in order else len(order)
    if row.label_kind == "num":
        base += row.label.count(".") * 0.5  # 1.1 under 1, above a)
    return base  # type: ignore[return-value]


@dataclass
class _Rows:
    """What reading one table's rows carries from row to row."""

    table: Table
    cleaned: Cleaned
    file: str
    resolver: UnitResolver
    prefix: str  # "annex", "annex2", ...
    has_support: bool  # the table has a support column
    stack: list[tuple[float, Task]] = field(default_factory=list)  # open numbered rows
    heading: Task | None = None  # the last unnumbered group row ("Nhiệm vụ giao Bộ ...")
    kinds_seen: list[str] = field(default_factory=list)  # label kinds, outermost first
    ids: dict[str, int] = field(default_factory=dict)  # task id -> times seen
    last_task: Task | None = None
    continued: dict[str, int] = field(default_factory=dict)  # rows merged with an anchor row


def _tasks(
    table: Table,
    raw: RawTable,
    cleaned: Cleaned,
    *,
    file: str,
    resolver: UnitResolver,
    prefix: str,
    context_year: int | None,
    parse_timeframe: object | None,
) -> None:
    """The rows of one table as tasks (group rows as headings), with their findings."""
    rows = _Rows(table, cleaned, file, resolver, prefix, "support" in raw.roles)
    for n_group, row in enumerate(raw.rows, 1):
        content = row.get("content")
        if row.kind == "group" and not row.label:
            rows.heading = Task(
                task_id=f"{prefix}-g{n_group}",
                text=content,
                span=_span(cleaned, row, file, "Phụ lục / " + content[:40]),
                extractor="table",
            )
            table.tasks.append(rows.heading)
            rows.stack = []
            continue
        task_id, parent = _place(rows, row)
        task = _row_task(rows, row, task_id, parent)
        time_text = row.get("time")
        if time_text:
            if callable(parse_timeframe):
                task.timeframe = parse_timeframe(time_text, context_year=context_year)
            else:
                task.timeframe = TimeFrame(text=time_text)
        for m in _INDICATORS.finditer(content):
            ids_ = re.findall(r"\d+", m.group(1))
            (task.national_indicators if m.group(2) else task.indicators).extend(ids_)
        _row_findings(table, task, file)
        table.tasks.append(task)
        if row.label:
            rows.stack.append((_depth(row, rows.kinds_seen), task))
        rows.last_task = task


def _place(rows: _Rows, row: Row) -> tuple[str, Task | None]:
    """A row's task id (its label under its parent's, or the next of a merged row) and its
    parent; a label repeated under one heading is reported and the id made unique."""
    parent = rows.stack[-1][1] if rows.stack else rows.heading
    if row.label:
        if row.label_kind not in rows.kinds_seen:
            rows.kinds_seen.append(row.label_kind)
        depth = _depth(row, rows.kinds_seen)
        while rows.stack and rows.stack[-1][0] >= depth:
            rows.stack.pop()
        parent = rows.stack[-1][1] if rows.stack else rows.heading
        base = parent.task_id[len(rows.prefix) + 1 :] + "-" if parent is not None else ""
        task_id = f"{rows.prefix}-{base}{_id_label(row.label)}"
    else:  # a row whose number is merged with the row above (another task of it)
        anchor = rows.last_task.task_id if rows.last_task is not None else f"{rows.prefix}-r"
        rows.continued[anchor] = rows.continued.get(anchor, 1) + 1
        task_id = f"{anchor}-{rows.continued[anchor]}"
    if task_id not in rows.ids:
        rows.ids[task_id] = 1
        return task_id, parent
    rows.ids[task_id] += 1
    rows.table.findings.append(
        Finding(
            "repeated-item-label",
            "warning",
            f"annex row {row.label} appears twice under the same heading",
            SourceSpan(
                rows.file, row.line_start, row.line_start, rows.cleaned.text(row.line_start)
            ),
            about=task_id,
            args={"label": row.label},
            variant="annex-row",
        )
    )
    return f"{task_id}.dup{rows.ids[task_id]}", parent


def _row_task(rows: _Rows, row: Row, task_id: str, parent: Task | None) -> Task:
    """The task of one row with its lead and support units; column text naming no unit is
    reported."""
    content = row.get("content")
    section = "Phụ lục / " + " / ".join(task_id[len(rows.prefix) + 1 :].split("-")).replace(
        "dd", "đ"
    )
    span = _span(rows.cleaned, row, rows.file, section)
    task = Task(
        task_id=task_id,
        text=content,
        span=span,
        heading=parent.text if parent is not None else "",
        parent_id=parent.task_id if parent is not None else "",
        output=row.get("output"),
        extractor="table",
    )
    for role in ("lead", "support"):
        refs, leftovers = rows.resolver.split(row.get(role))
        for ref in refs:
            task.assignments.append(Assignment(ref, role, "obligation", span))  # type: ignore[arg-type]
        for rest in leftovers:
            rows.table.findings.append(
                Finding(
                    "unparsed-unit-text",
                    "warning",
                    f"text in the {role} column names no unit: {rest!r}",
                    span,
                    about=task_id,
                    args={"column": role, "text": rest},
                )
            )
    if not rows.has_support and row.kind == "task":
        # no support column: the units the lead is told to work with ("phối hợp với ...")
        from obligraph.loaders.unit_names import support_names

        leads = {a.unit.canonical for a in task.assignments}
        for name in support_names(content):
            ref = rows.resolver.resolve(name)
            if ref.canonical not in leads:
                leads.add(ref.canonical)
                task.assignments.append(Assignment(ref, "support", "obligation", span))
    return task


def _span(cleaned: Cleaned, row: Row, file: str, section: str) -> SourceSpan:
    return SourceSpan(
        file, row.line_start, row.line_end, cleaned.quote(row.line_start, row.line_end), section
    )


def _row_findings(table: Table, task: Task, file: str) -> None:
    leads = {a.unit.canonical for a in task.assignments if a.role == "lead"}
    for a in task.assignments:
        if a.role == "support" and a.unit.canonical in leads and not a.unit.generic:
            table.findings.append(
                Finding(
                    "lead-and-support",
                    "warning",
                    f"{a.unit.canonical} is both lead and support of annex row "
                    f"{task.task_id.split('-', 1)[1]}",
                    task.span,
                    about=task.task_id,
                    args={"unit": a.unit.canonical, "item": task.task_id},
                )
            )


def finish_tables(tables: list[Table]) -> None:
    """Findings that need the whole table: task rows without a lead."""
    for table in tables:
        parents = {t.parent_id for t in table.tasks}
        for t in table.tasks:
            has_units = bool(t.assignments)
            if t.task_id not in parents and not has_units:
                table.findings.append(
                    Finding(
                        "missing-lead",
                        "warning",
                        f"annex row {t.task_id.split('-', 1)[1]} assigns no unit",
                        t.span,
                        about=t.task_id,
                        args={"item": t.task_id},
                    )
                )
            elif has_units and not any(a.role == "lead" for a in t.assignments):
                table.findings.append(
                    Finding(
                        "missing-lead",
                        "warning",
                        f"annex row {t.task_id.split('-', 1)[1]} has support units but no lead",
                        t.span,
                        about=t.task_id,
                        args={"item": t.task_id},
                        variant="support-only",
                    )
                )


def extract(text: Text, ctx: Context) -> Extracted[Table]:
    """The loaders' contract (:mod:`obligraph.loaders.context`): the task tables, with the
    findings that need a whole table; units resolved in ``ctx.jurisdiction``."""
    from obligraph.loaders.context import Extracted
    from obligraph.loaders.timeframes import parse_timeframe

    tables = parse_tables(
        text.cleaned,
        file=text.file,
        gazetteer=ctx.units,
        context_year=ctx.year,
        parse_timeframe=parse_timeframe,
        jurisdiction=ctx.jurisdiction,
    )
    finish_tables(tables)
    return Extracted(tables, [f for t in tables for f in t.findings])
