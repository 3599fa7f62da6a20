"""Trace a unit: every obligation it carries, back to the text and the law.

For each task a unit leads or supports, :func:`trace_unit` collects what an
auditor asks for: the task and its id, the role (chủ trì / phối hợp), the
modality, the time frame, the document and its number, the quoted source
line(s) with file and line numbers, the programme it implements, the chain of
legal bases (Căn cứ, transitively, as far as the graph knows them, each with
the line that cites it), the indicators it serves, and its overlaps with the
unit's other obligations (links computed at build time, ``graph/overlap``).

The unit may be written in any spelling or abbreviation the gazetteer knows;
an unknown name raises :class:`~obligraph.base.errors.UnitNotFoundError` carrying
the closest names. Renderers (terminal, JSON, Markdown, HTML) live in
:mod:`obligraph.queries.trace_render`.

>>> from obligraph.graph.stores import open_store
>>> store = open_store(memory=True)
>>> trace = trace_unit(store, "Cục Trẻ em")          # doctest: +SKIP
>>> trace.obligations[0].source.quote                # doctest: +SKIP
'a\\tXây dựng, lồng ghép, ...'
>>> trace_unit(store, "Cục Không Tồn Tại")           # doctest: +SKIP
Traceback (most recent call last):
obligraph.base.errors.UnitNotFoundError: no unit is named 'Cục Không Tồn Tại'; closest: ...
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from obligraph.queries.library import resolve_unit, run_internal
from obligraph.queries.library import text as _s
from rdflib import Literal, URIRef

if TYPE_CHECKING:
    from obligraph.graph.stores import Store


@dataclass
class SourceLines:
    """Where a fact stands: file, 1-based line span, quoted text, section."""

    file: str = ""
    line_start: int | None = None
    line_end: int | None = None
    quote: str = ""
    section: str = ""

    @property
    def lines(self) -> str:
        """``"146"`` or ``"146-148"``; empty when unknown."""
        if self.line_start is None:
            return ""
        if self.line_end in (None, self.line_start):
            return str(self.line_start)
        return f"{self.line_start}-{self.line_end}"

    @property
    def where(self) -> str:
        """``file:line`` as an editor opens it."""
        return f"{self.file}:{self.lines}" if self.lines else self.file


@dataclass
class BasisStep:
    """One document in the legal-basis chain; ``depth`` 1 is a direct Căn cứ."""

    number: str
    doc_type: str
    date: str
    title: str
    depth: int
    cited_by: str
    loaded: bool
    source: SourceLines | None = None
    iri: str = ""

    @property
    def label(self) -> str:
        """``"Nghị định 14/2017/NĐ-CP (2017-02-17)"`` or the title of a law cited by name."""
        name = self.number or self.title or self.iri
        head = f"{self.doc_type} {name}".strip() if self.number else name
        return f"{head} ({self.date})" if self.date else head


@dataclass
class IndicatorRef:
    """An indicator (Chỉ tiêu) the task serves."""

    indicator_id: str
    measure: str
    document: str
    iri: str = ""


@dataclass
class OverlapRef:
    """Another obligation of the unit found to be the same work, reworded."""

    task_id: str
    document: str
    text: str
    score: float | None
    reason: str
    iri: str = ""


@dataclass
class Obligation:
    """One (task, unit, role) of the trace with everything that explains it."""

    task_id: str
    text: str
    role: str  # "lead" | "support"
    modality: str  # "obligation" | "request"
    unit: str
    timeframe: str
    document: str
    document_title: str
    source_file: str
    source: SourceLines
    heading: str = ""
    programmes: list[str] = field(default_factory=list)
    legal_basis: list[BasisStep] = field(default_factory=list)
    indicators: list[IndicatorRef] = field(default_factory=list)
    overlaps: list[OverlapRef] = field(default_factory=list)
    task_iri: str = ""
    document_iri: str = ""
    # what people added (docs/corrections.md): due date, state on the day of the trace
    # (not-started, in-progress, done, overdue), when it was reported, note, evidence,
    # and the corrections made to the task (field, old, new, by, date, why)
    due_date: str = ""
    status: str = "not-started"
    status_date: str = ""
    status_note: str = ""
    status_evidence: str = ""
    corrections: list[dict[str, str]] = field(default_factory=list)


@dataclass
class UnitTrace:
    """The trace of one unit: its name, IRI and obligations in source order."""

    query: str
    unit: str
    unit_iri: str
    include_subunits: bool
    obligations: list[Obligation] = field(default_factory=list)
    # after the 2025 reorganisation: continues, merger, function_transfer, renaming, split,
    # abolition, unknown, or "" when the succession data does not name the unit
    status_2025: str = ""
    # the bodies that hold its duties now: name, function that moved, acts, sourced
    successors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Lead, support, request counts and the number of documents."""
        return {
            "obligations": len(self.obligations),
            "lead": sum(o.role == "lead" for o in self.obligations),
            "support": sum(o.role == "support" for o in self.obligations),
            "requests": sum(o.modality == "request" for o in self.obligations),
            "documents": len({o.document_iri for o in self.obligations}),
        }

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (keeps Vietnamese as is)."""
        data = asdict(self)
        data["counts"] = self.counts
        for ob, raw in zip(self.obligations, data["obligations"], strict=True):
            raw["source"]["lines"] = ob.source.lines
        return data


# ------------------------------------------------------------------ helpers


def _int(term: Any) -> int | None:
    try:
        return int(str(term)) if term is not None else None
    except ValueError:
        return None


def _local(term: Any) -> str:
    text = _s(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _type_name(concept: Any) -> str:
    """English name of an ``ob:`` document-type concept when the ontology is not loaded."""
    from obligraph.base.vocab import DOC_TYPES

    local = _local(concept)
    return next((english for _c, name, english in DOC_TYPES.values() if name == local), "")


def _bindings(unit: URIRef, subunits: bool) -> dict[str, Any]:
    return {"unit": unit, "subunits": Literal(subunits)}


def legal_basis_chain(store: Store, doc: URIRef) -> list[BasisStep]:
    """The documents ``doc`` rests on, breadth first (depth 1 = its own Căn cứ)."""
    rows = run_internal(store, "trace-basis-edges", bindings={"doc": doc}).dicts()
    edges: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        edges[str(row["from"])].append(row)
    numbers = {str(r["to"]): _s(r.get("number")) or _s(r.get("title")) for r in rows}
    steps: list[BasisStep] = []
    seen = {str(doc)}
    queue: deque[tuple[str, int]] = deque([(str(doc), 0)])
    while queue:
        current, depth = queue.popleft()
        # a cited document may carry several titles (one per citing file): sort on them too,
        # so every store picks the same row
        order = lambda r: (_int(r.get("lineStart")) or 0, _s(r.get("title")))  # noqa: E731
        for row in sorted(edges.get(current, []), key=order):
            target = str(row["to"])
            if target in seen:
                continue
            seen.add(target)
            source = None
            if row.get("spanFile") is not None:
                source = SourceLines(
                    _s(row["spanFile"]),
                    _int(row.get("lineStart")),
                    _int(row.get("lineEnd")),
                    _s(row.get("quote")),
                )
            steps.append(
                BasisStep(
                    number=_s(row.get("number")),
                    doc_type=_s(row.get("typeLabel")) or _type_name(row.get("type")),
                    date=_s(row.get("date")),
                    title=_s(row.get("title")),
                    depth=depth + 1,
                    cited_by=numbers.get(current, "") if depth else "",
                    loaded=_s(row.get("loaded")).lower() == "true",
                    source=source,
                    iri=target,
                )
            )
            queue.append((target, depth + 1))
    return steps


def _add_people(store: Store, binds: dict[str, Any], by_task: dict[str, list]) -> None:
    """Status (as of today) and corrections of each task."""
    from datetime import date

    from obligraph.graph.status import state_on

    today = date.today()
    for row in run_internal(store, "trace-people", bindings=binds).dicts():
        for ob in by_task.get(str(row["task"]), []):
            if row.get("c") is not None:
                entry = {k: _s(row.get(k)) for k in ("field", "old", "new", "by", "date", "why")}
                if entry not in ob.corrections:
                    ob.corrections.append(entry)
                continue
            ob.due_date = _s(row.get("due")) or ob.due_date
            ob.status = state_on(row.get("statusCode"), ob.due_date, today)
            ob.status_date = _s(row.get("statusDate")) or ob.status_date
            ob.status_note = _s(row.get("note")) or ob.status_note
            ob.status_evidence = _s(row.get("evidence")) or ob.status_evidence


def trace_unit(
    store: Store,
    name: str,
    *,
    include_subunits: bool = False,
    gazetteer: Any = None,
) -> UnitTrace:
    """Every obligation of the unit ``name`` with its source, basis, indicators, overlaps."""
    unit_iri, canonical = resolve_unit(name, store, gazetteer=gazetteer)
    binds = _bindings(unit_iri, include_subunits)
    trace = UnitTrace(name, canonical, str(unit_iri), include_subunits)
    _add_succession(trace)
    obligations = _read_obligations(store, binds, canonical)
    by_task: dict[str, list[Obligation]] = defaultdict(list)
    for ob in obligations:
        by_task[ob.task_iri].append(ob)
    _add_programmes(store, binds, by_task)
    _add_indicators(store, binds, by_task)
    _add_overlaps(store, binds, by_task)
    _add_people(store, binds, by_task)
    _add_bases_and_order(store, obligations)
    trace.obligations = obligations
    return trace


def _add_succession(trace: UnitTrace) -> None:
    """The unit's status after the 2025 reorganisation and the bodies holding its duties."""
    from obligraph.graph.analysis.succession import status, successors

    trace.status_2025 = status(trace.unit)
    trace.successors = [
        {"name": s.name, "function": s.function, "acts": list(s.acts), "sourced": s.sourced}
        for s in successors(trace.unit)
    ]


