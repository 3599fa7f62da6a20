"""The eligible task pairs of the overlap computation, found again only where documents
changed (the incremental refresh's blocking and scoring).

A full refresh proposes candidate pairs by MinHash blocking over every task
(:meth:`~obligraph.graph.analysis.textsim.MinHashBlocker.candidate_arrays`), scores them and
keeps the *eligible* ones (:func:`~obligraph.graph.analysis.overlap.eligible_task_pairs`);
the per-task cap (:func:`~obligraph.graph.analysis.overlap.cap_pairs`) then picks the
overlaps. :func:`update_eligible` gives the same eligible pairs after some tasks were
removed and others added, from the eligible pairs before:

* the pairs of a removed task go;
* the candidate pairs of an added task are found in the buckets it falls in (all
  members of a bucket of at most ``max_bucket`` texts, its ``window`` neighbours in
  text order in a larger one), scored and kept if eligible;
* a bucket that holds an added or removed task and is larger than ``max_bucket``
  (before or after) pairs its members by neighbourhood, which the change shifts: the
  unchanged pairs it proposed before or proposes now are checked again against every
  bucket the two tasks share (a pair stays a candidate while some bucket proposes it).

An unchanged pair's score and eligibility depend only on its two tasks and their
documents' hubs, so they stay as they were.

>>> import numpy as np
>>> from obligraph.graph.analysis.overlap_read import _Item
>>> from obligraph.graph.analysis.textsim import normalise
>>> text = "Kiểm tra liên ngành việc thực hiện chính sách bảo vệ trẻ em tại cơ sở"
>>> def task(iri, doc):
...     return _Item(iri, "task", text, doc, doc, tokens=normalise(text))
>>> before, after = [task("t1", "d1")], [task("t1", "d1"), task("t2", "d2")]
>>> empty = np.zeros(0, dtype=np.int64)
>>> (i, j, v), scored = update_eligible(before, (empty, empty, np.zeros(0)), after, {"d2"})
>>> i.tolist(), j.tolist(), v.tolist()
([0], [1], [1.0])
"""

from __future__ import annotations

import numpy as np
from obligraph.graph.analysis.overlap import MIN_TOKENS, _apart_mask, eligible_task_pairs
from obligraph.graph.analysis.overlap_read import _Item
from obligraph.graph.analysis.textsim import MinHashBlocker

Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]  # left, right (task indices), scores


class _Buckets:
    """The band keys of a list of texts, and the members of a bucket."""

    def __init__(self, blocker: MinHashBlocker, items: list[_Item]) -> None:
        self.blocker = blocker
        self.tokens = [t.tokens if len(t.tokens) >= MIN_TOKENS else [] for t in items]
        self.filled = np.array([bool(t) for t in self.tokens])
        self.keys = blocker.band_keys(self.tokens)
        # one 64-bit digest per band key finds a bucket's members; the keys confirm them
        mix = np.array([1, 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F], dtype=np.uint64)[: blocker.rows]
        self.digest = np.bitwise_xor.reduce(self.keys * mix, axis=2)
        self.order = [(" ".join(t), item.iri) for t, item in zip(self.tokens, items, strict=True)]
        self._members: dict[tuple[int, bytes], np.ndarray] = {}
        self._positions: dict[tuple[int, bytes], dict[int, int]] = {}

    def members(self, band: int, text: int) -> np.ndarray:
        """Every text in the bucket of ``text`` in ``band``, in the window's order (text,
        then IRI)."""
        key = (band, self.keys[text, band].tobytes())
        found = self._members.get(key)
        if found is None:
            near = np.flatnonzero((self.digest[:, band] == self.digest[text, band]) & self.filled)
            same = (self.keys[near, band] == self.keys[text, band]).all(axis=1)
            found = np.array(
                sorted(near[same].tolist(), key=self.order.__getitem__), dtype=np.int64
            )
            self._members[key] = found
        return found

    def proposes(self, band: int, x: int, y: int, removed: np.ndarray) -> bool:
        """Whether the bucket of ``x`` in ``band``, without the ``removed`` texts, proposes
        the pair ``x, y`` (both in it)."""
        key = (band, self.keys[x, band].tobytes())
        where = self._positions.get(key)
        if where is None:
            members = self.members(band, x)
            members = members[~removed[members]]
            where = self._positions[key] = {int(m): k for k, m in enumerate(members.tolist())}
        if len(where) <= self.blocker.max_bucket:
            return True
        return abs(where[x] - where[y]) <= self.blocker.window


def _proposed(members: np.ndarray, blocker: MinHashBlocker) -> set[tuple[int, int]]:
    """The pairs one bucket proposes (``members`` in window order), as sorted index pairs."""
    out: set[tuple[int, int]] = set()
    items = members.tolist()
    if len(items) <= blocker.max_bucket:
        for k, a in enumerate(items):
            out.update((min(a, b), max(a, b)) for b in items[k + 1 :])
        return out
    for k, a in enumerate(items):
        out.update((min(a, b), max(a, b)) for b in items[k + 1 : k + 1 + blocker.window])
    return out


