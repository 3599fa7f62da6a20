"""Findings an auditor would flag inside one document.

- ``repeated-item-label``: two sibling items with the same letter or number
  (a list "a, b, c, d, d");
- ``number-mismatch`` / ``date-mismatch``: the annex caption names the
  decision with another number or date than the header;
- ``missing-from-annex`` / ``missing-from-body``: a body item the annex does not
  assign, or an annex row the body does not list; ``relabelled``: the same
  task under another letter;
- ``missing-annex``: the body refers to an annex ("Phụ lục kèm theo") the file
  does not contain; the body tasks are kept without units;
- ``unknown-unit``: a unit the gazetteer does not know (still extracted).

Severities: ``error`` (the document contradicts itself on its identity),
``warning`` (an obligation may be lost or misattributed), ``info`` (worth a
look, nothing lost).

>>> from obligraph.loaders.structure import Item
>>> items = [Item(0, "number", "4", ("4",), "T", "T", 1, 1, item_id="4"),
...          Item(1, "letter", "d", ("4", "d"), "x", "x", 2, 2, parent=0, item_id="4-d"),
...          Item(2, "letter", "d", ("4", "d"), "y", "y", 3, 3, parent=0, item_id="4-d.dup2")]
>>> [(f.code, f.span.line_start) for f in repeated_labels(items, ["4. T", "d) x", "d) y"], "a.txt")]
[('repeated-item-label', 3)]
"""

from __future__ import annotations

from obligraph.loaders.records import DocRef, Finding, SourceSpan, Task, UnitRef
from obligraph.loaders.structure import Item

from obligraph.base.textkeys import fold

TASK_SECTION_WORDS = ("nhiem vu", "noi dung", "hoat dong", "giai phap")


def _span(lines: list[str], n: int, file: str, section: str = "") -> SourceSpan:
    return SourceSpan(file, n, n, lines[n - 1] if 0 < n <= len(lines) else "", section)


def repeated_labels(items: list[Item], lines: list[str], file: str) -> list[Finding]:
    """Sibling items sharing a number or letter."""
    out: list[Finding] = []
    seen: dict[tuple[int | None, str, str], Item] = {}
    for item in items:
        if item.kind not in ("number", "letter", "section", "dieu", "paren", "roman"):
            continue
        k = (item.parent, item.kind, item.label)
        if k in seen:
            first = seen[k]
            out.append(
                Finding(
                    "repeated-item-label",
                    "warning",
                    f"item {item.label!r} appears twice under "
                    f"{' / '.join(item.path[:-1]) or 'the top'}"
                    f" (lines {first.line_start} and {item.line_start})",
                    _span(lines, item.line_start, file, item.section),
                    about=item.item_id,
                    args={
                        "label": item.label,
                        "under": " / ".join(item.path[:-1]),
                        "first": str(first.line_start),
                        "line": str(item.line_start),
                    },
                    variant="" if item.path[:-1] else "top",
                )
            )
        else:
            seen[k] = item
    return out


def caption_mismatch(
    number: str, date: str | None, caption_refs: list[DocRef], caption_span: SourceSpan | None
) -> list[Finding]:
    """The annex caption names the decision with another number or date."""
    out: list[Finding] = []
    if not caption_refs or caption_span is None:
        return out
    ref = caption_refs[0]
    if number and ref.number and fold(ref.number) != fold(number):
        out.append(
            Finding(
                "number-mismatch",
                "error",
                f"the annex caption names {ref.number} but the header number is {number}",
                caption_span,
                args={"caption": ref.number, "header": number},
            )
        )
    if date and ref.date and ref.date != date:
        out.append(
            Finding(
                "date-mismatch",
                "warning",
                f"the annex caption dates the decision {ref.date} but the header says {date}",
                caption_span,
                args={"caption": ref.date, "header": date},
            )
        )
    return out


def task_section(items: list[Item]) -> Item | None:
    """The Roman section listing the tasks ("Nhiệm vụ và giải pháp", "Nội dung hoạt động")."""
    for item in items:
        if item.kind == "section" and any(w in fold(item.title) for w in TASK_SECTION_WORDS):
            if any(items[c].kind == "number" for c in item.children):
                return item
    return None


