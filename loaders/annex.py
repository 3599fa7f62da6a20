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

from obligraph.loaders.normalise import Cleaned
from obligraph.loaders.records import Assignment, DocRef, Finding, SourceSpan, Task, TimeFrame

from obligraph.textkeys import fold

COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("tt", "stt", "so tt", "so thu tu"),
    "content": ("noi dung", "nhiem vu", "ten nhiem vu", "noi dung cong viec", "hoat dong",
                "noi dung nhiem vu", "cong viec", "ten de an", "nhiem vu giai phap"),
    "lead": ("don vi chu tri", "co quan chu tri", "chu tri", "don vi thuc hien",
             "co quan thuc hien", "don vi chiu trach nhiem"),
    "support": ("don vi phoi hop", "co quan phoi hop", "phoi hop"),
    "time": ("thoi gian thuc hien", "thoi gian hoan thanh", "thoi gian", "thoi han",
             "tien do", "thoi han hoan thanh"),
    "output": ("san pham", "ket qua", "san pham dau ra", "ket qua dau ra"),
    "note": ("ghi chu",),
}  # fmt: skip
_LABEL = re.compile(
    r"^(?:(?P<roman>[IVX]+)\.?|(?P<num>\d{1,2}(?:\.\d{1,2})*)\.?|(?P<letter>[a-zđ])[).]?)$"
)
_SHARED = re.compile(
    r"^(?:(?P<roman>[IVX]+)\.|(?P<num>\d{1,2})\.?|(?P<letter>[a-zđ])\))\s+(?P<rest>\S.*)$"
)
_RULE = re.compile(r"^[-=\s|+:]+$")
_INDICATORS = re.compile(
    r"chỉ tiêu\s+((?:\d+\s*(?:,|và)\s*)*\d+)(\s+của\s+Chương trình)?", re.IGNORECASE
)


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


def column_role(name: str) -> str:
    """Role of a header cell ("" when not a known column name).

    >>> column_role("Cơ quan chủ trì"), column_role("Thời gian hoàn thành"), column_role("x")
    ('lead', 'time', '')
    """
    k = " ".join(re.findall(r"\w+", fold(name)))
    if not k:
        return ""
    for role, names in COLUMNS.items():
        if k in names:
            return role
    for role, names in COLUMNS.items():
        if any(k.startswith(n) or n in k for n in names if len(n) > 4):
            return role
    return ""


def header_roles(cells: list[str]) -> list[str] | None:
    """Column roles when ``cells`` is a header row (a lead column and one more), else None."""
    roles = [column_role(c) for c in cells]
    if "lead" not in roles or sum(1 for r in roles if r) < 2:
        return None
    return roles


def _label(cell: str) -> tuple[str, str] | None:
    m = _LABEL.match(cell.strip())
    if not m:
        return None
    for kind in ("roman", "num", "letter"):
        if m.group(kind):
            return kind, m.group(kind)
    return None


def _depth(kind: str, label: str, kinds_seen: list[str]) -> int:
    order = [k for k in ("roman", "num", "letter") if k in kinds_seen]
    return order.index(kind) if kind in order else len(order)


def _id_label(label: str) -> str:
    return label.replace("đ", "dd")


