"""The obligation graph as a networkx graph, and the analyses planners ask for.

:func:`to_networkx` projects the store to a :class:`networkx.MultiDiGraph` whose
nodes are IRIs typed by a ``kind`` attribute: ``unit``, ``task``, ``document``,
``programme`` (a document another one implements), ``indicator``. Every node has
a ``label`` (Vietnamese, NFC, with diacritics). Edges carry a ``relation``:

=====================  ===================  =======================================
relation               from -> to           attributes
=====================  ===================  =======================================
``assigned``           unit -> task         ``role`` (lead/support), ``modality``,
                                            ``weight`` (:data:`ROLE_WEIGHTS`)
``in_document``        task/indicator ->    -
                       document
``serves_programme``   task -> programme    -
``serves_indicator``   task -> indicator    -
``owns``               unit -> indicator    ``role`` = lead
``adapts``             indicator ->         -
                       indicator
``based_on``,          document ->          -
``implements``,        document
``cites``
``part_of``            unit -> unit         -
``overlaps``           task -> task         ``score`` (both directions)
=====================  ===================  =======================================

Analyses: :func:`obligation_load` (per unit, weighted by role),
:func:`coordination_network` (units co-assigned to tasks), :func:`centrality`,
:func:`path_to_basis` (unit -> task -> document -> based_on* -> legal basis),
:func:`programmes_by_shared_units`; :func:`write_graphml` / :func:`write_gexf`
write files Gephi opens (no None, no lists: every attribute a string or number).

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("u1", kind="unit", label="Cục Trẻ em")
>>> G.add_node("u2", kind="unit", label="Thanh tra Bộ")
>>> G.add_node("t1", kind="task", label="Thanh tra liên ngành")
>>> G.add_edge("u1", "t1", key="assigned", relation="assigned", role="lead", weight=1.0)
'assigned'
>>> G.add_edge("u2", "t1", key="assigned", relation="assigned", role="support", weight=0.5)
'assigned'
>>> [(row.label, row.score, row.lead, row.support) for row in obligation_load(G)]
[('Cục Trẻ em', 1.0, 1, 0), ('Thanh tra Bộ', 0.5, 0, 1)]
>>> sorted(coordination_network(G).edges(data="weight"))
[('u1', 'u2', 1)]
"""

from __future__ import annotations

from collections import defaultdict
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from obligraph.queries.library import run_internal, text

from obligraph.base.errors import ObligraphError, QueryError
from obligraph.base.textkeys import fold

if TYPE_CHECKING:  # networkx is imported where used: the CLI must start fast
    import networkx as nx

#: Weight of one task in a unit's obligation load, by role. Leading (chủ trì) means
#: answering for the result, supporting (phối hợp) means contributing to it: a lead
#: counts twice a support.
ROLE_WEIGHTS: dict[str, float] = {"lead": 1.0, "support": 0.5}

KINDS = ("unit", "task", "document", "programme", "indicator")


def _tail(iri: str) -> str:
    return iri.rsplit("/doc/", 1)[-1] if "/doc/" in iri else iri.rsplit("/", 1)[-1]


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _true(term) -> bool:
    return term is not None and term.toPython() is True


def _rows(store, name: str):
    return run_internal(store, name).dicts()


def to_networkx(store) -> nx.MultiDiGraph:
    """Project the store (all named graphs) to a typed :class:`networkx.MultiDiGraph`."""
    import networkx as nx

    G = nx.MultiDiGraph(name="obligraph")
    _add_documents(G, store)
    _add_units(G, store)
    _add_tasks(G, store)
    _add_assignments(G, store)
    _add_relations(G, store)
    _add_indicators(G, store)
    _add_served_indicators(G, store)
    _add_overlaps(G, store)
    return G


def _node(G, iri: str, kind: str, label: str, **attrs) -> None:
    """Add or update a node: a document another one implements stays a programme, a
    label already known is kept over the IRI's tail, empty attributes are left out."""
    current = dict(G.nodes[iri]) if iri in G else {}
    if "programme" in (kind, current.get("kind")) and {kind, current.get("kind")} <= {
        "document",
        "programme",
        None,
    }:
        kind = "programme"
    if not label or (current.get("label") and label == _tail(iri)):
        label = current.get("label") or _tail(iri)
    current.update({k: v for k, v in attrs.items() if v not in (None, "")})
    current.update(kind=kind, label=label)
    G.add_node(iri, **current)


