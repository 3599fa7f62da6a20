"""The networkx projection and its analyses, on the bundled corpus.

Every expectation below was read off the five bundled documents
(``obligraph/corpus/``); the source line is given where one row decides it.
The graph is the session-wide ``corpus_store`` (read-only); the CLI tests use an
embedded store built once for this module, and one test the default store under
a temporary ``OBLIGRAPH_HOME`` (``obligraph build`` then ``obligraph network``).
"""

from __future__ import annotations

import json
import unicodedata

import networkx as nx
import pytest
from obligraph.graph.analysis.network import (
    KINDS,
    ROLE_WEIGHTS,
    centrality,
    coordination_network,
    find_node,
    find_nodes,
    obligation_load,
    path_to_basis,
    programmes_by_shared_units,
    to_networkx,
    write_gexf,
    write_graphml,
)
from typer.testing import CliRunner

from obligraph.base.errors import ObligraphError, QueryError
from obligraph.cli import app

UNIT = "https://w3id.org/obligraph/id/unit/"
DOC = "https://w3id.org/obligraph/id/doc/"
CTE = UNIT + "cuc-tre-em"
MINISTRY = UNIT + "bo-lao-dong-thuong-binh-va-xa-hoi"
SO_Y_TE = UNIT + "so-y-te-thanh-pho-ho-chi-minh"
P704 = DOC + "qd/704-qd-ldtbxh/2021"
P406 = DOC + "qd/406-qd-ldtbxh/2020"
P4063 = DOC + "qd/4063-qd-ubnd-thanh-pho-ho-chi-minh/2022"
QD23 = DOC + "qd/23-qd-ttg/2021"
QD1863 = DOC + "qd/1863-qd-ttg/2019"
LAW_2016 = DOC + "luat/luat-tre-em/2016"


@pytest.fixture(scope="module")
def G(corpus_store):
    return to_networkx(corpus_store)


def _label(G, n):
    return G.nodes[n]["label"]


# -- the projection -------------------------------------------------------------------------


def test_typed_nodes_and_labels_keep_diacritics(G):
    kinds = {d["kind"] for _, d in G.nodes(data=True)}
    assert kinds == set(KINDS)
    assert _label(G, CTE) == "Cục Trẻ em"
    assert G.nodes[P704]["kind"] == "document" and _label(G, P704) == "704/QĐ-LĐTBXH"
    # 704 implements 23/QĐ-TTg (its title): the decision is a programme node
    assert G.nodes[QD23]["kind"] == "programme"
    for _, data in G.nodes(data=True):
        label = data["label"]
        assert label and unicodedata.is_normalized("NFC", label)


def test_roles_are_edge_attributes(G):
    # 704 line 181: b) ... thanh tra chuyên đề ... | Thanh tra Bộ | Cục Trẻ em ...
    task = P704 + "/task/annex-9-b"
    roles = {
        _label(G, u): (d["role"], d["weight"])
        for u, _, d in G.in_edges(task, data=True)
        if d["relation"] == "assigned"
    }
    assert roles["Thanh tra Bộ Lao động - Thương binh và Xã hội"] == ("lead", 1.0)
    assert roles["Cục Trẻ em"] == ("support", 0.5)
    assert {d["relation"] for *_, d in G.out_edges(task, data=True)} >= {
        "in_document",
        "serves_programme",
    }
    assert G.has_edge(task, QD23, key="serves_programme")


def test_units_belong_to_parents(G):
    assert G.has_edge(CTE, MINISTRY) and "part_of" in G[CTE][MINISTRY]


# -- obligation load --------------------------------------------------------------------------


def _ministry_units(G):
    return {u for u, p, d in G.edges(data=True) if d["relation"] == "part_of" and p == MINISTRY}


def test_cuc_tre_em_carries_the_highest_load_among_ministry_units(G):
    rows = obligation_load(G)
    ministry = [r for r in rows if r.unit in _ministry_units(G)]
    top = ministry[0]
    assert top.label == "Cục Trẻ em"
    # it leads nearly every row of 406 and 704: far ahead of the next department
    assert top.lead >= 35 and top.score >= 1.5 * ministry[1].score
    # the score is the role-weighted count of its assignments
    assert top.score == top.lead * ROLE_WEIGHTS["lead"] + top.support * ROLE_WEIGHTS["support"]
    assert rows == sorted(rows, key=lambda r: (-r.score, r.label, r.unit))


