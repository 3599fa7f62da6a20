"""The answers of the parameterless aggregate named queries, computed at build time in
Python from flat reads and stored in ``graph/answers``.

A count over every assignment of the store (lead and support counts per unit, pairs of
units working together, tasks with several leads, ...) costs seconds at a thousand
documents, and its first page costs as much as its whole answer: the engine evaluates
the whole ``WHERE`` before it can sort. :func:`refresh_answers` (called by
``graph.build.refresh_derived``, so after every build, removal, correction and status)
computes the rows of each query of :data:`STORED` here, with one flat scan per property
(the reads of :mod:`obligraph.graph.analysis.overlap_read`) joined in Python by the
query's own definitions, and writes every row as a node of ``graph/answers``::

    <BASE/answer/lead-support-counts/DIGEST> ob:answerOf "lead-support-counts" ;
        answer:unitName "Cục Trẻ em"@vi ; answer:lead 689 ; answer:support 12 ; ...

one ``answer:COLUMN`` value per bound cell, each the very term the query gives. The
named query's first branch reads these rows and sorts them by its own ``ORDER BY``;
its second branch, guarded by ``EXISTS``, counts from the data when the store holds no
stored answer (a store built by an older version, an endpoint loaded without
``graph/answers``), so the answer is the same either way.

``GROUP_CONCAT`` lists their values in the order the engine meets them; the flat read
of a property meets one subject's values in the order a lookup of that subject does
(both walk the index by the value), which is the order kept here. The comparison with
the queries' own text (``tests/queries/test_answers_unchanged.py`` and
``bench/answers.py --check``) is what vouches for it.

>>> from obligraph.graph.stores import open_store
>>> store = open_store(memory=True)
>>> counts = refresh_answers(store)
>>> counts["lead-support-counts"], sorted(counts) == sorted(STORED)
(0, True)
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from obligraph.queries.library import get, run_internal
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from obligraph.base.vocab import ELI, OB, SKOS, Iris

#: One property per output column of a stored answer: ``answer:unitName``, ...
ANSWER = Namespace("https://w3id.org/obligraph/ontology/answer#")
Row = tuple  # one term (or None: unbound) per column
Solution = dict[str, object]


class Reads:
    """Flat reads of the store, each done once: a property's values by subject (in the
    order the engine meets them), for every subject or for some (:meth:`among`), and
    the nodes of a class.

    >>> from obligraph.graph.stores import open_store
    >>> reads = Reads(open_store(memory=True))
    >>> reads.values(OB.task), reads.among(OB.text, [URIRef("urn:t")]).of(OB.text, "urn:t")
    ({}, [])
    """

    def __init__(self, store) -> None:
        self.store = store
        self._values: dict[URIRef, dict] = {}
        self._some: dict[URIRef, dict] = defaultdict(dict)  # p -> subject -> values
        self._typed: dict[URIRef, set] = {}

    def values(self, p: URIRef) -> dict[object, list]:
        """Subject -> its values of ``p``, in the engine's order."""
        if p not in self._values:
            rows = run_internal(self.store, "overlap-property-pairs", constants={"p": p}).rows
            self._values[p] = _grouped(rows)
        return self._values[p]

    def among(self, p: URIRef, subjects: Iterable, *more: URIRef) -> Reads:
        """Read ``p`` (and each of ``more``) for ``subjects`` only, unless read whole
        already (the page of a few tasks, not every task); ``self``."""
        for prop in (p, *more):
            known = self._some[prop]
            wanted = sorted({s for s in subjects if s is not None} - known.keys())
            if prop in self._values or not wanted:
                continue
            rows = run_internal(
                self.store, "answers-property-of", values={"item": wanted}, constants={"p": prop}
            ).rows
            known.update({s: [] for s in wanted})
            known.update(_grouped(rows))
        return self

    def typed(self, cls: URIRef) -> set:
        """The nodes typed ``cls``."""
        if cls not in self._typed:
            rows = run_internal(self.store, "overlap-typed-nodes", constants={"class": cls}).rows
            self._typed[cls] = {row[0] for row in rows}
        return self._typed[cls]

    def of(self, p: URIRef, s) -> list:
        """The values of ``p`` of ``s`` (none when ``s`` is unbound), from what was read."""
        if s is None:
            return []
        if p not in self._values and s in self._some[p]:
            return self._some[p][s]
        return self.values(p).get(s, [])


