"""One definition of every count, computed once at build time into ``graph/summary``.

The CLI (``obligraph stats``, the build summary), the web pages (home, ``/overview``,
the unit page) and the tests read their numbers from here, so a number means the same
thing on every screen (docs/model.md, "Counts"):

* **tasks of a unit**: the distinct (task, role) pairs of its assignments. A task is
  counted once per unit and role, whatever the number of programmes its plan cites;
  a unit's **load** is its lead count plus its support count (the rows of its
  obligation register).
* **tasks of a unit under a programme** (a heat-map cell): the same, for the tasks
  whose programme is that one. A task's programmes are its own ``ob:programme``, else
  every programme its document implements, else the document itself; so a task of a
  plan implementing nine programmes is in nine cells, and the cells of a unit can add
  up to more than its load.
* **units**: every unit known (``org:Organization``, the gazetteer's too); **units
  with tasks**: those with at least one assignment.
* **overlaps**: the ``ob:Overlap`` findings (task and indicator overlaps);
  **overlapping pairs**: the distinct pairs of tasks an overlap joins (``ob:between``),
  each with its best score; a unit's **pairs**: those with one of its tasks on at
  least one side, **shared**: on both sides. A programme pair counts each task pair
  once for every (programme of one side, programme of the other) it joins.

:func:`compute_summary` computes them from the store with flat SELECTs joined in
Python; :func:`refresh_summary` (called by the build after the overlaps, and by
``remove``, corrections and statuses through ``graph.build.refresh_derived``) writes
them as ``ob:Tally`` nodes into ``graph/summary``; :func:`read_summary` reads them
back (``None`` when the store has no summary graph) and :func:`summary` does either,
keeping what it read while the graph's digest stays the same.

>>> from obligraph.graph.stores import open_store
>>> store = open_store(memory=True)
>>> s = refresh_summary(store)
>>> s.totals["tasks"], read_summary(store).totals == s.totals
(0, True)
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from obligraph.graph.analysis.overlap import INDICATOR_REASONS, Overlap
from obligraph.graph.analysis.overlap_read import _assignments, _least, _pairs, _typed
from obligraph.queries.library import internal_text_rows, run_internal
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from obligraph.base.vocab import ELI, OB, ORG, SKOS, Iris

#: The store totals, in the order ``obligraph stats`` prints them.
TOTALS = (
    "documents",
    "tasks",
    "assignments",
    "units",
    "units with tasks",
    "overlaps",
    "task overlaps",
    "indicator overlaps",
    "overlapping pairs",
)
#: How many overlapping pairs, best first, the summary ranks (the overview's table).
TOP_OVERLAPS = 100
#: How many overlapping pairs, best first, the summary ranks for each unit (its page).
UNIT_TOP_OVERLAPS = 50
_NO_UNITS: frozenset[str] = frozenset()

# Flat reads (internal queries of the query library and their constants), joined in
# Python; ``_pairs`` gives the two columns of a pair read as strings.
_IN_DOCUMENT = ("overlap-property-pairs", {"p": OB.inDocument})
_PROGRAMME = ("overlap-property-pairs", {"p": OB.programme})
_IMPLEMENTS = ("overlap-property-pairs", {"p": OB.implements})
_ID_LOCAL = ("overlap-property-pairs", {"p": ELI.id_local})
_SOURCE_FILE = ("summary-loaded-source-files", {})
_PREF_LABEL = ("overlap-property-pairs", {"p": SKOS.prefLabel})
_COUNT_P = OB["count"]  # not OB.count: that is str.count
_BETWEEN = ("overlap-property-pairs", {"p": OB.between})
# flat scans (ob:score and ob:reason are said of overlaps only); a star join on
# ``?o a ob:Overlap`` looks every overlap up again: 6x slower at 1,000 documents
_SCORE = ("overlap-property-pairs", {"p": OB.score})
_REASON = ("overlap-property-pairs", {"p": OB.reason})
_RELATION = ("overlap-property-pairs", {"p": DCTERMS.relation})


@dataclass
class UnitTally:
    """What one unit owes: tasks led and supported, overlapping pairs touching it."""

    unit: str
    label: str
    lead: int = 0
    support: int = 0
    pairs: int = 0  # overlapping task pairs with one of its tasks on at least one side
    shared: int = 0  # ... on both sides

    @property
    def load(self) -> int:
        """Tasks led plus tasks supported: the rows of the unit's register."""
        return self.lead + self.support


