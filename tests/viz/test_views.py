"""The six graph views on the bundled corpus: what they show, and that each page stands alone.

Every assertion about content is checked against what the documents say (the
source files of ``obligraph/corpus/`` are read directly where a line is quoted).
"""

from __future__ import annotations

import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

import obligraph

VIEWS = ("unit", "document", "programme", "overlap", "lineage", "indicator")
DOC_406 = "qd-406-ldtbxh-2020-ke-hoach-phong-chong-bao-luc-xam-hai.txt"
DOC_4063 = "qd-4063-ubnd-tphcm-2022-ke-hoach-vi-tre-em-den-2030.txt"
DOC_704 = "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.txt"


def source_line(file: str, line: int) -> str:
    """Line ``line`` (1-based) of a bundled document, whitespace collapsed."""
    text = (obligraph.corpus_dir() / file).read_text(encoding="utf-8").splitlines()[line - 1]
    return " ".join(text.split())


def options_of(page: str) -> dict:
    match = re.search(r"var options = (\{.*?\});\n", page, re.S)
    assert match, "no vis-network options in the page"
    return json.loads(match.group(1))


def select_values(page: str, select_id: str) -> list[str]:
    match = re.search(rf'<select id="{select_id}">(.*?)</select>', page, re.S)
    assert match, f"no <select id={select_id}>"
    return re.findall(r'<option value="([^"]*)">', match.group(1))


def edges_between(graph: dict, role: str) -> set[tuple[str, str]]:
    label = {n["id"]: n["label"] for n in graph["nodes"]}
    return {(label[e["from"]], label[e["to"]]) for e in graph["edges"] if e["role"] == role}


# ---------------------------------------------------------------- every view


@pytest.mark.parametrize("view", VIEWS)
def test_page_is_self_contained(pages, view):
    from obligraph.viz.render import assert_self_contained

    page = pages[view]
    assert_self_contained(page)
    # no script, stylesheet, image or frame loaded from anywhere (not even a local file)
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, re.I)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"cdnjs|jsdelivr|unpkg|bootstrapcdn|googleapis", page, re.I)
    assert "new vis.Network(" in page  # vis-network is inlined, not fetched
    assert '<meta charset="utf-8">' in page
    # our text is NFC (the inlined vis-network code itself holds U+2000 in a regex, skip it)
    ours = re.sub(r"<script>[^<]*?vis-network.*?</script>", "", page, count=1, flags=re.S)
    assert len(page) - len(ours) > 400_000  # the vis-network script was the part cut out
    assert unicodedata.is_normalized("NFC", ours)


