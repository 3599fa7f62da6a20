"""Folded task texts stored at build time, one key per document, so that
``task-search`` reads the tasks of the few documents that hold the words instead of
folding every task text of the store with ten regular expressions when asked.

``task-search`` compares the words (folded by the query library before the query,
:func:`obligraph.base.textkeys.fold_words`) with each task text folded the same way.
:func:`refresh_search_keys` (called by ``graph.build.refresh_derived``, so after every
build, removal, correction and status) writes, for each document, the folded texts of
its tasks, one a line, as ``ob:taskTextKey`` into ``graph/search``. The query scans
these keys for the words (1,005 keys at 1,000 documents: 9 ms, against 44 ms for one
key per task), then folds and searches the texts of the tasks of the documents found,
exactly as it does every text on a store without ``graph/search`` (built by an older
version, an endpoint loaded without it): the key only chooses where to look, so the
answer is the same either way.

>>> from obligraph.graph.stores import open_store
>>> refresh_search_keys(open_store(memory=True))
0
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from obligraph.queries.library import run_internal
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from obligraph.base.textkeys import fold_words
from obligraph.base.vocab import OB, Iris


def search_graph(iris: Iris | None = None) -> URIRef:
    """The named graph holding the folded keys.

    >>> str(search_graph(Iris("https://example.org/")))
    'https://example.org/graph/search'
    """
    return (iris or Iris()).special_graph("search")


def search_key_triples(texts, own_keys=()) -> list[tuple]:
    """``(task, ob:textKey, folded text)`` for each ``(task, text)`` row, sorted; a task
    with its own ``ob:searchKey`` (``own_keys``) is searched by that key, as the query
    does.

    >>> t = URIRef("urn:t")
    >>> texts = [(t, Literal("Trẻ  EM", lang="vi")), (t, Literal("Bảo vệ"))]
    >>> [str(x[2]) for x in search_key_triples(texts)]
    ['bao ve', 'tre em']
    """
    folded: dict[object, set[str]] = defaultdict(set)
    own: dict[object, set[str]] = defaultdict(set)
    for task, key in own_keys:
        own[task].add(str(key))
    for task, text in texts:
        folded[task] |= own.get(task) or {fold_words(str(text))}
    return sorted(
        (task, OB.textKey, Literal(key)) for task, found in folded.items() for key in found
    )


def refresh_search_keys(store, iris: Iris | None = None) -> int:
    """Rewrite ``graph/search`` (nothing when unchanged): one ``ob:taskTextKey`` per
    document with tasks; the number of keys."""

    def read(p: URIRef) -> list:
        constants = {"class": OB.Task, "p": p}
        return run_internal(store, "overlap-typed-property-pairs", constants=constants).rows

    triples = search_key_triples(read(OB.text), read(OB.searchKey))
    store.replace_graph(search_graph(iris), triples)
    return len(triples)


def update_search_keys(store, iris: Iris | None, tasks: Iterable[str]) -> int:
    """Refresh ``graph/search`` after a build changed ``tasks`` (IRIs, those gone
    included): their keys are taken out and those of the ones still there put in, the
    keys :func:`refresh_search_keys` would write; the number of keys put in."""
    wanted = sorted({URIRef(t) for t in tasks})
    graph = search_graph(iris)
    if not wanted:
        return 0

    def read(p: URIRef) -> list:
        constants = {"p": p}
        values = {"item": wanted}
        return run_internal(store, "answers-property-of", values=values, constants=constants).rows

    typed = {t for t, cls in read(RDF.type) if cls == OB.Task}
    own = [(t, k) for t, k in read(OB.searchKey) if t in typed]
    triples = search_key_triples([(t, x) for t, x in read(OB.text) if t in typed], own)
    store.change_graph(graph, store.triples_about(graph, wanted), triples)
    return len(triples)
