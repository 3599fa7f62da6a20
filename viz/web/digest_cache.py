"""Values a web worker keeps while the store's summary digest stays the same."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Any

_ALL: weakref.WeakSet = weakref.WeakSet()


def forget_all() -> None:
    """Drop what every cache of this process keeps: called after the app writes (a status
    report or an update may change what a register shows without changing the digest).

    >>> forget_all()
    """
    for cache in list(_ALL):
        cache.clear()


class DigestCache:
    """Values kept per process while the store's summary digest
    (:func:`obligraph.graph.analysis.summary.read_digest`) stays the same; the least recently
    used goes first past ``size``.

    >>> from obligraph.graph.stores import open_store
    >>> cache = DigestCache(2)
    >>> cache.get(open_store(memory=True), "k", lambda: [1])
    [1]
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.lock = threading.Lock()
        self.kept: OrderedDict[tuple, tuple[str, Any]] = OrderedDict()
        _ALL.add(self)

    def clear(self) -> None:
        """Forget every kept value."""
        with self.lock:
            self.kept.clear()

    def get(self, store: Any, key: Any, compute: Any) -> Any:
        """The value kept for ``key`` over this store, or ``compute()`` kept anew."""
        from obligraph.graph.analysis.summary import read_digest

        digest = read_digest(store) or ""
        full = (id(store), key)
        with self.lock:
            kept = self.kept.get(full)
        if kept is not None and digest and kept[0] == digest:
            return kept[1]
        value = compute()
        with self.lock:
            self.kept[full] = (digest, value)
            self.kept.move_to_end(full)
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)
        return value
