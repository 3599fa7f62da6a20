"""The graph views as tools, in a real headless Chromium: a node click offers its page and
its neighbours, focus keeps one hop, parallel edges are drawn once with their count, and
the picture downloads as a PNG. Every request stays on 127.0.0.1."""

from __future__ import annotations

from urllib.parse import quote

import networkx as nx
import pytest
from obligraph.viz.render import view_data

from .conftest import local_page

pytestmark = [pytest.mark.server]

CUC_TRE_EM = "https://w3id.org/obligraph/id/unit/cuc-tre-em"


# The views' drawings depend on when the page's fonts and canvas settle; on a loaded
# machine (two test workers and two browsers on two cores) the first drawing sometimes comes
# before that and a label or a click lands elsewhere. Such a test runs again, up to twice,
# with the same assertions.
SETTLING = pytest.mark.flaky(reruns=2)


def test_parallel_edges_are_drawn_once_with_their_count():
    g = nx.MultiDiGraph()
    g.add_node("u", kind="unit", label="Cục Trẻ em")
    g.add_node("t", kind="task", label="1")
    for _ in range(3):
        g.add_edge("u", "t", role="lead", title="chủ trì")
    g.add_edge("u", "t", role="support")
    _nodes, edges = view_data(g)
    assert sorted((e["role"], e["count"], e.get("label", "")) for e in edges) == [
        ("lead", 3, "×3"),
        ("support", 1, ""),
    ]


@pytest.mark.browser
def test_click_a_node_open_its_page_focus_one_hop_and_save_png(browser, site, tmp_path):
    address = f"{site}/view/unit?target={quote(CUC_TRE_EM)}"
    with local_page(browser, site) as page:
        page.goto(address)
        page.wait_for_selector("body[data-ready='1']")
        view = "window.obligraphView"
        point = page.evaluate(
            f"(id) => {{ const n = {view}.network; const p = n.getPositions([id])[id];"
            f" n.moveTo({{position: p, scale: 1, animation: false}});"
            f" return n.canvasToDOM(p); }}",
            CUC_TRE_EM,
        )
        box = page.locator("#network").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_selector("#node-panel:not([hidden])")
        assert page.inner_text("#node-name") == "Cục Trẻ em"
        assert page.get_attribute("#node-page", "href") == "/unit/cuc-tre-em"
        page.click("#node-focus")
        shown = page.evaluate(f"{view}.nodes.get({{filter: (n) => !n.hidden}}).map((n) => n.id)")
        neighbours = page.evaluate(f"(id) => {view}.network.getConnectedNodes(id)", CUC_TRE_EM)
        assert set(shown) == {CUC_TRE_EM, *neighbours}  # one hop, no more
        with page.expect_download() as got:
            page.click("#png")
        path = tmp_path / "view.png"
        got.value.save_as(path)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
        page.click("#node-page")
        page.wait_for_url("**/unit/cuc-tre-em")


#: how many of the most important nodes (Python's ranking) must be named at the opening zoom
TOP = 5