@pytest.mark.parametrize("view", VIEWS)
def test_page_has_legend_search_and_precomputed_layout(pages, graph_of, view):
    page = pages[view]
    graph = graph_of(page)
    assert graph["nodes"] and graph["edges"]
    assert '<input type="search" id="search"' in page
    assert '<button type="button" id="reset">' in page
    # the legend names every kind of node and every edge role drawn, nothing else
    legend = set(re.findall(r'<li data-legend="([a-z_]+)">', page))
    assert legend == {n["kind"] for n in graph["nodes"]} | {e["role"] for e in graph["edges"]}
    # physics off, every node placed by the precomputed layout
    assert options_of(page)["physics"]["enabled"] is False
    xy = [(n["x"], n["y"]) for n in graph["nodes"]]
    assert all(isinstance(x, float | int) and isinstance(y, float | int) for x, y in xy)
    assert len(set(xy)) > 0.9 * len(xy)
    # every edge joins two drawn nodes; every tooltip is plain text
    ids = {n["id"] for n in graph["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in graph["edges"])
    assert all(isinstance(n["title"], str) and n["title"] for n in graph["nodes"])


@pytest.mark.parametrize("view", VIEWS)
def test_filters_offer_what_the_graph_holds(pages, graph_of, view):
    page = pages[view]
    graph = graph_of(page)
    progs = {p for n in graph["nodes"] for p in n.get("progs", ())}
    years = {y for n in graph["nodes"] for y in n.get("years", ())}
    roles = {e["role"] for e in graph["edges"]} & {"lead", "support"}
    if progs:
        assert set(select_values(page, "f-programme")) == {""} | progs
    if years:
        assert set(select_values(page, "f-year")) == {""} | {str(y) for y in years}
    if roles:
        assert select_values(page, "f-role") == ["", "lead", "support"]


# ---------------------------------------------------------------- what each view says


def test_unit_view_holds_the_units_tasks_documents_and_partners(pages, graph_of, labels_of):
    page = pages["unit"]
    graph = graph_of(page)
    assert "<h1>Cục Trẻ em: 44 nhiệm vụ</h1>" in page
    focus = [n for n in graph["nodes"] if n["kind"] == "focus"]
    assert [n["label"] for n in focus] == ["Cục Trẻ em"]
    # the four plans that assign it work (the guidance letter does not name it as a doer)
    docs = set(labels_of(graph, "document"))
    assert docs == {"406/QĐ-LĐTBXH", "704/QĐ-LĐTBXH", "923/QĐ-LĐTBXH", "4063/QĐ-UBND"}
    # 406, annex row 1.a (line 121): "Cục Trẻ em; Các địa phương" lead, "Bộ VHTTDL; ..." support
    line = source_line(DOC_406, 121)
    assert "Cục Trẻ em" in line and "Bộ VHTTDL" in line
    where = f"{DOC_406}:121"
    task = next(n for n in graph["nodes"] if n["kind"] == "task" and where in n["title"])
    assert "«" + line + "»" in task["title"]  # the quoted source line, whole
    assert "nguồn: " + where in task["title"]
    assert task["progs"] == ["1863/QĐ-TTg"]  # 406 implements the 2020-2025 plan 1863/QĐ-TTg
    lead = edges_between(graph, "lead")
    support = edges_between(graph, "support")
    assert ("Cục Trẻ em", task["label"]) in lead
    assert ("Bộ Văn hóa, Thể thao và Du lịch", task["label"]) in support
    assert (task["label"], "406/QĐ-LĐTBXH") in edges_between(graph, "in")
    # the units it works with (co-assigned on its tasks), generic placeholders kept apart
    units = set(labels_of(graph, "unit"))
    assert {"Bộ Văn hóa, Thể thao và Du lịch", "Cục Bảo trợ xã hội", "Bộ Công an"} <= units
    assert "Các địa phương" in labels_of(graph, "generic")
    # 704 implements 23/QĐ-TTg, 406 implements 1863/QĐ-TTg
    implements = edges_between(graph, "implements")
    assert {("704/QĐ-LĐTBXH", "23/QĐ-TTg"), ("406/QĐ-LĐTBXH", "1863/QĐ-TTg")} <= implements
    overlaps = [e for e in graph["edges"] if e["role"] == "overlap"]
    assert overlaps and all(e["title"].startswith("trùng lặp ") for e in overlaps)


def test_unit_view_support_edge_quotes_its_line(pages, graph_of):
    graph = graph_of(pages["unit"])
    assert "obligraph · đồ thị đơn vị · 112 nút" in pages["unit"]
    support = [e for e in graph["edges"] if e["role"] == "support" and "dòng " in e["title"]]
    assert support
    for e in support[:20]:
        assert "(phối hợp)" in e["title"]  # the Vietnamese page speaks Vietnamese
        number = int(re.search(r"\ndòng (\d+): «", e["title"]).group(1))
        assert number > 0


def test_unit_view_in_english(corpus_store, graph_of):
    from obligraph.viz.views import build_view

    page = build_view(corpus_store, "unit", "cuc tre em", lang="en")  # diacritics optional
    assert '<html lang="en">' in page
    assert "<h1>Cục Trẻ em: 44 tasks</h1>" in page
    assert "<span>Unit</span>" in page and "<span>leads (chủ trì)</span>" in page
    assert 'placeholder="Find a node (diacritics optional)…"' in page
    task = next(n for n in graph_of(page)["nodes"] if f"{DOC_406}:121" in n["title"])
    assert "source: " in task["title"]
    edges = graph_of(page)["edges"]
    assert any(e["role"] == "support" and "(support)\nline " in e["title"] for e in edges)
    assert "obligraph · unit view · 112 nodes" in page


def test_document_view_of_704(pages, graph_of, labels_of, corpus_docs):
    page = pages["document"]
    graph = graph_of(page)
    record = next(d for d in corpus_docs if d.number == "704/QĐ-LĐTBXH")
    tasks = [n for n in graph["nodes"] if n["kind"] in ("task", "request")]
    assert len(tasks) == len(record.tasks) == 37
    assert all(t["title"].startswith("704/QĐ-LĐTBXH · annex-") for t in tasks)
    assert all(f"{DOC_704}:" in t["title"] for t in tasks)
    # "thực hiện Quyết định số 23/QĐ-TTg" and "Căn cứ Nghị định số 14/2017/NĐ-CP" (line 16)
    assert "14/2017/NĐ-CP" in source_line(DOC_704, 16)
    assert ("704/QĐ-LĐTBXH", "23/QĐ-TTg") in edges_between(graph, "implements")
    assert ("704/QĐ-LĐTBXH", "14/2017/NĐ-CP") in edges_between(graph, "based_on")
    assert labels_of(graph, "programme")["23/QĐ-TTg"]
    leads = {a for a, _ in edges_between(graph, "lead")}
    assert "Cục Trẻ em" in leads
    # every task the plan gives a lead unit has that lead drawn (group rows have none)
    led = {b.split("\n")[0] for _, b in edges_between(graph, "lead")}
    with_lead = {t.task_id for t in record.tasks if any(a.role == "lead" for a in t.assignments)}
    assert with_lead and with_lead <= led


def test_programme_view_of_23_qd_ttg(pages, graph_of, labels_of):
    graph = graph_of(pages["programme"])
    assert labels_of(graph, "focus")["23/QĐ-TTg"]
    implementing = {a for a, b in edges_between(graph, "implements") if b == "23/QĐ-TTg"}
    assert implementing == {"704/QĐ-LĐTBXH", "4063/QĐ-UBND"}
    in_docs = {b for _, b in edges_between(graph, "in")}
    assert in_docs == {"704/QĐ-LĐTBXH", "4063/QĐ-UBND"}
    # requests to bodies outside the issuer's authority are drawn as requests
    assert any(n["kind"] == "request" for n in graph["nodes"])
    assert "Sở Lao động - Thương binh và Xã hội Thành phố Hồ Chí Minh" in labels_of(graph, "unit")


def test_overlap_view_pairs_tasks_across_programmes(pages, graph_of, corpus_store):
    from obligraph.queries.library import to_table, with_prefixes

    page = pages["overlap"]
    graph = graph_of(page)
    kinds = {n["id"]: n["kind"] for n in graph["nodes"]}
    overlaps = [e for e in graph["edges"] if e["role"] == "overlap"]
    assert overlaps
    assert all(kinds[e["from"]] in ("task", "request") for e in overlaps)
    assert all(kinds[e["to"]] in ("task", "request") for e in overlaps)
    pairs = to_table(
        corpus_store.query(
            with_prefixes(
                """SELECT (COUNT(DISTINCT CONCAT(STR(?a), STR(?b))) AS ?n) WHERE {
                     ?a ob:overlapsWith ?b . FILTER(STR(?a) < STR(?b)) }"""
            )
        )
    ).rows[0][0]
    assert len(overlaps) == pairs
    assert f"<h1>Trùng lặp: {pairs} cặp nhiệm vụ</h1>" in page
    assert any(n["kind"] == "programme" for n in graph["nodes"])


def test_lineage_view_of_4063(pages, graph_of, labels_of):
    graph = graph_of(pages["lineage"])
    based_on = {b for a, b in edges_between(graph, "based_on") if a == "4063/QĐ-UBND"}
    # "Căn cứ ..." lines 22-30 of the plan
    for number, line in (
        ("Luật Trẻ em", 22),
        ("121/2020/QH14", 24),
        ("56/2017/NĐ-CP", 26),
        ("80/2017/NĐ-CP", 28),
        ("20/2021/NĐ-CP", 30),
    ):
        assert number in source_line(DOC_4063, line)
        assert number in based_on
    implements = {b for a, b in edges_between(graph, "implements") if a == "4063/QĐ-UBND"}
    assert {"23/QĐ-TTg", "1863/QĐ-TTg"} <= implements
    programmes = labels_of(graph, "programme")
    assert {"23/QĐ-TTg", "1863/QĐ-TTg"} <= set(programmes)
    # a document not loaded is still a node, drawn as "cited"
    assert labels_of(graph, "cited")["121/2020/QH14"]


def test_lineage_kinds_do_not_depend_on_row_order(corpus_store, graph_of):
    """Regression: 1863/QĐ-TTg (both implemented and a legal basis) flipped kind run to run."""
    from obligraph.viz.views import lineage_graph

    graph, _ = lineage_graph(corpus_store, "4063/QĐ-UBND")
    kinds = {a["label"]: a["kind"] for _, a in graph.nodes(data=True)}
    assert kinds["1863/QĐ-TTg"] == "programme"
    assert kinds["830/QĐ-TTg"] == "programme"


def test_indicator_view_holds_targets_and_lead_units(pages, graph_of):
    graph = graph_of(pages["indicator"])
    # 4063 line 134: "Chỉ tiêu 1: Tỷ lệ phường, xã, thị trấn đạt tiêu chuẩn phù hợp với trẻ em
    # đạt 65% vào năm 2025 và đạt 75% vào năm 2030."
    line = source_line(DOC_4063, 134)
    assert "65% vào năm 2025" in line and "75% vào năm 2030" in line
    ind = next(
        n
        for n in graph["nodes"]
        if n["kind"] == "indicator"
        and "dòng 134" in n["title"]
        and "phù hợp với trẻ em" in n["title"]
    )
    label = {n["id"]: n for n in graph["nodes"]}
    targets = [label[e["to"]] for e in graph["edges"] if e["from"] == ind["id"]]
    texts = {t["label"].split(":")[0]: t["title"] for t in targets if t["kind"] == "target"}
    assert "65%" in texts["2025"] and "75%" in texts["2030"]
    assert any(t["kind"] == "programme" for t in targets)
    leads = [e for e in graph["edges"] if e["role"] == "lead"]
    assert leads and all(label[e["from"]]["kind"] == "unit" for e in leads)


def test_task_nodes_are_tasks_not_deadlines(corpus_store):
    """Regression: items with ob:inDocument that are not ob:Task (deadlines, findings)
    were drawn as unnamed tasks (45 "tasks" in 704, 37 in the file)."""
    from obligraph.viz.views import document_graph, programme_graph

    for graph, _ in (
        document_graph(corpus_store, "704/QĐ-LĐTBXH"),
        programme_graph(corpus_store, "23/QĐ-TTg"),
    ):
        tasks = [a for _, a in graph.nodes(data=True) if a["kind"] in ("task", "request")]
        assert tasks and all(a["label"].split("\n")[0] for a in tasks)
        assert not any(a["label"].startswith("trước ngày") for a in tasks)


# ---------------------------------------------------------------- targets and errors


def test_targets_are_resolved_as_people_write_them(corpus_store):
    from obligraph.queries.library import resolve_unit
    from obligraph.viz.views import resolve_document

    unit = "https://w3id.org/obligraph/id/unit/cuc-tre-em"
    assert str(resolve_unit("CỤC TRẺ EM", corpus_store)[0]) == unit
    assert str(resolve_unit("Cục TE", corpus_store)[0]) == unit  # an abbreviation seen in the text
    doc = "https://w3id.org/obligraph/id/doc/qd/704-qd-ldtbxh/2021"
    assert str(resolve_document(corpus_store, "704 /QĐ-LĐTBXH")) == doc
    assert str(resolve_document(corpus_store, "704/qd-ldtbxh")) == doc


def test_unknown_targets_give_clear_errors(corpus_store):
    from obligraph.viz.views import build_view

    from obligraph.base.errors import ObligraphError, UnitNotFoundError

    with pytest.raises(UnitNotFoundError, match="did you mean: Cục Trẻ em"):
        build_view(corpus_store, "unit", "Cục Trẻ")
    with pytest.raises(ObligraphError, match="no document numbered '999/QĐ-X'"):
        build_view(corpus_store, "document", "999/QĐ-X")
    with pytest.raises(ObligraphError, match="unknown view 'map'"):
        build_view(corpus_store, "map", "all")


def test_empty_store_gives_a_clear_error():
    from obligraph.graph.stores import open_store
    from obligraph.viz.views import build_view

    from obligraph.base.errors import ObligraphError

    with pytest.raises(ObligraphError, match="empty"):
        build_view(open_store(memory=True), "overlap", "all")


# ---------------------------------------------------------------- Jupyter, escaping, files


class _Iframes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.frames: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.frames.append(dict(attrs))


def test_page_works_as_an_iframe_srcdoc(pages):
    from obligraph.viz.render import view_html_srcdoc

    page = pages["unit"]
    parser = _Iframes()
    parser.feed(view_html_srcdoc(page, height=500))
    [frame] = parser.frames
    assert frame["srcdoc"] == page  # the whole page, unescaped by the browser
    assert "src" not in frame  # nothing to fetch
    assert frame["sandbox"] == "allow-scripts"
    assert "height:500px" in frame["style"]


def test_labels_cannot_break_out_of_the_page():
    import networkx as nx
    from obligraph.viz.render import render_view

    g = nx.MultiDiGraph()
    evil = "</script><script>alert(1)</script> & <b>Trẻ em</b>"
    g.add_node("a", kind="unit", label=evil, title=evil, progs=["<x>"])
    g.add_node("b", kind="task", label="t", title="t")
    g.add_edge("a", "b", role="lead", title=evil)
    page = render_view(g, title=evil)
    assert "<script>alert(1)" not in page
    assert "<b>Trẻ em</b>" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page  # the heading, escaped


def test_write_view_adds_html_and_writes_nothing_else(tmp_path, pages):
    from obligraph.viz.render import write_view

    path = write_view(pages["lineage"], tmp_path / "lineage")
    assert path == tmp_path / "lineage.html"
    assert [p.name for p in tmp_path.iterdir()] == ["lineage.html"]
    assert path.read_text(encoding="utf-8") == pages["lineage"]


def test_write_view_reports_an_unwritable_place(tmp_path, pages):
    from obligraph.viz.render import write_view

    from obligraph.base.errors import ObligraphError

    with pytest.raises(ObligraphError, match="cannot write the view"):
        write_view(pages["lineage"], tmp_path / "missing" / "dir" / "x.html")


def test_pages_are_reproducible(corpus_store, pages):
    from obligraph.viz.views import build_view

    assert build_view(corpus_store, "document", "704/QĐ-LĐTBXH") == pages["document"]


def test_package_ships_the_template(tmp_path):
    from obligraph.viz import render

    assert (Path(render.TEMPLATES) / "graph_view.html").is_file()


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.example/vis.js"></script>',
        '<a HREF="HTTP://example.org">',
        "<div style=\"background: Url( '//example.org/x.png')\">",
        "<style>@IMPORT 'x.css';</style>",
        '<img SrC = "ftp://example.org/x">',
        '<iframe src="local.html"></iframe>',
    ],
)
def test_anything_loaded_from_elsewhere_is_refused_whatever_its_case(snippet):
    from obligraph.viz.render import assert_self_contained

    from obligraph.base.errors import ObligraphError

    with pytest.raises(ObligraphError, match="not self-contained"):
        assert_self_contained("<p>" + "Trẻ em " * 1000 + "</p>" + snippet)
    assert_self_contained('<a href="#top">' + '<a href="data:,x">' + "nosrc: nguồn")
