"""Overlapping obligations across documents and programmes, computed at build time.

:func:`refresh_overlaps` reads every task (text, units and roles, document,
programme, indicators) and every indicator from the store with SPARQL
(:mod:`obligraph.graph.analysis.overlap_read`), finds

* **task overlaps**: the same task, reworded, in two different documents (or
  under two different programmes of one document). Texts are normalised
  (:func:`obligraph.graph.analysis.textsim.normalise`), candidate pairs come from MinHash
  blocking (:class:`~obligraph.graph.analysis.textsim.MinHashBlocker`, near-linear cost)
  and are scored with rapidfuzz (:func:`~obligraph.graph.analysis.textsim.score`). A pair
  is kept when its score reaches :data:`REWORDED` (0.70), or :data:`CORROBORATED`
  (0.60) when the two tasks also share an indicator or a named unit, provided
  that unit leads both tasks or is not the hub of both documents
  (:func:`document_hubs`: a unit on a large share of a plan's rows, as Cục Trẻ em
  on the ministry's plans, is named on any two of them);
* **indicator overlaps**: the same indicator owned under two documents or
  programmes: indicators adapting the same national indicator, tasks serving
  it, and indicators whose measure texts are near-identical;

and rewrites the whole named graph ``graph/overlap`` in one transaction
(``ob:Overlap`` nodes with ``ob:between`` (tasks), ``ob:score``, ``ob:reason``,
``ob:sharedUnit``; the indicators of an indicator overlap with
``dcterms:relation``, since ``ob:between`` ranges over tasks;
``ob:overlapsWith`` both ways between two overlapping tasks).
The same store content always gives the same graph.

>>> from rdflib import Literal, URIRef
>>> from rdflib.namespace import RDF
>>> from obligraph.graph.stores import open_store
>>> from obligraph.base.vocab import OB, Iris
>>> iris = Iris()
>>> store = open_store(memory=True)
>>> def plan(number, text):
...     doc = iris.document(number, "Quyết định", 2020)
...     task = iris.task(doc, "1")
...     return [(task, RDF.type, OB.Task), (task, OB.inDocument, doc),
...             (task, OB.text, Literal(text, lang="vi"))]
>>> store.replace_graph(URIRef("urn:g:a"), plan("1/QĐ-A", "Xây dựng đề cương, kế hoạch "
...     "và tổ chức các đoàn thanh tra, kiểm tra liên ngành về bảo vệ trẻ em"))
>>> store.replace_graph(URIRef("urn:g:b"), plan("2/QĐ-B", "5. Xây dựng kế hoạch, tổ chức "
...     "các đoàn thanh tra, kiểm tra liên ngành về bảo vệ trẻ em"))
>>> report = refresh_overlaps(store, iris)
>>> [(o.kind, o.score) for o in report.overlaps]
[('task', 0.9574)]
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from obligraph.graph.analysis.overlap_read import (
    _Item,
    _Places,
    read_indicators,
    read_tasks,
)
from obligraph.graph.analysis.overlap_reasons import indicator_reason, measure_reason, task_reason
from obligraph.graph.analysis.textsim import MinHashBlocker, normalise
from obligraph.queries.library import run_internal, text
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from obligraph.base.vocab import OB, Iris

#: A pair scoring at least this is the same task reworded, whatever its units.
REWORDED = 0.70
#: A pair scoring at least this overlaps when the tasks share a named unit or an indicator.
CORROBORATED = 0.60
#: At least this: "near-identical task"; at least :data:`SAME_TEXT`: "same text".
NEAR_IDENTICAL = 0.85
SAME_TEXT = 0.97
#: Indicator measures this similar are the same measure.
SAME_MEASURE = 0.85
#: Texts with fewer comparison tokens than this are too vague ("Triển khai thí điểm các
#: mô hình theo chức năng của ngành" keeps 3): never compared.
MIN_TOKENS = 5
#: How the reason of an indicator overlap starts.
INDICATOR_REASONS = ("same indicator", "same measure", "same owner")
#: Each task keeps at most this many overlaps (its best), so output grows linearly.
MAX_PER_TASK = 12
#: A unit named on more than this share of a document's tasks (and on at least
#: :data:`HUB_MIN_TASKS` of them) is that document's *hub*: the plan's owner, such as
#: Cục Trẻ em on every row of the ministry's plans. Any two of its tasks share it, so
#: sharing it says little about two tasks being the same work: a hub of both sides'
#: documents corroborates a weak similarity only when it leads both tasks (it answers
#: twice for like work); merely named on both, it does not (it is still in the reason).
HUB_SHARE = 0.25
HUB_MIN_TASKS = 4


@dataclass(frozen=True)
class Overlap:
    """One overlap: two tasks (kind ``task``), or the owners of one indicator.

    ``members`` are tasks (``ob:between``); ``indicators`` are the indicators of
    an indicator overlap (``dcterms:relation``: ``ob:between`` ranges over tasks).
    """

    iri: str
    kind: str  # "task" | "indicator"
    members: tuple[str, ...]
    score: float
    reason: str
    shared_units: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    reason_vi: str = ""  # the reason in Vietnamese (graph/analysis/overlap_reasons.py)

    def to_dict(self) -> dict:
        return {
            "iri": self.iri,
            "kind": self.kind,
            "members": list(self.members),
            "indicators": list(self.indicators),
            "score": self.score,
            "reason": self.reason,
            "shared_units": list(self.shared_units),
        }


@dataclass
class UnitOverlapCount:
    """How many near-duplicate task pairs touch one unit."""

    unit: str
    label: str
    pairs: int = 0  # task overlaps where the unit is assigned to at least one side
    shared: int = 0  # ... to both sides: the unit carries the duplicate itself
    tasks: int = 0  # its tasks having at least one overlap

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "label": self.label,
            "pairs": self.pairs,
            "shared": self.shared,
            "tasks": self.tasks,
        }


@dataclass
class OverlapReport:
    """What :func:`refresh_overlaps` found and wrote."""

    graph: str = ""
    tasks: int = 0
    indicators: int = 0
    candidate_pairs: int = 0  # pairs proposed by blocking and scored (tasks, indicator measures)
    overlaps: list[Overlap] = field(default_factory=list)
    units: list[UnitOverlapCount] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    # the tasks and indicators read (what an incremental refresh keeps; not in to_dict)
    items: tuple[list[_Item], list[_Item]] = field(default=([], []), repr=False)
    # the eligible task pairs (indices of items[0], scores) the cap chose from
    eligible: tuple = field(default=(), repr=False)

    @property
    def task_overlaps(self) -> list[Overlap]:
        return [o for o in self.overlaps if o.kind == "task"]

    @property
    def indicator_overlaps(self) -> list[Overlap]:
        return [o for o in self.overlaps if o.kind == "indicator"]

    def to_dict(self) -> dict:
        return {
            "graph": self.graph,
            "tasks": self.tasks,
            "indicators": self.indicators,
            "candidate_pairs": self.candidate_pairs,
            "task_overlaps": len(self.task_overlaps),
            "indicator_overlaps": len(self.indicator_overlaps),
            "triples": self.triples,
            "seconds": round(self.seconds, 4),
            "overlaps": [o.to_dict() for o in self.overlaps],
            "units": [u.to_dict() for u in self.units],
        }


def _likeness(value: float) -> str:
    if value >= SAME_TEXT:
        return "same_text"
    return "near_identical" if value >= NEAR_IDENTICAL else "reworded"


def _overlap_iri(iris: Iris, *members: str) -> str:
    if len(members) == 2:  # Iris.overlap, without making three URIRefs
        first, second = sorted(members)
        digest = hashlib.sha1(f"{first} {second}".encode()).hexdigest()[:16]
        return f"{iris.base}overlap/{digest}"
    digest = hashlib.sha1(" ".join(sorted(members)).encode()).hexdigest()[:16]
    return f"{iris.base}overlap/{digest}"


def document_hubs(tasks: list[_Item]) -> dict[str, set[str]]:
    """Per document, the units named on so many of its tasks that sharing them
    corroborates nothing (see :data:`HUB_SHARE`).

    >>> def task(n, *units):
    ...     return _Item(iri=f"t{n}", kind="task", text="", document="d", document_label="d",
    ...                  lead={u: u for u in units})
    >>> tasks = [task(1, "Cục Trẻ em")] + [task(n, "Cục Trẻ em", f"Vụ {n}") for n in range(2, 6)]
    >>> document_hubs(tasks)
    {'d': {'Cục Trẻ em'}}
    """
    named: dict[str, int] = defaultdict(int)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for t in tasks:
        units = t.named_units()
        if units:
            named[t.document] += 1
            for unit in units:
                counts[t.document][unit] += 1
    return {
        doc: {
            unit
            for unit, n in per_unit.items()
            if n >= HUB_MIN_TASKS and n > HUB_SHARE * named[doc]
        }
        for doc, per_unit in counts.items()
    }


def _place_arrays(items: list[_Item]) -> tuple[np.ndarray, np.ndarray]:
    """Each item's document and programme as integers (programme 0: none)."""
    docs: dict[str, int] = {}
    programmes: dict[str, int] = {"": 0}
    doc_ids = np.array([docs.setdefault(i.document, len(docs)) for i in items], dtype=np.int64)
    prog_ids = np.array(
        [programmes.setdefault(i.programme, len(programmes)) for i in items], dtype=np.int64
    )
    return doc_ids, prog_ids


