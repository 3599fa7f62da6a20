"""Precomputed layouts for the graph views (physics stays off in the browser).

Small graphs (up to ``SMALL`` nodes) get networkx's Fruchterman-Reingold
``spring_layout``. Large graphs get a two-level layout that stays linear in the
number of nodes: a *backbone* (the best connected nodes, plus one node of every
larger component) is laid out with ``spring_layout`` on its projection, and every
other node is placed on a sunflower spiral around the backbone node it hangs on.
At 5,000 nodes that takes well under a second instead of the ~50 s a full
spring layout needs.

>>> import networkx as nx
>>> pos = layout(nx.path_graph(4))
>>> sorted(pos) == [0, 1, 2, 3] and all(len(p) == 2 for p in pos.values())
True
>>> big = nx.star_graph(1500)
>>> pos = layout(big)
>>> len(pos), len({(round(x), round(y)) for x, y in pos.values()}) > 1400
(1501, True)

:func:`ranks` orders the nodes by how much a reader needs their name at the opening
zoom, where only some labels fit:

>>> g = nx.Graph([("u", "t1"), ("u", "t2"), ("p", "t1")])
>>> nx.set_node_attributes(g, {"u": "unit", "p": "programme", "t1": "task", "t2": "task"}, "kind")
>>> ranks(g)
{'u': 0, 'p': 1, 't1': 2, 't2': 3}
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Hashable

import networkx as nx

SMALL = 400
BACKBONE = 250
_GOLDEN = math.pi * (3 - math.sqrt(5))


def layout(graph: nx.Graph, *, seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Pixel positions for every node of ``graph`` (deterministic for a seed)."""
    und = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    n = und.number_of_nodes()
    if n == 0:
        return {}
    if n <= SMALL:
        return _spring(und, seed, scale=90 * math.sqrt(n) + 80)
    return _two_level(und, seed)


#: which names a reader needs first: the object viewed, then programmes, documents and units
#: (together, the most connected first), then indicators, cited documents and generic units,
#: then tasks and targets
KIND_TIER = {
    "focus": 0,
    "programme": 1,
    "document": 1,
    "unit": 1,
    "indicator": 2,
    "cited": 2,
    "generic": 2,
    "task": 3,
    "request": 3,
    "target": 4,
}


def ranks(graph: nx.Graph) -> dict[Hashable, int]:
    """Each node's place (0 = first) in the order its label deserves room: by kind
    (:data:`KIND_TIER`), then by number of distinct neighbours, then by label."""
    und = graph.to_undirected(as_view=True) if graph.is_directed() else graph

    def key(node: Hashable) -> tuple[int, int, str]:
        attrs = graph.nodes[node]
        tier = KIND_TIER.get(attrs.get("kind", "task"), len(KIND_TIER))
        return tier, -len(set(und.neighbors(node)) - {node}), str(attrs.get("label", node))

    return {node: i for i, node in enumerate(sorted(graph, key=key))}


def _spring(graph: nx.Graph, seed: int, scale: float) -> dict[Hashable, tuple[float, float]]:
    if graph.number_of_nodes() == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    k = 1.6 / math.sqrt(graph.number_of_nodes())
    pos = nx.spring_layout(graph, seed=seed, k=k, iterations=80, weight="weight")
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in pos.items()}


def _two_level(graph: nx.Graph, seed: int) -> dict[Hashable, tuple[float, float]]:
    by_degree = sorted(graph.degree, key=lambda nd: (-nd[1], str(nd[0])))
    backbone = {node for node, _ in by_degree[:BACKBONE]}
    loose: list[set] = []
    for component in nx.connected_components(graph):
        if component & backbone:
            continue
        if len(component) >= 3 and len(backbone) < 2 * BACKBONE:
            backbone.add(max(component, key=lambda v: (graph.degree(v), str(v))))
        else:
            loose.append(component)
    projection = nx.Graph()
    projection.add_nodes_from(backbone)
    for u, v in graph.edges():
        if u in backbone and v in backbone:
            _bump(projection, u, v, 2.0)
    for node in graph:
        if node in backbone:
            continue
        hubs = [v for v in graph.neighbors(node) if v in backbone][:6]
        for i, a in enumerate(hubs):
            for b in hubs[i + 1 :]:
                _bump(projection, a, b, 1.0)
    pos = _spring(projection, seed, scale=140 * math.sqrt(len(backbone)) + 200)
    _hang(graph, pos)
    _grid(graph, loose, pos)
    return pos


def _bump(graph: nx.Graph, a: Hashable, b: Hashable, w: float) -> None:
    if graph.has_edge(a, b):
        graph[a][b]["weight"] += w
    else:
        graph.add_edge(a, b, weight=w)


def _hang(graph: nx.Graph, pos: dict) -> None:
    """Place nodes breadth-first on sunflower spirals around an already placed neighbour."""
    count: dict[Hashable, int] = defaultdict(int)
    queue = deque(pos)
    while queue:
        anchor = queue.popleft()
        ax, ay = pos[anchor]
        for node in graph.neighbors(anchor):
            if node in pos:
                continue
            count[anchor] += 1
            i = count[anchor]
            r = 28 * math.sqrt(i) + 30
            pos[node] = (ax + r * math.cos(i * _GOLDEN), ay + r * math.sin(i * _GOLDEN))
            queue.append(node)


def _grid(graph: nx.Graph, components: list[set], pos: dict) -> None:
    """Small components not reached from the backbone go on a grid below the rest."""
    if not components:
        return
    bottom = max((y for _, y in pos.values()), default=0.0) + 200
    left = min((x for x, _ in pos.values()), default=0.0)
    per_row = max(1, math.isqrt(len(components)) * 2)
    for i, component in enumerate(sorted(components, key=lambda c: sorted(map(str, c)))):
        cx, cy = left + (i % per_row) * 160, bottom + (i // per_row) * 160
        for j, node in enumerate(sorted(component, key=str)):
            r = 0.0 if j == 0 else 26 * math.sqrt(j)
            pos[node] = (cx + r * math.cos(j * _GOLDEN), cy + r * math.sin(j * _GOLDEN))