def _grouped(rows: Iterable[tuple]) -> dict[object, list]:
    """Pairs grouped by their first term, in their order.

    >>> _grouped([("a", 2), ("b", 1), ("a", 1)])
    {'a': [2, 1], 'b': [1]}
    """
    found: dict[object, list] = defaultdict(list)
    for s, o in rows:
        found[s].append(o)
    return dict(found)


def optional(sols: Iterable[Solution], extend: Callable[[Solution], Iterable[Solution]]):
    """SPARQL's ``OPTIONAL``: each solution extended by every solution ``extend`` gives
    it, or kept as it is when there is none.

    >>> list(optional([{"a": 1}], lambda s: [{"b": 2}, {"b": 3}]))
    [{'a': 1, 'b': 2}, {'a': 1, 'b': 3}]
    >>> list(optional([{"a": 1}], lambda s: []))
    [{'a': 1}]
    """
    for sol in sols:
        found = [{**sol, **more} for more in extend(sol)]
        yield from found or [sol]


def optional_value(sols: Iterable[Solution], reads: Reads, subject: str, p, var: str):
    """``OPTIONAL { ?subject p ?var }``."""
    return optional(sols, lambda s: [{var: o} for o in reads.of(p, s.get(subject))])


def coalesce(*terms):
    """The first bound term (``COALESCE``).

    >>> coalesce(None, 2, 3)
    2
    """
    return next((t for t in terms if t is not None), None)


def concat(values: Iterable) -> Literal | None:
    """``GROUP_CONCAT(DISTINCT STR(?x); separator="; ")`` of ``values`` in their order:
    unbound when one is unbound (the engine's ``STR`` of it fails the aggregate).

    >>> concat([Literal("b"), Literal("a"), Literal("b")]), concat([Literal("b"), None])
    (rdflib.term.Literal('b; a'), None)
    """
    values = list(values)
    if any(v is None for v in values):
        return None
    return Literal("; ".join(dict.fromkeys(str(v) for v in values)))


