"""``obligraph check``'s library side: SHACL results, extraction findings and
corrections, as rows (kind, severity, code, file, line, message, focus, document,
task id, task text).

>>> from obligraph.graph.stores import open_store
>>> check_store(open_store(memory=True))
[]
"""

from __future__ import annotations

from obligraph.queries.library import run_internal

from obligraph.base.vocab import PREFIXES


def _short_iri(text: str) -> str:
    """An IRI of a known vocabulary as ``prefix:local``; other text unchanged.

    >>> _short_iri("http://data.europa.eu/eli/ontology#id_local")
    'eli:id_local'
    """
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text


def _items(store) -> dict[str, dict[str, str]]:
    """For every node in a document: the document's number (or file), task id and text."""
    items: dict[str, dict[str, str]] = {}
    for r in run_internal(store, "check-items").dicts():
        entry = items.setdefault(str(r["item"]), {"document": "", "task_id": "", "task_text": ""})
        for key, value in (
            ("document", r["number"] or r["file"]),
            ("task_id", r["id"]),
            ("task_text", r["text"]),
        ):
            if value is not None and not entry[key]:
                entry[key] = str(value)
    return items


def check_store(store) -> list[dict]:
    """SHACL results and extraction findings as rows (kind, severity, code, file, line,
    message, focus; and the document, task id and task text the result is about)."""
    from obligraph.ontology import validate
    from rdflib import Dataset

    # The ontology graph goes in too: shapes check e.g. that a document type is a skos:Concept.
    data = Dataset()
    for graph_iri in store.graphs():
        ctx = data.graph(graph_iri)
        for t in store.graph_triples(graph_iri):
            ctx.add(t)
    report = validate(data)
    rows = [
        {
            "kind": "shacl",
            "severity": r.severity,
            # a property shape without a name is known by its path (eli:id_local)
            "code": r.shape_label or _short_iri(r.path),
            "file": r.source_file,
            "line": r.line,
            "message": r.message,
            "focus": r.focus,
        }
        for r in report.results
    ]
    seen = set()
    about: dict[str, str] = {}
    for f in run_internal(store, "check-findings").dicts():
        if str(f["finding"]) in seen:
            continue
        seen.add(str(f["finding"]))
        severity = str(f["severity"] or "").rsplit("#", 1)[-1].lower() or "warning"
        focus = str(f["about"] or f["finding"])
        about.setdefault(focus, str(f["finding"]))
        rows.append(
            {
                "kind": "finding",
                "severity": severity,
                "code": str(f["code"] or ""),
                "file": str(f["file"] or f["docFile"] or ""),
                "line": int(f["line"]) if f["line"] is not None else None,
                "message": str(f["message"] or ""),
                "focus": focus,
            }
        )
    items = _items(store)
    unique: dict[tuple, dict] = {}
    for row in rows:  # pySHACL may report one result twice (one per message language)
        key = tuple(row[k] for k in ("kind", "severity", "code", "file", "line", "message"))
        if (*key, row["focus"]) in unique:
            continue
        info = items.get(row["focus"]) or items.get(about.get(row["focus"], ""), {})
        row.update(
            {k: info.get(k, "") for k in ("document", "task_id", "task_text")}
        )  # fmt: skip
        unique[(*key, row["focus"])] = row
    rows = list(unique.values())
    from obligraph.graph.corrections import check_rows

    rows += check_rows(store)  # corrections not applied, and how much was corrected
    order = {"violation": 0, "error": 0, "warning": 1, "info": 2}
    rows.sort(key=lambda r: (order.get(r["severity"], 3), r["file"], r["line"] or 0, r["code"]))
    return rows
