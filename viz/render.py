"""Render a view graph to ONE self-contained HTML file (pyvis + vis-network inlined).

A *view graph* is a networkx ``MultiDiGraph`` whose nodes carry ``kind`` (see
:mod:`obligraph.viz.style`), ``label``, ``title`` (the tooltip: plain text, the
quoted source line included) and optionally ``progs`` (programme labels),
``years`` and ``url``; edges carry ``role`` and optionally ``title``.

Nodes and edges are written as JSON straight into the pyvis ``Network`` (its
``add_node`` scans every node already added, which is quadratic), positions are
precomputed (:func:`obligraph.viz.layout.layout`) and physics is off. The page is
rendered from ``viz/templates/graph_view.html`` with the vis-network JS and CSS
that ship inside the pyvis package inlined; a final check refuses any ``src`` or
``href`` that points off the page. No CDN, no ``lib/`` folder, opens offline.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("u", kind="unit", label="Cục Trẻ em", title="Cục Trẻ em")
>>> g.add_node("t", kind="task", label="1.a", title="«Rà soát» (line 12)", progs=["23/QĐ-TTg"])
>>> _ = g.add_edge("u", "t", role="lead")
>>> html = render_view(g, title="Cục Trẻ em")
>>> "new vis.Network(" in html and "<h1>Cục Trẻ em</h1>" in html
True
>>> assert_self_contained(html)  # raises if anything would load from elsewhere
>>> view_html_srcdoc("<p class='x'>a & b</p>").startswith('<iframe srcdoc="&lt;p class=&#x27;x')
True
"""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
from obligraph.viz.layout import layout, ranks
from obligraph.viz.style import edge_style, legend, node_style

from obligraph.base.errors import ObligraphError

TEMPLATES = Path(__file__).parent / "templates"
#: above this many nodes the page starts in "large graph" mode: edges drawn solid (dashes
#: are most of a redraw) and hidden while dragging or zooming, a search with one hit
#: focuses that node's neighbourhood.
LARGE = 1000
#: ...or this many edges (drawing edges is most of a redraw)
LARGE_EDGES = 5000
#: the node label font, in canvas units (on screen: times the zoom)
FONT_PX = 14

_UI = {
    "vi": {
        "search": "Tìm nút (không cần dấu)…",
        "programme": "Chương trình",
        "role": "Vai trò",
        "year": "Năm",
        "all": "Tất cả",
        "lead": "chủ trì",
        "support": "phối hợp",
        "reset": "Hiện tất cả",
        "legend": "Chú giải",
        "help": "Di chuột lên nút để xem trích dẫn; nhấp vào nút để mở trang của nó hoặc "
        "xem các nút kề; nhấp đúp để chỉ xem các nút kề.",
        "open_page": "Mở trang",
        "neighbours": "Chỉ xem các nút kề",
        "png": "Tải ảnh PNG",
        "nodes": "nút",
        "edges": "cạnh",
        "found": "tìm thấy",
        "loading": "Đang vẽ",
        "thousands": ".",
    },
    "en": {
        "search": "Find a node (diacritics optional)…",
        "programme": "Programme",
        "role": "Role",
        "year": "Year",
        "all": "All",
        "lead": "lead",
        "support": "support",
        "reset": "Show all",
        "legend": "Legend",
        "help": "Hover a node for its quoted source; click a node to open its page or show its "
        "neighbours; double-click to keep only its neighbours.",
        "open_page": "Open its page",
        "neighbours": "Only its neighbours",
        "png": "Download PNG",
        "nodes": "nodes",
        "edges": "edges",
        "found": "found",
        "loading": "Drawing",
        "thousands": ",",
    },
}


def _pyvis_templates() -> Path:
    import pyvis

    return Path(pyvis.__file__).parent / "templates"


def _vis_lib() -> Path:
    libs = sorted((_pyvis_templates() / "lib").glob("vis-9*"))
    if not libs:
        raise ObligraphError("the pyvis package ships no vis-network copy (templates/lib/vis-9*)")
    return libs[-1]


