"""The six graph views, read from a Store with SPARQL and drawn as view graphs.

The queries are the ``view-*`` internal queries of the library
(``queries/internal/view-*.rq``), run by :func:`obligraph.queries.library.internal_rows`.

Each ``*_graph`` function returns ``(graph, title)``: a networkx ``MultiDiGraph``
in the form :mod:`obligraph.viz.render` draws (``kind``, ``label``, ``title``
tooltip with the quoted source line, ``progs`` and ``years`` for the filters).
:func:`build_view` resolves a target the way people write it ("Cục Trẻ em",
"704/QĐ-LĐTBXH", "23/QĐ-TTg") and renders the page.

=========== ================================= =========================================
view        target                            shows
=========== ================================= =========================================
unit        a unit name (any known spelling)  its tasks (lead/support), their documents and
                                              programmes, co-assigned units, overlaps
document    a document number or IRI          its tasks with lead and support units, the
                                              programme it implements, its legal bases
programme   a programme number or IRI         plans implementing it, their tasks and units
overlap     ``all`` or a programme            overlapping task pairs across programmes and
                                              the units they share
lineage     a document number or IRI          legal-basis chain (căn cứ / implements / cites)
                                              up and down from the document
indicator   ``all``, a document or programme  indicators, their lead units, yearly targets
=========== ================================= =========================================

>>> from obligraph.graph.stores import open_store
>>> store = open_store(memory=True)
>>> build_view(store, "document", "1/QĐ-X")
Traceback (most recent call last):
...
obligraph.base.errors.ObligraphError: no document numbered '1/QĐ-X' in the store
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx
from obligraph.queries.library import internal_rows, resolve_unit
from rdflib import URIRef

from obligraph.base.errors import ObligraphError
from obligraph.base.textkeys import fold

OB = "https://w3id.org/obligraph/ontology#"
VIEWS = ("unit", "document", "programme", "overlap", "lineage", "indicator")


def _key(value: Any) -> tuple[bool, bool, Any]:
    """Sorts a result cell: unbound first (as SPARQL's ORDER BY), numbers before text."""
    return (value is not None, isinstance(value, str), 0 if value is None else value)


def _rows(store: Any, name: str, **kw: Any) -> list[dict[str, Any]]:
    """The rows of internal query ``name``, each once, in the order of their cells.

    Nothing here trusts the engine's order or its repeats: a SPARQL endpoint whose
    default graph is a bag union (Virtuoso) answers a triple stated by three graphs
    three times, and engines order ties (or everything, without ORDER BY) their own way.
    The views keep the first row of a node, so the rows come sorted, column by column.
    """
    rows = internal_rows(store, name, **kw)
    unique = {tuple(r.items()): r for r in rows}
    return sorted(unique.values(), key=lambda r: tuple(_key(v) for v in r.values()))


def _short(text: str | None, n: int = 34) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# ---------------------------------------------------------------- resolving targets


def resolve_document(store: Any, number: str, *, what: str = "document") -> URIRef:
    """A document IRI from its number as printed (spacing and diacritics forgiven) or IRI."""
    if number.startswith(("http://", "https://")):
        return URIRef(number)
    key = fold(number).replace(" ", "")
    docs = _rows(store, "view-documents")
    hits = sorted(
        {
            d["d"]
            for d in docs
            if key in (fold(d["no"] or "").replace(" ", ""), fold(d["file"] or ""))
        }
    )
    if not hits:
        raise ObligraphError(f"no {what} numbered {number!r} in the store")
    # the same number may be cited with and without a year: prefer the loaded one
    loaded = {r["d"] for r in _rows(store, "view-loaded-documents")}
    return URIRef(next((h for h in hits if h in loaded), hits[0]))


# ---------------------------------------------------------------- building blocks


def _tasks_of(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One dict per task from the ``view-tasks-*`` rows (one per year and programme),
    in the rows' order: the first row's cells, with ``years`` and ``progs`` (the numbers
    of its programmes) sorted."""
    tasks: dict[str, dict[str, Any]] = {}
    for r in rows:
        t = tasks.setdefault(r["task"], {**r, "years": set(), "progs": set()})
        if r["year"] and r["year"][:4].isdigit():
            t["years"].add(int(r["year"][:4]))
        if r["progNo"]:
            t["progs"].add(r["progNo"])
    for t in tasks.values():
        t["years"], t["progs"] = sorted(t["years"]), sorted(t["progs"])
    return list(tasks.values())


_ROLE_VI = {"lead": "chủ trì", "support": "phối hợp"}

#: when one IRI is reached as several kinds (a programme also cited as a legal basis),
#: the higher rank wins, so the picture does not depend on the order of result rows
_RANK = {"cited": 1, "document": 2, "programme": 3, "focus": 4}


class _Builder:
    """Accumulates nodes and edges; every block is one SPARQL query."""

    def __init__(self, store: Any, lang: str) -> None:
        self.store = store
        self.en = lang == "en"
        self.line_word = "line" if self.en else "dòng"
        self.g = nx.MultiDiGraph()
        self._edges: set[tuple[str, str, str]] = set()

    def node(self, iri: str, kind: str, label: str, title: str = "", **attrs: Any) -> None:
        if iri in self.g:
            # a node met twice keeps the stronger kind, whatever order the rows came in
            have = self.g.nodes[iri]
            if _RANK.get(kind, 0) > _RANK.get(have["kind"], 0):
                have["kind"] = kind
            return
        self.g.add_node(iri, kind=kind, label=label, title=title or label, **attrs)

    def edge(self, a: str, b: str, role: str, title: str = "") -> None:
        if (a, b, role) in self._edges or a == b:
            return
        self._edges.add((a, b, role))
        self.g.add_edge(a, b, role=role, title=title)

    # -- tasks with their source quote, years and programmes
    def tasks(self, selector: str, **bindings: Any) -> list[str]:
        """The tasks of query ``view-tasks-SELECTOR`` (which tasks it picks is its name)."""
        found = _tasks_of(_rows(self.store, f"view-tasks-{selector}", bindings=bindings))
        seen = []
        for t in found:
            if t["task"] in self.g:
                continue
            kind = "request" if t["modality"] == OB + "Request" else "task"
            progs, years = t["progs"], t["years"]
            where = f"{t['file'] or t['docLabel']}:{t['line']}" if t["line"] else t["docLabel"]
            lines = [f"{t['docLabel']} · {t['taskId'] or ''}", _short(t["text"], 300)]
            if t["quote"]:
                lines.append(f"«{_short(t['quote'], 300)}»")
            lines.append(("source: " if self.en else "nguồn: ") + where)
            if t["section"]:
                lines.append(t["section"])
            if progs:
                lines.append(("programme: " if self.en else "chương trình: ") + ", ".join(progs))
            self.node(
                t["task"],
                kind,
                f"{t['taskId'] or ''}\n{_short(t['text'], 28)}".strip(),
                "\n".join(lines),
                progs=progs,
                years=years,
                doc=t["doc"],
                doc_label=t["docLabel"],
            )
            seen.append(t["task"])
        return seen

    # -- lead/support assignments of the tasks the selector picks
    def assignments(self, selector: str, **bindings: Any) -> None:
        """The assignments of query ``view-assignments-SELECTOR``."""
        for a in _rows(self.store, f"view-assignments-{selector}", bindings=bindings):
            if a["task"] not in self.g:
                continue
            label = a["label"] or a["u"].rsplit("/", 1)[-1]
            self.node(a["u"], "generic" if a["generic"] in ("true", True) else "unit", label)
            role = "lead" if a["role"] == OB + "LeadRole" else "support"
            task = self.g.nodes[a["task"]]["label"].splitlines()[0]
            title = f"{label} → {task} ({role if self.en else _ROLE_VI[role]})"
            if a["line"]:
                title += f"\n{self.line_word} {a['line']}: «{_short(a['quote'], 200)}»"
            self.edge(a["u"], a["task"], role, title)

    def task_documents(self) -> None:
        for task, attrs in list(self.g.nodes(data=True)):
            if attrs.get("kind") in ("task", "request") and attrs.get("doc"):
                self.node(attrs["doc"], "document", attrs["doc_label"])
                self.edge(task, attrs["doc"], "in")

    def document_links(self, docs: list[str], relations: tuple[str, ...]) -> None:
        """Programmes documents implement, and (optionally) their legal bases: a relation
        ``implements`` or ``based_on`` reads query ``view-document-implements`` / ``-based-on``."""
        for doc in docs:
            for rel in relations:
                name = "view-document-" + rel.replace("_", "-")
                for r in _rows(self.store, name, bindings={"doc": URIRef(doc)}):
                    self._doc_node(r, "programme" if rel == "implements" else None)
                    self.edge(doc, r["x"], rel)

    def _doc_node(self, r: dict[str, Any], kind: str | None) -> None:
        # a law cited by name has no number: its title is the readable label
        label = r.get("no") or _short(r.get("title"), 40) or r["x"].rsplit("/", 2)[-2]
        kind = kind or ("document" if r.get("loaded") in ("true", True) else "cited")
        self.node(r["x"], kind, label, f"{label}\n{_short(r.get('title'), 200)}".strip())

    def label_of(self, iri: str) -> str:
        r = [x for x in _rows(self.store, "view-label", bindings={"x": URIRef(iri)}) if x["l"]]
        return r[0]["l"] if r else iri.rsplit("/", 1)[-1]

    def overlaps(self) -> None:
        tasks = [n for n, a in self.g.nodes(data=True) if a.get("kind") in ("task", "request")]
        if not tasks:
            return
        for o in _best_overlaps(_rows(self.store, "view-overlaps")):
            if o["a"] in self.g and o["b"] in self.g:
                score = f"{o['score']:.2f}" if isinstance(o["score"], float) else o["score"]
                reason = (o["reason"] if self.en else o["reasonVi"] or o["reason"]) or ""
                what = "overlap" if self.en else "trùng lặp"
                score = score if self.en else str(score).replace(".", ",")
                self.edge(o["a"], o["b"], "overlap", f"{what} {score}: {reason}")


def _best_overlaps(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each pair once: the overlap with the highest score (ties: the first row), whose
    reasons in both languages are shown."""
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for o in rows:
        have = best.get((o["a"], o["b"]))
        if have is None or _key(o["score"]) > _key(have["score"]):
            best[o["a"], o["b"]] = o
    return list(best.values())


# ---------------------------------------------------------------- the views


def unit_graph(store: Any, unit: str, *, lang: str = "vi") -> tuple[nx.MultiDiGraph, str]:
    """A unit's neighbourhood: its tasks, their documents and programmes, co-units, overlaps."""
    iri = resolve_unit(unit, store)[0]
    b = _Builder(store, lang)
    label = b.label_of(str(iri))
    b.node(str(iri), "focus", label, label)
    mine = b.tasks("unit", focus=iri)
    b.tasks("unit-overlapping", focus=iri)
    b.assignments("unit", focus=iri)
    b.task_documents()
    docs = sorted({b.g.nodes[t]["doc"] for t in b.g if b.g.nodes[t].get("doc")})
    b.document_links(docs, ("implements",))
    b.overlaps()
    title = f"{label}: {len(mine)} tasks" if b.en else f"{label}: {len(mine)} nhiệm vụ"
    return b.g, title


def document_graph(store: Any, number: str, *, lang: str = "vi") -> tuple[nx.MultiDiGraph, str]:
    """A document: its tasks with lead and support units, programme, legal bases."""
    iri = resolve_document(store, number)
    b = _Builder(store, lang)
    label = b.label_of(str(iri))
    b.node(str(iri), "focus", label)
    b.tasks("document", focus=iri)
    b.assignments("document", focus=iri)
    b.task_documents()
    b.document_links([str(iri)], ("implements", "based_on"))
    b.overlaps()
    return b.g, label


def programme_graph(store: Any, number: str, *, lang: str = "vi") -> tuple[nx.MultiDiGraph, str]:
    """A programme: the plans implementing it, their tasks and the units assigned."""
    iri = resolve_document(store, number, what="programme")
    b = _Builder(store, lang)
    label = b.label_of(str(iri))
    b.node(str(iri), "focus", label)
    b.tasks("programme", focus=iri)
    b.assignments("programme", focus=iri)
    b.task_documents()
    for r in _rows(store, "view-programme-plans", bindings={"focus": iri}):
        b.node(r["d"], "document", b.label_of(r["d"]))
        b.edge(r["d"], str(iri), "implements")
    return b.g, label


def overlap_graph(
    store: Any, target: str = "all", *, lang: str = "vi"
) -> tuple[nx.MultiDiGraph, str]:
    """Overlapping tasks across programmes and the units they share."""
    b = _Builder(store, lang)
    sel = "overlap"
    bindings: dict[str, Any] = {}
    if target and target != "all":
        sel = "overlap-programme"
        bindings["p"] = resolve_document(store, target, what="programme")
    b.tasks(sel, **bindings)
    b.assignments(sel, **bindings)
    for task, attrs in list(b.g.nodes(data=True)):
        for prog in attrs.get("progs", ()):
            pid = "programme:" + prog
            b.node(pid, "programme", prog)
            b.edge(task, pid, "serves")
    b.overlaps()
    n = sum(1 for _, _, a in b.g.edges(data=True) if a["role"] == "overlap")
    title = f"Overlaps: {n} pairs" if b.en else f"Trùng lặp: {n} cặp nhiệm vụ"
    return b.g, title


def lineage_graph(store: Any, number: str, *, lang: str = "vi") -> tuple[nx.MultiDiGraph, str]:
    """Legal-basis lineage: what the document rests on, up the chain, and what rests on it."""
    iri = resolve_document(store, number)
    b = _Builder(store, lang)
    label = b.label_of(str(iri))
    b.node(str(iri), "focus", label)
    rels = {
        OB + "implements": "implements",
        "http://data.europa.eu/eli/ontology#based_on": "based_on",
        "http://data.europa.eu/eli/ontology#cites": "cites",
    }
    for r in _rows(store, "view-lineage", bindings={"focus": iri}):
        b.node(r["s"], "document", r["sno"] or b.label_of(r["s"]))
        b._doc_node(r, "programme" if r["p"] == OB + "implements" else None)
        b.edge(r["s"], r["x"], rels[r["p"]])
    title = f"Legal basis of {label}" if b.en else f"Căn cứ pháp lý của {label}"
    return b.g, title


def indicator_graph(
    store: Any, target: str = "all", *, lang: str = "vi"
) -> tuple[nx.MultiDiGraph, str]:
    """Indicators, the units leading them, their yearly targets and programmes."""
    b = _Builder(store, lang)
    bindings: dict[str, Any] = {}
    name = "view-indicators"
    if target and target != "all":
        name = "view-indicators-document"
        bindings["d"] = resolve_document(store, target)
    found = _rows(store, name, bindings=bindings)
    for r in found:
        title = f"{r['id'] or ''}: {_short(r['measure'], 300)}"
        if r["line"]:
            title += f"\n{b.line_word} {r['line']}: «{_short(r['quote'], 300)}»"
        progs = [r["progNo"]] if r["progNo"] else []
        b.node(
            r["i"], "indicator", f"{r['id'] or ''} {_short(r['measure'], 24)}", title, progs=progs
        )
        if r["prog"]:
            b.node(r["prog"], "programme", r["progNo"] or b.label_of(r["prog"]))
            b.edge(r["i"], r["prog"], "serves")
        if r["u"]:
            b.node(r["u"], "unit", r["uLabel"] or r["u"].rsplit("/", 1)[-1])
            b.edge(r["u"], r["i"], "lead")
        if r["t"]:
            year = str(r["year"] or "")[:4]
            b.node(
                r["t"],
                "target",
                f"{year}: {_short(r['text'], 20)}",
                f"{year}: {r['text'] or ''}",
                years=[int(year)] if year.isdigit() else [],
            )
            b.edge(r["i"], r["t"], "target")
    n = sum(1 for _, a in b.g.nodes(data=True) if a["kind"] == "indicator")
    return b.g, (f"Indicators: {n}" if b.en else f"Chỉ tiêu: {n}")


_VIEW_VI = {
    "unit": "đơn vị",
    "document": "văn bản",
    "programme": "chương trình",
    "overlap": "trùng lặp",
    "lineage": "căn cứ pháp lý",
    "indicator": "chỉ tiêu",
}

_BUILDERS: dict[str, Callable[..., tuple[nx.MultiDiGraph, str]]] = {
    "unit": unit_graph,
    "document": document_graph,
    "programme": programme_graph,
    "overlap": overlap_graph,
    "lineage": lineage_graph,
    "indicator": indicator_graph,
}


def build_view(
    store: Any, view: str, target: str = "all", *, lang: str = "vi", links: bool = False
) -> str:
    """The self-contained HTML page of one view (see the table in the module docstring)."""
    from obligraph.viz.render import render_view

    if view not in _BUILDERS:
        raise ObligraphError(f"unknown view {view!r}; use one of {', '.join(VIEWS)}")
    graph, title = _BUILDERS[view](store, target, lang=lang)
    if graph.number_of_nodes() == 0:
        raise ObligraphError(f"the {view} view of {target!r} is empty: nothing in the store")
    n = graph.number_of_nodes()
    sub = (
        f"obligraph · {view} view · {n} nodes"
        if lang == "en"
        else f"obligraph · đồ thị {_VIEW_VI[view]} · {n} nút"
    )
    return render_view(graph, title=title, subtitle=sub, lang=lang, links=links)