def count(values: Iterable) -> Literal:
    """``COUNT(DISTINCT ?x)`` of ``values`` (unbound ones not counted).

    >>> count([1, None, 1, 2]).n3()
    '"2"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    return Literal(len({v for v in values if v is not None}), datatype=XSD.integer)


def with_document(sols: Iterable[Solution], reads: Reads) -> Iterator[Solution]:
    """The document's number, else its source file, as ``?document`` (the queries'
    ``OPTIONAL``s on ``eli:id_local`` and ``ob:sourceFile`` and their ``COALESCE``)."""
    sols = list(sols)
    reads.among(ELI.id_local, [s["doc"] for s in sols], OB.sourceFile)
    sols = optional_value(sols, reads, "doc", ELI.id_local, "docNumber")
    sols = optional_value(sols, reads, "doc", OB.sourceFile, "docFile")
    for sol in sols:
        yield {**sol, "document": coalesce(sol.get("docNumber"), sol.get("docFile"))}


def with_source(sols: Iterable[Solution], reads: Reads, node: str) -> Iterable[Solution]:
    """``OPTIONAL { ?node ob:source ?span . ?span ob:sourceFile ?sourceFile }`` then the
    same for ``ob:lineStart ?line``: the second joins on the span the first chose."""
    sols = list(sols)
    reads.among(OB.source, [s[node] for s in sols])
    spans = [span for s in sols for span in reads.of(OB.source, s[node])]
    reads.among(OB.sourceFile, spans, OB.lineStart)

    def files(sol: Solution) -> Iterator[Solution]:
        for span in reads.of(OB.source, sol[node]):
            for f in reads.of(OB.sourceFile, span):
                yield {"span": span, "sourceFile": f}

    def lines(sol: Solution) -> Iterator[Solution]:
        spans = [sol["span"]] if "span" in sol else reads.of(OB.source, sol[node])
        for span in spans:
            for line in reads.of(OB.lineStart, span):
                yield {"span": span, "line": line}

    return optional(optional(sols, files), lines)


_ROLES = {OB.LeadRole: "lead", OB.SupportRole: "support"}


def _assignments(reads: Reads) -> Iterator[tuple]:
    """(unit, task, "lead" | "support" | None, the task's documents) of every
    ``?a ob:unit ?u ; ob:task ?t ; ob:role ?r``."""
    tasks, roles = reads.values(OB.task), reads.values(OB.role)
    docs = reads.values(OB.inDocument)
    for a, units in reads.values(OB.unit).items():
        named = [_ROLES.get(r) for r in roles.get(a, ())]
        for u in units:
            for t in tasks.get(a, ()):
                for role in named:
                    yield u, t, role, docs.get(t, ())


def lead_support_counts(reads: Reads) -> list[Row]:
    """The rows of ``lead-support-counts`` (unsorted)."""
    groups: dict[object, list[set]] = {}
    for unit, task, role, in_docs in _assignments(reads):
        if in_docs:
            lead, support, tasks, docs = groups.setdefault(unit, [set(), set(), set(), set()])
            if role == "lead":
                lead.add(task)
            if role == "support":
                support.add(task)
            tasks.add(task)
            docs.update(in_docs)
    generic = reads.typed(OB.GenericUnit)
    rows = []
    for unit, found in groups.items():
        counts = [count(s) for s in found]
        for name in reads.of(SKOS.prefLabel, unit) or [None]:
            rows.append((name, *counts, Literal(unit in generic), unit))
    return list(dict.fromkeys(rows))


def unit_collaborations(reads: Reads) -> list[Row]:
    """The rows of ``unit-collaborations`` (unsorted)."""
    generic = reads.typed(OB.GenericUnit)
    on_task: dict[object, list[tuple]] = defaultdict(list)
    docs_of: dict[object, tuple] = {}
    for unit, task, role, in_docs in _assignments(reads):
        if unit not in generic and in_docs:
            on_task[task].append((unit, role == "lead"))
            docs_of[task] = in_docs
    groups: dict[tuple, list[set]] = {}
    for task, found in on_task.items():
        docs = docs_of[task]
        for a, role_a in found:
            for b, role_b in found:
                if not (isinstance(a, URIRef) and isinstance(b, URIRef) and str(a) < str(b)):
                    continue
                for doc in docs:
                    shared, documents, led_a, led_b = groups.setdefault(
                        (a, b), [set(), set(), set(), set()]
                    )
                    shared.add(task)
                    documents.add(doc)
                    if role_a:
                        led_a.add(task)
                    if role_b:
                        led_b.add(task)
    rows = []
    for (a, b), found in groups.items():
        for name_a in reads.of(SKOS.prefLabel, a) or [None]:
            for name_b in reads.of(SKOS.prefLabel, b) or [None]:
                rows.append((name_a, name_b, *(count(s) for s in found), a, b))
    return rows


def _task_rows(reads: Reads, extra: dict[object, tuple]) -> list[Row]:
    """The distinct rows ``?document ?taskId ?text``, the task's ``extra`` cells,
    ``?sourceFile ?line ?task`` of the tasks of ``extra`` (``?task a ob:Task ;
    ob:inDocument ?doc`` and the optionals of co-led-tasks and unassigned-tasks)."""
    typed = reads.typed(OB.Task)
    tasks = [t for t in extra if t in typed]
    reads.among(OB.inDocument, tasks, OB.taskId, OB.text)
    sols = ({"task": t, "doc": d} for t in tasks for d in reads.of(OB.inDocument, t))
    sols = with_document(sols, reads)
    sols = optional_value(sols, reads, "task", OB.taskId, "taskId")
    sols = optional_value(sols, reads, "task", OB.text, "text")
    rows = (
        (
            *(sol.get(c) for c in ("document", "taskId", "text")),
            *extra[sol["task"]],
            *(sol.get(c) for c in ("sourceFile", "line", "task")),
        )
        for sol in with_source(sols, reads, "task")
    )
    return list(dict.fromkeys(rows))


def co_led_tasks(reads: Reads) -> list[Row]:
    """The rows of ``co-led-tasks`` (unsorted; ``DISTINCT``)."""
    names: dict[object, list] = defaultdict(list)
    for task, leads in reads.values(OB.lead).items():
        for lead in leads:
            names[task].extend(reads.of(SKOS.prefLabel, lead) or [None])
    several = {
        task: (count(reads.of(OB.lead, task)), concat(found))
        for task, found in names.items()
        if len(set(reads.of(OB.lead, task))) > 1
    }
    return _task_rows(reads, several)


def unassigned_tasks(reads: Reads) -> list[Row]:
    """The rows of ``unassigned-tasks`` (unsorted)."""
    leads = reads.values(OB.lead)
    parents = {p for found in reads.values(OB.parentTask).values() for p in found}
    free = [t for t in reads.typed(OB.Task) if t not in leads and t not in parents]
    reads.among(OB.support, free)
    supports = {}
    for task in free:
        names = [n for u in reads.of(OB.support, task) for n in reads.of(SKOS.prefLabel, u)]
        supports[task] = (concat(names or [None]),)
    return _task_rows(reads, supports)


def multi_programme_units(reads: Reads) -> list[Row]:
    """The rows of ``multi-programme-units`` (unsorted): a task's programmes are its own
    ``ob:programme``, else what its document implements."""
    generic = reads.typed(OB.GenericUnit)
    groups: dict[object, tuple[set, set, list]] = {}
    for a, units in reads.values(OB.unit).items():
        for unit in units:
            if unit in generic:
                continue
            for task in reads.of(OB.task, a):
                progs = reads.of(OB.programme, task) or [
                    p for doc in reads.of(OB.inDocument, task) for p in reads.of(OB.implements, doc)
                ]
                for prog in progs:
                    found, tasks, numbers = groups.setdefault(unit, (set(), set(), []))
                    found.add(prog)
                    tasks.add(task)
                    numbers.extend(reads.of(ELI.id_local, prog) or [None])
    return [
        (name, count(found), concat(numbers), count(tasks), unit)
        for unit, (found, tasks, numbers) in groups.items()
        if len(found) > 1
        for name in reads.of(SKOS.prefLabel, unit) or [None]
    ]


def stats_by_type(reads: Reads) -> list[Row]:
    """The rows of ``stats-by-type`` (unsorted): every class and its number of nodes,
    one grouped scan (the query's own count, 0.1 s at 1,000 documents)."""
    return [tuple(row) for row in run_internal(reads.store, "answers-type-counts").rows]


#: The named queries whose answers the build stores: their columns (the query's), and
#: how the rows are computed.
STORED: dict[str, tuple[str, Callable[[Reads], list[Row]]]] = {
    "lead-support-counts": (
        "unitName lead support total documents generic unit",
        lead_support_counts,
    ),
    "unit-collaborations": (
        "unitA unitB sharedTasks documents aLeads bLeads a b",
        unit_collaborations,
    ),
    "co-led-tasks": ("document taskId text leadCount leads sourceFile line task", co_led_tasks),
    "unassigned-tasks": ("document taskId text supports sourceFile line task", unassigned_tasks),
    "multi-programme-units": (
        "unitName programmeCount programmes tasks unit",
        multi_programme_units,
    ),
    "stats-by-type": ("type count", stats_by_type),
}


def answers_graph(iris: Iris | None = None) -> URIRef:
    """The named graph holding the stored answers.

    >>> str(answers_graph(Iris("https://example.org/")))
    'https://example.org/graph/answers'
    """
    return (iris or Iris()).special_graph("answers")


#: Rows of a page of a stored answer (the named queries' ``page`` parameter).
PAGE_ROWS = 100


def order_by(text: str) -> list[tuple[str, bool]]:
    """The ``ORDER BY`` of a query text: each variable and whether it is descending.

    >>> order_by("SELECT ?a { } ORDER BY DESC(?n) ?a  # x")
    [('n', True), ('a', False)]
    """
    body = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    found = re.findall(r"\bORDER\s+BY\b(.*)", body, re.I | re.S)
    keys = re.findall(r"(DESC|ASC)?\s*\(?\s*\?(\w+)", found[-1] if found else "", re.I)
    return [(var, how.upper() == "DESC") for how, var in keys]


def term_key(term) -> tuple:
    """A term's place in SPARQL's ``ORDER BY`` as Oxigraph sorts: unbound, blank nodes,
    IRIs, then literals, numbers by value and the others by their text.

    >>> terms = [Literal("b"), None, Literal(10), Literal(9), URIRef("urn:a")]
    >>> [None if t is None else str(t) for t in sorted(terms, key=term_key)]
    [None, 'urn:a', '9', '10', 'b']
    """
    if term is None:
        return (0,)
    if not isinstance(term, Literal):
        return (1 if isinstance(term, BNode) else 2, str(term))
    value = term.toPython()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return (3, value)
    return (4, str(term), term.language or "")


def page_triples(name: str, cells: dict, order: list[tuple[str, bool]], iris: Iris) -> list:
    """The pages of the stored answer ``name``: ``cells`` maps each row's node to its
    cells (``{column: term}``, at least the columns of ``order``, the query's
    :func:`order_by`). A node per page (``ob:pageOf``, ``ob:pageNumber``): page 0 holds
    every row, pages 1, 2, ... :data:`PAGE_ROWS` rows each in that order, rows of equal
    keys in the order of their nodes (so a full and an incremental refresh agree).

    >>> rows = {URIRef(f"urn:r{i}"): {"n": Literal(i)} for i in range(150)}
    >>> t = page_triples("q", rows, [("n", True)], Iris("https://e.org/"))
    >>> sorted({str(s)[-6:] for s, p, o in t if p == OB.pageRow and o == URIRef("urn:r0")})
    ['page/0', 'page/2']
    """
    ranked = sorted(cells, key=str)
    for var, desc in reversed(order):  # stable sorts, the last key first
        ranked.sort(key=lambda node: term_key(cells[node].get(var)), reverse=desc)
    base = f"{iris.base}answer/{name}/page/"
    out: list[tuple] = []
    for page in range(0, -(-len(ranked) // PAGE_ROWS) + 1):
        node = URIRef(f"{base}{page}")
        out += [(node, OB.pageOf, Literal(name)), (node, OB.pageNumber, Literal(page))]
    for position, row in enumerate(ranked):
        out.append((URIRef(f"{base}0"), OB.pageRow, row))
        out.append((URIRef(f"{base}{position // PAGE_ROWS + 1}"), OB.pageRow, row))
    return out


def _cells_of(triples: Iterable[tuple]) -> dict:
    """Each row node's cells, ``{column: term}``, from the triples of its answer."""
    prefix = str(ANSWER)
    cells: dict = defaultdict(dict)
    for s, p, o in triples:
        if p == OB.answerOf:
            cells.setdefault(s, {})  # a row with no cell of the columns asked still counts
        elif str(p).startswith(prefix):
            cells[s][str(p)[len(prefix) :]] = o
    return cells


def repage_answers(store, iris: Iris, names: Iterable[str] | None = None) -> None:
    """Compute the pages of the stored answers ``names`` (default: every one) again from
    their stored rows (after an incremental refresh put rows in or took rows out: the
    rows after them move) and write what changed."""
    graph = answers_graph(iris)
    old: set = set()
    new: set = set()
    for name in STORED if names is None else names:
        order = order_by(get(name).text)
        wanted = [OB.answerOf, *(ANSWER[var] for var, _ in order)]
        found = run_internal(
            store,
            "answers-cells-of",
            values={"p": wanted},
            constants={"g": graph, "name": Literal(name)},
        ).rows
        new |= set(page_triples(name, _cells_of(found), order, iris))
        pages = run_internal(
            store,
            "answers-stored-about",
            values={"value": [Literal(name)]},
            constants={"g": graph, "p": OB.pageOf},
        ).rows
        old |= set(store.triples_about(graph, [node for node, _ in pages]))
    store.change_graph(graph, old - new, new - old)


def answer_triples(name: str, columns: list[str], rows: Iterable[Row], iris: Iris) -> list:
    """The nodes of ``graph/answers`` for the rows of named query ``name``, each named by
    a digest of its terms (and its place among equal rows), so a row keeps its node
    whatever the other rows: an unchanged answer writes the same triples, and an
    incremental refresh (:func:`update_answers`) changes only the rows that changed.

    >>> t = answer_triples("q", ["n", "m"], [(Literal(3), None)], Iris("https://e.org/"))
    >>> [(str(s)[:21], p.n3()[-3:], o.n3()) for s, p, o in t]  # doctest: +NORMALIZE_WHITESPACE
    [('https://e.org/answer/', 'Of>', '"q"'),
     ('https://e.org/answer/', '#n>', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>')]
    """
    seen: Counter = Counter()
    out: list[tuple] = []
    for row in rows:
        key = "\x1f".join("" if t is None else t.n3() for t in row)
        seen[key] += 1
        digest = hashlib.sha1(f"{key}\x1e{seen[key]}".encode()).hexdigest()[:16]
        node = URIRef(f"{iris.base}answer/{name}/{digest}")
        out.append((node, OB.answerOf, Literal(name)))
        out.extend(
            (node, ANSWER[col], term)
            for col, term in zip(columns, row, strict=True)
            if term is not None
        )
    return out


def compute_answers(store) -> dict[str, tuple[list[str], list[Row]]]:
    """The columns and rows of each query of :data:`STORED`, computed from the store."""
    reads = Reads(store)
    return {name: (columns.split(), compute(reads)) for name, (columns, compute) in STORED.items()}


def refresh_answers(store, iris: Iris | None = None) -> dict[str, int]:
    """Recompute the answers of :data:`STORED` and rewrite ``graph/answers``, with their
    pages (:func:`page_triples`); the number of rows of each."""
    iris = iris or Iris()
    triples: list[tuple] = []
    counts: dict[str, int] = {}
    for name, (columns, rows) in compute_answers(store).items():
        counts[name] = len(rows)
        written = answer_triples(name, columns, rows, iris)
        order = order_by(get(name).text)
        triples += written + page_triples(name, _cells_of(written), order, iris)
    store.replace_graph(answers_graph(iris), triples)
    return counts


# ---------------------------------------------------------------- incremental refresh

#: The columns saying what a stored answer's row is about: the rows of a query whose
#: columns all name a changed unit or task are computed again, the others kept
#: (``None``: the whole answer is computed again, one grouped scan). A pair of units
#: changes only when a task they share changes, so both are changed units.
ABOUT: dict[str, tuple[str, ...] | None] = {
    "lead-support-counts": ("unit",),
    "unit-collaborations": ("a", "b"),
    "co-led-tasks": ("task",),
    "unassigned-tasks": ("task",),
    "multi-programme-units": ("unit",),
    "stats-by-type": None,
}


def _subjects_of(store, p: URIRef, values: Iterable) -> list[tuple]:
    """``(subject, value)`` of every ``?subject p value`` for the given values."""
    wanted = sorted(set(values))
    if not wanted:
        return []
    constants = {"p": p}
    return run_internal(
        store, "answers-subjects-of", values={"value": wanted}, constants=constants
    ).rows


def subset_reads(store, tasks: Iterable[str], units: Iterable[str]) -> Reads:
    """Reads holding, as if they were the whole store, every assignment of ``units``
    and the leads, supports and sub-tasks of ``tasks``, with what the stored answers
    look up about them: the rows the functions of :data:`STORED` then give about those
    units (for a pair of units: about two of them) and tasks are the whole store's.

    The assignments keep, for each unit, the order of the whole store's flat read (both
    walk the index by the unit), which ``GROUP_CONCAT`` sees."""
    reads = Reads(store)
    tasks = [URIRef(t) for t in tasks]
    by_unit = _subjects_of(store, OB.unit, (URIRef(u) for u in units))
    reads.among(OB.task, [a for a, _ in by_unit], OB.role)
    reads._values[OB.unit] = _grouped(by_unit)
    for p in (OB.task, OB.role):
        reads._values[p] = {a: found for a, found in reads._some[p].items() if found}
    every = sorted(set(tasks) | {t for found in reads._values[OB.task].values() for t in found})
    reads.among(RDF.type, tasks).among(OB.inDocument, every, OB.programme)
    reads._typed[OB.Task] = {t for t in tasks if OB.Task in reads.of(RDF.type, t)}
    for p in (OB.inDocument, OB.lead, OB.support, OB.parentTask):
        known = reads.among(p, every if p == OB.inDocument else tasks)._some[p]
        reads._values[p] = {s: v for s, v in known.items() if v}
    docs = {d for found in reads._values[OB.inDocument].values() for d in found}
    reads.among(OB.implements, docs)
    programmes = {p for t in every for p in reads.of(OB.programme, t)}
    programmes |= {p for d in docs for p in reads.of(OB.implements, d)}
    named = {u for _, u in by_unit}
    for p in (OB.lead, OB.support):
        named |= {u for found in reads._values[p].values() for u in found}
    reads.among(ELI.id_local, programmes).among(SKOS.prefLabel, named)
    return reads


def _stored_about(store, graph: URIRef, column: str, values: Iterable) -> set:
    """The nodes of the stored answers whose ``column`` is one of ``values``."""
    wanted = sorted(set(values))
    if not wanted:
        return set()
    constants = {"g": graph, "p": ANSWER[column] if column != "answerOf" else OB.answerOf}
    rows = run_internal(
        store, "answers-stored-about", values={"value": wanted}, constants=constants
    ).rows
    return {node for node, _ in rows}


def update_answers(store, iris: Iris, tasks: Iterable[str], units: Iterable[str]) -> int:
    """Refresh ``graph/answers`` after a build changed ``tasks`` and the assignments of
    ``units`` (IRIs; what :func:`~obligraph.graph.analysis.overlap_update.changed_scope`
    gives, the old and the new): only the rows about them (:data:`ABOUT`) are computed
    again, from :func:`subset_reads`, and written; the others are kept. The graph is the
    one :func:`refresh_answers` writes. Returns the number of rows computed."""
    tasks, units = {URIRef(t) for t in tasks}, {URIRef(u) for u in units}
    reads = subset_reads(store, tasks, units)
    graph = answers_graph(iris)
    old: set = set()
    new: list[tuple] = []
    computed = 0
    moved = []  # the answers with a row in or out: their pages are computed again
    for name, (columns, compute) in STORED.items():
        about = ABOUT[name]
        names = columns.split()
        if about is None:
            gone = _stored_about(store, graph, "answerOf", [Literal(name)])
            rows = compute(reads)
        else:
            scope = units if about != ("task",) else tasks
            at = [names.index(c) for c in about]
            about_nodes = [_stored_about(store, graph, column, scope) for column in about]
            gone = set.intersection(*about_nodes)
            rows = [r for r in compute(reads) if all(r[i] in scope for i in at)]
        computed += len(rows)
        written = answer_triples(name, names, rows, iris)
        old |= gone
        new += written
        if gone != {s for s, _, _ in written}:  # a row's node is a digest of its terms
            moved.append(name)
    store.change_graph(graph, store.triples_about(graph, old), new)
    repage_answers(store, iris, moved)
    return computed