def page_of(node_id: str) -> str:
    """The web app's page of a node IRI (unit, task or document); "" for any other.

    >>> page_of("https://w3id.org/obligraph/id/doc/qd/704-qd-ldtbxh/2021/task/annex-1-a")
    '/task/qd/704-qd-ldtbxh/2021/task/annex-1-a'
    >>> page_of("https://w3id.org/obligraph/id/unit/cuc-tre-em")
    '/unit/cuc-tre-em'
    """
    for marker, kind in (("/unit/", "unit"), ("/doc/", "doc")):
        if marker in node_id:
            tail = node_id.split(marker, 1)[1]
            if kind == "doc" and "/task/" in tail:
                return "/task/" + tail
            if kind == "doc" and re.search(r"/(indicator|deadline|citation|finding|source)/", tail):
                return ""
            return f"/{kind}/{tail}"
    return ""


def view_data(
    graph: nx.MultiDiGraph, *, links: bool = False
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """vis-network node and edge dictionaries, positions included.

    Parallel edges of one role between two nodes are drawn once, with their count
    (``×3``); each node has its ``rank`` (0 first) in the order its label gets room at
    the opening zoom (:func:`obligraph.viz.layout.ranks`), and the nodes come least
    important first (drawn first, so under the others); ``links``: each unit,
    document and task node carries the address of its page in the web app (``page``)."""
    pos = layout(graph)
    order = ranks(graph)
    nodes = []
    for node, attrs in graph.nodes(data=True):
        kind = attrs.get("kind", "task")
        item = {"id": str(node), "label": attrs.get("label", str(node)), "kind": kind}
        item["rank"] = order[node]
        item.update(node_style(kind))
        x, y = pos[node]
        item["x"], item["y"] = round(x, 1), round(y, 1)
        item["title"] = attrs.get("title") or item["label"]
        for key in ("progs", "years", "url"):
            if attrs.get(key):
                item[key] = attrs[key]
        if links and page_of(str(node)):
            item["page"] = page_of(str(node))
        nodes.append(item)
    # vis-network draws (and hit-tests) nodes in this order, the last on top: the most
    # important last, so a click on a unit or a programme is not taken by a task over it
    nodes.sort(key=lambda n: -n["rank"])
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for u, v, attrs in graph.edges(data=True):
        role = attrs.get("role", "in")
        key = (str(u), str(v), role)
        if key in merged:
            item = merged[key]
            item["count"] += 1
            if attrs.get("title") and attrs["title"] not in item.get("title", ""):
                item["title"] = (item.get("title", "") + "\n" + attrs["title"]).strip()
            continue
        item = {"id": len(merged), "from": key[0], "to": key[1], "role": role, "count": 1}
        item.update(edge_style(role))
        if attrs.get("title"):
            item["title"] = attrs["title"]
        merged[key] = item
    edges = list(merged.values())
    for item in edges:
        if item["count"] > 1:
            item["label"] = f"×{item['count']}"
            item["width"] = item.get("width", 1) + min(item["count"], 6) - 1
    return nodes, edges


def render_view(
    graph: nx.MultiDiGraph, *, title: str, subtitle: str = "", lang: str = "vi", links: bool = False
) -> str:
    """The whole HTML page of a view graph (self-contained; see the module docstring).
    ``links``: a click on a unit, document or task offers its page in the web app."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
    from pyvis.network import Network

    nodes, edges = view_data(graph, links=links)
    large = len(nodes) > LARGE or len(edges) > LARGE_EDGES
    if large:  # dashed lines cost a large view most of each redraw: colour tells roles apart
        for edge in edges:
            edge["dashes"] = False
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    # Bypass add_node/add_edge (quadratic): the data is already in vis-network form.
    net.nodes, net.edges = nodes, edges
    net.node_ids = [n["id"] for n in nodes]
    net.set_options(json.dumps(_options(large)))
    nodes, edges, _heading, _h, _w, options = net.get_network_data()

    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(TEMPLATES), FileSystemLoader(_pyvis_templates())]),
        autoescape=select_autoescape(["html"]),
    )
    vis = _vis_lib()
    kinds = {n["kind"] for n in nodes}
    roles = {e["role"] for e in edges}
    progs = sorted({p for n in nodes for p in n.get("progs", ())})
    years = sorted({y for n in nodes for y in n.get("years", ())})
    page = env.get_template("graph_view.html").render(
        title=title,
        subtitle=subtitle,
        lang=lang if lang in _UI else "vi",
        ui=_UI.get(lang, _UI["vi"]),
        data_json=script_json({"nodes": nodes, "edges": edges}),
        options=options,
        legend=[
            {**item, "dashes": item.get("dashes") and not large}
            for item in legend(kinds, roles, lang=lang)
        ],
        programmes=progs,
        years=years,
        has_roles=bool(roles & {"lead", "support"}),
        large=large,
        n_nodes=len(nodes),
        n_edges=len(edges),
        vis_js=_strip_source_map((vis / "vis-network.min.js").read_text(encoding="utf-8")),
        vis_css=(vis / "vis-network.css").read_text(encoding="utf-8"),
    )
    assert_self_contained(page)
    return page


def _options(large: bool) -> dict[str, Any]:
    return {
        "physics": {"enabled": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "navigationButtons": False,
            "keyboard": False,
        },
        "edges": {"smooth": False, "arrows": {"to": {"scaleFactor": 0.5}}},
        "nodes": {
            "font": {"size": FONT_PX, "face": "sans-serif"},
            # vis-network draws a node's label once it is at least 9 px on screen (and at
            # most 20 px); below that the page labels the most important nodes itself
            "scaling": {"label": {"drawThreshold": 10, "maxVisible": 20}},
        },
        "layout": {"improvedLayout": False},
    }


_SOURCE_MAP = re.compile(r"//[#@] sourceMappingURL=\S+")
# src= / href= / url( / @import pointing anywhere but this page (data: URIs are fine).
_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?\s*(?!data:|#|javascript:)[a-z][a-z0-9+.-]*:|"""
    r"""\b(?:src|href)\s*=\s*["']?\s*//|url\(\s*["']?\s*(?:https?:)?//|@import\s)""",
    re.IGNORECASE,
)
_LOCAL_FILE = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=""", re.I)
#: where a match of _EXTERNAL can start (src, href, url( or @import, any case): trying it
#: only there is the same test, and a 23 MB page takes 0.4 s instead of 2.6 s (a character
#: class first, checked backwards, is what makes the scan fast in ``re``)
_CUE = re.compile(
    r"[sShHuU@](?:(?<=[sS])[rR][cC]|(?<=[hH])[rR][eE][fF]|(?<=[uU])[rR][lL]\("
    r"|(?<=@)[iI][mM][pP][oO][rR][tT])"
)


def script_json(value: Any) -> str:
    r"""JSON safe to place inside ``<script type="application/json">`` (NFC text kept readable).

    >>> script_json({"q": "</script> & Trẻ em"})
    '{"q": "\\u003c/script\\u003e \\u0026 Trẻ em"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _strip_source_map(js: str) -> str:
    return _SOURCE_MAP.sub("", js)


