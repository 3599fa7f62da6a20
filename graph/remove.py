"""Take a document out of the store, as if it had never been built with it.

:func:`remove_document` drops the document's named graph, re-applies the
corrections and statuses (those that pointed at the document are then reported
as not applied, and kept), recomputes what is derived from every document (the
succession findings and the overlaps) and drops the inferred graph of the last
``obligraph reason`` (stale without the document). The documents it cited stay
as cited nodes of the documents that cite them.

>>> from obligraph.graph.stores import open_store
>>> remove_document(open_store(memory=True), "704/QĐ-LĐTBXH")
Traceback (most recent call last):
obligraph.base.errors.InputError: no loaded document is '704/QĐ-LĐTBXH' ...
"""

from __future__ import annotations

from dataclasses import dataclass, field

from obligraph.graph.targets import find_document

from obligraph.base.vocab import Iris


@dataclass
class RemoveReport:
    """What removing a document did."""

    document: str
    number: str
    file: str
    graph: str
    triples: int = 0
    corrections_not_applied: list[dict] = field(default_factory=list)
    statuses_not_applied: list[dict] = field(default_factory=list)
    inferred_dropped: bool = False

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def remove_document(store, ref: str, *, iris: Iris | None = None, gazetteer=None) -> RemoveReport:
    """Remove the loaded document ``ref`` names (number, file, IRI or IRI tail)."""
    from obligraph.graph.build import apply_people, refresh_derived

    iris = iris or Iris()
    doc = find_document(store, ref, iris)
    graph = iris.graph(doc.iri)
    report = RemoveReport(str(doc.iri), doc.number, doc.file, str(graph))
    report.triples = store.triples_count(graph)
    from obligraph.graph.analysis.overlap_update import take_state

    state = take_state(store)  # taken away before writing: kept again after the refresh
    store.remove_graph(graph)
    people = apply_people(store, iris=iris, gazetteer=gazetteer)
    report.corrections_not_applied = [
        c for c in people.corrections_not_applied if _points_at(c, doc, iris)
    ]
    report.statuses_not_applied = [
        s for s in people.statuses_not_applied if _points_at(s, doc, iris)
    ]
    inferred = iris.special_graph("inferred")
    if inferred in store.graphs():
        store.remove_graph(inferred)
        report.inferred_dropped = True
    corrected = people.corrections_applied or people.corrections_not_applied
    refresh_derived(store, iris, changed=None if corrected else {str(doc.iri)}, state=state)
    return report


def _points_at(entry: dict, doc, iris: Iris) -> bool:
    """Whether a correction or status entry names the removed document."""
    from obligraph.graph.targets import matches, split_task_ref

    from obligraph.base.errors import InputError

    target = entry.get("target") or entry.get("task") or ""
    try:
        part = split_task_ref(target)[0]
    except InputError:  # a document reference (unit corrections)
        part = target
    return matches(doc, part.strip().strip("<>").strip("/"), iris)