def test_generic_placeholders_are_left_out_unless_asked(G):
    labels = {r.label for r in obligation_load(G)}
    assert "Các đơn vị liên quan" not in labels and "Các địa phương" not in labels
    with_generic = {r.label for r in obligation_load(G, include_generic=True)}
    assert "Các địa phương" in with_generic


# -- coordination -------------------------------------------------------------------------------


def test_coordination_partners_of_cuc_tre_em_are_the_units_named_with_it(G):
    C = coordination_network(G)
    partners = {C.nodes[b]["label"]: C[CTE][b]["weight"] for b in C[CTE]}
    # 406 line 131 (Vụ Hợp tác quốc tế), 406 line 139 (Thanh tra Bộ), 704 lines 142-143
    # (Cục Bảo trợ xã hội), 406 row 1-c and 704 row 4-a (the ministry's press)
    assert {
        "Vụ Hợp tác quốc tế",
        "Thanh tra Bộ Lao động - Thương binh và Xã hội",
        "Cục Bảo trợ xã hội",
        "Trung tâm Thông tin",
        "Báo Lao động và Xã hội",
    } <= set(partners)
    # Cục Bảo trợ xã hội is its most frequent partner across 704's annex
    assert max(partners, key=partners.get) == "Cục Bảo trợ xã hội"
    # no HCMC department ever shares a task with the ministry's department
    assert not any("Thành phố Hồ Chí Minh" in p for p in partners)


def test_coordination_weight_counts_shared_tasks(G):
    C = coordination_network(G)
    inspectorate = UNIT + "thanh-tra-bo-lao-dong-thuong-binh-va-xa-hoi"

    def tasks_of(u):
        return {t for _, t, d in G.out_edges(u, data=True) if d["relation"] == "assigned"}

    shared = tasks_of(CTE) & tasks_of(inspectorate)
    assert C[CTE][inspectorate]["weight"] == len(shared) >= 3
    # 406 row 4 and 704 row 9-a/9-b: one of the two leads each shared task
    assert C[CTE][inspectorate]["lead_support"] == len(shared)


# -- centrality -----------------------------------------------------------------------------


@pytest.mark.parametrize("measure", ["degree", "strength", "betweenness", "closeness"])
def test_cuc_tre_em_is_the_hub_of_the_coordination_network(G, measure):
    rows = centrality(G, measure)
    assert rows[0][1] == "Cục Trẻ em"
    assert [r[2] for r in rows] == sorted((r[2] for r in rows), reverse=True)


def test_eigenvector_and_unknown_measure(G):
    rows = centrality(G, "eigenvector")
    assert rows[0][2] > 0
    with pytest.raises(QueryError, match="unknown centrality"):
        centrality(G, "pagerank")


# -- paths to a legal basis -------------------------------------------------------------------


def test_path_from_cuc_tre_em_goes_through_the_plan_to_the_decision_it_implements(G):
    path = path_to_basis(G, "Cục Trẻ em", "23/QĐ-TTg")
    assert path[0] == CTE and path[-1] == QD23
    kinds = [G.nodes[n]["kind"] for n in path]
    assert kinds == ["unit", "task", "document", "programme"]
    assert path[2] == P704  # 704 implements 23/QĐ-TTg
    path = path_to_basis(G, "Cục Trẻ em", "1863/QĐ-TTg")
    assert path[2] == P406


def test_path_from_so_y_te_reaches_the_law_of_2016(G):
    # 4063 line 22: "Căn cứ Luật Trẻ em ngày 05 tháng 4 năm 2016"; the 2020 guidance
    # letter cites "Luật trẻ em" without a year, a second node with the same label:
    # the path must reach the one the plan rests on.
    assert len(find_nodes(G, "Luật Trẻ em", ("document",))) == 2
    path = path_to_basis(G, SO_Y_TE, "Luật Trẻ em")
    assert [G.nodes[n]["kind"] for n in path] == ["unit", "task", "document", "document"]
    assert path[2] == P4063 and path[-1] == LAW_2016