def assert_self_contained(page: str) -> None:
    """Raise ObligraphError when the page would load anything from outside itself.

    >>> assert_self_contained('<script src="https://cdn.example/x.js"></script>')
    Traceback (most recent call last):
    ...
    obligraph.base.errors.ObligraphError: view is not self-contained: 'src="https:'
    """
    cues = (_EXTERNAL.match(page, cue.start()) for cue in _CUE.finditer(page))
    match = next(filter(None, cues), None) or _LOCAL_FILE.search(page)
    if match:
        raise ObligraphError(f"view is not self-contained: {match.group(0)[:40]!r}")


def write_view(page: str, dest: str | Path) -> Path:
    """Write a rendered page to ``dest`` (``.html`` added when missing); returns the path."""
    path = Path(dest)
    if path.suffix.lower() not in (".html", ".htm"):
        path = path.with_suffix(path.suffix + ".html")
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise ObligraphError(f"cannot write the view: {exc}", file=str(path)) from exc
    return path


def view_html_srcdoc(page: str, *, height: int = 650) -> str:
    """An ``<iframe srcdoc=...>`` holding the page, for Jupyter (``IPython.display.HTML``)."""
    return (
        f'<iframe srcdoc="{html_lib.escape(page, quote=True)}" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
        'sandbox="allow-scripts"></iframe>'
    )
