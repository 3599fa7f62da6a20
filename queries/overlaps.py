"""The overlaps of a store as a listing: which overlapping obligations to show, and how.

What ``obligraph overlap`` prints, for any caller: the overlaps (computed at build time,
``graph/overlap``; recomputed first when asked) scoring at least ``min_score``, of one
``kind``, touching one unit's tasks when a unit is named (any spelling the gazetteer
knows); each side described by document, task id, line and text; and the units carrying
most near-duplicates.

>>> check_overlap_kind("task")
>>> check_overlap_kind("tasks")
Traceback (most recent call last):
obligraph.base.errors.QueryError: unknown kind 'tasks'; use task, indicator or all
>>> side({"urn:x": {"document": "23/QĐ-TTg", "id": "a", "line": 7, "text": "Xây dựng"}}, "urn:x")
'23/QĐ-TTg a:7 — Xây dựng'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from obligraph.base.errors import QueryError

#: The kinds of overlap one may ask for.
OVERLAP_KINDS = ("task", "indicator", "all")


def check_overlap_kind(kind: str) -> None:
    """Raise :class:`QueryError` unless ``kind`` is one of :data:`OVERLAP_KINDS`."""
    if kind not in OVERLAP_KINDS:
        raise QueryError(f"unknown kind {kind!r}; use task, indicator or all")


@dataclass
class OverlapListing:
    """The overlaps chosen, their rows, and the units carrying most of them."""

    selected: list[Any]  # graph.analysis.overlap.Overlap, highest score first
    rows: list[dict[str, Any]]  # score, kind, first, second, reason
    sides: list[list[str]]  # the described sides of each selected overlap
    counts: list[Any]  # graph.analysis.overlap.UnitOverlapCount, the unit's only when named
    unit: str | None = None  # the unit's canonical name, when one was named
    refreshed: dict[str, Any] = field(default_factory=dict)  # seconds, pairs when refreshed

    def summary(self) -> dict[str, Any]:
        """What a JSON listing holds beside its rows (and a table prints after it)."""
        extra: dict[str, Any] = {**self.refreshed, "overlaps": len(self.rows)}
        extra["units"] = [c.to_dict() for c in self.counts]
        if self.unit is not None:
            extra["unit"] = self.unit
        return extra

    def detailed(self) -> list[dict[str, Any]]:
        """Every selected overlap in full, with its described sides."""
        return [
            {**o.to_dict(), "sides": sides}
            for o, sides in zip(self.selected, self.sides, strict=True)
        ]

    def unit_rows(self, top: int = 15) -> list[dict[str, Any]]:
        """The ``top`` units carrying most near-duplicates."""
        return [
            {
                "unit": c.label,
                "near-duplicate pairs": c.pairs,
                "carried on both sides": c.shared,
                "tasks involved": c.tasks,
            }
            for c in self.counts[:top]
        ]


def describe_items(store: Any) -> dict[str, dict]:
    """Document, id, text and first line of every task and indicator, by IRI."""
    from obligraph.queries.library import run_internal

    info: dict[str, dict] = {}
    for row in run_internal(store, "cli-overlap-items").dicts():
        key = str(row["item"])
        entry = info.setdefault(key, {})
        entry.setdefault("id", str(row["id"] or ""))
        entry.setdefault("text", str(row["text"] or ""))
        entry.setdefault("document", str(row["doc"] or row["file"] or ""))
        if row["line"] is not None:
            line = int(row["line"].toPython())
            entry["line"] = min(line, entry.get("line", line))
    return info


def side(info: dict[str, dict], iri: str) -> str:
    """One side of an overlap in a line: document, id, line and (shortened) text."""
    entry = info.get(iri, {})
    line = f":{entry['line']}" if "line" in entry else ""
    text = " ".join(entry.get("text", "").split())
    text = text if len(text) <= 90 else text[:89] + "…"
    return f"{entry.get('document', '')} {entry.get('id', '')}{line} — {text}".strip()


def list_overlaps(
    store: Any,
    *,
    unit: str | None = None,
    min_score: float = 0.0,
    kind: str = "all",
    refresh: bool = False,
) -> OverlapListing:
    """The overlaps of ``store`` to show (see the module's docstring); ``refresh``
    recomputes them first (the store must be open for writing)."""
    from obligraph.graph.analysis.overlap import (
        read_overlaps,
        read_tasks,
        refresh_overlaps,
        unit_counts,
    )

    check_overlap_kind(kind)
    refreshed: dict[str, Any] = {}
    if refresh:
        report = refresh_overlaps(store)
        refreshed["refreshed_in_seconds"] = round(report.seconds, 3)
        refreshed["candidate_pairs"] = report.candidate_pairs
    overlaps = read_overlaps(store)
    tasks = read_tasks(store)
    unit_iri = label = None
    if unit:
        from obligraph.queries.library import resolve_unit

        found, label = resolve_unit(unit, store)
        unit_iri = str(found)
    info = describe_items(store)
    by_iri = {t.iri: t for t in tasks}

    def touches(o: Any) -> bool:
        if unit_iri is None:
            return True
        return any(unit_iri in by_iri[m].named_units() for m in o.members if m in by_iri)

    selected = [
        o
        for o in overlaps
        if o.score >= min_score and (kind == "all" or o.kind == kind) and touches(o)
    ]
    sides = [[side(info, m) for m in (*o.members, *o.indicators)] for o in selected]
    rows = [_row(o, s) for o, s in zip(selected, sides, strict=True)]
    counts = [c for c in unit_counts(selected, tasks) if unit_iri is None or c.unit == unit_iri]
    return OverlapListing(selected, rows, sides, counts, label, refreshed)


def _row(overlap: Any, sides: list[str]) -> dict[str, Any]:
    return {
        "score": overlap.score,
        "kind": overlap.kind,
        "first": sides[0] if sides else "",
        "second": " | ".join(sides[1:]),
        "reason": overlap.reason,
    }
