"""Duties written in prose that sentence-level reading misses: labelled fields and closing clauses.

Two forms of the genre, each a block of lines:

* a task followed by labelled fields (``Đơn vị chủ trì: ...``, ``Đơn vị phối hợp:
  ...``, ``Thời gian thực hiện: ...``), the labels and values hard-wrapped; the task
  block starts at its first bullet after the previous block;
* the closing clause of a decision, "Chánh Văn phòng UBND tỉnh, Giám đốc Sở ...,
  Chủ tịch UBND cấp xã ... chịu trách nhiệm thi hành Quyết định này": the duty is
  the bodies those office-holders head.

Units are resolved in the document's jurisdiction (:class:`UnitResolver`).

>>> from obligraph.loaders.units import Gazetteer
>>> from obligraph.loaders.unit_names import UnitResolver
>>> r = UnitResolver(Gazetteer.default(), "tỉnh Nghệ An")
>>> lines = ["1. Rà soát đội ngũ", "- Thường xuyên rà soát, kiện", "toàn đội ngũ cán bộ.",
...          "Đơn vị chủ trì thực hiện: Các", "Sở, ngành, UBND cấp xã.",
...          "Đơn vị phối hợp: Sở Nội", "vụ.", "Thời gian thực hiện: Thường xuyên."]
>>> [(t.span.line_start, [(a.role, a.unit.canonical) for a in t.assignments])
...  for t in field_tasks(lines, "a.txt", r)]  # doctest: +NORMALIZE_WHITESPACE
[(2, [('lead', 'Các Sở, ngành'), ('lead', 'Ủy ban nhân dân cấp xã'),
      ('support', 'Sở Nội vụ tỉnh Nghệ An')])]
>>> clause = ["Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Tài chính, Chủ tịch",
...           "Ủy ban nhân dân cấp xã chịu trách nhiệm thi hành Quyết định này./."]
>>> [a.unit.canonical for t in execution_tasks(clause, "a.txt", r) for a in t.assignments]
['Văn phòng Ủy ban nhân dân tỉnh Nghệ An', 'Sở Tài chính tỉnh Nghệ An', 'Ủy ban nhân dân cấp xã']
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from typing import TYPE_CHECKING

from obligraph.loaders.records import Assignment, SourceSpan, Task
from obligraph.loaders.unit_names import DATA, UnitResolver

from obligraph.base.textkeys import fold

if TYPE_CHECKING:  # pragma: no cover
    from obligraph.loaders.context import Context, Extracted, Text

_FIELD = re.compile(
    r"^(?P<label>(?:Đơn vị|Cơ quan|Bộ phận)(?:,?\s*(?:đơn vị|cơ quan))?\s+"
    r"(?P<role>chủ trì|thực hiện|phụ trách|phối hợp|tham mưu)[^:]{0,40}):\s*(?P<value>.*)$"
)
# a field label may wrap before its colon ("Đơn vị chủ trì tham mưu thực" / "hiện: Sở Tư pháp.")
_FIELD_START = re.compile(
    r"^(?:Đơn vị|Cơ quan|Bộ phận)(?:,?\s*(?:đơn vị|cơ quan))?\s+(?:chủ trì|thực hiện|phụ trách|"
    r"phối hợp|tham mưu)\b"
)
_OTHER_FIELD = re.compile(
    r"^(?:Thời gian|Thời hạn|Tiến độ|Sản phẩm|Kết quả|Kinh phí|Nguồn kinh phí)[^:]{0,40}:"
)
_ITEM = re.compile(r"^(?:[-+•]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ]\)\s|[IVX]+\.\s)")
_BULLET = re.compile(r"^[-+•]\s")
_HEADING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]\s|[IVX]+\.\s|Điều \d+)")


@lru_cache(maxsize=1)
def _officials() -> tuple[tuple[str, ...], tuple[str, ...]]:
    with open(DATA / "units.toml", "rb") as fh:
        d = tomllib.load(fh)["officials"]
    return (
        tuple(sorted(d["titles"], key=len, reverse=True)),
        tuple(sorted(d["execution"], key=len, reverse=True)),
    )


def _logical_lines(lines: list[str]) -> list[tuple[int, int, str]]:
    """Hard-wrapped lines joined: a new one at an item marker or a field label."""
    out: list[tuple[int, int, str]] = []
    for n, raw in enumerate(lines, 1):
        t = raw.strip()
        if not t or "\t" in raw:
            if out and out[-1][2]:
                out.append((n, n, ""))
            continue
        starts = bool(_ITEM.match(t) or _FIELD_START.match(t) or _OTHER_FIELD.match(t))
        starts = starts or bool(re.match(r"^(?:Điều \d+|Nơi nhận|[IVX]+\.)", t))
        if out and out[-1][2] and not starts:
            a, _b, text = out[-1]
            out[-1] = (a, n, f"{text} {t}")
        else:
            out.append((n, n, t))
    return [x for x in out if x[2]]


def _fields_value(label_line: str) -> tuple[str, str]:
    m = _FIELD.match(label_line)
    if not m:
        return "", ""
    role = "support" if m.group("role") == "phối hợp" else "lead"
    return role, m.group("value")


def field_tasks(lines: list[str], file: str, resolver: UnitResolver) -> list[Task]:
    """Tasks followed by "Đơn vị chủ trì: ... / Đơn vị phối hợp: ..." fields (one per block)."""
    logical = _logical_lines(lines)
    tasks: list[Task] = []
    prev_end = 0  # index in ``logical`` after the previous block's fields
    i = 0
    while i < len(logical):
        a, _b, text = logical[i]
        role, value = _fields_value(text)
        if not role or role != "lead":
            i += 1
            continue
        # the fields of this block: this line and the field lines that follow
        fields = [(role, value, a)]
        j = i + 1
        while j < len(logical) and (
            _fields_value(logical[j][2])[0] or _OTHER_FIELD.match(logical[j][2])
        ):
            r2, v2 = _fields_value(logical[j][2])
            if r2:
                fields.append((r2, v2, logical[j][0]))
            j += 1
        # the block opens after the previous block's fields and after the last heading
        heads = [k for k in range(prev_end, i) if _HEADING.match(logical[k][2])]
        lo = max([prev_end, *(k + 1 for k in heads)])
        body = [x for x in logical[lo:i] if not _FIELD.match(x[2])]
        bullets = [x for x in body if _BULLET.match(x[2])]
        first = bullets[0] if bullets else (body[-1] if body else logical[i])
        block = [x for x in body if x[0] >= first[0]] or [first]
        start, end = first[0], logical[j - 1][1]
        text_of_task = " ".join(re.sub(r"^[-+•]\s*", "", x[2]) for x in block)
        span = SourceSpan(file, start, end, "\n".join(x.strip() for x in lines[start - 1 : end]))
        # ids by order, not by line: the same in a text, a Word file and a PDF
        task = Task(
            task_id=f"fields-{len(tasks) + 1}",
            text=text_of_task.strip(),
            span=span,
            extractor="duties",
        )
        for r, v, _line in fields:
            refs, _left = resolver.split(v)
            for ref in refs:
                task.assignments.append(Assignment(ref, r, "obligation", span))  # type: ignore[arg-type]
        time = next(
            (
                x[2].split(":", 1)[1].strip()
                for x in logical[i:j]
                if x[2].startswith(("Thời", "Tiến"))
            ),
            "",
        )
        if time:
            from obligraph.loaders.timeframes import parse_timeframe

            task.timeframe = parse_timeframe(time)
        if task.assignments:
            tasks.append(task)
        prev_end = j
        i = j
    return tasks


def bodies_of_officials(text: str) -> list[str]:
    """The bodies office-holders head: "Giám đốc Sở Tài chính" -> "Sở Tài chính".

    >>> bodies_of_officials("Chánh Văn phòng UBND tỉnh, Giám đốc các Sở; Thủ trưởng cơ quan")
    ['Văn phòng UBND tỉnh', 'các Sở', 'cơ quan']
    """
    titles, _ = _officials()
    out: list[str] = []
    for part in re.split(rf"\s*[,;]\s*|\s+và\s+(?=(?:{'|'.join(map(re.escape, titles))})\s)", text):
        part = part.strip(" .")
        for title in titles:
            if part.startswith(title + " "):
                body = part[len(title) + 1 :].strip()
                if title.startswith("Chánh Văn phòng"):
                    body = "Văn phòng " + body
                out.append(body)
                break
        else:
            if out and part and not part[:1].isupper():
                out[-1] = f"{out[-1]}, {part}"  # "Thủ trưởng cơ quan, đơn vị": one group
    return [b for b in out if b]


def execution_tasks(lines: list[str], file: str, resolver: UnitResolver) -> list[Task]:
    """The closing clause "… chịu trách nhiệm thi hành Quyết định này" as one task."""
    _, verbs = _officials()
    tasks: list[Task] = []
    for a, b, text in _logical_lines(lines):
        low = text.lower()
        hit = next(((low.find(v), v) for v in verbs if v in low), None)
        if hit is None:
            continue
        at, _verb = hit
        who = re.sub(r"^(?:Điều \d+\.?\s*(?:Tổ chức thực hiện\.?|Trách nhiệm thi hành\.?)?)", "",
                     text[:at]).strip()  # fmt: skip
        names = bodies_of_officials(who)
        if not names:
            continue
        span = SourceSpan(file, a, b, "\n".join(x.strip() for x in lines[a - 1 : b]))
        task_id = "execution" if not tasks else f"execution-{len(tasks) + 1}"
        task = Task(
            task_id=task_id, text=text[at:].strip().rstrip("/."), span=span, extractor="duties"
        )
        seen: set[str] = set()
        for name in names:
            refs, _left = resolver.split(name)
            for ref in refs or [resolver.resolve(name)]:
                if fold(ref.canonical) not in seen:
                    seen.add(fold(ref.canonical))
                    task.assignments.append(Assignment(ref, "lead", "obligation", span))
        tasks.append(task)
    return tasks


def extract(text: Text, ctx: Context) -> Extracted[Task]:
    """The loaders' contract (:mod:`obligraph.loaders.context`): labelled-field blocks and
    the closing execution clause, units resolved in ``ctx.jurisdiction``."""
    from obligraph.loaders.context import Extracted

    tasks = field_tasks(text.lines, text.file, ctx.resolver)
    return Extracted(tasks + execution_tasks(text.lines, text.file, ctx.resolver), [])