@SETTLING
@pytest.mark.browser
def test_top_nodes_are_named_readably_at_the_opening_zoom_and_a_click_opens_a_page(
    browser, site, corpus_store
):
    """A programme view of a few hundred nodes opens fitted to the window, where vis-network's
    own labels would be a few pixels tall: the most important nodes are named by the page at a
    readable size, without overlapping, and their letters really are on the canvas."""
    from obligraph.viz.layout import ranks
    from obligraph.viz.views import programme_graph

    graph, _title = programme_graph(corpus_store, "23/QĐ-TTg")
    assert 200 <= graph.number_of_nodes() <= 600
    order = ranks(graph)
    top = sorted(order, key=order.get)[:TOP]
    view = "window.obligraphView"
    with local_page(browser, site) as page:
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(f"{site}/view/programme?target={quote('23/QĐ-TTg')}")
        page.wait_for_selector("body[data-ready='1']")
        zoom = page.evaluate(
            f"""() => {{ const net = {view}.network, o = net.body.nodes[{view}.nodes.getIds()[0]];
                return {{scale: net.getScale(), font: o.options.font.size,
                         threshold: o.options.scaling.label.drawThreshold}}; }}"""
        )
        # fitted to the window, vis-network's own labels are too small and are not drawn...
        assert zoom["font"] * zoom["scale"] < zoom["threshold"] - 1
        labels = page.evaluate(f"{view}.overviewLabels()")
        named = {label["id"]: label for label in labels}
        # ...so the page names the most important nodes itself, readably, none over another
        assert set(map(str, top)) <= set(named), [graph.nodes[n]["label"] for n in top]
        assert all(label["px"] >= 11 for label in labels)
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                apart = (
                    a["x"] + a["w"] <= b["x"]
                    or b["x"] + b["w"] <= a["x"]
                    or a["y"] + a["h"] <= b["y"]
                    or b["y"] + b["h"] <= a["y"]
                )
                assert apart, (a["text"], b["text"])
        ink = page.evaluate(
            """(box) => { const c = document.querySelector("#network canvas");
                 const r = c.width / c.clientWidth, ctx = c.getContext("2d");
                 const d = ctx.getImageData(box.x * r, box.y * r, box.w * r, box.h * r).data;
                 let dark = 0;
                 for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 200) dark++;
                 return dark; }""",
            named[str(top[0])],
        )
        assert ink > 20  # dark letters drawn where the label of the first node is
        # a click on a named unit, at the opening zoom, opens its page
        unit = next(n for n in top if graph.nodes[n]["kind"] == "unit")
        point = page.evaluate(
            f"(id) => {view}.network.canvasToDOM({view}.network.getPosition(id))", str(unit)
        )
        box = page.locator("#network").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_selector("#node-panel:not([hidden])")
        assert page.inner_text("#node-name") == graph.nodes[unit]["label"]
        href = page.get_attribute("#node-page", "href")
        assert href == "/unit/" + str(unit).rsplit("/unit/", 1)[1]
        page.click("#node-page")
        page.wait_for_url("**" + href)
        assert graph.nodes[unit]["label"] in page.inner_text("h1")


@SETTLING
@pytest.mark.browser
def test_a_five_thousand_node_view_opens_named_and_clickable(browser, tmp_path):
    """At 5,000 nodes (large mode: no physics, solid edges) the page opens, names its busiest
    units at the opening zoom and a click on one still opens its panel (its speed is measured
    by bench/view_browser.py, not here)."""
    from obligraph.viz.layout import ranks
    from obligraph.viz.render import render_view

    g = nx.MultiDiGraph()
    for u in range(80):
        g.add_node(f"unit-{u}", kind="unit", label=f"Sở số {u}")
    for t in range(4920):
        g.add_node(f"task-{t}", kind="task", label=f"{t}\nRà soát, đánh giá")
        g.add_edge(f"unit-{t % 80}", f"task-{t}", role="lead")
        g.add_edge(f"unit-{(t * 7 + t // 80) % 80}", f"task-{t}", role="support")
    order = ranks(g)
    top = sorted(order, key=order.get)[:TOP]
    page_file = tmp_path / "big.html"
    page_file.write_text(render_view(g, title="5.000 nút"), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(120_000)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-ready='1']")
    view = "window.obligraphView"
    assert page.evaluate(f"{view}.nodes.length") == 5000
    assert page.evaluate(f"!{view}.nativeLabels()")  # too far out for vis-network's labels
    # the labels of a drawing of the settled page: on a loaded machine the first drawings
    # can come before the canvas has its final size, so redraw until the page has settled
    # (the same check as below, given up to a minute)
    page.wait_for_function(
        """([view, ids]) => {
             const v = window[view]; v.network.redraw();
             const named = new Set(v.overviewLabels().filter(l => l.px >= 11).map(l => l.id));
             return ids.every(id => named.has(id));
           }""",
        arg=["obligraphView", top],
        timeout=60_000,
        polling=500,
    )
    named = {label["id"]: label for label in page.evaluate(f"{view}.overviewLabels()")}
    assert set(top) <= set(named) and all(named[n]["px"] >= 11 for n in top)
    point = page.evaluate(
        f"(id) => {view}.network.canvasToDOM({view}.network.getPosition(id))", top[0]
    )
    box = page.locator("#network").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_selector("#node-panel:not([hidden])")
    assert page.inner_text("#node-name") == g.nodes[top[0]]["label"]
    context.close()
    assert all(u.startswith(("file:", "data:")) for u in requests), requests[:3]