def _ensure(G, iri: str, kind: str, label: str) -> None:
    """A node for ``iri`` if the graph has none yet."""
    if iri not in G:
        _node(G, iri, kind, label)


def _add_documents(G, store) -> None:
    for row in _rows(store, "network-documents"):
        iri = text(row["doc"])
        label = text(row["number"]) or text(row["title"]) or text(row["file"]) or _tail(iri)
        _node(
            G,
            iri,
            "programme" if _true(row["programme"]) else "document",
            label,
            title=text(row["title"]),
            date=text(row["date"]),
            source_file=text(row["file"]),
            loaded=_true(row["loaded"]),
        )


def _add_units(G, store) -> None:
    for row in _rows(store, "network-units"):
        iri = text(row["unit"])
        _node(
            G,
            iri,
            "unit",
            text(row["label"]) or _tail(iri),
            level=_tail(text(row["level"])) if row["level"] is not None else "",
            generic=_true(row["generic"]),
            unknown=_true(row["unknown"]),
        )
        if row["parent"] is not None:
            parent = text(row["parent"])
            _ensure(G, parent, "unit", _tail(parent))
            G.add_edge(iri, parent, key="part_of", relation="part_of")


def _add_tasks(G, store) -> None:
    for row in _rows(store, "network-tasks"):
        iri, doc = text(row["task"]), text(row["doc"])
        _ensure(G, doc, "document", _tail(doc))
        task_id = text(row["id"])
        task_text = text(row["text"])
        _node(
            G,
            iri,
            "task",
            f"{G.nodes[doc]['label']} {task_id}: {_short(task_text)}"
            if task_id
            else _short(task_text),
            task_id=task_id,
            text=task_text,
            document=doc,
            line=int(row["line"]) if row["line"] is not None else None,
            source_file=text(row["file"]),
        )
        G.add_edge(iri, doc, key="in_document", relation="in_document")
        if row["programme"] is not None:
            programme = text(row["programme"])
            _node(G, programme, "programme", "")
            G.add_edge(iri, programme, key="serves_programme", relation="serves_programme")


def _add_assignments(G, store) -> None:
    for row in _rows(store, "network-assignments"):
        unit, task = text(row["unit"]), text(row["task"])
        if task not in G:
            continue
        _ensure(G, unit, "unit", _tail(unit))
        role = "lead" if text(row["role"]).endswith("LeadRole") else "support"
        modality = "request" if text(row["modality"]).endswith("Request") else "obligation"
        G.add_edge(
            unit,
            task,
            key=f"assigned-{role}",
            relation="assigned",
            role=role,
            modality=modality,
            weight=ROLE_WEIGHTS[role],
        )


def _add_relations(G, store) -> None:
    for row in _rows(store, "network-relations"):
        a, b, relation = text(row["from"]), text(row["to"]), text(row["relation"])
        for doc in (a, b):
            _ensure(G, doc, "document", _tail(doc))
        G.add_edge(a, b, key=relation, relation=relation)


def _add_indicators(G, store) -> None:
    for row in _rows(store, "network-indicators"):
        iri, doc = text(row["ind"]), text(row["doc"])
        ind_id = text(row["id"])
        measure = text(row["measure"])
        _ensure(G, doc, "document", _tail(doc))
        label = f"{G.nodes[doc]['label']} chỉ tiêu {ind_id}" if ind_id else _short(measure)
        _node(G, iri, "indicator", label, measure=measure, document=doc, indicator_id=ind_id)
        G.add_edge(iri, doc, key="in_document", relation="in_document")
        if row["adapts"] is not None:
            national = text(row["adapts"])
            _ensure(G, national, "indicator", _indicator_label(G, national))
            G.add_edge(iri, national, key="adapts", relation="adapts")
        if row["lead"] is not None:
            unit = text(row["lead"])
            _ensure(G, unit, "unit", _tail(unit))
            G.add_edge(unit, iri, key="owns", relation="owns", role="lead")


def _add_served_indicators(G, store) -> None:
    for row in _rows(store, "network-task-indicators"):
        task, ind = text(row["task"]), text(row["ind"])
        if task not in G:
            continue
        _ensure(G, ind, "indicator", _indicator_label(G, ind))
        G.add_edge(task, ind, key="serves_indicator", relation="serves_indicator")


def _add_overlaps(G, store) -> None:
    for row in _rows(store, "network-overlaps"):
        a, b = text(row["a"]), text(row["b"])
        if a in G and b in G and a != b:
            value = float(row["score"].toPython()) if row["score"] is not None else 0.0
            G.add_edge(a, b, key="overlaps", relation="overlaps", score=value)


