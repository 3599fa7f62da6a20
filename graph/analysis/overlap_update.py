"""Incremental overlap refresh: after a build adds, replaces or removes a few documents,
read only those documents again and write only the overlaps that changed.

A full refresh (:func:`~obligraph.graph.analysis.overlap.refresh_overlaps`) reads every
task of the store. This module keeps what that computation read — every task's and
indicator's place, units, indicators and comparison tokens, and the labels they were
read with — as an :class:`OverlapState` beside the store
(``obligraph-overlaps.json.gz`` in an embedded store's folder; on the store object for
one in memory). :func:`update_overlaps` then

1. reads the labels of units and documents again (small flat reads) and compares
   them with the state's: a document whose tasks name a unit whose labels changed,
   or whose own or programme's label changed, is read again too; a change of which
   units are generic changes every document's hubs, so it falls back to the full
   refresh (as does a change touching more than :data:`MAX_CHANGED_SHARE` of the
   documents);
2. reads the tasks and indicators of the changed documents only (their named
   graphs), and puts them in place of the state's;
3. updates the eligible task pairs (:mod:`~obligraph.graph.analysis.overlap_pairs`:
   only the pairs of changed tasks, and the unchanged pairs of large buckets they join
   or leave, are blocked and scored), then runs the per-task cap over all of them and
   the indicator grouping over every indicator, from the state: the same result as a
   full refresh (a bucket over the blocker's limit, a task whose cap a new pair
   fills, an indicator group a new document joins can change overlaps of unchanged
   documents, so those are not assumed unchanged);
4. makes reasons only for the pairs that are new or touch a changed document, and
   writes the difference into ``graph/overlap`` (``Store.change_graph``: the old
   overlaps' triples out, the new ones in).

The state also keeps what the summary (per task: document, programmes, unit roles;
its graph's nodes) and the succession findings (per task: document, span, leads) read,
updated the same way. A store with corrections, or with an inferred graph (the
reasoner's triples are in the union every read sees), is always refreshed in full.

>>> from obligraph.graph.stores import open_store
>>> update_overlaps(open_store(memory=True), Iris(), None, {"urn:d"}) is None  # no state
True
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from obligraph.graph.analysis.overlap import (
    Overlap,
    OverlapReport,
    cap_pairs,
    find_indicator_overlaps,
    overlap_triples,
    task_overlap,
)
from obligraph.graph.analysis.overlap_pairs import update_eligible
from obligraph.graph.analysis.overlap_read import (
    _ALT_LABELS,
    _ID_LOCAL,
    _PREF_LABELS,
    _Item,
    _least,
    _pairs,
    _Places,
    _typed,
    read_indicators,
    read_tasks,
)
from obligraph.graph.analysis.succession import read_leads
from obligraph.graph.analysis.summary import read_task_inputs
from obligraph.graph.analysis.textsim import MinHashBlocker, normalise
from rdflib import URIRef

from obligraph.base.vocab import OB, Iris

_EMPTY = np.zeros(0, dtype=np.int64)
#: The state file in an embedded store's folder.
STATE_FILE = "obligraph-overlaps.json.gz"
#: Bumped when the state's layout or the overlap computation changes: an older state is
#: not used (the next refresh is a full one).
STATE_VERSION = 4
# a loaded document's source file (its label when it has no number); a span's file is not
_LOADED_FILES = ("summary-loaded-source-files", {})
#: More changed documents than this share of the store: a full refresh instead.
MAX_CHANGED_SHARE = 0.25
_FIELDS = (
    "iri", "kind", "text", "document", "document_label", "programme", "programme_label",
    "line", "lead", "support", "generic", "indicator_keys", "names", "tokens",
)  # fmt: skip


@dataclass
class OverlapState:
    """What the last overlap refresh read and kept (see the module docstring).

    ``context``: the labels it read the items with (units' preferred and every label,
    generic units, documents' ``eli:id_local`` and source files); ``kept``: the task
    pairs kept, as ``"first second"`` IRIs; ``indicator``: each indicator overlap's
    IRI -> a digest of its content; ``digest``: the summary digest the store had when
    the state was saved (the state is used only while the store still has it).
    """

    tasks: list[_Item] = field(default_factory=list)
    indicators: list[_Item] = field(default_factory=list)
    context: dict = field(default_factory=dict)
    kept: set[str] = field(default_factory=set)
    indicator: dict[str, str] = field(default_factory=dict)
    # what the summary and the succession findings read per task (by document)
    summary_tasks: dict[str, tuple] = field(default_factory=dict)
    leads: dict[str, tuple] = field(default_factory=dict)
    # the summary graph's nodes (graph/analysis/summary.summary_nodes) as written
    summary_nodes: dict[tuple, tuple] = field(default_factory=dict)
    # the eligible task pairs (indices of ``tasks``, scores) the cap chooses from
    eligible: tuple = (_EMPTY, _EMPTY, np.zeros(0))
    overlaps: list[Overlap] = field(default_factory=list)  # not saved: for the summary
    # not saved: the tasks and units an incremental refresh touched (changed_scope)
    scope: tuple[set[str], set[str]] | None = None
    digest: str = ""

    def to_json(self) -> dict:
        def item(i: _Item) -> list:
            out = []
            for name in _FIELDS:
                value = getattr(i, name)
                out.append(sorted(value) if isinstance(value, set) else value)
            return out

        return {
            "version": STATE_VERSION,
            "digest": self.digest,
            "tasks": [item(t) for t in self.tasks],
            "indicators": [item(i) for i in self.indicators],
            "context": self.context,
            "kept": _packed(self._kept_indices()),
            "indicator": self.indicator,
            "summary_tasks": self.summary_tasks,
            "leads": self.leads,
            "eligible": [_packed(a) for a in self.eligible],
            "summary_nodes": [[list(k), list(v)] for k, v in self.summary_nodes.items()],
        }

    @classmethod
    def from_json(cls, data: dict) -> OverlapState | None:
        """The state of :meth:`to_json` (``None`` for another version).

        >>> s = OverlapState(tasks=[_Item("t", "task", "x", "d", "1/QĐ", generic={"u"})])
        >>> OverlapState.from_json(json.loads(json.dumps(s.to_json()))).tasks == s.tasks
        True
        """
        if data.get("version") != STATE_VERSION:
            return None

        def item(row: list) -> _Item:
            values = dict(zip(_FIELDS, row, strict=True))
            for name in ("generic", "indicator_keys", "names"):
                values[name] = set(values[name])
            return _Item(**values)

        return cls(
            tasks=[item(r) for r in data["tasks"]],
            indicators=[item(r) for r in data["indicators"]],
            context=data["context"],
            kept=set(),
            indicator=data["indicator"],
            summary_tasks={
                t: (d, p, [tuple(r) for r in rows])
                for t, (d, p, rows) in data["summary_tasks"].items()
            },
            leads={t: tuple(v) for t, v in data["leads"].items()},
            eligible=tuple(
                _unpacked(a, dtype)
                for a, dtype in zip(data["eligible"], (np.int32, np.int32, np.uint16), strict=True)
            ),
            summary_nodes={tuple(k): tuple(v) for k, v in data["summary_nodes"]},
            digest=data["digest"],
        )._with_kept(_unpacked(data["kept"], np.int32))

    def _kept_indices(self) -> np.ndarray:
        """The kept pairs as task indices, two by two."""
        position = {t.iri: k for k, t in enumerate(self.tasks)}
        return np.array(
            [position[t] for key in sorted(self.kept) for t in key.split(" ")], dtype=np.int64
        )

    def _with_kept(self, indices: np.ndarray) -> OverlapState:
        iris = [t.iri for t in self.tasks]
        pairs = indices.tolist()
        self.kept = {f"{iris[a]} {iris[b]}" for a, b in zip(pairs[::2], pairs[1::2], strict=True)}
        return self


def read_context(store) -> dict:
    """The labels the items are read with: units' preferred label and every label,
    generic units, documents' ``eli:id_local`` and source files (small flat reads), and
    units' preferred labels (all of them, for the succession findings)."""
    every: dict[str, set[str]] = {}
    pref = _pairs(store, _PREF_LABELS)
    for unit, label in pref + _pairs(store, _ALT_LABELS):
        every.setdefault(unit, set()).add(label)
    return {
        "pref": _least(pref),
        "every": {u: sorted(labels) for u, labels in every.items()},
        "generic": sorted(_typed(store, OB.GenericUnit)),
        "id_local": _least(_pairs(store, _ID_LOCAL)),
        "files": _least(_pairs(store, _LOADED_FILES)),
        "pref_all": {u: sorted(v) for u, v in _grouped(pref).items()},
    }


def _grouped(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in rows:
        out.setdefault(key, []).append(value)
    return out


def _changed_keys(old: dict, new: dict) -> set[str]:
    return {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}


def affected_documents(state: OverlapState, context: dict, documents: set[str]) -> set[str] | None:
    """The documents to read again: those given, and those whose items the changed
    labels touch; ``None`` when the generic units changed (every hub may change).

    >>> t = _Item("t", "task", "x", "d1", "1/QĐ", lead={"u": "U"})
    >>> ctx = {"pref": {"u": "U"}, "every": {}, "generic": [], "id_local": {}, "files": {}}
    >>> state = OverlapState(tasks=[t], context=ctx)
    >>> sorted(affected_documents(state, {**ctx, "pref": {"u": "V"}}, {"d2"}))
    ['d1', 'd2']
    """
    old = state.context
    if old.get("generic") != context["generic"]:
        return None
    units = _changed_keys(old["pref"], context["pref"]) | _changed_keys(
        old["every"], context["every"]
    )
    labelled = _changed_keys(old["id_local"], context["id_local"]) | _changed_keys(
        old["files"], context["files"]
    )
    out = set(documents)
    for item in state.tasks + state.indicators:
        if item.document in out:
            continue
        if (
            any(u in units for u in (*item.lead, *item.support))
            or item.document in labelled
            or item.programme in labelled
            or any(k.startswith(d + "/indicator/") for k in item.indicator_keys for d in labelled)
        ):
            out.add(item.document)
    return out


def _digest(o: Overlap) -> str:
    """What an overlap's triples are made of, as a digest (to tell a changed one)."""
    parts = (o.kind, o.members, o.indicators, f"{o.score:.4f}", o.reason, o.reason_vi)
    return hashlib.sha1(repr((*parts, o.shared_units)).encode("utf-8")).hexdigest()[:16]


def _packed(values: np.ndarray) -> str:
    """An array as base64 text: task indices as 32-bit integers, scores (rounded to four
    decimals) as ten-thousandths in 16 bits, which give the same floats back.

    >>> v = np.array([0.6, 0.9574, 1.0])
    >>> _unpacked(_packed(v), np.uint16).tolist() == v.tolist()
    True
    """
    if values.dtype.kind == "f":
        values = np.rint(values * 10000).astype(np.uint16)
    else:
        values = values.astype(np.int32)
    return base64.b64encode(values.tobytes()).decode("ascii")


def _unpacked(text: str, dtype) -> np.ndarray:
    values = np.frombuffer(base64.b64decode(text), dtype=dtype)
    if dtype is np.uint16:
        return values / 10000
    return values.astype(np.int64)


def state_of(
    tasks: list[_Item], indicators: list[_Item], overlaps: list[Overlap], store, eligible
) -> OverlapState:
    """The state of a full refresh that read these items and found these overlaps (the
    labels, the summary's and the succession's inputs are read from ``store`` here)."""
    return OverlapState(
        tasks=tasks,
        indicators=indicators,
        context=read_context(store),
        kept={" ".join(o.members) for o in overlaps if o.kind == "task"},
        indicator={o.iri: _digest(o) for o in overlaps if o.kind == "indicator"},
        summary_tasks=read_task_inputs(store),
        leads=read_leads(store),
        eligible=eligible,
        overlaps=overlaps,
    )


def _by_document(old: dict[str, tuple], new: dict[str, tuple], documents: set[str]) -> dict:
    """``old`` (task -> (document, ...)) without the tasks of ``documents``, with ``new``."""
    out = {task: v for task, v in old.items() if v[0] not in documents}
    out.update(new)
    return out


def _merged(old: list[_Item], new: list[_Item], documents: set[str]) -> list[_Item]:
    """``old`` without the items of ``documents``, with ``new``, sorted by IRI."""
    items = {i.iri: i for i in old if i.document not in documents}
    items.update((i.iri, i) for i in new)
    return [items[k] for k in sorted(items)]


def _task_changes(
    tasks: list[_Item], state: OverlapState, documents: set[str], iris: Iris
) -> tuple[list[Overlap], list[Overlap], set[str], tuple, int]:
    """Every task overlap now (without reasons when unchanged), the new or changed
    ones, the old ones to take out (``"first second"``), the eligible pairs, and the
    pairs scored."""
    eligible, candidates = update_eligible(state.tasks, state.eligible, tasks, documents)
    kept = cap_pairs(tasks, *eligible)
    now: list[Overlap] = []
    changed: list[Overlap] = []
    keys: set[str] = set()
    for i, j, value in kept:
        a, b = tasks[i], tasks[j]
        first, second = (a.iri, b.iri) if a.iri < b.iri else (b.iri, a.iri)
        key = f"{first} {second}"
        keys.add(key)
        if key in state.kept and a.document not in documents and b.document not in documents:
            now.append(Overlap(_pair_iri(iris, key), "task", (first, second), value, ""))
            continue
        overlap = task_overlap(a, b, value, iris)
        now.append(overlap)
        changed.append(overlap)
    gone = state.kept - keys
    if taken := {t.iri for t in state.tasks if t.document in documents}:  # replaced, removed
        gone |= {key for key in state.kept & keys if not taken.isdisjoint(key.split(" "))}
    return now, changed, gone, eligible, candidates


def _pair_iri(iris: Iris, key: str) -> str:
    return f"{iris.base}overlap/{hashlib.sha1(key.encode()).hexdigest()[:16]}"


def update_overlaps(
    store, iris: Iris, state: OverlapState | None, documents: set[str]
) -> tuple[OverlapReport, OverlapState] | None:
    """Refresh ``graph/overlap`` after the named graphs of ``documents`` (document IRIs)
    were written or removed, from ``state`` (what the refresh before kept); the report
    and the new state, or ``None`` when a full refresh is needed (no state, an inferred
    graph in the store, generic units changed, too many documents touched). The
    overlaps are those a full refresh gives (the module docstring says why); the
    report's ``units`` are left empty, its ``candidate_pairs`` are the pairs scored
    and its ``triples`` those written.
    """
    started = time.perf_counter()
    if state is None or iris.special_graph("inferred") in store.graphs():
        return None  # (the reasoner's triples are in the union and may touch any task)
    context = read_context(store)
    affected = affected_documents(state, context, set(documents))
    known = {t.document for t in state.tasks} | {i.document for i in state.indicators}
    if affected is None or len(affected) > max(8, MAX_CHANGED_SHARE * len(known)):
        return None
    graphs = sorted(str(iris.graph(URIRef(d))) for d in affected)
    places = _Places(store, graphs)
    fresh = read_tasks(store, lines=False, places=places, graphs=graphs)
    for t in fresh:
        t.tokens = normalise(t.text, sorted(t.names))
    tasks = _merged(state.tasks, fresh, affected)
    indicators = _merged(
        state.indicators, read_indicators(store, places=places, graphs=graphs), affected
    )
    now, changed, gone, eligible, candidates = _task_changes(tasks, state, affected, iris)
    found, more = find_indicator_overlaps(indicators, tasks, iris, MinHashBlocker())
    digests = {o.iri: _digest(o) for o in found}
    changed += [o for o in found if state.indicator.get(o.iri) != digests[o.iri]]
    gone_iris = [URIRef(_pair_iri(iris, key)) for key in gone]
    gone_iris += [URIRef(i) for i, d in state.indicator.items() if digests.get(i) != d]
    graph = iris.special_graph("overlap")
    remove = store.triples_about(graph, gone_iris)
    for key in gone:
        a, b = (URIRef(t) for t in key.split(" "))
        remove += [(a, OB.overlapsWith, b), (b, OB.overlapsWith, a)]
    add = overlap_triples(changed)
    store.change_graph(graph, remove, add)
    overlaps = now + found
    report = OverlapReport(
        graph=str(graph),
        tasks=len(tasks),
        indicators=len(indicators),
        candidate_pairs=candidates + more,
        overlaps=overlaps,
        triples=len(add),
        seconds=time.perf_counter() - started,
    )
    summary_tasks = _by_document(state.summary_tasks, read_task_inputs(store, graphs), affected)
    state = OverlapState(
        tasks=tasks,
        indicators=indicators,
        context=context,
        kept={" ".join(o.members) for o in overlaps if o.kind == "task"},
        indicator=digests,
        summary_tasks=summary_tasks,
        leads=_by_document(state.leads, read_leads(store, graphs), affected),
        eligible=eligible,
        summary_nodes=state.summary_nodes,
        overlaps=overlaps,
        scope=changed_scope(
            state.summary_tasks,
            summary_tasks,
            affected,
            _changed_keys(state.context.get("pref_all", {}), context["pref_all"]),
        ),
    )
    return report, state


def changed_scope(
    old: dict, new: dict, documents: set[str], relabelled: set[str] = frozenset()
) -> tuple[set[str], set[str]] | None:
    """The tasks of ``documents`` (before and after: ``old`` and ``new`` are the state's
    ``summary_tasks``), and the units that have, or had, an assignment to one of them or
    to a task under a programme among ``documents``: what the stored answers and the
    search keys of an incremental refresh compute again. ``None`` (all of them) when a
    unit whose preferred labels changed (``relabelled``) is on a task of another document.

    >>> old = {"t1": ("d1", ["d1"], [("u1", "lead")]), "t2": ("d2", ["d1"], [("u2", "lead")])}
    >>> new = {"t2": old["t2"], "t3": ("d1", ["d1"], [("u3", "support")])}
    >>> [sorted(x) for x in changed_scope(old, new, {"d1"})]
    [['t1', 't3'], ['u1', 'u2', 'u3']]
    >>> changed_scope(old, new, {"d1"}, {"u2"}) is None
    True
    """
    if relabelled and any(
        unit in relabelled
        for doc, _, rows in new.values()
        if doc not in documents
        for unit, _ in rows
    ):
        return None
    tasks: set[str] = set()
    units: set[str] = set()
    for found in (old, new):
        for task, (doc, programmes, rows) in found.items():
            if doc in documents:
                tasks.add(task)
            elif not documents.intersection(programmes):
                continue
            units.update(unit for unit, _ in rows)
    return tasks, units


# ---------------------------------------------------------------- keeping the state


def _state_path(store) -> Path | None:
    if getattr(store, "kind", "") != "embedded":
        return None
    return Path(store.location) / STATE_FILE


def take_state(store) -> OverlapState | None:
    """The state kept for ``store`` by the last refresh, taken away (a build that stops
    half-way then leaves none, and the next refresh is a full one); ``None`` when there
    is none, or the store's summary is not the one it was kept with.

    >>> from obligraph.graph.stores import open_store
    >>> take_state(open_store(memory=True)) is None
    True
    """
    from obligraph.graph.analysis.summary import read_digest

    state = getattr(store, "_overlap_state", None)
    path = _state_path(store)
    if path is not None and path.is_file():
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                state = OverlapState.from_json(json.load(f))
        except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError):  # damaged
            state = None
        path.unlink(missing_ok=True)
    if hasattr(store, "_overlap_state"):
        store._overlap_state = None
    if state is None or state.digest != read_digest(store):
        return None
    return state


def keep_state(store, state: OverlapState, digest: str) -> None:
    """Keep ``state`` for the next refresh of ``store``, with the summary ``digest`` the
    store now has (beside an embedded store's data; on a memory store; an endpoint's
    refresh is always a full one)."""
    state.digest = digest
    for t in state.tasks:  # read again whenever they matter (their document changed)
        t.text, t.names = "", set()
    if getattr(store, "kind", "") == "memory":
        store._overlap_state = state
        return
    path = _state_path(store)
    if path is None or not path.parent.is_dir():
        return
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=1) as f:
        write_json(f, state.to_json())
    os.replace(tmp, path)


