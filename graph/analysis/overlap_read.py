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
from collections.abc import Iterable
from dataclasses import dataclass, field

_PREFIXES = """
PREFIX ob:   <https://w3id.org/obligraph/ontology#>
PREFIX eli:  <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def _select(body: str) -> str:
    return _PREFIXES + body


# Flat reads, one per property family: no OPTIONAL chains (each OPTIONAL is a left join
# over the whole union graph) and no per-row EXISTS; joined here in Python.
_TASK_TYPE = _select("SELECT ?task WHERE { ?task a ob:Task }")
_TEXTS = _select("SELECT ?item ?text WHERE { ?item ob:text ?text }")
_IN_DOCUMENT = _select("SELECT ?item ?doc WHERE { ?item ob:inDocument ?doc }")
_INDICATORS = _select(
    "SELECT ?indicator ?doc WHERE { ?indicator a ob:Indicator ; ob:inDocument ?doc }"
)
_ID_LOCAL = _select("SELECT ?doc ?label WHERE { ?doc eli:id_local ?label }")
_SOURCE_FILES = _select("SELECT ?doc ?file WHERE { ?doc ob:sourceFile ?file }")
_PROGRAMMES = _select("SELECT ?item ?programme WHERE { ?item ob:programme ?programme }")
_LINES = _select(
    "SELECT ?task ?line WHERE { ?task a ob:Task ; ob:source ?span . ?span ob:lineStart ?line }"
)
# an assignment's task, unit and role: four scans, not a star join (which looks each
# assignment up three times in the on-disk indexes: 3-5x slower at 1,000 documents)
_ASSIGNMENT_TYPE = _select("SELECT ?assignment WHERE { ?assignment a ob:Assignment }")
_ASSIGNED_TASK = _select("SELECT ?assignment ?task WHERE { ?assignment ob:task ?task }")
_ASSIGNED_UNIT = _select("SELECT ?assignment ?unit WHERE { ?assignment ob:unit ?unit }")
_ASSIGNED_ROLE = _select("SELECT ?assignment ?role WHERE { ?assignment ob:role ?role }")
_PREF_LABELS = _select("SELECT ?unit ?label WHERE { ?unit skos:prefLabel ?label }")
_ALT_LABELS = _select("SELECT ?unit ?label WHERE { ?unit skos:altLabel ?label }")
_GENERIC = _select("SELECT ?unit WHERE { ?unit a ob:GenericUnit }")
_SERVES = _select("SELECT ?task ?indicator WHERE { ?task ob:servesIndicator ?indicator }")
_MEASURES = _select(
    "SELECT ?indicator ?measure WHERE { ?indicator a ob:Indicator ; ob:measure ?measure }"
)
_ADAPTS = _select(
    "SELECT ?indicator ?adapts WHERE { ?indicator a ob:Indicator ; ob:adapts ?adapts }"
)
_LEADS = _select("SELECT ?indicator ?lead WHERE { ?indicator a ob:Indicator ; ob:lead ?lead }")


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



def _s(term) -> str:
    return "" if term is None else str(term)


def _doc_label(label, file, doc) -> str:
    return _s(label) or _s(file) or _s(doc).rsplit("/doc/", 1)[-1]


def _pairs(store, sparql: str) -> list[tuple[str, str]]:
    """The two columns of a flat SELECT, as strings."""
    return [(str(a), str(b)) for a, b in store.query(sparql).rows]


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

    def __init__(self, store) -> None:
        self.store = store
        self.id_local = _least(_pairs(store, _ID_LOCAL))
        self.programmes = _least(_pairs(store, _PROGRAMMES))
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


def read_tasks(store, *, lines: bool = True, places: _Places | None = None) -> list[_Item]:
    """Every task of the store with its units, roles and indicators (sorted by IRI).

    ``lines=False`` leaves ``line`` (the first source line) unread: the overlaps do
    not use it, and at 1,000 documents it is a quarter of the reading.

    Flat SELECTs (see ``_TASK_TYPE`` and the queries after it) joined in Python; where a
    property has several values, the smallest is taken (text, document, label,
    programme, line), so the result does not depend on the order of the rows.
    """
    places = places or _Places(store)
    items: dict[str, _Item] = {}
    typed = {str(row[0]) for row in store.query(_TASK_TYPE).rows}
    texts = _least(r for r in _pairs(store, _TEXTS) if r[0] in typed)
    documents = _least(r for r in _pairs(store, _IN_DOCUMENT) if r[0] in texts)
    for task, doc in sorted(documents.items()):
        text = texts[task]
        item = items[task] = _Item(
            iri=task,
            kind="task",
            text=text,
            document=doc,
            document_label=places.document_label(doc),
        )
        places.place(item)
    for task, line in store.query(_LINES).rows if lines else ():
        item = items.get(str(task))
        if item is not None and line is not None and (item.line is None or int(line) < item.line):
            item.line = int(line)
    label, every = places.labels()
    generic = {str(row[0]) for row in store.query(_GENERIC).rows}
    for task, unit, role in _assignments(store):
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
    for task, indicator in _pairs(store, _SERVES):
        item = items.get(task)
        if item is not None:
            item.indicator_keys.add(indicator)
    return [items[k] for k in sorted(items)]


def _assignments(store) -> list[tuple[str, str, str]]:
    """``(task, unit, role)`` of every ``ob:Assignment`` (each combination, as a join)."""
    typed = {str(row[0]) for row in store.query(_ASSIGNMENT_TYPE).rows}
    parts: list[dict[str, list[str]]] = []
    for sparql in (_ASSIGNED_TASK, _ASSIGNED_UNIT, _ASSIGNED_ROLE):
        values: dict[str, list[str]] = defaultdict(list)
        for assignment, value in _pairs(store, sparql):
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


def read_indicators(store, *, places: _Places | None = None) -> list[_Item]:
    """Every indicator of the store; ``indicator_keys`` holds what it adapts (or itself)."""
    places = places or _Places(store)
    items: dict[str, _Item] = {}
    measures = _least(_pairs(store, _MEASURES))
    for iri, doc in sorted(_least(_pairs(store, _INDICATORS)).items()):
        item = items[iri] = _Item(
            iri=iri,
            kind="indicator",
            text=measures.get(iri, ""),
            document=doc,
            document_label=places.document_label(doc),
        )
        places.place(item)
    adapted: dict[str, list[str]] = defaultdict(list)
    for iri, adapts in _pairs(store, _ADAPTS):
        item = items.get(iri)
        if item is not None:
            item.indicator_keys.add(adapts)
            label = _adapted_document(adapts, places.id_local)
            if label is not None:
                adapted[iri].append(label)
    for iri, labels in adapted.items():
        items[iri].programme_label = items[iri].programme_label or min(labels)
    label, _ = places.labels()
    for iri, lead in _pairs(store, _LEADS):
        item = items.get(iri)
        if item is not None:
            item.lead[lead] = label.get(lead) or lead.rsplit("/", 1)[-1]
    for item in items.values():
        if not item.indicator_keys:
            item.indicator_keys.add(item.iri)
    return [items[k] for k in sorted(items)]