def _indicator_label(G, iri: str) -> str:
    doc, _, ind = iri.rpartition("/indicator/")
    doc_label = G.nodes[doc]["label"] if doc in G else _tail(doc)
    return f"{doc_label} chỉ tiêu {ind}" if ind else _tail(iri)


def _label(G, n) -> str:
    return str(G.nodes[n].get("label", n))


def _named_units(G, include_generic: bool) -> list[str]:
    return [
        n
        for n, d in G.nodes(data=True)
        if d.get("kind") == "unit" and (include_generic or not d.get("generic"))
    ]


class UnitLoad(NamedTuple):
    """One unit's obligation load: ``score`` = sum of :data:`ROLE_WEIGHTS` over its tasks."""

    unit: str
    score: float
    lead: int
    support: int
    label: str


def obligation_load(G, *, include_generic: bool = False) -> list[UnitLoad]:
    """Units ranked by weighted obligation load (lead 1.0, support 0.5 per task).

    Units with no task are left out; generic placeholders ("Các đơn vị liên
    quan") too unless ``include_generic``. Highest load first, then by label.
    """
    rows: list[UnitLoad] = []
    for unit in _named_units(G, include_generic):
        lead = support = 0
        for _, _task, data in G.out_edges(unit, data=True):
            if data.get("relation") != "assigned":
                continue
            if data.get("role") == "lead":
                lead += 1
            else:
                support += 1
        if lead or support:
            value = lead * ROLE_WEIGHTS["lead"] + support * ROLE_WEIGHTS["support"]
            rows.append(UnitLoad(unit, value, lead, support, _label(G, unit)))
    return sorted(rows, key=lambda r: (-r.score, r.label, r.unit))


def coordination_network(G, *, include_generic: bool = False) -> nx.Graph:
    """Units linked when assigned to the same task; ``weight`` = number of shared tasks.

    Node attributes: ``label``, ``tasks`` (how many tasks the unit is on). Edge
    attributes: ``weight``, ``lead_support`` (shared tasks where one of the two leads).
    """
    import networkx as nx

    C = nx.Graph(name="coordination")
    wanted = set(_named_units(G, include_generic))
    for unit in sorted(wanted):
        C.add_node(unit, label=_label(G, unit), kind="unit", tasks=0)
    for task, data in sorted(G.nodes(data=True)):
        if data.get("kind") != "task":
            continue
        roles: dict[str, str] = {}
        for unit, _, edge in G.in_edges(task, data=True):
            if edge.get("relation") == "assigned" and unit in wanted:
                if roles.get(unit) != "lead":
                    roles[unit] = edge.get("role", "support")
        units = sorted(roles)
        for unit in units:
            C.nodes[unit]["tasks"] += 1
        for i, a in enumerate(units):
            for b in units[i + 1 :]:
                if C.has_edge(a, b):
                    C[a][b]["weight"] += 1
                else:
                    C.add_edge(a, b, weight=1, lead_support=0)
                if "lead" in (roles[a], roles[b]):
                    C[a][b]["lead_support"] += 1
    C.remove_nodes_from([n for n, d in list(C.nodes(data=True)) if d["tasks"] == 0])
    return C


CENTRALITY_MEASURES = ("degree", "strength", "betweenness", "closeness", "eigenvector")


def centrality(G, measure: str = "betweenness", *, include_generic: bool = False):
    """Centrality of units in the coordination network, highest first.

    ``degree``: share of other units a unit works with; ``strength``: shared
    tasks summed; ``betweenness`` / ``closeness``: with distance 1/weight (units
    sharing many tasks are close); ``eigenvector``: weighted. Returns
    ``[(unit IRI, label, value)]``.
    """
    import networkx as nx

    if measure not in CENTRALITY_MEASURES:
        raise QueryError(
            f"unknown centrality {measure!r}; use one of {', '.join(CENTRALITY_MEASURES)}"
        )
    C = coordination_network(G, include_generic=include_generic)
    for _, _, data in C.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    if C.number_of_nodes() == 0:
        values: dict[str, float] = {}
    elif measure == "degree":
        values = nx.degree_centrality(C)
    elif measure == "strength":
        values = {n: float(d) for n, d in C.degree(weight="weight")}
    elif measure == "betweenness":
        values = nx.betweenness_centrality(C, weight="distance")
    elif measure == "closeness":
        values = nx.closeness_centrality(C, distance="distance")
    else:
        try:
            values = nx.eigenvector_centrality(C, weight="weight", max_iter=1000, tol=1e-8)
        except nx.PowerIterationFailedConvergence as exc:  # pragma: no cover - rare
            raise QueryError(f"eigenvector centrality did not converge: {exc}") from exc
    rows = [(n, _label(C, n), round(float(v), 6)) for n, v in values.items()]
    return sorted(rows, key=lambda r: (-r[2], r[1], r[0]))