def _around(
    members: np.ndarray, changed: np.ndarray, unchanged: np.ndarray, window: int
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """In a large bucket (``members`` in window order, added and removed texts among
    them): the pairs of an added text with its neighbours, and the unchanged pairs that
    straddle a changed text closely enough to have been, or to be, neighbours."""
    items = members.tolist()
    moved = [k for k, m in enumerate(items) if not unchanged[m]]
    reach = window + len(moved)
    added: set[tuple[int, int]] = set()
    suspects: set[tuple[int, int]] = set()
    for p in moved:
        near = items[max(0, p - reach) : p + reach + 1]
        if changed[items[p]]:
            now = [m for m in near if changed[m] or unchanged[m]]
            at = now.index(items[p])
            for m in now[max(0, at - window) : at + window + 1]:
                if m != items[p]:
                    added.add((min(m, items[p]), max(m, items[p])))
        left = [m for m in items[max(0, p - reach) : p] if unchanged[m]]
        right = [m for m in items[p + 1 : p + reach + 1] if unchanged[m]]
        suspects.update((min(a, b), max(a, b)) for a in left for b in right)
    return added, suspects


def _touched(
    buckets: _Buckets, changed: np.ndarray, removed: np.ndarray, blocker: MinHashBlocker
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Pairs with an added text proposed now, and unchanged pairs a large touched bucket
    proposed before or proposes now (to check again); indices of ``buckets``' list."""
    added_pairs: set[tuple[int, int]] = set()
    suspects: set[tuple[int, int]] = set()
    seen: set[tuple[int, bytes]] = set()
    unchanged = ~(changed | removed)
    for text in np.flatnonzero((changed | removed) & buckets.filled).tolist():
        for band in range(blocker.bands):
            key = (band, buckets.keys[text, band].tobytes())
            if key in seen:
                continue
            seen.add(key)
            members = buckets.members(band, text)
            now, before = members[~removed[members]], members[~changed[members]]
            if min(len(now), len(before)) > blocker.max_bucket:  # neighbours, both times
                more, suspect = _around(members, changed, unchanged, blocker.window)
                added_pairs |= more
                suspects |= suspect
                continue
            proposed_now = _proposed(now, blocker)
            added_pairs.update(p for p in proposed_now if changed[p[0]] or changed[p[1]])
            if max(len(now), len(before)) > blocker.max_bucket:  # all pairs one time
                for pairs in (proposed_now, _proposed(before, blocker)):
                    suspects.update(p for p in pairs if unchanged[p[0]] and unchanged[p[1]])
    return added_pairs, suspects


def update_eligible(
    before: list[_Item],
    eligible: Pairs,
    after: list[_Item],
    documents: set[str],
    blocker: MinHashBlocker | None = None,
) -> tuple[Pairs, int]:
    """The eligible pairs of ``after`` (tasks sorted by IRI, tokens set), given those of
    ``before`` (``eligible``: indices of ``before``) and the ``documents`` whose tasks
    were taken out of ``before`` and put into ``after`` (see the module docstring); and
    the number of pairs scored."""
    blocker = blocker or MinHashBlocker()
    position = {t.iri: k for k, t in enumerate(after)}
    gone = [t for t in before if t.document in documents]
    kept = np.array(
        [-1 if t.document in documents else position[t.iri] for t in before] or [0],
        dtype=np.int64,
    )[: len(before)]
    texts = after + gone  # removed tasks after the present ones
    changed = np.zeros(len(texts), dtype=bool)
    changed[: len(after)] = [t.document in documents for t in after]
    removed = np.zeros(len(texts), dtype=bool)
    removed[len(after) :] = True
    buckets = _Buckets(blocker, texts)
    added_pairs, suspects = _touched(buckets, changed, removed, blocker)

    ordered = sorted(suspects)
    xs = np.array([p[0] for p in ordered], dtype=np.int64)
    ys = np.array([p[1] for p in ordered], dtype=np.int64)
    shared = (buckets.keys[xs] == buckets.keys[ys]).all(axis=2)  # suspects x bands
    still = {
        (x, y)
        for (x, y), bands in zip(ordered, shared, strict=True)
        if any(buckets.proposes(b, x, y, removed) for b in np.flatnonzero(bands).tolist())
    }
    left, right, values = eligible
    a, b = kept[left], kept[right]
    stay = (a >= 0) & (b >= 0)
    a, b, values = np.minimum(a[stay], b[stay]), np.maximum(a[stay], b[stay]), values[stay]
    if suspects:
        drop = {x * len(texts) + y for x, y in suspects}
        codes = a * len(texts) + b
        keep = ~np.isin(codes, np.fromiter(drop, dtype=np.int64))
        a, b, values = a[keep], b[keep], values[keep]
    fresh = sorted(added_pairs | still)
    i = np.array([p[0] for p in fresh], dtype=np.int64)
    j = np.array([p[1] for p in fresh], dtype=np.int64)
    apart = _apart_mask(after)(i, j) if len(i) else np.zeros(0, dtype=bool)
    i, j, v = eligible_task_pairs(after, i[apart], j[apart])
    return (np.concatenate([a, i]), np.concatenate([b, j]), np.concatenate([values, v])), len(fresh)