def parse_tables(
    cleaned: Cleaned,
    *,
    file: str,
    gazetteer: object,
    context_year: int | None = None,
    parse_timeframe: object | None = None,
) -> list[Table]:
    """Every annex table of a document, in order."""
    lines = cleaned.lines
    tables: list[Table] = []
    n = 0
    while n < len(lines):
        line = lines[n]
        roles = header_roles(line.split("\t")) if "\t" in line else None
        if roles is None:
            n += 1
            continue
        table = Table(header_line=n + 1, columns=roles)
        _caption(table, cleaned, n, file)
        n = _rows(
            table,
            cleaned,
            n + 1,
            file=file,
            gazetteer=gazetteer,
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


def _rows(
    table: Table,
    cleaned: Cleaned,
    start: int,
    *,
    file: str,
    gazetteer: object,
    prefix: str,
    context_year: int | None,
    parse_timeframe: object | None,
) -> int:
    lines = cleaned.lines
    roles = list(table.columns)
    if "content" not in roles and "number" in roles:
        # the header forgot its content column: the rows carry it after the number
        roles.insert(roles.index("number") + 1, "content")
        if roles[-1] == "":
            roles.pop()
        table.columns = roles
    stack: list[tuple[int, Task]] = []  # (depth, task)
    kinds_seen: list[str] = []
    ids: dict[str, int] = {}
    n = start
    while n < len(lines):
        raw = lines[n]
        text = raw.strip()
        if not text:
            n += 1
            continue
        if "\t" not in raw:
            break  # the table ends where plain text resumes
        cells = [c.strip() for c in raw.split("\t")]
        if all(_RULE.match(c) or not c for c in cells):
            n += 1
            continue
        if header_roles(cells) is not None:
            break  # another table starts
        num_i = roles.index("number") if "number" in roles else None
        label = _label(cells[num_i]) if num_i is not None and num_i < len(cells) else None
        if num_i is not None and label is None and num_i < len(cells):
            shared = _SHARED.match(cells[num_i])
            if shared:
                kind = next(k for k in ("roman", "num", "letter") if shared.group(k))
                label = (kind, shared.group(kind))
                cells = [*cells[:num_i], shared.group(kind), shared.group("rest"), *cells[
                    num_i + 1 :]]  # fmt: skip
        cell = {r: cells[i] for i, r in enumerate(roles) if r and i < len(cells)}
        content = cell.get("content", "").strip()
        if label is None:
            if stack and content:  # a continuation row: more text for the row above
                stack[-1][1].text += " " + content
            n += 1
            continue
        kind, value = label
        if kind not in kinds_seen:
            kinds_seen.append(kind)
            kinds_seen.sort(key=("roman", "num", "letter").index)
        depth = _depth(kind, value, kinds_seen)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1] if stack else None
        path = (parent.task_id[len(prefix) + 1 :] + "-" if parent else "") + _id_label(value)
        task_id = f"{prefix}-{path}"
        if task_id in ids:
            ids[task_id] += 1
            table.findings.append(
                Finding(
                    "repeated-item-label",
                    "warning",
                    f"annex row {value} appears twice under the same heading",
                    SourceSpan(file, n + 1, n + 1, raw),
                    about=task_id,
                )
            )
            task_id = f"{task_id}.dup{ids[task_id]}"
        else:
            ids[task_id] = 1
        section = "Phụ lục / " + " / ".join(task_id[len(prefix) + 1 :].split("-")).replace(
            "dd", "đ"
        )
        span = SourceSpan(file, n + 1, n + 1, cleaned.quote(n + 1, n + 1), section=section)
        task = Task(
            task_id=task_id,
            text=content,
            span=span,
            heading=parent.text if parent else "",
            parent_id=parent.task_id if parent else "",
            output=cell.get("output", ""),
        )
        for role in ("lead", "support"):
            mentions, leftovers = gazetteer.split_mentions(cell.get(role, ""))  # type: ignore[attr-defined]
            seen: set[str] = set()
            for m in mentions:
                if m.unit.canonical in seen:
                    continue
                seen.add(m.unit.canonical)
                task.assignments.append(Assignment(m.unit, role, "obligation", span))  # type: ignore[arg-type]
            for rest in leftovers:
                table.findings.append(
                    Finding(
                        "unparsed-unit-text",
                        "warning",
                        f"text in the {role} column names no unit: {rest!r}",
                        span,
                        about=task_id,
                    )
                )
        time_text = cell.get("time", "").strip()
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
        stack.append((depth, task))
        table.last_line = n + 1
        n += 1
    return n


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
                    )
                )
