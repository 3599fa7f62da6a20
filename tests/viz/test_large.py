"""A view of 5,000 nodes stays usable: precomputed layout, physics off, focus by double-click.

The graph is synthetic (units, tasks, documents and programmes wired like the
corpus: each task in one document, led by one unit, supported by two), built here
so the test needs no store. Timings of the real views belong to ``bench/``.
"""

from __future__ import annotations

import json
import random
import re

import networkx as nx
import pytest


def synthetic(n_tasks: int, *, seed: int = 5) -> nx.MultiDiGraph:
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    units = [f"unit-{i}" for i in range(max(10, n_tasks // 60))]
    docs = [f"doc-{i}" for i in range(max(3, n_tasks // 100))]
    progs = [f"{i}/QĐ-TTg" for i in range(1, 9)]
    for u in units:
        g.add_node(u, kind="unit", label=f"Sở {u}", title=f"Sở {u}")
    for d in docs:
        g.add_node(d, kind="document", label=d, title=d)
    for p in progs:
        g.add_node(p, kind="programme", label=p, title=p)
    for d in docs:
        g.add_edge(d, rnd.choice(progs), role="implements")
    for i in range(n_tasks):
        t = f"task-{i}"
        prog = rnd.choice(progs)
        g.add_node(
            t,
            kind="task",
            label=f"{i}\nRà soát, đánh giá",
            title=f"«Rà soát, đánh giá việc thực hiện {i}»\nnguồn: plan.txt:{i + 1}",
            progs=[prog],
            years=[2021 + i % 10],
        )
        g.add_edge(t, rnd.choice(docs), role="in")
        g.add_edge(rnd.choice(units), t, role="lead")
        for u in rnd.sample(units, 2):
            g.add_edge(u, t, role="support")
    return g


@pytest.fixture(scope="module")
def big():
    from obligraph.viz.render import render_view

    graph = synthetic(4900)
    return graph, render_view(graph, title="5,000 nodes")


def test_five_thousand_nodes_render_into_one_page(big):
    """Every node and edge reaches the page (its time and size are in bench/)."""
    graph, page = big
    assert graph.number_of_nodes() >= 5000
    data = json.loads(
        re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', page).group(1)
    )
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert len(data["edges"]) == graph.number_of_edges()


def test_large_page_starts_in_large_mode_with_physics_off(big):
    from obligraph.viz.render import assert_self_contained

    graph, page = big
    assert_self_contained(page)
    assert "var LARGE = true;" in page
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page, re.S).group(1))
    assert options["physics"]["enabled"] is False
    assert options["interaction"]["hideEdgesOnDrag"] is True
    assert options["layout"]["improvedLayout"] is False  # no layout work in the browser
    data = json.loads(
        re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', page).group(1)
    )
    assert len(data["nodes"]) == graph.number_of_nodes()
    xy = {(round(n["x"]), round(n["y"])) for n in data["nodes"]}
    assert len(xy) > 0.95 * len(data["nodes"])  # nodes spread out, not piled up
    assert 'network.on("doubleClick"' in page  # neighbourhood focus


def test_layout_is_linear_enough(monkeypatch):
    """The quadratic step (a spring layout) only ever sees the bounded backbone, so the
    layout grows linearly with the graph; every other node is placed on a spiral."""
    from obligraph.viz import layout as layout_module

    sizes: list[int] = []
    spring = nx.spring_layout

    def counting(graph, *args, **kwargs):
        sizes.append(graph.number_of_nodes())
        return spring(graph, *args, **kwargs)

    monkeypatch.setattr(layout_module.nx, "spring_layout", counting)
    large = synthetic(4000)
    pos = layout_module.layout(large)
    assert len(pos) == large.number_of_nodes()
    assert sizes and max(sizes) <= 2 * layout_module.BACKBONE < large.number_of_nodes() / 8


def test_large_page_draws_solid_edges_and_ranks_every_node(big):
    """Dashed lines are most of a large view's redraw: it tells roles apart by colour (and
    its legend shows them solid); every node has a rank for the overview labels."""
    graph, page = big
    data = json.loads(
        re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', page).group(1)
    )
    assert not any(e["dashes"] for e in data["edges"])
    assert "stroke-dasharray" not in page.split('id="legend"', 1)[1].split("</aside>", 1)[0]
    assert sorted(n["rank"] for n in data["nodes"]) == list(range(graph.number_of_nodes()))
    first = min(data["nodes"], key=lambda n: n["rank"])
    # no focus here: the best connected programme, document or unit is named first
    und = nx.Graph(graph)
    best = max(
        (n for n, k in graph.nodes(data="kind") if k in ("programme", "document", "unit")),
        key=und.degree,
    )
    assert und.degree(first["id"]) == und.degree(best)
