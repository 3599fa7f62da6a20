"""Reading what the overlap computation needs from the store: flat SELECTs joined in Python.

Each property is read by its own one- or two-pattern SELECT over the union graph
(no OPTIONAL chains, no EXISTS per row), and the rows are joined here; where a
node has several values the smallest is taken, so row order never matters.
:func:`read_tasks` and :func:`read_indicators` give the :class:`_Item` records
:mod:`obligraph.graph.analysis.overlap` scores.

>>> from obligraph.graph.stores import open_store
>>> read_tasks(open_store(memory=True))
[]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from sys import intern

from obligraph.queries.library import run_internal, text
from rdflib import URIRef

from obligraph.base.vocab import ELI, OB, SKOS

# Flat reads, one per property family: no OPTIONAL chains (each OPTIONAL is a left join
# over the whole union graph) and no per-row EXISTS; joined here in Python. Each is a
# (query, constants) pair of the query library.
_TEXTS = ("overlap-property-pairs", {"p": OB.text})
_IN_DOCUMENT = ("overlap-property-pairs", {"p": OB.inDocument})
_INDICATORS = ("overlap-typed-property-pairs", {"class": OB.Indicator, "p": OB.inDocument})
_ID_LOCAL = ("overlap-property-pairs", {"p": ELI.id_local})
_SOURCE_FILES = ("overlap-property-pairs", {"p": OB.sourceFile})
_PROGRAMMES = ("overlap-property-pairs", {"p": OB.programme})
# an assignment's task, unit and role: four scans, not a star join (which looks each
# assignment up three times in the on-disk indexes: 3-5x slower at 1,000 documents)
_ASSIGNED_TASK = ("overlap-property-pairs", {"p": OB.task})
_ASSIGNED_UNIT = ("overlap-property-pairs", {"p": OB.unit})
_ASSIGNED_ROLE = ("overlap-property-pairs", {"p": OB.role})
_PREF_LABELS = ("overlap-property-pairs", {"p": SKOS.prefLabel})
_ALT_LABELS = ("overlap-property-pairs", {"p": SKOS.altLabel})
_SERVES = ("overlap-property-pairs", {"p": OB.servesIndicator})
_MEASURES = ("overlap-typed-property-pairs", {"class": OB.Indicator, "p": OB.measure})
_ADAPTS = ("overlap-typed-property-pairs", {"class": OB.Indicator, "p": OB.adapts})
_LEADS = ("overlap-typed-property-pairs", {"class": OB.Indicator, "p": OB.lead})


def _typed(store, cls, graphs: Sequence[str] | None = None) -> set[str]:
    """The IRIs of every node typed ``cls`` (in the named ``graphs`` only, when given)."""
    if graphs is None:
        rows = run_internal(store, "overlap-typed-nodes", constants={"class": cls}).rows
    else:  # one query a graph, written in: Oxigraph joins a VALUES-bound graph last
        rows = [
            row
            for g in graphs
            for row in run_internal(
                store, "overlap-graph-typed-nodes", constants={"class": cls, "g": URIRef(g)}
            ).rows
        ]
    return {intern(str(row[0])) for row in rows}


@dataclass
class _Item:
    """A task or an indicator as the overlap computation sees it."""

    iri: str
    kind: str  # "task" | "indicator"
    text: str
    document: str
    document_label: str
    programme: str = ""
    programme_label: str = ""
    line: int | None = None
    lead: dict[str, str] = field(default_factory=dict)  # unit IRI -> label
    support: dict[str, str] = field(default_factory=dict)
    generic: set[str] = field(default_factory=set)
    indicator_keys: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # every label of its units, dropped for scoring
    tokens: list[str] = field(default_factory=list)

    def named_units(self) -> dict[str, str]:
        units = {**self.support, **self.lead}
        return {u: label for u, label in units.items() if u not in self.generic}


def _doc_label(label, file, doc) -> str:
    return text(label) or text(file) or text(doc).rsplit("/doc/", 1)[-1]


def _pairs(
    store, read: tuple[str, dict], graphs: Sequence[str] | None = None
) -> list[tuple[str, str]]:
    """The two columns of a flat read, as strings: an internal query and its constants
    (``_TEXTS``); with ``graphs``, only what those named graphs state (the documents an
    incremental refresh reads again)."""
    name, constants = read
    if graphs is None:
        rows = run_internal(store, name, constants=constants).rows
    else:  # one query a graph, written in: Oxigraph joins a VALUES-bound graph last
        name = name.replace("overlap-", "overlap-graph-", 1)
        rows = [
            row
            for g in graphs
            for row in run_internal(store, name, constants={**constants, "g": URIRef(g)}).rows
        ]
    # one string object per IRI or text however often it comes (a document's IRI on each
    # of its tasks, a unit's on each assignment): the reads of 10,000 documents are held
    # side by side by a refresh
    return [(intern(str(a)), intern(str(b))) for a, b in rows]


def _least(rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """First column -> its smallest value in the second (one value, whatever the order)."""
    out: dict[str, str] = {}
    for key, value in rows:
        if key not in out or value < out[key]:
            out[key] = value
    return out


def _labels(store) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Unit (or document) IRI -> its label, and -> every label and alternative label."""
    pref = _pairs(store, _PREF_LABELS)
    every: dict[str, set[str]] = defaultdict(set)
    for unit, label in pref + _pairs(store, _ALT_LABELS):
        every[unit].add(label)
    return _least(pref), every


