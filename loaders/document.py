"""Load one document file into a :class:`~obligraph.loaders.records.Document`.

The steps, each its own module: read (decode, NFC, line endings) →
normalise (markup out, noise blanked) → header → structure → citations →
annex tables → tasks (annex rows; or body items when the annex is missing; or a
letter's numbered items; or prose assignments) → indicators and deadlines →
findings. Every fact carries its file, line span and quoted text.

>>> from obligraph.loaders.document import load_document
>>> import pathlib, obligraph
>>> corpus = pathlib.Path(obligraph.__file__).parent / "corpus"
>>> doc = load_document(corpus / "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.txt")
>>> doc.number, doc.date, [c.target.number for c in doc.citations if c.relation == "implements"]
('704/QĐ-LĐTBXH', '2021-06-22', ['23/QĐ-TTg'])
>>> next(t for t in doc.tasks if t.task_id == "annex-2-a").assignments[0].unit.canonical
'Cục Trẻ em'
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from obligraph.loaders import annex, duties, indicators, prose, subjects, timeframes
from obligraph.loaders.annex import Table
from obligraph.loaders.citations import Block, extract_citations
from obligraph.loaders.context import Context, Text
from obligraph.loaders.findings import (
    annex_reference,
    body_vs_annex,
    caption_mismatch,
    repeated_labels,
    task_section,
    unknown_units,
)
from obligraph.loaders.formats import Source, read_source
from obligraph.loaders.header import Header, parse_header
from obligraph.loaders.identity import scope_citations
from obligraph.loaders.normalise import Cleaned, clean
from obligraph.loaders.records import (
    Assignment,
    Citation,
    Deadline,
    Document,
    Finding,
    Indicator,
    SourceSpan,
    Task,
    UnitRef,
)
from obligraph.loaders.structure import Item, paragraphs, segment
from obligraph.loaders.units import Gazetteer

from obligraph.base.textkeys import fold


def _blocks(cleaned: Cleaned) -> list[Block]:
    """Paragraphs (hard wraps joined) and table rows, with offsets back to lines."""
    tab_lines = {n for n, line in enumerate(cleaned.lines, 1) if "\t" in line}
    out: list[Block] = []
    for start, end, text in paragraphs(cleaned, tab_lines):
        offsets, pos = [], 0
        for n in range(start, end + 1):
            t = cleaned.lines[n - 1].strip()
            if t:
                offsets.append((pos, n))
                pos += len(t) + 1
        out.append(Block(start, end, text, offsets))
    for n in sorted(tab_lines):
        text = cleaned.lines[n - 1].replace("\t", " | ")
        out.append(Block(n, n, text, [(0, n)]))
    out.sort(key=lambda b: b.start)
    return out


def _item_span(cleaned: Cleaned, item: Item, file: str) -> SourceSpan:
    return SourceSpan(
        file,
        item.line_start,
        item.line_end,
        cleaned.quote(item.line_start, item.line_end),
        item.section,
    )


def _descendants(items: list[Item], item: Item) -> list[Item]:
    out: list[Item] = []
    for c in item.children:
        out.append(items[c])
        out.extend(_descendants(items, items[c]))
    return out


def _body_tasks(cleaned: Cleaned, items: list[Item], section: Item, file: str) -> list[Task]:
    """Numbered and lettered items of the task section, as tasks without units."""
    kinds = ("number", "letter", "roman", "paren")
    tasks: list[Task] = []
    ids = {i.index for i in _descendants(items, section) if i.kind in kinds}
    for item in sorted((items[i] for i in ids), key=lambda i: i.index):
        parent = items[item.parent] if item.parent is not None else None
        tasks.append(
            Task(
                task_id=item.item_id,
                text=item.text,
                span=_item_span(cleaned, item, file),
                heading=parent.title if parent is not None else "",
                parent_id=parent.item_id if parent is not None and parent.index in ids else "",
                extractor="items",
            )
        )
    return tasks


def _addressees(cleaned: Cleaned, gaz: Gazetteer) -> tuple[list[UnitRef], int | None]:
    """Units after "Kính gửi:" (and its "- ..." lines), with the line it stands on."""
    lines = cleaned.lines
    for i, line in enumerate(lines[:80]):
        m = re.match(r"^\s*Kính gửi\s*:?\s*(.*)$", line)
        if not m:
            continue
        parts = [m.group(1)]
        for nxt in lines[i + 1 : i + 15]:
            t = nxt.strip()
            if not t:
                continue
            if not t.startswith(("-", "+", "•")):
                break
            parts.append(t.lstrip("-+• "))
        return gaz.split(";".join(p for p in parts if p)), i + 1
    return [], None


def _letter_tasks(
    cleaned: Cleaned, items: list[Item], gaz: Gazetteer, file: str
) -> tuple[list[Task], list[Finding]]:
    """A letter's numbered guidance items, each assigned to the letter's addressees."""
    findings: list[Finding] = []
    addressees, _at = _addressees(cleaned, gaz)
    if not addressees:
        body = fold(" ".join(cleaned.lines))
        name = "Các địa phương" if body.count("dia phuong") >= 2 else "Các đơn vị liên quan"
        addressees = [gaz.resolve(name)]
        first = next((n for n, x in enumerate(cleaned.lines, 1) if x.strip()), 1)
        findings.append(
            Finding(
                "missing-addressees",
                "warning",
                "the letter names no addressees (no 'Kính gửi'); its items are assigned to the "
                f"generic {addressees[0].canonical!r} because the text addresses local authorities"
                if name == "Các địa phương"
                else "the letter names no addressees (no 'Kính gửi'); "
                "items assigned to a generic unit",
                SourceSpan(file, first, first, cleaned.quote(first, first)),
                args={"unit": addressees[0].canonical},
                variant="local" if name == "Các địa phương" else "",
            )
        )
    tasks: list[Task] = []
    top = [i for i in items if i.parent is None and i.kind == "number"]
    for item in top:
        span = _item_span(cleaned, item, file)
        task = Task(task_id=item.item_id, text=item.text, span=span, extractor="letter")
        task.assignments = [Assignment(u, "lead", "obligation", span) for u in addressees]
        tasks.append(task)
    return tasks, findings


def _with_duty_blocks(tasks: list[Task], blocks: list[Task]) -> list[Task]:
    """Prose tasks plus the labelled-field blocks and the closing execution clause.

    A block's fields ("Đơn vị chủ trì: ...") say who does it: a sentence-level task
    inside the block gives way to it.
    """
    taken = [(t.span.line_start, t.span.line_end) for t in blocks]
    kept = [t for t in tasks if not any(a <= t.span.line_start <= b for a, b in taken)]
    return sorted(kept + blocks, key=lambda t: (t.span.line_start, t.task_id))


def _citations(text: Text, header, tables: list[Table], gaz: Gazetteer):
    """Citations of the document, scoped to its jurisdiction, and their findings."""
    items, cleaned = text.items, text.cleaned
    body_start = next(
        (i.line_start for i in items if i.kind in ("dieu", "section", "number")),
        len(cleaned.lines) + 1,
    )
    implements_lines = set(header.title_lines)
    for item in items:
        if item.kind == "dieu" and item.label == "1":
            implements_lines.update(item.lines or range(item.line_start, item.line_end + 1))
            break
    group_lines = {
        n for i in items if i.kind in ("section", "number") for n in (i.lines or [i.line_start])
    }
    caption_lines = {
        n for t in tables if t.caption_span
        for n in range(t.caption_span.line_start, t.caption_span.line_end + 1)
    }  # fmt: skip
    citations, findings = extract_citations(
        _blocks(cleaned),
        file=text.file,
        own_number=header.number,
        body_start=body_start,
        implements_lines=implements_lines,
        group_heading_lines=group_lines,
        excluded_lines=caption_lines,
        gazetteer=gaz,
    )
    return scope_citations(citations, header.jurisdiction), findings


def _unofficial(path: Path, raw: list[str], header) -> Document:
    """A text that is no official document: its file and the finding that says so."""
    return Document(
        source_file=path.name,
        path=str(path.resolve()),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        line_count=len(raw),
        title=header.title,
        findings=list(header.findings),
        official=False,
    )


def load_document(path: str | Path, *, gazetteer: Gazetteer | None = None) -> Document:
    """Read and extract one document; raises InputError when it cannot be read.

    The text is cleaned and segmented once (:class:`Text`); the header and the
    citations give one :class:`Context`; every extractor is then called the same way,
    ``extract(text, ctx)`` (see :mod:`obligraph.loaders.context`).
    """
    path = Path(path)
    source = read_source(path)  # text, .docx, .pdf or .html: lines, tables as TAB rows
    name = path.name
    gaz = gazetteer or Gazetteer.default()
    cleaned = clean(source.lines)
    header = parse_header(cleaned, file=name, gazetteer=gaz)
    if not header.official:  # an article, a form, a Q&A page: reported, never a fake plan
        return _unofficial(path, source.lines, header)
    text = Text(name, cleaned, segment(cleaned))
    findings: list[Finding] = list(header.findings)
    findings += repeated_labels(text.items, cleaned.lines, name)
    ctx = Context(
        file=name,
        year=header.year,
        issuer=header.issuer,
        jurisdiction=header.jurisdiction,
        doc_type=header.doc_type,
        number=header.number,
        gazetteer=gaz,
    )
    # tables, then citations (an annex caption is no citation)
    tables: list[Table] = annex.extract(text, ctx).records
    ctx.citations, cit_findings = _citations(text, header, tables, gaz)
    ctx.programmes = [c.target for c in ctx.citations if c.relation == "implements"]
    findings += cit_findings
    tasks, task_findings = _tasks(text, ctx, header, tables)
    findings += task_findings
    _settle_tasks(tasks, ctx, header, gaz)
    found_indicators = indicators.extract(text, ctx)
    findings += [f for f in found_indicators.findings if f.code != "unknown-unit"]
    deadlines = timeframes.extract(text, ctx).records
    met = _units_met(tasks, found_indicators.records, deadlines)
    findings += unknown_units(met)
    return _document(
        path,
        source,
        header,
        citations=ctx.citations,
        tasks=tasks,
        indicators=found_indicators.records,
        deadlines=deadlines,
        findings=findings,
        units=_units(met, header, gaz),
    )


def _tasks(
    text: Text, ctx: Context, header: Header, tables: list[Table]
) -> tuple[list[Task], list[Finding]]:
    """The document's tasks and their findings: annex rows; else body items when the annex
    is missing; else a letter's numbered items; else prose assignments and duty blocks."""
    items, cleaned, name = text.items, text.cleaned, text.file
    section = task_section(items)
    if tables:
        return _annex_tasks(tables, header, text, section)
    ref_line = annex_reference(items, cleaned.lines)
    if ref_line is not None and section is not None:
        tasks = _body_tasks(cleaned, items, section, name)
        missing = Finding(
            "missing-annex",
            "warning",
            f"the body refers to an annex (line {ref_line}) "
            "that the file does not contain; "
            f"{len(tasks)} body tasks are kept without lead or support units",
            SourceSpan(name, ref_line, ref_line, cleaned.quote(ref_line, ref_line)),
            args={"line": str(ref_line), "tasks": str(len(tasks))},
        )
        return tasks, [missing]
    if fold(header.doc_type) == "cong van":
        return _letter_tasks(cleaned, items, ctx.units, name)
    found = prose.extract(text, ctx)
    tasks = _with_duty_blocks(found.records, duties.extract(text, ctx).records)
    return tasks, [f for f in found.findings if f.code != "unknown-unit"]


