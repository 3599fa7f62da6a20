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