class _Places:
    """Documents' labels, items' programmes (with their labels) and units' labels,
    each read once (shared by :func:`read_tasks` and :func:`read_indicators`)."""

    def __init__(self, store, graphs: Sequence[str] | None = None) -> None:
        self.store = store
        self.id_local = _least(_pairs(store, _ID_LOCAL))
        self.programmes = _least(_pairs(store, _PROGRAMMES, graphs))
        self.files: dict[str, str] | None = None  # read when a document has no id_local
        self._labels: tuple[dict[str, str], dict[str, set[str]]] | None = None

    def labels(self) -> tuple[dict[str, str], dict[str, set[str]]]:
        if self._labels is None:
            self._labels = _labels(self.store)
        return self._labels

    def document_label(self, doc: str) -> str:
        label = self.id_local.get(doc)
        if label:
            return label
        if self.files is None:
            self.files = _least(_pairs(self.store, _SOURCE_FILES))
        return _doc_label(label, self.files.get(doc), doc)

    def place(self, item: _Item) -> None:
        programme = self.programmes.get(item.iri, "")
        if programme:
            item.programme = programme
            item.programme_label = self.id_local.get(programme) or programme.rsplit("/doc/", 1)[-1]


def read_tasks(
    store,
    *,
    lines: bool = True,
    places: _Places | None = None,
    graphs: Sequence[str] | None = None,
) -> list[_Item]:
    """Every task of the store with its units, roles and indicators (sorted by IRI).

    ``lines=False`` leaves ``line`` (the first source line) unread: the overlaps do
    not use it, and at 1,000 documents it is a quarter of the reading. ``graphs``:
    only the tasks those named graphs state (their units' labels and genericity, and
    documents' labels, still from the whole store).

    Flat SELECTs (see ``_TEXTS`` and the reads after it) joined in Python; where a
    property has several values, the smallest is taken (text, document, label,
    programme, line), so the result does not depend on the order of the rows.
    """
    places = places or _Places(store, graphs)
    items: dict[str, _Item] = {}
    typed = _typed(store, OB.Task, graphs)
    texts = _least(r for r in _pairs(store, _TEXTS, graphs) if r[0] in typed)
    documents = _least(r for r in _pairs(store, _IN_DOCUMENT, graphs) if r[0] in texts)
    for task, doc in sorted(documents.items()):
        item = items[task] = _Item(
            iri=task,
            kind="task",
            text=texts[task],
            document=doc,
            document_label=places.document_label(doc),
        )
        places.place(item)
    for task, line in run_internal(store, "overlap-task-lines").rows if lines and items else ():
        item = items.get(str(task))
        if item is not None and line is not None and (item.line is None or int(line) < item.line):
            item.line = int(line)
    label, every = places.labels()
    generic = _typed(store, OB.GenericUnit)
    for task, unit, role in _assignments(store, graphs):
        item = items.get(str(task))
        if item is None:
            continue
        unit = str(unit)
        name = label.get(unit) or unit.rsplit("/", 1)[-1]
        if str(role).endswith("LeadRole"):
            item.lead[unit] = name
        else:
            item.support[unit] = name
        item.names.update(every.get(unit, ()))
        if unit in generic:
            item.generic.add(unit)
    for task, indicator in _pairs(store, _SERVES, graphs):
        item = items.get(task)
        if item is not None:
            item.indicator_keys.add(indicator)
    return [items[k] for k in sorted(items)]


def _assignments(store, graphs: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
    """``(task, unit, role)`` of every ``ob:Assignment`` (each combination, as a join;
    with ``graphs``, of those the named graphs state)."""
    typed = _typed(store, OB.Assignment, graphs)
    parts: list[dict[str, list[str]]] = []
    for read in (_ASSIGNED_TASK, _ASSIGNED_UNIT, _ASSIGNED_ROLE):
        values: dict[str, list[str]] = defaultdict(list)
        for assignment, value in _pairs(store, read, graphs):
            if assignment in typed:
                values[assignment].append(value)
        parts.append(values)
    tasks, units, roles = parts
    return [
        (task, unit, role)
        for assignment, of in tasks.items()
        for task in of
        for unit in units.get(assignment, ())
        for role in roles.get(assignment, ())
    ]


def _adapted_document(adapts: str, id_local: dict[str, str]) -> str | None:
    """The label of the document whose IRI + ``/indicator/`` starts ``adapts``."""
    found = [
        id_local[adapts[:at]]
        for at in range(len(adapts))
        if adapts.startswith("/indicator/", at) and adapts[:at] in id_local
    ]
    return min(found) if found else None


def read_indicators(
    store, *, places: _Places | None = None, graphs: Sequence[str] | None = None
) -> list[_Item]:
    """Every indicator of the store (or of the named ``graphs``); ``indicator_keys``
    holds what it adapts (or itself)."""
    places = places or _Places(store, graphs)
    items: dict[str, _Item] = {}
    measures = _least(_pairs(store, _MEASURES, graphs))
    for iri, doc in sorted(_least(_pairs(store, _INDICATORS, graphs)).items()):
        item = items[iri] = _Item(
            iri=iri,
            kind="indicator",
            text=measures.get(iri, ""),
            document=doc,
            document_label=places.document_label(doc),
        )
        places.place(item)
    adapted: dict[str, list[str]] = defaultdict(list)
    for iri, adapts in _pairs(store, _ADAPTS, graphs):
        item = items.get(iri)
        if item is not None:
            item.indicator_keys.add(adapts)
            label = _adapted_document(adapts, places.id_local)
            if label is not None:
                adapted[iri].append(label)
    for iri, labels in adapted.items():
        items[iri].programme_label = items[iri].programme_label or min(labels)
    label, _ = places.labels()
    for iri, lead in _pairs(store, _LEADS, graphs):
        item = items.get(iri)
        if item is not None:
            item.lead[lead] = label.get(lead) or lead.rsplit("/", 1)[-1]
    for item in items.values():
        if not item.indicator_keys:
            item.indicator_keys.add(item.iri)
    return [items[k] for k in sorted(items)]