def _annex_tasks(
    tables: list[Table], header: Header, text: Text, section: Item | None
) -> tuple[list[Task], list[Finding]]:
    """The annex tables' rows as tasks; their findings, a caption naming another decision,
    and what the body lists that the (first) annex does not."""
    tasks: list[Task] = []
    findings: list[Finding] = []
    for table in tables:
        tasks += table.tasks
        findings += table.findings
        findings += caption_mismatch(
            header.number, header.date, table.caption_refs, table.caption_span
        )
    if section is not None:
        lines = text.cleaned.lines
        findings += body_vs_annex(text.items, section, tables[0].tasks, lines, text.file)
    return tasks, findings


def _settle_tasks(tasks: list[Task], ctx: Context, header: Header, gaz: Gazetteer) -> None:
    """Bare local names read in the issuer's place when no jurisdiction is known; the one
    programme the plan implements given to tasks that name none."""
    if header.issuer and not header.jurisdiction:
        # no jurisdiction known: a bare "Sở Tư pháp" is still nobody's in particular
        for task in tasks:
            for a in task.assignments:
                a.unit = subjects.localise(a.unit, header.issuer, gaz)
    if len(ctx.programmes) == 1:
        for task in tasks:
            if not task.programme:
                task.programme = ctx.programmes[0].number or ctx.programmes[0].title