@dataclass
class Summary:
    """Every count the pages and commands show (see the module's definitions)."""

    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOTALS, 0))
    units: dict[str, UnitTally] = field(default_factory=dict)  # unit IRI -> its tally
    cells: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (unit, prog)
    programme_pairs: dict[tuple[str, str], int] = field(default_factory=dict)  # IRIs, sorted
    top_overlaps: list[str] = field(default_factory=list)  # best overlap of the best pairs
    #: unit IRI -> the best overlap of each of its best pairs (best first)
    unit_overlaps: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # programme IRI -> its label
    digest: str = ""

    def ranked(self) -> list[UnitTally]:
        """Units with tasks, by load (highest first), then name."""
        found = [u for u in self.units.values() if u.load]
        return sorted(found, key=lambda u: (-u.load, u.label, u.unit))

    def programme_label(self, iri: str) -> str:
        return self.labels.get(iri) or iri.rsplit("/doc/", 1)[-1]


def _count(store, p: URIRef, o) -> int:
    """How many distinct subjects have ``o`` for ``p``."""
    rows = run_internal(store, "summary-count", constants={"p": p, "o": o}).rows
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def _doc_labels(store) -> dict[str, str]:
    labels = _least(_pairs(store, _SOURCE_FILE))
    labels.update(_least(_pairs(store, _ID_LOCAL)))
    return labels


