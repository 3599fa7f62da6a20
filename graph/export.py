"""The export contract: obligations, documents and indicators as rows; whole-graph dumps.

Rows are computed by SPARQL over the store, so they come out the same from the
embedded store, the in-memory one or a remote endpoint. Field names are a
contract other tools read (issue 2 §7); keep them.

* ``obligations``: one row per (task, unit, role); a task with no unit gets one
  row with empty ``unit`` and ``role``.
* ``documents``: one row per loaded document.
* ``indicators``: one row per target.

CSV is UTF-8 with a BOM (Excel shows Vietnamese correctly); JSON keeps
diacritics (no ``\\u`` escapes); lists become ``; ``-joined text in CSV/XLSX
cells, except ``legal_bases`` which is written as JSON text there.

>>> OBLIGATION_FIELDS[:4]
('document', 'source_file', 'task_id', 'task_text')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from obligraph.queries.library import run_internal, text

from obligraph.base.errors import QueryError

OBLIGATION_FIELDS = (
    "document",
    "source_file",
    "task_id",
    "task_text",
    "unit",
    "role",
    "modality",
    "timeframe",
    "source_line",
    "unit_now",
    "due_date",
    "status",
    "status_date",
    "corrected",
)
DOCUMENT_FIELDS = (
    "source_file",
    "number",
    "doc_type",
    "date",
    "issuer",
    "signer",
    "title",
    "legal_bases",
    "implements",
    "cites",
    "jurisdiction",
    "source_files",
)
INDICATOR_FIELDS = (
    "source_file",
    "document",
    "programme",
    "indicator",
    "measure",
    "year",
    "value",
    "unit",
    "comparator",
    "lead",
)


def _local(term) -> str:
    return "" if term is None else re.split(r"[#/]", str(term))[-1]


def _snake(name: str) -> str:
    """``AtLeast`` -> ``at_least`` (the records' spelling)."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _int(term) -> int | None:
    if term is None:
        return None
    try:
        return int(str(term)[:4]) if str(term)[:4].isdigit() else int(term.toPython())
    except (TypeError, ValueError):
        return None


def _num(term) -> float | int | None:
    if term is None:
        return None
    value = float(str(term))
    return int(value) if value.is_integer() else value


def _tail_number(iri) -> int:
    m = re.search(r"(\d+)$", str(iri))
    return int(m.group(1)) if m else 0


def obligation_rows(store, today: date | None = None) -> list[dict]:
    """One row per (task, unit, role); a task with no unit gets one row with empty unit/role.

    ``status`` is the task's state on ``today`` (default: the real today): the last
    status reported, or ``overdue`` past its due date when not done; ``corrected`` is
    true for an assignment a correction made (docs/corrections.md)."""
    from obligraph.graph.status import state_on

    today = today or date.today()
    rows: dict[tuple, dict] = {}
    for r in run_internal(store, "export-obligations").dicts():
        role = _local(r["role"])
        role = {"LeadRole": "lead", "SupportRole": "support"}.get(role, "")
        modality = _local(r["modality"] or r["taskModality"]) or "Obligation"
        line = r["line"] if r["line"] is not None else r["taskLine"]
        key = (str(r["task"]), text(r["unitName"]) if role else "", role)
        if key in rows:
            continue
        rows[key] = {
            "document": text(r["docNumber"]),
            "source_file": text(r["sourceFile"]),
            "task_id": text(r["taskId"]),
            "task_text": text(r["text"]),
            "unit": key[1],
            "role": role,
            "modality": "request" if modality == "Request" else "obligation",
            "timeframe": text(r["timeframe"]),
            "source_line": _int(line),
            "due_date": text(r["due"]),
            "status": state_on(r["statusCode"], r["due"], today),
            "status_date": text(r["statusDate"]),
            "corrected": r["byCorrection"] is not None,
            "_order": (text(r["sourceFile"]), _int(r["taskLine"]) or 0, text(r["taskId"])),
        }
    out = sorted(
        rows.values(), key=lambda d: (d["_order"], d["role"] != "lead", d["role"], d["unit"])
    )
    now: dict[str, str] = {}
    for d in out:
        del d["_order"]
        if d["unit"] and d["unit"] not in now:
            now[d["unit"]] = unit_now(d["unit"])
        d["unit_now"] = now.get(d["unit"], "")
    return [{k: d[k] for k in OBLIGATION_FIELDS} for d in out]


def unit_now(name: str) -> str:
    """Who holds a unit's duties after the 2025 reorganisation, for the register.

    "" when nothing changed or nothing is known; the bodies (with the function that
    moved) joined by "; "; "(không còn)" for a body abolished with no successor.

    >>> unit_now("Ủy ban nhân dân tỉnh Bình Dương")
    'Ủy ban nhân dân Thành phố Hồ Chí Minh'
    """
    from obligraph.graph.analysis.succession import status, successors

    found = successors(name)
    if not found:
        return "(không còn)" if status(name) == "abolition" else ""
    if len(found) == 1 and found[0].name == name:
        return ""
    return "; ".join(
        s.name + (f" ({s.function})" if s.function else "") + ("" if s.sourced else " [?]")
        for s in found
    )


def _type_label(label, concept) -> str:
    if label is not None:
        return str(label)
    return _local(concept)


def document_rows(store) -> list[dict]:
    """One row per loaded document, with its legal bases, implemented and cited documents."""
    docs: dict[str, dict] = {}
    for r in run_internal(store, "export-documents").dicts():
        key = str(r["doc"])
        if key in docs:
            if r["copy"] is not None and text(r["copy"]) not in docs[key]["source_files"]:
                docs[key]["source_files"].append(text(r["copy"]))
            continue
        docs[key] = {
            "source_file": text(r["sourceFile"]),
            "number": text(r["number"]),
            "doc_type": _type_label(r["typeLabel"], r["type"]) if r["type"] else "",
            "date": text(r["date"]),
            "issuer": text(r["issuer"]),
            "signer": text(r["signer"]),
            "title": text(r["title"]),
            "legal_bases": [],
            "implements": [],
            "cites": [],
            "jurisdiction": text(r["jurisdiction"]),
            "source_files": [text(r["sourceFile"])]
            + ([text(r["copy"])] if r["copy"] is not None else []),
        }
    cites = sorted(
        run_internal(store, "export-citations").dicts(),
        key=lambda r: (str(r["doc"]), _tail_number(r["citation"])),
    )
    seen: set[tuple] = set()
    for r in cites:
        doc = docs.get(str(r["doc"]))
        relation = text(r["relation"])
        if doc is None or relation not in ("based_on", "implements", "cites"):
            continue
        name = text(r["number"]) or text(r["title"])
        if (str(r["doc"]), relation, name) in seen:
            continue
        seen.add((str(r["doc"]), relation, name))
        if relation == "based_on":
            doc["legal_bases"].append(
                {
                    "number": text(r["number"]),
                    "doc_type": _type_label(r["typeLabel"], r["type"]) if r["type"] else "",
                    "date": text(r["date"]),
                    "issuer": text(r["issuer"]),
                    "title": text(r["title"]),
                }
            )
        else:
            doc[relation].append(name)
    return sorted(docs.values(), key=lambda d: d["source_file"])


def indicator_rows(store) -> list[dict]:
    """One row per target of an indicator."""
    rows: dict[str, dict] = {}
    for r in run_internal(store, "export-indicators").dicts():
        key = str(r["target"])
        row = rows.get(key)
        if row is None:
            row = rows[key] = {
                "source_file": text(r["sourceFile"]),
                "document": text(r["docNumber"]),
                "programme": text(r["programme"]),
                "indicator": text(r["indicatorId"]),
                "measure": text(r["measure"]),
                "year": _int(r["year"]),
                "value": _num(r["value"]),
                "unit": text(r["uom"]),
                "comparator": _snake(_local(r["comparator"])) if r["comparator"] else "",
                "lead": [],
            }
        lead = text(r["leadName"])
        if lead and lead not in row["lead"]:
            row["lead"].append(lead)
    for row in rows.values():
        row["lead"].sort()

    def order(row):
        ind = row["indicator"]
        num = int(ind) if ind.isdigit() else 10**6
        return (row["source_file"], num, ind, row["year"] or 0)

    return sorted(rows.values(), key=order)


ROW_MAKERS: dict[str, tuple[Callable, tuple[str, ...]]] = {
    "obligations": (obligation_rows, OBLIGATION_FIELDS),
    "documents": (document_rows, DOCUMENT_FIELDS),
    "indicators": (indicator_rows, INDICATOR_FIELDS),
}


def export_rows(store, kind: str, fmt: str, dest: str | Path) -> int:
    """Write the ``kind`` rows (obligations, documents, indicators) to the file ``dest``
    in a rows format of :mod:`obligraph.output.formats` (csv, tsv, json, xlsx, markdown,
    html; CSV and TSV with a byte-order mark); return how many.

    >>> from obligraph.graph.stores import open_store
    >>> import tempfile, pathlib
    >>> export_rows(open_store(memory=True), "documents", "csv",
    ...             pathlib.Path(tempfile.mkdtemp()) / "d.csv")
    0
    """
    from obligraph.output import formats

    if kind not in ROW_MAKERS:
        raise QueryError(f"unknown export {kind!r}; use one of {', '.join(ROW_MAKERS)}")
    out = formats.get("rows", fmt, command="export")
    make, fields = ROW_MAKERS[kind]
    rows = make(store)
    formats.emit_rows(out, list(fields), rows, Path(dest), sheet=kind)
    return len(rows)