def test_no_path_is_said_plainly(G):
    # the ministry's plans rest on decisions whose own bases are not loaded
    with pytest.raises(ObligraphError, match="no path from Cục Trẻ em to Luật Trẻ em"):
        path_to_basis(G, "Cục Trẻ em", "Luật Trẻ em")
    with pytest.raises(ObligraphError, match="closest"):
        find_node(G, "Cục Trẻ emm", ("unit",))


# -- programmes linked through shared units ---------------------------------------------------


def test_programmes_linked_through_shared_units(G):
    P = programmes_by_shared_units(G)
    # Cục Trẻ em owes work under 1863/QĐ-TTg (through 406) and 23/QĐ-TTg (through 704)
    assert P.has_edge(QD1863, QD23)
    assert "Cục Trẻ em" in P[QD1863][QD23]["units"].split("; ")
    # HCMC's plan serves both too: its departments are shared as well
    assert "Sở Y tế Thành phố Hồ Chí Minh" in P[QD1863][QD23]["units"].split("; ")
    assert P[QD1863][QD23]["weight"] == len(P[QD1863][QD23]["units"].split("; "))
    # 923's annex is missing: no unit owes work under 23/CT-TTg, so it links nothing
    assert DOC + "ct/23-ct-ttg/2020" not in P


# -- GraphML and GEXF -------------------------------------------------------------------------


def _edge_multiset(H):
    return sorted((str(a), str(b)) for a, b in H.edges())


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_round_trips_with_vietnamese_labels(G, tmp_path, fmt):
    path = tmp_path / f"obligraph.{fmt}"
    if fmt == "graphml":
        write_graphml(G, path)
        H = nx.read_graphml(path)
    else:
        write_gexf(G, path)
        H = nx.read_gexf(path)
    assert set(H.nodes) == set(G.nodes)
    assert _edge_multiset(H) == _edge_multiset(G)
    assert H.nodes[CTE]["label"] == "Cục Trẻ em"
    assert H.nodes[MINISTRY]["label"] == "Bộ Lao động - Thương binh và Xã hội"
    assert "Cục Trẻ em".encode() in path.read_bytes()  # UTF-8, not escaped


def test_export_of_the_derived_views(G, tmp_path):
    C = coordination_network(G)
    write_gexf(C, tmp_path / "c.gexf")
    H = nx.read_gexf(tmp_path / "c.gexf")
    assert H.number_of_edges() == C.number_of_edges()
    P = programmes_by_shared_units(G)
    write_graphml(P, tmp_path / "p.graphml")
    H = nx.read_graphml(tmp_path / "p.graphml")
    assert H[QD1863][QD23]["weight"] == P[QD1863][QD23]["weight"]


# -- the CLI agrees with the API --------------------------------------------------------------


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory, corpus_docs, gazetteer):
    from obligraph.graph.build import write_documents
    from obligraph.graph.stores import open_store

    path = tmp_path_factory.mktemp("network-store") / "store"
    store = open_store(path)
    write_documents(corpus_docs, store, gazetteer=gazetteer)
    store.close()
    return path


def _run(*args):
    result = CliRunner().invoke(app, list(args))
    return result