def _read_obligations(store: Store, binds: dict[str, Any], canonical: str) -> list[Obligation]:
    """One obligation per (task, unit, role), in source order (document, line, task id)."""
    by_key: dict[tuple[str, str, str], Obligation] = {}
    for row in run_internal(store, "trace-obligations", bindings=binds).dicts():
        role = "lead" if _local(row["role"]) == "LeadRole" else "support"
        key = (str(row["task"]), str(row["who"]), role)
        if key in by_key:  # several quotes on one span: keep the fullest
            known = by_key[key].source
            quote = _s(row.get("quote"))  # the longest, then the first in text order
            if (-len(quote), quote) < (-len(known.quote), known.quote):
                known.quote = quote
            continue
        by_key[key] = _obligation(row, role, canonical)
    return sorted(
        by_key.values(),
        key=lambda o: (o.document, o.source.line_start or 0, o.task_id, o.role, o.unit),
    )


def _obligation(row: dict[str, Any], role: str, canonical: str) -> Obligation:
    """The obligation a row of ``trace-obligations`` reads."""
    source = SourceLines(
        _s(row.get("spanFile")),
        _int(row.get("lineStart")),
        _int(row.get("lineEnd")),
        _s(row.get("quote")),
        _s(row.get("section")),
    )
    return Obligation(
        task_id=_s(row.get("taskId")),
        text=_s(row.get("text")),
        role=role,
        modality="request" if _local(row.get("modality")) == "Request" else "obligation",
        unit=_s(row.get("whoName")) or canonical,
        timeframe=_s(row.get("timeframe")),
        document=_s(row.get("docNumber")) or _s(row.get("docFile")),
        document_title=_s(row.get("docTitle")),
        source_file=_s(row.get("docFile")),
        source=source,
        heading=_s(row.get("heading")),
        task_iri=str(row["task"]),
        document_iri=str(row["doc"]),
    )