def _similar(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(fold(a), fold(b))


def body_vs_annex(
    items: list[Item], section: Item, tasks: list[Task], lines: list[str], file: str
) -> list[Finding]:
    """Body items the annex lacks, annex rows the body lacks, tasks moved to another letter."""
    out: list[Finding] = []
    body = {items[c].label: items[c] for c in section.children if items[c].kind == "number"}
    top = {t.task_id.split("-", 1)[1]: t for t in tasks if not t.parent_id}
    children: dict[str, list[Task]] = {}
    for t in tasks:
        if t.parent_id:
            children.setdefault(t.parent_id, []).append(t)
    for label, item in body.items():
        if label not in top:
            out.append(_missing_from_annex(item, lines, file))
    for label, task in top.items():
        if label not in body:
            out.append(_missing_from_body(task, label))
    for label in sorted(set(body) & set(top), key=lambda x: (len(x), x)):
        b_children = [items[c] for c in body[label].children if items[c].kind == "letter"]
        a_children = children.get(top[label].task_id, [])
        if b_children and a_children:
            out += _letters_vs_rows(label, b_children, a_children, lines, file)
    return out


def _letters_vs_rows(
    label: str, b_children: list[Item], a_children: list[Task], lines: list[str], file: str
) -> list[Finding]:
    """The lettered items of body item ``label`` against the sub-rows of its annex row:
    paired by the likeness of their words; a pair with another letter is ``relabelled``,
    what is left on either side is missing from the other."""
    out: list[Finding] = []
    pairs = sorted(
        (
            (_similar(b.title, a.text), i, j)
            for i, b in enumerate(b_children)
            for j, a in enumerate(a_children)
        ),
        reverse=True,
    )
    used_b: set[int] = set()
    used_a: set[int] = set()
    for score, i, j in pairs:
        if score < 60 or i in used_b or j in used_a:
            continue
        used_b.add(i)
        used_a.add(j)
        b, a = b_children[i], a_children[j]
        a_label = a.task_id.rsplit("-", 1)[-1].split(".dup")[0].replace("dd", "đ")
        if a_label != b.label:
            out.append(
                Finding(
                    "relabelled",
                    "info",
                    f"body item {b.section} is annex row {label}-{a_label}",
                    _span(lines, b.line_start, file, b.section),
                    about=a.task_id,
                    args={"section": b.section, "item": a.task_id},
                )
            )
    out += [
        _missing_from_annex(b, lines, file) for i, b in enumerate(b_children) if i not in used_b
    ]
    for j, a in enumerate(a_children):
        if j not in used_a:
            out.append(_missing_from_body(a, a.task_id.split("-", 1)[1].replace("dd", "đ")))
    return out


def _missing_from_annex(item: Item, lines: list[str], file: str) -> Finding:
    return Finding(
        "missing-from-annex",
        "warning",
        f"body item {item.section} is not in the annex: {item.title[:90]}",
        _span(lines, item.line_start, file, item.section),
        about=item.item_id,
        args={"section": item.section, "title": item.title[:90]},
    )


def _missing_from_body(task: Task, label: str) -> Finding:
    return Finding(
        "missing-from-body",
        "warning",
        f"annex row {label} has no item in the body: {task.text[:90]}",
        task.span,
        about=task.task_id,
        args={"item": task.task_id, "text": task.text[:90]},
    )


def annex_reference(items: list[Item], lines: list[str]) -> int | None:
    """First line where the body refers to an annex ("Phụ lục kèm theo"), if any."""
    for item in items:
        if "phu luc" in fold(item.text):
            for n in item.lines or range(item.line_start, item.line_end + 1):
                if "phu luc" in fold(lines[n - 1]):
                    return n
            return item.line_start
    return None


def unknown_units(units: list[tuple[UnitRef, SourceSpan | None]]) -> list[Finding]:
    """One finding per unit the gazetteer does not know, at its first mention."""
    out: list[Finding] = []
    seen: set[str] = set()
    for ref, span in units:
        if ref.known or ref.canonical in seen:
            continue
        seen.add(ref.canonical)
        if ref.generic:
            out.append(
                Finding(
                    "unknown-generic-unit",
                    "info",
                    f"generic placeholder {ref.canonical!r} is not in the gazetteer; "
                    "kept as generic",
                    span,
                    about=ref.canonical,
                    args={"unit": ref.canonical},
                )
            )
        else:
            out.append(
                Finding(
                    "unknown-unit",
                    "warning",
                    f"unit {ref.canonical!r} is not in the gazetteer; extracted as written "
                    "(add it with --gazetteer)",
                    span,
                    about=ref.canonical,
                    args={"unit": ref.canonical},
                )
            )
    return out