def find_nodes(G, name: str, kinds: tuple[str, ...] = KINDS) -> list[str]:
    """Every node an IRI, a label or a document number names (folded comparison).

    Several nodes may carry one label: a law cited with its year in one document
    and without it in another ("Luật Trẻ em" 2016 and "Luật Trẻ em") becomes two
    nodes. The best connected comes first, then by IRI. Raises
    :class:`~obligraph.base.errors.ObligraphError` listing the closest labels when
    nothing matches.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("doc/luat/luat-tre-em", kind="document", label="Luật Trẻ em")
    >>> G.add_node("doc/luat/luat-tre-em/2016", kind="document", label="Luật Trẻ em")
    >>> G.add_edge("doc/qd/4063", "doc/luat/luat-tre-em/2016", relation="based_on")
    0
    >>> find_nodes(G, "luat tre em", ("document",))
    ['doc/luat/luat-tre-em/2016', 'doc/luat/luat-tre-em']
    """
    if name in G and G.nodes[name].get("kind") in kinds:
        return [name]
    key = fold(name)
    candidates = [(n, d) for n, d in G.nodes(data=True) if d.get("kind") in kinds]
    exact = [n for n, d in candidates if fold(str(d.get("label", ""))) == key]
    if not exact:
        exact = [n for n, _ in candidates if fold(_tail(n)) == key]
    if exact:
        return sorted(exact, key=lambda n: (-G.degree(n), str(n)))
    from rapidfuzz import process

    labels = sorted({str(d.get("label", "")) for _, d in candidates})
    close = [m[0] for m in process.extract(name, labels, limit=5)]
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise ObligraphError(f"no {'/'.join(kinds)} named {name!r} in the graph{hint}")


def find_node(G, name: str, kinds: tuple[str, ...] = KINDS) -> str:
    """The node an IRI, a label, or a document number names: the first of :func:`find_nodes`.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("u/cuc-tre-em", kind="unit", label="Cục Trẻ em")
    >>> find_node(G, "CỤC TRẺ EM")
    'u/cuc-tre-em'
    >>> find_node(G, "Cục Trẻ")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    obligraph.base.errors.ObligraphError: no unit/task/document/programme/indicator named ...
    """
    return find_nodes(G, name, kinds)[0]


_BASIS_RELATIONS = ("assigned", "in_document", "based_on", "implements")
_MAX_TIED_PATHS = 10_000  # equally short paths compared to pick one deterministically


def path_to_basis(G, unit: str, basis: str) -> list[str]:
    """Shortest path unit -> task -> document -> (based_on | implements)* -> ``basis``.

    ``unit`` and ``basis`` may be IRIs, labels or document numbers; when a label
    names several documents (the same law cited with and without its year) the
    shortest path to any of them is returned. Only assignments, ``in_document``,
    ``based_on`` and ``implements`` edges are followed, forwards. Raises
    ObligraphError when no such path exists.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for n, kind, label in [("u", "unit", "Sở Y tế"), ("t", "task", "4063 1: Khám"),
    ...                        ("p", "document", "4063/QĐ-UBND"), ("l", "document", "Luật Trẻ em")]:
    ...     G.add_node(n, kind=kind, label=label)
    >>> for a, b, r in [("u", "t", "assigned"), ("t", "p", "in_document"), ("p", "l", "based_on")]:
    ...     _ = G.add_edge(a, b, key=r, relation=r)
    >>> path_to_basis(G, "Sở Y tế", "Luật Trẻ em")
    ['u', 't', 'p', 'l']
    """
    import networkx as nx

    source = find_node(G, unit, ("unit",))
    targets = find_nodes(G, basis, ("document", "programme"))
    view = nx.subgraph_view(
        G, filter_edge=lambda a, b, k: G[a][b][k].get("relation") in _BASIS_RELATIONS
    )
    found: list[list[str]] = []
    for target in targets:
        try:
            # among equally short paths the smallest by IRIs, whatever the store's order
            shortest = nx.all_shortest_paths(view, source, target)
            found.append(min(islice(shortest, _MAX_TIED_PATHS)))
        except nx.NetworkXNoPath:
            continue
    if found:
        return min(found, key=lambda p: (len(p), p))
    raise ObligraphError(
        f"no path from {_label(G, source)} to {_label(G, targets[0])} through its tasks, "
        "their documents and the documents those rest on"
    )