def _units_met(
    tasks: list[Task], indicator_records: list[Indicator], deadlines: list[Deadline]
) -> list[tuple[UnitRef, SourceSpan | None]]:
    """Every unit the records name, with where it is named: assignments, indicator leads,
    deadline reporters and addressees."""
    met: list[tuple[UnitRef, SourceSpan | None]] = []
    for task in tasks:
        met += [(a.unit, a.span or task.span) for a in task.assignments]
    for ind in indicator_records:
        met += [(u, ind.span) for u in ind.lead]
    for dl in deadlines:
        met += [(u, dl.span) for u in (*dl.reporter, *dl.report_to)]
    return met


def _units(
    met: list[tuple[UnitRef, SourceSpan | None]], header: Header, gaz: Gazetteer
) -> list[UnitRef]:
    """The document's units, one per canonical name, in order met; the issuer last if new."""
    units: dict[str, UnitRef] = {}
    for ref, _span in met:
        units.setdefault(ref.canonical, ref)
    if header.issuer:
        issuer_ref = gaz.find(header.issuer)
        if issuer_ref is not None:
            units.setdefault(issuer_ref.canonical, issuer_ref)
    return list(units.values())


def _document(
    path: Path,
    source: Source,
    header: Header,
    *,
    citations: list[Citation],
    tasks: list[Task],
    indicators: list[Indicator],
    deadlines: list[Deadline],
    findings: list[Finding],
    units: list[UnitRef],
) -> Document:
    """The record of an official document: its file, its header and what was extracted."""
    data = path.read_bytes()
    return Document(
        source_file=path.name,
        path=str(path.resolve()),
        sha256=hashlib.sha256(data).hexdigest(),
        line_count=len(source.lines),
        number=header.number,
        doc_type=header.doc_type,
        date=header.date,
        place=header.place,
        issuer=header.issuer,
        signer=header.signer,
        signer_title=header.signer_title,
        title=header.title,
        header_span=header.span,
        issuer_parent=header.issuer_parent,
        jurisdiction=header.jurisdiction,
        subject=header.subject,
        recipients=header.recipients,
        official=header.official,
        source_format=source.format,
        locations=source.locations,
        citations=citations,
        tasks=tasks,
        indicators=indicators,
        deadlines=deadlines,
        findings=findings,
        units=units,
    )
