"""obligraph: a knowledge graph of obligations from Vietnamese policy documents.

The package maps the project's top-level folders into one import namespace::

    obligraph.loaders   documents -> plain records (no RDF inside)
    obligraph.graph     records -> RDF, stores, networkx projection, reasoning
    obligraph.queries   the named SPARQL query library, trace, reports
    obligraph.viz       pyvis views and the local web app
    obligraph.ontology  the OWL ontology, SHACL shapes and the unit gazetteer (data)

The front door offers what a notebook needs, imported on first use (``import
obligraph`` stays light):

>>> import obligraph
>>> obligraph.__version__
'0.1.0'
>>> store = obligraph.open_store(memory=True)
>>> report = obligraph.build([obligraph.corpus_dir()], store)
>>> report.documents, report.tasks > 200
(5, True)
>>> plan = obligraph.corpus_dir() / "qd-923-ldtbxh-2020-ke-hoach-chi-thi-23-ct-ttg.txt"
>>> doc = obligraph.load_document(plan)
>>> doc.number
'923/QĐ-LĐTBXH'
>>> rows = obligraph.run_query(store, "obligations-of-unit", {"unit": "Cục Trẻ em"}).dicts()
>>> {str(r["unitName"]) for r in rows}
{'Cục Trẻ em'}
>>> trace = obligraph.trace(store, "Cục TE")
>>> trace.unit, len(trace.obligations) == len(rows)
('Cục Trẻ em', True)
>>> sorted({r["kind"] for r in obligraph.check(store)})
['finding', 'shacl']
>>> obligations = obligraph.export_rows(store, "obligations")
>>> sorted(obligations[0])[:3]
['corrected', 'document', 'due_date']
>>> obligraph.remove_document(store, "923/QĐ-LĐTBXH").number
'923/QĐ-LĐTBXH'
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

#: The front door: name -> "module:attribute", imported on first use.
_FRONT_DOOR = {
    "open_store": "obligraph.graph.stores:open_store",
    "build": "obligraph.graph.build:build",
    "load_document": "obligraph.loaders:load_document",
    "run_query": "obligraph.queries.library:run",
    "named_queries": "obligraph.queries.library:catalogue",
    "trace": "obligraph.queries.trace:trace_unit",
    "check": "obligraph.graph.check:check_store",
    "remove_document": "obligraph.graph.remove:remove_document",
    "apply_corrections": "obligraph.graph.corrections:apply_corrections",
    "read_corrections": "obligraph.graph.corrections:read_corrections",
    "apply_statuses": "obligraph.graph.status:apply_statuses",
    "ObligraphError": "obligraph.base.errors:ObligraphError",
    "corpus_dir": "obligraph.base.config:corpus_dir",
}

__all__ = ["__version__", "export_rows", *_FRONT_DOOR]


def __getattr__(name: str) -> Any:
    """The front door's functions, imported when first asked for (PEP 562)."""
    target = _FRONT_DOOR.get(name)
    if target is None:
        raise AttributeError(f"module 'obligraph' has no attribute {name!r}")
    module, _, attr = target.partition(":")
    value = getattr(import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_FRONT_DOOR))


def export_rows(store: Any, kind: str) -> list[dict]:
    """The rows of the export contract (``obligations``, ``documents``, ``indicators``:
    the keys and order of ``obligraph export``, docs/cli.md) as dicts.

    >>> import obligraph
    >>> obligraph.export_rows(obligraph.open_store(memory=True), "documents")
    []
    """
    from obligraph.graph.export import ROW_MAKERS

    if kind not in ROW_MAKERS:
        from obligraph.base.errors import QueryError

        raise QueryError(f"unknown export {kind!r}; use one of {', '.join(ROW_MAKERS)}")
    return ROW_MAKERS[kind][0](store)