def _json(disk_store, *args):
    result = _run("network", *args, "--store", str(disk_store), "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cli_load_matches_the_api(G, disk_store):
    rows = _json(disk_store, "load", "--top", "5")
    api = obligation_load(G)[:5]
    assert [(r["unit"], r["load"], r["lead"], r["support"]) for r in rows] == [
        (r.label, r.score, r.lead, r.support) for r in api
    ]
    assert rows[0]["unit"] == "Cục Trẻ em"


def test_cli_coordination_matches_the_api(G, disk_store):
    rows = _json(disk_store, "coordination", "--min-weight", "3")
    C = coordination_network(G)
    api = {
        frozenset((C.nodes[a]["label"], C.nodes[b]["label"])): d["weight"]
        for a, b, d in C.edges(data=True)
        if d["weight"] >= 3
    }
    assert {frozenset((r["unit"], r["with"])): r["shared tasks"] for r in rows} == api
    assert api[frozenset(("Cục Trẻ em", "Cục Bảo trợ xã hội"))] >= 3


def test_cli_centrality_matches_the_api(G, disk_store):
    rows = _json(disk_store, "centrality", "-m", "strength", "-n", "3")
    assert [(r["unit"], r["strength"]) for r in rows] == [
        (label, value) for _, label, value in centrality(G, "strength")[:3]
    ]


def test_cli_path_accepts_any_spelling_and_matches_the_api(G, disk_store):
    rows = _json(disk_store, "path", "Sở Y tế", "Luật Trẻ em")
    api = path_to_basis(G, SO_Y_TE, "Luật Trẻ em")
    assert [r["node"] for r in rows] == [_label(G, n) for n in api]
    assert [r["kind"] for r in rows] == ["unit", "task", "document", "document"]
    assert rows[2]["node"] == "4063/QĐ-UBND" and rows[2]["via"] == "in_document"
    assert rows[3]["via"] == "based_on"
    rows = _json(disk_store, "path", "Cục TE", "23/QĐ-TTg")  # an abbreviation
    assert rows[0]["node"] == "Cục Trẻ em" and rows[-1]["node"] == "23/QĐ-TTg"


def test_cli_path_unknown_unit_suggests_and_exits_2(disk_store):
    result = _run(
        "network", "path", "Cục Trẻ emm Bộ Lao động", "23/QĐ-TTg", "--store", str(disk_store)
    )
    assert result.exit_code == 2
    assert "Cục Trẻ em" in result.output and "Traceback" not in result.output


def test_cli_path_without_a_path_exits_2(disk_store):
    result = _run("network", "path", "Cục Trẻ em", "Luật Trẻ em", "--store", str(disk_store))
    assert result.exit_code == 2 and "no path from Cục Trẻ em" in result.output


def test_cli_programmes_matches_the_api(G, disk_store):
    rows = _json(disk_store, "programmes")
    P = programmes_by_shared_units(G)
    assert len(rows) == P.number_of_edges()
    pair = next(r for r in rows if {r["programme"], r["with"]} == {"1863/QĐ-TTg", "23/QĐ-TTg"})
    assert pair["shared units"] == P[QD1863][QD23]["weight"]


@pytest.mark.parametrize(
    ("fmt", "view", "reader"),
    [("graphml", "full", nx.read_graphml), ("gexf", "coordination", nx.read_gexf)],
)
def test_cli_export(G, disk_store, tmp_path, fmt, view, reader):
    out = tmp_path / f"net.{fmt}"
    result = _run(
        "network", "export", "-f", fmt, "--view", view, "-o", str(out), "--store", str(disk_store)
    )
    assert result.exit_code == 0, result.output
    H = reader(out)
    expected = G if view == "full" else coordination_network(G)
    assert H.number_of_nodes() == expected.number_of_nodes()
    assert H.number_of_edges() == expected.number_of_edges()
    assert H.nodes[CTE]["label"] == "Cục Trẻ em"


def test_cli_bad_options_exit_2(disk_store, tmp_path):
    for args in (
        ["network", "centrality", "-m", "pagerank"],
        ["network", "load", "-f", "xml"],
        ["network", "export", "-f", "dot", "-o", str(tmp_path / "x.dot")],
        ["network", "export", "--view", "everything", "-o", str(tmp_path / "x.gexf")],
    ):
        result = _run(*args, "--store", str(disk_store))
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


def test_cli_csv_and_table(disk_store, tmp_path):
    out = tmp_path / "load.csv"
    result = _run("network", "load", "-f", "csv", "-o", str(out), "--store", str(disk_store))
    assert result.exit_code == 0
    # one CSV policy for every command (docs/cli.md#output-formats): a BOM in files, CRLF
    assert out.read_bytes().startswith(b"\xef\xbb\xbfunit,load,lead,support,iri\r\n")
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "unit,load,lead,support,iri" and lines[1].startswith("Cục Trẻ em,")
    result = _run("network", "load", "-n", "3", "--store", str(disk_store))
    assert result.exit_code == 0 and "Cục Trẻ em" in result.stdout


def test_cli_on_the_default_store_under_obligraph_home(tmp_home):
    result = _run("build")
    assert result.exit_code == 0, result.output
    result = _run("network", "load", "-n", "1", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["unit"] == "Cục Trẻ em"
    assert (tmp_home / "store").exists()