#: How many entries of a large list or mapping :func:`write_json` encodes at a time.
JSON_STEP = 5000


def write_json(f, data: dict) -> None:
    """``data`` as compact JSON text into ``f``, each large list or mapping of its values
    :data:`JSON_STEP` entries at a time: the C encoder for each part (``json.dump``
    encodes in Python, 2-3x slower), without one text of the whole (a state of 10,000
    documents as one text took the build from 2.4 GB to 3.1 GB).

    >>> import io
    >>> out, data = io.StringIO(), {"a": list(range(12000)), "b": {str(n): n for n in range(7)}}
    >>> write_json(out, data)
    >>> json.loads(out.getvalue()) == data
    True
    """

    def dumps(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    f.write("{")
    for n, (key, value) in enumerate(data.items()):
        f.write(("," if n else "") + dumps(key) + ":")
        if not isinstance(value, list | dict) or len(value) <= JSON_STEP:
            f.write(dumps(value))
            continue
        entries = list(value.items()) if isinstance(value, dict) else value
        f.write("{" if isinstance(value, dict) else "[")
        for start in range(0, len(entries), JSON_STEP):
            part = entries[start : start + JSON_STEP]
            text = dumps(dict(part) if isinstance(value, dict) else part)
            f.write(("," if start else "") + text[1:-1])
        f.write("}" if isinstance(value, dict) else "]")
    f.write("}")