def _apart_mask(items: list[_Item]):
    """Which index pairs are apart: two items of different documents, or of different
    programmes of one document (the blocker's ``keep``)."""
    doc_ids, prog_ids = _place_arrays(items)

    def keep(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        pi, pj = prog_ids[i], prog_ids[j]
        return (doc_ids[i] != doc_ids[j]) | ((pi != 0) & (pj != 0) & (pi != pj))

    return keep


#: The most memory :func:`_bitsets` takes for its rows of one byte per bit before packing.
_BITSET_BYTES = 64 << 20


def _bitsets(features: list[list[int]], width: int) -> np.ndarray:
    """One row of bits per feature list (``width`` features), as 64-bit words."""
    words = max(1, (width + 63) // 64)
    packed = np.zeros((len(features), words), dtype=np.uint64)
    step = max(1, _BITSET_BYTES // (words * 64))  # rows of one byte per bit at a time
    for start in range(0, len(features), step):
        part = features[start : start + step]
        bits = np.zeros((len(part), words * 64), dtype=bool)
        rows = np.repeat(np.arange(len(part)), [len(f) for f in part])
        bits[rows, np.fromiter((x for f in part for x in f), dtype=np.int64)] = True
        packed[start : start + step] = np.packbits(bits, axis=1, bitorder="little").view(np.uint64)
    return packed


def _common(bits: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.bitwise_count(bits[a] & bits[b]).sum(axis=1, dtype=np.int64)


def _indel(lensum: np.ndarray, lcs: np.ndarray) -> np.ndarray:
    """:func:`obligraph.graph.analysis.textsim._indel` on arrays (the same float operations)."""
    return 1.0 - (lensum - 2 * lcs) / lensum


def _pair_scores(tokens: list[list[str]], left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """:func:`score` of each pair ``(left[k], right[k])`` of non-empty token lists.

    The score depends only on the two token multisets: each distinct pair of them is
    scored once, by :func:`~obligraph.graph.analysis.textsim.score_prepared`'s closed form on
    counts, vectorised: token sets and token occurrences (``(token, k)``, the k-th
    repeat) are bit rows, so common tokens and common occurrences are popcounts. The
    final square root and rounding are Python's, as in :func:`score`.
    """
    if not len(left):
        return np.zeros(0)
    ids: dict[tuple[str, ...], int] = {}
    multiset = np.array(
        [ids.setdefault(tuple(sorted(t)), len(ids)) for t in tokens], dtype=np.int64
    )
    a, b = multiset[left], multiset[right]
    count = len(ids)
    codes = np.minimum(a, b) * count + np.maximum(a, b)
    distinct, inverse = np.unique(codes, return_inverse=True)
    vocabulary: dict[str, int] = {}
    occurrences: dict[tuple[str, int], int] = {}
    sets, occ, lengths, set_sizes = [], [], [], []
    for key in ids:
        seen: dict[str, int] = {}
        row = []
        for token in key:
            k = seen.get(token, 0)
            seen[token] = k + 1
            row.append(occurrences.setdefault((token, k), len(occurrences)))
        occ.append(row)
        sets.append([vocabulary.setdefault(t, len(vocabulary)) for t in seen])
        lengths.append(len(key))
        set_sizes.append(len(seen))
    set_bits, occ_bits = _bitsets(sets, len(vocabulary)), _bitsets(occ, len(occurrences))
    length, size = np.array(lengths, dtype=np.int64), np.array(set_sizes, dtype=np.int64)
    products = np.empty(len(distinct))
    step = 1 << 16
    for start in range(0, len(distinct), step):
        chunk = distinct[start : start + step]
        x, y = chunk // count, chunk % count
        common = _common(set_bits, x, y)
        only_x, only_y = size[x] - common, size[y] - common
        set_part = np.maximum(
            np.maximum(_indel(2 * common + only_x, common), _indel(2 * common + only_y, common)),
            _indel(2 * common + only_x + only_y, common),
        )
        sort_part = _indel(length[x] + length[y], _common(occ_bits, x, y))
        products[start : start + step] = set_part * sort_part
    values = np.array([round(v**0.5, 4) for v in products.tolist()])
    return values[inverse.reshape(-1)]


def _corroborated(
    a: _Item, b: _Item, units_a: dict, units_b: dict, hubs: dict[str, set[str]]
) -> bool:
    """A weak pair (score under :data:`REWORDED`) counts: the tasks serve one indicator,
    or share a unit that leads both or is not the hub of both documents."""
    if a.indicator_keys & b.indicator_keys:
        return True
    hubs_a, hubs_b = hubs.get(a.document, ()), hubs.get(b.document, ())
    return any(
        (u in a.lead and u in b.lead) or not (u in hubs_a and u in hubs_b)
        for u in units_a
        if u in units_b
    )


def find_task_overlaps(
    tasks: list[_Item], iris: Iris, blocker: MinHashBlocker | None = None
) -> tuple[list[Overlap], int]:
    """Task pairs that overlap, and the number of candidate pairs scored.

    Candidates and scores are arrays (:func:`kept_task_pairs`); Python objects (units,
    reasons, IRIs) are made only for the pairs kept (:func:`task_overlap`).
    """
    for t in tasks:
        t.tokens = normalise(t.text, sorted(t.names))
    kept, candidates = kept_task_pairs(tasks, blocker)
    return [task_overlap(tasks[i], tasks[j], value, iris) for i, j, value in kept], candidates


def kept_task_pairs(
    tasks: list[_Item], blocker: MinHashBlocker | None = None
) -> tuple[list[tuple[int, int, float]], int]:
    """The overlapping task pairs ``(i, j, score)`` (indices of ``tasks``, whose
    ``tokens`` are set), best first, and the number of candidate pairs scored:
    :func:`eligible_task_pairs`, then :func:`cap_pairs`. The result depends only on the
    tasks (their IRIs, places, tokens, units and indicators), not on their order.

    >>> def task(iri, doc, text):
    ...     return _Item(iri=iri, kind="task", text=text, document=doc, document_label=doc,
    ...                  tokens=normalise(text))
    >>> text = "Kiểm tra liên ngành việc thực hiện chính sách bảo vệ trẻ em tại cơ sở"
    >>> kept_task_pairs([task("t1", "d1", text), task("t2", "d2", text),
    ...                  task("t3", "d1", text)])[0]
    [(0, 1, 1.0), (1, 2, 1.0)]
    """
    eligible, candidates = task_pairs(tasks, blocker)
    return cap_pairs(tasks, *eligible), candidates


def task_pairs(
    tasks: list[_Item], blocker: MinHashBlocker | None = None
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], int]:
    """The eligible pairs of every task (:func:`eligible_task_pairs` of the candidates
    blocking proposes) and the number of candidates scored."""
    blocker = blocker or MinHashBlocker()
    tokens = [t.tokens if len(t.tokens) >= MIN_TOKENS else [] for t in tasks]
    left, right = blocker.candidate_arrays(tokens, _apart_mask(tasks))
    return eligible_task_pairs(tasks, left, right), len(left)


def eligible_task_pairs(
    tasks: list[_Item], left: np.ndarray, right: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of the candidate pairs ``(left[k], right[k])``, those that may overlap, with their
    scores: at least :data:`REWORDED`, or at least :data:`CORROBORATED` and corroborated
    (:func:`_corroborated`; hubs from the documents of ``tasks``)."""
    tokens = [t.tokens if len(t.tokens) >= MIN_TOKENS else [] for t in tasks]
    values = _pair_scores(tokens, left, right)
    strong = values >= CORROBORATED
    weak = np.flatnonzero(strong & (values < REWORDED))
    if len(weak):
        hubs = document_hubs(tasks)
        named: dict[int, dict[str, str]] = {}
        for k in weak.tolist():
            a, b = int(left[k]), int(right[k])
            for x in (a, b):
                if x not in named:
                    named[x] = tasks[x].named_units()
            strong[k] = _corroborated(tasks[a], tasks[b], named[a], named[b], hubs)
    keep = np.flatnonzero(strong)
    return left[keep], right[keep], values[keep]


def cap_pairs(
    tasks: list[_Item], left: np.ndarray, right: np.ndarray, values: np.ndarray
) -> list[tuple[int, int, float]]:
    """The pairs kept, best first: by score, ties by the pair's IRIs; a pair is skipped
    when one of its tasks already has :data:`MAX_PER_TASK` overlaps."""
    rank = {iri: k for k, iri in enumerate(sorted({t.iri for t in tasks}))}
    ranks = np.array([rank[t.iri] for t in tasks], dtype=np.int64)
    first_rank = np.minimum(ranks[left], ranks[right])
    second_rank = np.maximum(ranks[left], ranks[right])
    order = np.lexsort((right, left, second_rank, first_rank, -values))
    per_task = [0] * len(rank)
    kept: list[tuple[int, int, float]] = []
    for start in range(0, len(order), _CAP_STEP):  # Python lists of a step at a time
        part = order[start : start + _CAP_STEP]
        for i, j, value, x, y in zip(
            left[part].tolist(),
            right[part].tolist(),
            values[part].tolist(),
            first_rank[part].tolist(),
            second_rank[part].tolist(),
            strict=True,
        ):
            if per_task[x] < MAX_PER_TASK and per_task[y] < MAX_PER_TASK:
                per_task[x] += 1
                per_task[y] += 1
                kept.append((i, j, value))
    return kept


#: How many ranked pairs :func:`cap_pairs` turns into Python values at a time.
_CAP_STEP = 1 << 18


class TaskOverlap(Overlap):
    """A task overlap whose reasons are rendered when read, from its two tasks.

    At 10,000 documents a full refresh keeps about a million overlaps; their reasons
    in two languages would take a gigabyte held as text, so each is rendered when
    something reads it (the triples written, an export) and dropped after. Compares
    and reads like an :class:`Overlap` holding the same texts.

    >>> a = _Item(iri="t1", kind="task", text="", document="d1", document_label="1/QĐ")
    >>> b = _Item(iri="t2", kind="task", text="", document="d2", document_label="2/QĐ")
    >>> o = task_overlap(a, b, 0.9, Iris())
    >>> o.reason
    'no shared unit; near-identical task; documents 1/QĐ and 2/QĐ; score 0.90'
    >>> o == Overlap(o.iri, "task", o.members, 0.9, o.reason, (), (), o.reason_vi)
    True
    """

    __slots__ = ("_sides",)

    def __init__(self, iri: str, members: tuple[str, str], score: float, sides: tuple) -> None:
        for name, value in (
            ("iri", iri),
            ("kind", "task"),
            ("members", members),
            ("score", score),
            ("shared_units", tuple(sorted(u for u, _ in sides[2]))),
            ("indicators", ()),
            ("_sides", sides),
        ):
            object.__setattr__(self, name, value)

    def _render(self, lang: str) -> str:
        a, b, shared, via = self._sides
        return task_reason(a, b, self.score, dict(shared), set(via), _likeness(self.score), lang)

    @property
    def reason(self) -> str:  # type: ignore[override]
        return self._render("en")

    @property
    def reason_vi(self) -> str:  # type: ignore[override]
        return self._render("vi")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Overlap):
            return NotImplemented
        return _compared(self) == _compared(other)

    __hash__ = None  # type: ignore[assignment]  # as a dataclass with eq and no hash


def _compared(o: Overlap) -> tuple:
    fields = (o.iri, o.kind, o.members, o.score, o.reason, o.shared_units, o.indicators)
    return (*fields, o.reason_vi)


def task_overlap(a: _Item, b: _Item, value: float, iris: Iris) -> Overlap:
    """The overlap of two tasks scoring ``value``: IRI, members, reasons, shared units
    (a :class:`TaskOverlap`: the reasons are rendered when read).

    >>> a = _Item(iri="t1", kind="task", text="", document="d1", document_label="1/QĐ")
    >>> b = _Item(iri="t2", kind="task", text="", document="d2", document_label="2/QĐ")
    >>> task_overlap(b, a, 1.0, Iris()).members
    ('t1', 't2')
    """
    first, second = (a.iri, b.iri) if a.iri < b.iri else (b.iri, a.iri)
    units_a, units_b = a.named_units(), b.named_units()
    shared = {u: units_a[u] for u in units_a if u in units_b}
    via = tuple(sorted(a.indicator_keys & b.indicator_keys))
    sides = (a, b, tuple(shared.items()), via)  # tuples: a million of them at 10,000 documents
    return TaskOverlap(_overlap_iri(iris, first, second), (first, second), value, sides)


def find_indicator_overlaps(
    indicators: list[_Item],
    tasks: list[_Item],
    iris: Iris,
    blocker: MinHashBlocker | None = None,
) -> tuple[list[Overlap], int]:
    """The same indicator owned under two documents or programmes.

    One ``ob:Overlap`` per national indicator linking every indicator adapting it
    and every task serving it, when they come from at least two documents or
    programmes; plus pairs of indicators with near-identical measures.
    """
    groups = _indicator_groups(indicators, tasks)
    found: list[Overlap] = []
    for key in sorted(groups):
        overlap = _shared_indicator_overlap(iris, key, groups[key])
        if overlap is not None:
            found.append(overlap)
    same, candidates = _same_measure_overlaps(indicators, iris, blocker or MinHashBlocker())
    return found + same, candidates


def _indicator_groups(indicators: list[_Item], tasks: list[_Item]) -> dict[str, dict[str, _Item]]:
    """Indicator key (the national indicator adapted, or the indicator itself) -> the
    indicators and the tasks serving them, by IRI."""
    by_iri = {i.iri: i for i in indicators}
    groups: dict[str, dict[str, _Item]] = defaultdict(dict)
    for ind in indicators:
        for key in ind.indicator_keys:
            groups[key][ind.iri] = ind
    for task in tasks:
        for served in task.indicator_keys:
            local = by_iri.get(served)
            keys = local.indicator_keys if local is not None else {served}
            for key in keys:
                groups[key][task.iri] = task
    return groups


def _shared_indicator_overlap(iris: Iris, key: str, group: dict[str, _Item]) -> Overlap | None:
    """The overlap of one indicator's group, when it spans two documents or programmes."""
    members = [group[m] for m in sorted(group) if m != key]
    places = {(m.document, m.programme or m.document) for m in members}
    documents = {m.document for m in members}
    programmes = {m.programme for m in members if m.programme}
    if len(members) < 2 or (len(documents) < 2 and len(programmes) < 2) or len(places) < 2:
        return None
    owners: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for m in members:
        for unit, label in m.named_units().items():
            owners[unit].add(m.document)
            labels[unit] = label
    shared = sorted(u for u, docs in owners.items() if len(docs) > 1)
    owners_by_document = [
        (m.document_label, list(m.named_units().values())) for m in _first_per_document(members)
    ]
    shared_names = [labels[u] for u in shared]
    reason, reason_vi = (
        indicator_reason(key, len(documents), owners_by_document, shared_names, lang)
        for lang in ("en", "vi")
    )
    return Overlap(
        iri=_overlap_iri(iris, key, *(m.iri for m in members)),
        kind="indicator",
        members=tuple(m.iri for m in members if m.kind == "task"),
        indicators=tuple(m.iri for m in members if m.kind == "indicator"),
        score=1.0,
        reason=reason,
        reason_vi=reason_vi,
        shared_units=tuple(shared),
    )


def _same_measure_overlaps(
    indicators: list[_Item], iris: Iris, blocker: MinHashBlocker
) -> tuple[list[Overlap], int]:
    """Pairs of indicators of no common key whose measures are near-identical, and the
    number of candidate pairs scored."""
    for ind in indicators:
        ind.tokens = normalise(ind.text)
    tokens = [i.tokens if len(i.tokens) >= MIN_TOKENS else [] for i in indicators]
    left, right = blocker.candidate_arrays(tokens, _apart_mask(indicators))
    values = _pair_scores(tokens, left, right)
    close = values >= SAME_MEASURE
    candidates = sum(
        1
        for i, j in zip(left.tolist(), right.tolist(), strict=True)
        if not (indicators[i].indicator_keys & indicators[j].indicator_keys)
    )
    found: list[Overlap] = []
    for i, j, value in zip(
        left[close].tolist(), right[close].tolist(), values[close].tolist(), strict=True
    ):
        a, b = indicators[i], indicators[j]
        if a.indicator_keys & b.indicator_keys:
            continue
        first, second = sorted((a.iri, b.iri))
        units_a, units_b = a.named_units(), b.named_units()
        shared = {u: units_a[u] for u in units_a if u in units_b}
        reason, reason_vi = (
            measure_reason(a, b, value, list(shared.values()), lang) for lang in ("en", "vi")
        )
        found.append(
            Overlap(
                iri=_overlap_iri(iris, first, second),
                kind="indicator",
                members=(),
                indicators=(first, second),
                score=value,
                reason=reason,
                reason_vi=reason_vi,
                shared_units=tuple(sorted(shared)),
            )
        )
    return found, candidates


def _first_per_document(members: list[_Item]) -> list[_Item]:
    seen: dict[str, _Item] = {}
    for m in members:
        seen.setdefault(m.document, m)
    return [seen[d] for d in sorted(seen, key=lambda d: seen[d].document_label)]


def unit_counts(overlaps: list[Overlap], tasks: list[_Item]) -> list[UnitOverlapCount]:
    """Per unit: task overlaps touching it, those it carries on both sides, its tasks involved."""
    by_iri = {t.iri: t for t in tasks}
    counts: dict[str, UnitOverlapCount] = {}
    involved: dict[str, set[str]] = defaultdict(set)
    for o in overlaps:
        if o.kind != "task":
            continue
        sides = [by_iri[m] for m in o.members if m in by_iri]
        seen: set[str] = set()
        for side in sides:
            for unit, label in side.named_units().items():
                entry = counts.setdefault(unit, UnitOverlapCount(unit, label))
                involved[unit].add(side.iri)
                if unit not in seen:
                    entry.pairs += 1
                    seen.add(unit)
        for unit in o.shared_units:
            if unit in counts:
                counts[unit].shared += 1
    for unit, entry in counts.items():
        entry.tasks = len(involved[unit])
    return sorted(counts.values(), key=lambda c: (-c.shared, -c.pairs, c.label, c.unit))


def overlap_triples(overlaps: Iterable[Overlap]) -> list[tuple]:
    """The triples of ``graph/overlap`` for these overlaps (:func:`iter_overlap_triples`).

    >>> a = _Item(iri="urn:t1", kind="task", text="", document="d1", document_label="1/QĐ")
    >>> b = _Item(iri="urn:t2", kind="task", text="", document="d2", document_label="2/QĐ")
    >>> len(overlap_triples([task_overlap(a, b, 0.9, Iris())]))
    8
    """
    return list(iter_overlap_triples(overlaps))


def iter_overlap_triples(overlaps: Iterable[Overlap]) -> Iterator[tuple]:
    """The triples of ``graph/overlap`` for these overlaps, one overlap at a time (a
    full refresh streams them to the store: at 10,000 documents they are about 7.5M).

    Each IRI and score literal is made once (rdflib terms are slow to construct, and
    a task takes part in up to :data:`MAX_PER_TASK` overlaps).
    """
    rdf_type, overlap_class = RDF.type, OB.Overlap
    between, relation, has_score = OB.between, DCTERMS.relation, OB.score
    has_reason, shared_unit, overlaps_with = OB.reason, OB.sharedUnit, OB.overlapsWith
    iri_terms: dict[str, URIRef] = {}
    score_terms: dict[float, Literal] = {}

    def iri(value: str) -> URIRef:
        term = iri_terms.get(value)
        if term is None:
            term = iri_terms[value] = URIRef(value)
        return term

    for o in overlaps:
        node = URIRef(o.iri)
        yield (node, rdf_type, overlap_class)
        for member in o.members:
            yield (node, between, iri(member))
        for indicator in o.indicators:
            yield (node, relation, iri(indicator))
        value = score_terms.get(o.score)
        if value is None:
            value = score_terms[o.score] = Literal(Decimal(f"{o.score:.4f}"), datatype=XSD.decimal)
        yield (node, has_score, value)
        yield (node, has_reason, Literal(o.reason, lang="en"))
        reason_vi = o.reason_vi
        if reason_vi:
            yield (node, has_reason, Literal(reason_vi, lang="vi"))
        for unit in o.shared_units:
            yield (node, shared_unit, iri(unit))
        if o.kind == "task":
            a, b = (iri(m) for m in o.members)
            yield (a, overlaps_with, b)
            yield (b, overlaps_with, a)


class _Counted:
    """An iterator that counts what it gives."""

    def __init__(self, items: Iterator) -> None:
        self.items, self.count = items, 0

    def __iter__(self) -> Iterator:
        for item in self.items:
            self.count += 1
            yield item


def read_overlaps(store) -> list[Overlap]:
    """The overlaps stored in the graph (as written by :func:`refresh_overlaps`).

    Sorted by score (highest first), then IRI. An overlap naming indicators
    (``dcterms:relation``) or whose reason starts with one of
    :data:`INDICATOR_REASONS` has kind ``indicator``, otherwise ``task``.
    """
    parts: dict[str, dict] = {}
    for row in run_internal(store, "overlap-stored").dicts():
        entry = parts.setdefault(
            text(row["overlap"]),
            {
                "score": 0.0,
                "reason": "",
                "reason_vi": "",
                "members": set(),
                "indicators": set(),
                "shared": set(),
            },
        )
        if row["score"] is not None:
            entry["score"] = float(row["score"].toPython())
        if row["reason"] is not None:
            entry["reason"] = text(row["reason"])
        if row["reasonVi"] is not None:
            entry["reason_vi"] = text(row["reasonVi"])
        for key, var in (("members", "member"), ("indicators", "indicator"), ("shared", "shared")):
            if row[var] is not None:
                entry[key].add(text(row[var]))
    found = [
        Overlap(
            iri=iri,
            kind="indicator"
            if e["indicators"] or e["reason"].startswith(INDICATOR_REASONS)
            else "task",
            members=tuple(sorted(e["members"])),
            score=e["score"],
            reason=e["reason"],
            shared_units=tuple(sorted(e["shared"])),
            indicators=tuple(sorted(e["indicators"])),
            reason_vi=e["reason_vi"],
        )
        for iri, e in parts.items()
    ]
    return sorted(found, key=lambda o: (-o.score, o.iri))


def refresh_overlaps(store, iris: Iris | None = None) -> OverlapReport:
    """Recompute every overlap from the store and rewrite ``graph/overlap``.

    Deterministic: the same tasks and indicators give the same graph, byte for
    byte once sorted. Returns an :class:`OverlapReport` (counts, pairs, per-unit
    counts and the seconds spent).
    """
    started = time.perf_counter()
    iris = iris or Iris()
    places = _Places(store)  # read once for both
    tasks = read_tasks(store, lines=False, places=places)
    indicators = read_indicators(store, places=places)
    blocker = MinHashBlocker()
    for t in tasks:  # the text is not read again (nor kept: keep_state drops it too)
        t.tokens, t.text = normalise(t.text, sorted(t.names)), ""
    eligible, candidates = task_pairs(tasks, blocker)
    task_overlaps = [
        task_overlap(tasks[i], tasks[j], v, iris) for i, j, v in cap_pairs(tasks, *eligible)
    ]
    indicator_overlaps, ind_candidates = find_indicator_overlaps(indicators, tasks, iris, blocker)
    overlaps = task_overlaps + indicator_overlaps
    triples = _Counted(iter_overlap_triples(overlaps))
    graph = iris.special_graph("overlap")
    store.replace_graph(graph, triples)
    return OverlapReport(
        graph=str(graph),
        tasks=len(tasks),
        indicators=len(indicators),
        candidate_pairs=candidates + ind_candidates,
        overlaps=overlaps,
        units=unit_counts(overlaps, tasks),
        triples=triples.count,
        seconds=time.perf_counter() - started,
        items=(tasks, indicators),
        eligible=eligible,
    )
