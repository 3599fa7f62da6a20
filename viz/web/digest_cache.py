"""Values a web worker keeps while the store's summary digest stays the same."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any


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
