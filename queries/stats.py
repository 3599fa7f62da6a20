"""What a store holds, counted: documents, tasks, assignments, units, indicators,
targets, deadlines, findings, overlaps, named graphs and triples (``obligraph stats``).

>>> STATS_KEYS[:3]
('documents', 'tasks', 'assignments')
"""

from __future__ import annotations

from typing import Any

STATS_KEYS = (
    "documents",
    "tasks",
    "assignments",
    "units",
    "units with tasks",
    "indicators",
    "targets",
    "deadlines",
    "findings",
    "overlaps",
    "task overlaps",
    "indicator overlaps",
    "overlapping pairs",
)


def store_stats(store: Any) -> dict[str, int | str]:
    """Counts of what the store holds (a dict in a fixed order).

    Documents, tasks, assignments, units and overlaps are the definitions of
    :mod:`obligraph.graph.analysis.summary` (read from ``graph/summary``), so they are the
    numbers the web pages show.
    """
    from obligraph.graph.analysis.summary import summary
    from obligraph.queries.library import run_internal

    counts = {str(w): int(n) for w, n in run_internal(store, "cli-stats-counts").rows}
    counts.update(summary(store).totals)
    stats: dict[str, int | str] = {k: counts.get(k, 0) for k in STATS_KEYS}
    stats["named graphs"] = len(store.graphs())
    stats["triples"] = store.triples_count()
    stats["store"] = store.location
    return stats