def task_programmes(
    store, graphs: Sequence[str] | None = None
) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Each task's document, and its programmes (own ``ob:programme``, else what its
    document implements, else the document itself); with ``graphs``, of the tasks those
    named graphs state."""
    typed = _typed(store, OB.Task, graphs)
    documents = _least(r for r in _pairs(store, _IN_DOCUMENT, graphs) if r[0] in typed)
    own: dict[str, set[str]] = defaultdict(set)
    for task, prog in _pairs(store, _PROGRAMME, graphs):
        own[task].add(prog)
    implements: dict[str, set[str]] = defaultdict(set)
    for doc, prog in _pairs(store, _IMPLEMENTS, graphs):
        implements[doc].add(prog)
    programmes = {
        task: own.get(task) or implements.get(doc) or {doc} for task, doc in documents.items()
    }
    return documents, programmes


@dataclass
class SummaryInputs:
    """What the summary is computed from, besides the overlaps: per task its document,
    programmes and ``(unit, role)`` rows (what an incremental refresh reads again only
    for the documents that changed), and the labels and totals of the whole store."""

    tasks: dict[str, tuple[str, list[str], list[tuple[str, str]]]] = field(default_factory=dict)
    doc_labels: dict[str, str] = field(default_factory=dict)
    unit_labels: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def read_task_inputs(
    store, graphs: Sequence[str] | None = None
) -> dict[str, tuple[str, list[str], list[tuple[str, str]]]]:
    """Task -> (document, sorted programmes, sorted ``(unit, "lead" | "support")``) of
    every task (or of those the named ``graphs`` state)."""
    documents, programmes = task_programmes(store, graphs)
    roles: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for task, unit, role in _assignments(store, graphs):
        if task in documents:
            roles[task].add((unit, "lead" if role.endswith("LeadRole") else "support"))
    return {
        task: (doc, sorted(programmes[task]), sorted(roles.get(task, ())))
        for task, doc in documents.items()
    }


def read_inputs(store, tasks: dict | None = None) -> SummaryInputs:
    """The inputs of :func:`compute_summary`; ``tasks``: those of :func:`read_task_inputs`
    when the caller has them (the labels and totals are read here)."""
    return SummaryInputs(
        tasks=read_task_inputs(store) if tasks is None else tasks,
        doc_labels=_doc_labels(store),
        unit_labels=_least(_pairs(store, _PREF_LABEL)),
        counts={
            "documents": _count(store, OB.loaded, Literal(True)),
            "assignments": _count(store, RDF.type, OB.Assignment),
            "units": _count(store, RDF.type, ORG.Organization),
        },
    )


def stored_overlaps(store) -> list[Overlap]:
    """The overlaps of the store (flat reads; what :func:`refresh_overlaps` returned)."""
    overlaps = _typed(store, OB.Overlap)
    members: dict[str, set[str]] = defaultdict(set)
    for o, task in _pairs(store, _BETWEEN):
        if o in overlaps:
            members[o].add(task)
    name, constants = _SCORE
    scores = {str(o): float(sc) for o, sc in run_internal(store, name, constants=constants).rows}
    reasons = _least(_pairs(store, _REASON))
    related = {o for o, _ in _pairs(store, _RELATION)}
    return [
        Overlap(
            iri=o,
            kind="indicator"
            if o in related or reasons.get(o, "").startswith(INDICATOR_REASONS)
            else "task",
            members=tuple(sorted(members.get(o, ()))),
            score=scores.get(o, 0.0),
            reason=reasons.get(o, ""),
        )
        for o in sorted(overlaps)
    ]


def overlapping_pairs(overlaps: list[Overlap]) -> dict[tuple[str, str], tuple[float, str]]:
    """Distinct task pairs joined by an overlap -> (best score, the overlap giving it)."""
    pairs: dict[tuple[str, str], tuple[float, str]] = {}
    for o in overlaps:
        m = o.members
        if len(m) == 2 and m[0] < m[1]:  # a task overlap (sorted): one pair
            best = pairs.get(key := (m[0], m[1]))
            if best is None or (-o.score, o.iri) < (-best[0], best[1]):
                pairs[key] = (o.score, o.iri)
            continue
        tasks = sorted(set(o.members))
        for i, a in enumerate(tasks):
            for b in tasks[i + 1 :]:
                best = pairs.get((a, b))
                if best is None or (-o.score, o.iri) < (-best[0], best[1]):
                    pairs[(a, b)] = (o.score, o.iri)
    return pairs


def compute_summary(
    store, overlaps: list[Overlap] | None = None, inputs: SummaryInputs | None = None
) -> Summary:
    """Every count, computed from the store (what :func:`refresh_summary` writes).

    ``overlaps``: those :func:`~obligraph.graph.analysis.overlap.refresh_overlaps` just wrote
    (default: read from the store); ``inputs``: the rest (default: :func:`read_inputs`).
    """
    out = Summary()
    if overlaps is None:
        overlaps = stored_overlaps(store)
    inputs = inputs or read_inputs(store)
    unit_labels = inputs.unit_labels
    programmes = {task: programmes for task, (_, programmes, _) in inputs.tasks.items()}
    roles: dict[tuple[str, str, str], None] = {}
    for task, (_, _, rows) in sorted(inputs.tasks.items()):
        for unit, role in rows:
            roles[(unit, task, role)] = None
    mine: dict[str, set[str]] = defaultdict(set)  # unit -> its tasks
    cells: dict[tuple[str, str], list[set[str]]] = {}
    for unit, task, role in roles:
        tally = out.units.get(unit)
        if tally is None:
            tally = out.units[unit] = UnitTally(
                unit, unit_labels.get(unit) or unit.rsplit("/", 1)[-1]
            )
        i = 0 if role == "lead" else 1
        if i == 0:
            tally.lead += 1
        else:
            tally.support += 1
        mine[unit].add(task)
        for prog in programmes[task]:
            cells.setdefault((unit, prog), [set(), set()])[i].add(task)
    out.cells = {k: [len(v[0]), len(v[1])] for k, v in sorted(cells.items())}
    pairs = overlapping_pairs(overlaps)
    indicator_overlaps = sum(1 for o in overlaps if o.kind == "indicator")
    units_of: dict[str, set[str]] = defaultdict(set)
    for unit, tasks in mine.items():
        for task in tasks:
            units_of[task].add(unit)
    prog_pairs: dict[tuple[str, str], int] = defaultdict(int)
    best = sorted(pairs.items(), key=lambda kv: (-kv[1][0], kv[1][1], kv[0]))
    out.top_overlaps = list(dict.fromkeys(o for _, (_, o) in best))[:TOP_OVERLAPS]
    for (a, b), (_, o) in best:
        ua, ub = units_of.get(a, _NO_UNITS), units_of.get(b, _NO_UNITS)
        for unit in ua | ub:
            out.units[unit].pairs += 1
            kept = out.unit_overlaps.setdefault(unit, [])
            if len(kept) < UNIT_TOP_OVERLAPS and o not in kept:
                kept.append(o)
        for unit in ua & ub:
            out.units[unit].shared += 1
        joined = {
            (pa, pb) if pa <= pb else (pb, pa)
            for pa in programmes.get(a, ())
            for pb in programmes.get(b, ())
        }
        for key in joined:
            prog_pairs[key] += 1
    out.programme_pairs = dict(sorted(prog_pairs.items()))
    used = {p for _, p in out.cells} | {p for ab in out.programme_pairs for p in ab}
    doc_labels = inputs.doc_labels
    out.labels = {p: doc_labels.get(p) or p.rsplit("/doc/", 1)[-1] for p in sorted(used)}
    out.totals = {
        "documents": inputs.counts["documents"],
        "tasks": len(inputs.tasks),
        "assignments": inputs.counts["assignments"],
        "units": inputs.counts["units"],
        "units with tasks": len(out.units),
        "overlaps": len(overlaps),
        "task overlaps": len(overlaps) - indicator_overlaps,
        "indicator overlaps": indicator_overlaps,
        "overlapping pairs": len(pairs),
    }
    out.digest = _digest(out)
    return out


def _digest(s: Summary) -> str:
    h = hashlib.sha1()
    for part in (
        sorted(s.totals.items()),
        sorted((u.unit, u.label, u.lead, u.support, u.pairs, u.shared) for u in s.units.values()),
        sorted(s.cells.items()),
        sorted(s.programme_pairs.items()),
        s.top_overlaps,
        sorted(s.unit_overlaps.items()),
        sorted(s.labels.items()),
    ):
        h.update(repr(part).encode("utf-8"))
    return h.hexdigest()


# ---------------------------------------------------------------- the summary graph


def _node(iris: Iris, *parts: str) -> URIRef:
    key = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{iris.base}summary/{parts[0]}/{key}")


def summary_nodes(s: Summary) -> dict[tuple, tuple]:
    """Each ``ob:Tally`` node of ``graph/summary`` for ``s``, by what it is about
    (``("lead", unit)``, ``("pairs", programme, programme)``, ...) -> what it counts and
    the count (what an incremental refresh compares, to write only the nodes that changed).

    >>> summary_nodes(Summary(digest="d"))[("summary",)]
    ('summary', 0, 'd')
    """
    nodes: dict[tuple, tuple] = {("summary",): ("summary", len(s.units), s.digest)}
    for name, n in s.totals.items():
        nodes[("total", name)] = (name, n)
    for u in s.units.values():
        for what in ("lead", "support", "pairs", "shared"):
            nodes[(what, u.unit)] = (what, getattr(u, what))
    for (unit, prog), counts in s.cells.items():
        for what, n in zip(("lead", "support"), counts, strict=True):
            if n:
                nodes[(what, unit, prog)] = (what, n)
    for (a, b), n in s.programme_pairs.items():
        nodes[("pairs", a, b)] = ("pair-programmes", n)
    for rank, overlap in enumerate(s.top_overlaps, 1):
        nodes[("top", overlap)] = ("top-overlap", rank)
    for unit, found in s.unit_overlaps.items():
        for rank, overlap in enumerate(found, 1):
            nodes[("unit-top", unit, overlap)] = ("unit-top-overlap", rank)
    return nodes


# the terms of a tally node, looked up once (a namespace attribute makes a new URIRef)
_TYPE, _TALLY, _TALLY_OF, _IDENTIFIER = RDF.type, OB.Tally, OB.tallyOf, DCTERMS.identifier
_ABOUT_UNIT, _ABOUT_OVERLAP, _ABOUT_PROGRAMME = OB.aboutUnit, OB.aboutOverlap, OB.aboutProgramme
_RANK, _INTEGER = OB.rank, XSD.integer


def node_triples(iris: Iris, key: tuple, value: tuple) -> list[tuple]:
    """The triples of one node of :func:`summary_nodes`.

    >>> len(node_triples(Iris(), ("lead", "urn:u"), ("lead", 3)))
    4
    """
    what, n = value[0], value[1]
    node = URIRef(f"{iris.base}summary") if key == ("summary",) else _node(iris, *key)
    out = [
        (node, _TYPE, _TALLY),
        (node, _TALLY_OF, Literal(what)),
        (node, _COUNT_P, Literal(n, datatype=_INTEGER)),
    ]
    if key == ("summary",):
        out.append((node, _IDENTIFIER, Literal(value[2])))
    elif key[0] in ("top", "unit-top"):
        if key[0] == "unit-top":
            out.append((node, _ABOUT_UNIT, URIRef(key[1])))
        out.append((node, _ABOUT_OVERLAP, URIRef(key[-1])))
        out.append((node, _RANK, Literal(n, datatype=_INTEGER)))
    elif what == "pair-programmes":
        out += [
            (node, _ABOUT_PROGRAMME, URIRef(key[1])),
            (node, _ABOUT_PROGRAMME, URIRef(key[2])),
        ]
    elif key[0] != "total":
        out.append((node, _ABOUT_UNIT, URIRef(key[1])))
        if len(key) == 3:
            out.append((node, _ABOUT_PROGRAMME, URIRef(key[2])))
    return out


def summary_triples(s: Summary, iris: Iris | None = None) -> list[tuple]:
    """The ``ob:Tally`` nodes of ``graph/summary`` for ``s``."""
    iris = iris or Iris()
    return [t for key, value in summary_nodes(s).items() for t in node_triples(iris, key, value)]


def refresh_summary(
    store,
    iris: Iris | None = None,
    overlaps: list[Overlap] | None = None,
    inputs: SummaryInputs | None = None,
    previous: dict[tuple, tuple] | None = None,
) -> Summary:
    """Compute every count and rewrite ``graph/summary`` (only what changed);
    ``overlaps`` and ``inputs`` as for :func:`compute_summary`. ``previous``: the
    :func:`summary_nodes` the graph holds, when known: only the nodes that differ are
    then taken out and put in (``Store.change_graph``)."""
    iris = iris or Iris()
    s = compute_summary(store, overlaps, inputs)
    graph = iris.special_graph("summary")
    if previous is None:
        store.replace_graph(graph, summary_triples(s, iris))
        return s
    nodes = summary_nodes(s)
    remove = [t for k, v in previous.items() if nodes.get(k) != v for t in node_triples(iris, k, v)]
    add = [t for k, v in nodes.items() if previous.get(k) != v for t in node_triples(iris, k, v)]
    store.change_graph(graph, remove, add)
    return s


def _in(store, graph: URIRef, p: URIRef) -> list[tuple]:
    """The (tally, value) pairs of ``p`` in the summary graph ``graph``."""
    constants = {"g": graph, "p": p}
    return internal_text_rows(store, "summary-graph-property-pairs", constants=constants)


def read_digest(store, iris: Iris | None = None) -> str | None:
    """The digest of the stored summary (``None``: the store has none)."""
    graph = (iris or Iris()).special_graph("summary")
    rows = run_internal(store, "summary-digest", constants={"g": graph}).rows
    return str(rows[0][0]) if rows else None


def read_summary(store, iris: Iris | None = None) -> Summary | None:
    """The counts stored in ``graph/summary``; ``None`` when the store has none."""
    iris = iris or Iris()
    graph = iris.special_graph("summary")
    digest = read_digest(store, iris)
    if digest is None:
        return None
    s = Summary(digest=digest)
    what = {str(t): str(w) for t, w in _in(store, graph, OB.tallyOf)}
    count = {str(t): int(n) for t, n in _in(store, graph, _COUNT_P)}
    unit = {str(t): str(u) for t, u in _in(store, graph, OB.aboutUnit)}
    progs: dict[str, list[str]] = defaultdict(list)
    for t, p in _in(store, graph, OB.aboutProgramme):
        progs[str(t)].append(str(p))
    top = run_internal(store, "summary-graph-ranked-overlaps", constants={"g": graph}).rows
    ranked = sorted((int(r), str(o), str(t)) for t, o, r in top)
    s.top_overlaps = [o for _, o, t in ranked if t not in unit]
    for _, o, t in ranked:
        if t in unit:
            s.unit_overlaps.setdefault(unit[t], []).append(o)
    unit_labels = _least(_pairs(store, _PREF_LABEL))
    for node, w in what.items():
        n = count.get(node, 0)
        u, ps = unit.get(node), sorted(progs.get(node, ()))
        if w == "unit-top-overlap" or w == "top-overlap":
            continue
        if w in TOTALS and u is None and not ps:
            s.totals[w] = n
        elif u is not None and not ps:
            tally = s.units.get(u)
            if tally is None:
                tally = s.units[u] = UnitTally(u, unit_labels.get(u) or u.rsplit("/", 1)[-1])
            setattr(tally, w, n)
        elif u is not None:
            s.cells.setdefault((u, ps[0]), [0, 0])[0 if w == "lead" else 1] = n
        elif w == "pair-programmes":
            s.programme_pairs[(ps[0], ps[-1])] = n
    s.cells = dict(sorted(s.cells.items()))
    s.programme_pairs = dict(sorted(s.programme_pairs.items()))
    used = {p for _, p in s.cells} | {p for ab in s.programme_pairs for p in ab}
    doc_labels = _doc_labels(store) if used else {}
    s.labels = {p: doc_labels.get(p) or p.rsplit("/doc/", 1)[-1] for p in sorted(used)}
    return s


_kept: dict[int, Summary] = {}
_kept_lock = threading.Lock()


def summary(store, iris: Iris | None = None) -> Summary:
    """The stored summary (kept in memory while its digest is the same), or the counts
    computed now when the store has none (a store built by an older version, or an
    endpoint loaded without it)."""
    digest = read_digest(store, iris)
    if digest is None:
        return compute_summary(store)
    with _kept_lock:
        kept = _kept.get(id(store))
    if kept is not None and kept.digest == digest:
        return kept
    found = read_summary(store, iris) or compute_summary(store)
    with _kept_lock:
        _kept.clear()  # one store per process in practice: keep only the latest
        _kept[id(store)] = found
    return found


def summary_totals(store, iris: Iris | None = None) -> dict[str, int]:
    """The totals of :func:`summary` (the home page's counts): the summary kept in memory
    when its digest is the store's, else the total nodes alone (the whole summary of
    10,000 documents took a worker's first page 10-22 s to read), else :func:`summary`.

    >>> from obligraph.graph.stores import open_store
    >>> summary_totals(open_store(memory=True))["tasks"]
    0
    """
    iris = iris or Iris()
    digest = read_digest(store, iris)
    with _kept_lock:
        kept = _kept.get(id(store))
    if digest is None or (kept is not None and kept.digest == digest):
        return summary(store, iris).totals
    nodes = [_node(iris, "total", name) for name in TOTALS]
    graph = iris.special_graph("summary")
    rows = run_internal(
        store, "summary-graph-totals", values={"t": nodes}, constants={"g": graph}
    ).rows
    found = {str(what): int(n) for what, n in rows}
    if set(found) != set(TOTALS):  # written by an older version: read it whole
        return summary(store, iris).totals
    return {name: found[name] for name in TOTALS}


def forget_kept() -> None:
    """Drop the summary kept in memory, so the next :func:`summary` reads the store again
    (called after a write: an update may change the summary graph but not its digest).

    >>> forget_kept()
    """
    with _kept_lock:
        _kept.clear()


def unit_tally(s: Summary, unit: str, label: str = "") -> UnitTally:
    """The tally of ``unit`` (zeros when it has no task)."""
    return s.units.get(unit) or UnitTally(unit, label)


def as_rows(s: Summary) -> dict[str, Any]:
    """The totals as the plain dict the pages and ``stats`` show."""
    return dict(s.totals)
