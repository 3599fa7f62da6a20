"""How the graph views look: colour and shape by node kind, edge style by role.

One table drives both the vis-network options of every node/edge and the legend,
so the legend can never disagree with the picture. Labels are bilingual.

>>> node_style("unit")["shape"]
'dot'
>>> edge_style("support")["dashes"]
True
>>> edge_style("lead")["dashes"]
False
>>> [entry["label"] for entry in legend(["task", "unit"], ["lead"], lang="en")]
['Unit', 'Task', 'leads (chủ trì)']
"""

from __future__ import annotations

from typing import Any

#: kind -> (colour, shape, size, Vietnamese label, English label); order = legend order
NODE_KINDS: dict[str, tuple[str, str, int, str, str]] = {
    "focus": ("#d62728", "star", 30, "Đối tượng đang xem", "Focus"),
    "unit": ("#1f77b4", "dot", 16, "Đơn vị", "Unit"),
    "generic": ("#9ecae1", "dot", 12, "Đơn vị chung chung", "Generic unit"),
    "task": ("#ff7f0e", "square", 9, "Nhiệm vụ", "Task"),
    "request": ("#fdae6b", "triangle", 9, "Đề nghị (không bắt buộc)", "Request"),
    "document": ("#2ca02c", "box", 14, "Văn bản", "Document"),
    "cited": ("#b5dbb5", "box", 12, "Văn bản được trích dẫn", "Cited document"),
    "programme": ("#9467bd", "diamond", 20, "Chương trình", "Programme"),
    "indicator": ("#8c564b", "hexagon", 12, "Chỉ tiêu", "Indicator"),
    "target": ("#c49c94", "dot", 7, "Mục tiêu theo năm", "Yearly target"),
}

#: role -> (colour, dashes, width, arrows, Vietnamese label, English label)
EDGE_ROLES: dict[str, tuple[str, bool, float, str, str, str]] = {
    "lead": ("#d62728", False, 2.5, "to", "chủ trì", "leads (chủ trì)"),
    "support": ("#1f77b4", True, 1.2, "to", "phối hợp", "supports (phối hợp)"),
    "in": ("#7f7f7f", False, 0.8, "", "thuộc văn bản", "in document"),
    "serves": ("#9467bd", False, 1.0, "to", "phục vụ chương trình", "serves programme"),
    "implements": ("#9467bd", True, 1.5, "to", "triển khai", "implements"),
    "based_on": ("#2ca02c", False, 1.5, "to", "căn cứ", "legal basis (căn cứ)"),
    "cites": ("#98df8a", True, 1.0, "to", "trích dẫn", "cites"),
    "overlap": ("#e377c2", True, 2.5, "", "trùng lặp", "overlaps"),
    "indicator": ("#8c564b", False, 1.0, "to", "chỉ tiêu", "indicator"),
    "target": ("#c49c94", False, 0.8, "to", "mục tiêu", "target"),
    "sub": ("#aec7e8", True, 1.0, "to", "trực thuộc", "part of"),
}


def node_style(kind: str) -> dict[str, Any]:
    """vis-network attributes (colour, shape, size) for a node kind."""
    colour, shape, size, _, _ = NODE_KINDS.get(kind, NODE_KINDS["task"])
    style: dict[str, Any] = {"color": colour, "shape": shape, "size": size}
    if shape == "box":
        style["font"] = {"color": "#ffffff" if kind == "document" else "#1b3d1b"}
    return style


def edge_style(role: str) -> dict[str, Any]:
    """vis-network attributes (colour, dashes, width, arrows) for an edge role."""
    colour, dashes, width, arrows, _, _ = EDGE_ROLES.get(role, EDGE_ROLES["in"])
    return {"color": colour, "dashes": dashes, "width": width, "arrows": arrows}


def legend(kinds: list[str] | set[str], roles: list[str] | set[str], *, lang: str = "vi") -> list:
    """Legend entries (in the fixed order of the tables) for the kinds and roles present."""
    out: list[dict[str, Any]] = []
    en = lang == "en"
    for kind, (colour, shape, _, vi_label, en_label) in NODE_KINDS.items():
        if kind in kinds:
            out.append(
                {
                    "type": "node",
                    "kind": kind,
                    "color": colour,
                    "shape": shape,
                    "label": en_label if en else vi_label,
                }
            )
    for role, (colour, dashes, width, _, vi_label, en_label) in EDGE_ROLES.items():
        if role in roles:
            out.append(
                {
                    "type": "edge",
                    "role": role,
                    "color": colour,
                    "dashes": dashes,
                    "width": width,
                    "label": en_label if en else vi_label,
                }
            )
    return out


def _rgb(colour: str) -> dict[str, float]:
    value = colour.lstrip("#")
    return {"r": int(value[0:2], 16), "g": int(value[2:4], 16), "b": int(value[4:6], 16), "a": 1.0}


_RELATION_STYLE = {
    "in_document": "in",
    "serves_programme": "serves",
    "part_of": "sub",
    "based_on": "based_on",
    "implements": "implements",
    "cites": "cites",
    "overlaps": "overlap",
}


def node_kind(attrs: dict[str, Any]) -> str:
    """The style kind of a networkx node (a generic unit, a cited but unloaded document).

    >>> node_kind({"kind": "unit", "generic": True}), node_kind({"kind": "document"})
    ('generic', 'cited')
    """
    kind = attrs.get("kind", "task")
    if kind == "unit" and attrs.get("generic"):
        return "generic"
    if kind == "document" and not attrs.get("loaded"):
        return "cited"
    return kind if kind in NODE_KINDS else "task"


def gexf_node_viz(attrs: dict[str, Any]) -> dict[str, Any]:
    """GEXF ``viz`` of a node: the colour and size the graph views give its kind.

    >>> gexf_node_viz({"kind": "unit"})
    {'color': {'r': 31, 'g': 119, 'b': 180, 'a': 1.0}, 'size': 16.0}
    """
    colour, _shape, size, _, _ = NODE_KINDS[node_kind(attrs)]
    return {"color": _rgb(colour), "size": float(size)}


def gexf_edge_viz(attrs: dict[str, Any]) -> dict[str, Any]:
    """GEXF ``viz`` of an edge: its role's (lead, support) or relation's colour and width.

    >>> gexf_edge_viz({"relation": "assigned", "role": "lead"})["thickness"]
    2.5
    """
    role = attrs.get("role") or _RELATION_STYLE.get(attrs.get("relation", ""), "in")
    colour, _dashes, width, _, _, _ = EDGE_ROLES.get(role, EDGE_ROLES["in"])
    return {"color": _rgb(colour), "thickness": float(width)}


def coloured(graph):
    """A copy of a networkx graph whose nodes and edges carry GEXF ``viz`` attributes:
    the colours (and sizes, widths) the graph views give each kind and role.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("u", "t", role="lead")
    0
    >>> "viz" in coloured(g).nodes["u"]
    True
    """
    copy = graph.copy()
    for _node, attrs in copy.nodes(data=True):
        attrs["viz"] = gexf_node_viz(attrs)
    edges = copy.edges(keys=True, data=True) if copy.is_multigraph() else copy.edges(data=True)
    for *_ends, attrs in edges:
        attrs["viz"] = gexf_edge_viz(attrs)
    return copy


def write_gexf(graph, stream) -> None:
    """Write a networkx graph as GEXF 1.2 in the graph views' colours: the ``gexf``
    writer of :mod:`obligraph.output.formats`."""
    from obligraph.graph.analysis.network import write_gexf as write

    write(coloured(graph), stream)