def _add_programmes(store: Store, binds: dict[str, Any], by_task: dict[str, list]) -> None:
    """The programmes each task implements (number, else title, else IRI)."""
    for row in run_internal(store, "trace-programmes", bindings=binds).dicts():
        label = _s(row.get("number")) or _s(row.get("title")) or _s(row["prog"])
        for ob in by_task.get(str(row["task"]), []):
            if label not in ob.programmes:
                ob.programmes.append(label)


def _add_indicators(store: Store, binds: dict[str, Any], by_task: dict[str, list]) -> None:
    """The indicators each task serves."""
    for row in run_internal(store, "trace-indicators", bindings=binds).dicts():
        iri = _s(row["indicator"])
        ref = IndicatorRef(
            indicator_id=_s(row.get("indicatorId")) or iri.rsplit("/", 1)[-1],
            measure=_s(row.get("measure")),
            document=_s(row.get("indicatorDocNumber")),
            iri=iri,
        )
        for ob in by_task.get(str(row["task"]), []):
            if all(i.iri != iri for i in ob.indicators):
                ob.indicators.append(ref)


def _add_overlaps(store: Store, binds: dict[str, Any], by_task: dict[str, list]) -> None:
    """Overlaps of each task with the unit's own other obligations."""
    for row in run_internal(store, "trace-overlaps", bindings=binds).dicts():
        other = str(row["other"])
        if other not in by_task:  # only overlaps with the unit's own other obligations
            continue
        score = row.get("score")
        ref = OverlapRef(
            task_id=_s(row.get("otherTaskId")),
            document=_s(row.get("otherDocNumber")) or _s(row.get("otherFile")),
            text=_s(row.get("otherText")),
            score=float(score) if score is not None else None,
            reason=_s(row.get("reason")),
            iri=other,
        )
        for ob in by_task.get(str(row["task"]), []):
            if all(o.iri != other for o in ob.overlaps):
                ob.overlaps.append(ref)


def _add_bases_and_order(store: Store, obligations: list[Obligation]) -> None:
    """Each obligation's legal-basis chain (read once per document); its programmes by
    label, its indicators by document and id, its overlaps highest score first (then by
    document, task id and IRI). Never the engine's order of rows, which differs from one
    store to another (an endpoint's bag union, Virtuoso's plans)."""
    chains: dict[str, list[BasisStep]] = {}
    for ob in obligations:
        if ob.document_iri not in chains:
            chains[ob.document_iri] = legal_basis_chain(store, URIRef(ob.document_iri))
        ob.legal_basis = chains[ob.document_iri]
        ob.indicators.sort(key=lambda i: (i.document, _int(i.indicator_id) or 0, i.indicator_id))
        ob.programmes.sort()
        ob.overlaps.sort(key=lambda o: (-(o.score or 0.0), o.document, o.task_id, o.iri))