def _task_programmes(G, task: str) -> set[str]:
    """Programmes a task serves: its own ob:programme, else what its document implements."""
    direct = {b for _, b, d in G.out_edges(task, data=True) if d["relation"] == "serves_programme"}
    if direct:
        return direct
    docs = [b for _, b, d in G.out_edges(task, data=True) if d["relation"] == "in_document"]
    return {
        b
        for doc in docs
        for _, b, d in G.out_edges(doc, data=True)
        if d["relation"] == "implements"
    }


def programmes_by_shared_units(G, *, include_generic: bool = False) -> nx.Graph:
    """Programmes linked when one unit owes tasks under both.

    Edge attributes: ``weight`` (number of shared units) and ``units`` (their
    labels joined by "; "). Node attributes: ``label``, ``units`` (how many units
    work under the programme).
    """
    import networkx as nx

    P = nx.Graph(name="programmes")
    under: dict[str, set[str]] = defaultdict(set)  # unit -> programmes
    for unit in _named_units(G, include_generic):
        for _, task, data in G.out_edges(unit, data=True):
            if data.get("relation") == "assigned":
                under[unit].update(_task_programmes(G, task))
    per_programme: dict[str, set[str]] = defaultdict(set)
    for unit, programmes in under.items():
        for p in programmes:
            per_programme[p].add(unit)
    for p in sorted(per_programme):
        P.add_node(p, label=_label(G, p), kind="programme", units=len(per_programme[p]))
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for unit, programmes in under.items():
        ordered = sorted(programmes)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                shared[(a, b)].add(unit)
    for (a, b), units in sorted(shared.items()):
        labels = sorted(_label(G, u) for u in units)
        P.add_edge(a, b, weight=len(units), units="; ".join(labels))
    return P


def _gephi_safe(G):
    """A copy whose attributes are all str, int, float or bool, one type per key."""
    H = G.copy()

    def clean(attrs: dict) -> None:
        for key in list(attrs):
            value = attrs[key]
            if key == "viz" and isinstance(value, dict):  # GEXF colours, sizes: kept whole
                continue
            if value is None:
                del attrs[key]
            elif isinstance(value, list | tuple | set | frozenset):
                attrs[key] = "; ".join(str(v) for v in sorted(value, key=str))
            elif not isinstance(value, str | int | float | bool):
                attrs[key] = str(value)

    clean(H.graph)
    for _, attrs in H.nodes(data=True):
        clean(attrs)
    edges = H.edges(keys=True, data=True) if H.is_multigraph() else H.edges(data=True)
    edge_attrs = [e[-1] for e in edges]
    for attrs in edge_attrs:
        clean(attrs)
    for items in ([a for _, a in H.nodes(data=True)], edge_attrs):
        types: dict[str, set[type]] = defaultdict(set)
        for attrs in items:
            for key, value in attrs.items():
                if key != "viz":
                    types[key].add(type(value))
        mixed = {k for k, t in types.items() if len(t) > 1}
        for attrs in items:
            for key in mixed & attrs.keys():
                attrs[key] = str(attrs[key])
    return H


def write_graphml(G, dest: str | Path | BinaryIO) -> str | Path | BinaryIO:
    """Write ``G`` as GraphML (Gephi, yEd, Cytoscape) with safe attribute types.

    ``dest`` is a path or a binary stream.
    """
    import networkx as nx

    dest = Path(dest) if isinstance(dest, str) else dest
    nx.write_graphml(_gephi_safe(G), dest, encoding="utf-8")
    return dest


def write_gexf(G, dest: str | Path | BinaryIO) -> str | Path | BinaryIO:
    """Write ``G`` as GEXF 1.2 (Gephi) with safe attribute types; a node's or an edge's
    ``viz`` dict (colour, size, thickness) becomes GEXF's viz elements.

    ``dest`` is a path or a binary stream.
    """
    import networkx as nx

    dest = Path(dest) if isinstance(dest, str) else dest
    nx.write_gexf(_gephi_safe(G), dest, encoding="utf-8", version="1.2draft")
    return dest
