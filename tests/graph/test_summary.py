"""One definition of every count (obligraph.graph.analysis.summary), on the bundled corpus.

The numbers are read off the definitions (docs/model.md, "Counts") and cross-checked
by a plain computation in the test: Python over the export's ``obligation_rows`` and
over flat SELECTs of the store, not the summary's own code. Then every place that shows
a count (``stats``, the home page, ``/overview``, the unit page, the register export)
must show the same number.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest
from fastapi.testclient import TestClient
from obligraph.graph.analysis.summary import (
    TOTALS,
    compute_summary,
    read_summary,
    refresh_summary,
    summary,
)
from obligraph.graph.export import obligation_rows
from obligraph.viz.web import pages
from obligraph.viz.web.app import create_app
from obligraph.viz.web.register import register_page, register_rows

from obligraph.cli.core import store_stats

UNIT = "https://w3id.org/obligraph/id/unit/cuc-tre-em"
THU_DUC = "https://w3id.org/obligraph/id/unit/uy-ban-nhan-dan-quan-huyen-thanh-pho-thu-duc"


def flat(store, sparql: str) -> list[tuple[str, ...]]:
    return [tuple(str(x) for x in row) for row in store.query(sparql).rows]


@pytest.fixture(scope="module")
def counted(corpus_store):
    return summary(corpus_store)


@pytest.fixture(scope="module")
def app(corpus_store):
    return TestClient(create_app(corpus_store), base_url="http://127.0.0.1")


def test_the_build_writes_the_summary_and_it_reads_back_the_same(corpus_store, counted):
    stored = read_summary(corpus_store)
    assert stored is not None and stored.digest == counted.digest
    computed = compute_summary(corpus_store)
    assert stored.totals == computed.totals
    assert stored.units == computed.units and stored.cells == computed.cells
    assert stored.programme_pairs == computed.programme_pairs
    assert stored.top_overlaps == computed.top_overlaps
    assert stored.unit_overlaps == computed.unit_overlaps
    assert list(stored.totals) == list(TOTALS)


def test_tasks_of_a_unit_once_per_unit_and_role(corpus_store, counted):
    # independent: the export's rows, one per (task, unit, role)
    per_unit: dict[str, Counter] = defaultdict(Counter)
    for r in obligation_rows(corpus_store):
        if r["unit"]:
            per_unit[r["unit"]][r["role"]] += 1
    by_label = {u.label: u for u in counted.units.values()}
    assert set(by_label) == set(per_unit)
    for label, roles in per_unit.items():
        assert (by_label[label].lead, by_label[label].support) == (
            roles["lead"],
            roles["support"],
        ), label
    # the regression of issue 10: a task of a plan implementing nine programmes counted once
    thu_duc = counted.units[THU_DUC]
    assert thu_duc.load == 25 and (thu_duc.lead, thu_duc.support) == (24, 1)
    assert counted.ranked()[0].label == "Cục Trẻ em" and counted.units[UNIT].load == 44
    # its cells still show every programme the plan implements: they add up to the 128
    # the overview used to show as its load
    cells = [k for k in counted.cells if k[0] == THU_DUC]
    assert len(cells) == 9 and sum(counted.cells[k][0] for k in cells) == 128


def test_units_tasks_and_documents(corpus_store, counted):
    totals = counted.totals
    units = {
        u
        for (u,) in flat(
            corpus_store, "SELECT ?u WHERE { ?u a <http://www.w3.org/ns/org#Organization> }"
        )
    }
    with_tasks = {
        u
        for (u,) in flat(
            corpus_store, "SELECT ?u WHERE { ?a <https://w3id.org/obligraph/ontology#unit> ?u }"
        )
    }
    tasks = flat(
        corpus_store, "SELECT ?t WHERE { ?t a <https://w3id.org/obligraph/ontology#Task> }"
    )
    assert totals["units"] == len(units) == 216
    assert totals["units with tasks"] == len(with_tasks) == 80
    assert totals["tasks"] == len(set(tasks)) == 256 and totals["documents"] == 5


def test_overlaps_and_overlapping_pairs(corpus_store, counted):
    ob = "https://w3id.org/obligraph/ontology#"
    members = defaultdict(set)
    for o, t in flat(corpus_store, f"SELECT ?o ?t WHERE {{ ?o <{ob}between> ?t }}"):
        members[o].add(t)
    overlaps = {o for (o,) in flat(corpus_store, f"SELECT ?o WHERE {{ ?o a <{ob}Overlap> }}")}
    pairs = {tuple(sorted(ts)) for ts in members.values() if len(ts) == 2}
    assert counted.totals["overlaps"] == len(overlaps) == 34
    assert counted.totals["overlapping pairs"] == len(pairs) == 27
    assert counted.totals["task overlaps"] + counted.totals["indicator overlaps"] == 34
    tasks_of = defaultdict(set)
    for u, t in flat(corpus_store, f"SELECT ?u ?t WHERE {{ ?a <{ob}unit> ?u ; <{ob}task> ?t }}"):
        tasks_of[u].add(t)
    for unit, tally in counted.units.items():
        mine = tasks_of[unit]
        assert tally.pairs == sum(1 for a, b in pairs if a in mine or b in mine), unit
        assert tally.shared == sum(1 for a, b in pairs if a in mine and b in mine), unit


def test_stats_shows_the_definitions(corpus_store, counted):
    stats = store_stats(corpus_store)
    for key in TOTALS:
        assert stats[key] == counted.totals[key], key


def test_pages_show_the_definitions(app, corpus_store, counted):
    home = app.get("/").text
    totals = counted.totals
    assert f"{totals['units with tasks']} đơn vị có nhiệm vụ" in home
    assert f"({totals['units']} đơn vị đã biết)" in home
    assert f"{totals['tasks']} nhiệm vụ" in home
    # overview: ranking and load table from the definitions, pairs counted once
    # (the page shows the HEAT_ROWS busiest units and says how many more there are)
    over = pages.overview(corpus_store, "vi")
    every = [u.label for u in counted.ranked()]
    assert [u for u, _ in over["ranked"]] == every[: pages.HEAT_ROWS]
    assert over["more_units"] == len(every) - pages.HEAT_ROWS > 0
    whole = pages.overview(corpus_store, "vi", rows=len(every))
    assert [u for u, _ in whole["ranked"]] == every and whole["more_units"] == 0
    assert dict(whole["ranked"])["Ủy ban nhân dân quận, huyện, thành phố Thủ Đức"] == [24, 1]
    page = app.get("/overview").text
    assert f"Trùng lặp giữa các chương trình ({totals['overlapping pairs']})" in page
    # the unit page: its register's size, its overlaps, and the CSV the same rows
    unit = app.get("/unit/cuc-tre-em").text
    tally = counted.units[UNIT]
    assert f"<h2>Sổ nghĩa vụ ({tally.load})</h2>" in unit
    assert f"<h2>Trùng lặp với nhiệm vụ khác ({tally.pairs})</h2>" in unit
    assert len(re.findall(r'<tr class="role-', unit)) == tally.load
    csv_rows = app.get("/unit/cuc-tre-em/obligations.csv").text.strip().splitlines()
    assert len(csv_rows) - 1 == tally.load


def test_search_shows_the_true_number_of_matches(app, corpus_store):
    from obligraph.viz.web.data import build_index, search, search_counts

    index = build_index(corpus_store)
    found = search_counts(index, "trẻ em")
    assert (
        found["task"] > 40 and len([h for h in search(index, "trẻ em") if h.kind == "task"]) == 40
    )
    page = app.get("/", params={"q": "trẻ em"}).text
    assert f"<h3>Nhiệm vụ ({found['task']})</h3>" in page and "hiện 40 đầu tiên" in page


def test_register_pages_add_up_to_the_register(corpus_store):
    whole = register_rows(corpus_store, UNIT)
    seen, page = [], 1
    while True:
        rows, tasks = register_page(corpus_store, UNIT, page, size=10)
        if not rows:
            break
        seen += rows
        page += 1
    assert tasks == len({r["task"] for r in whole}) and page == -(-tasks // 10) + 1
    key = lambda r: (r["task"], r["role"])  # noqa: E731
    assert sorted(map(key, seen)) == sorted(map(key, whole))
    assert sorted(whole, key=key) == sorted(seen, key=key)


def test_unit_page_pages_through_the_register(corpus_store, monkeypatch):
    from obligraph.viz.web import register

    monkeypatch.setattr(register, "REGISTER_PAGE", 20)
    first = pages.unit(corpus_store, "cuc-tre-em", "vi")
    third = pages.unit(corpus_store, "cuc-tre-em", "vi", 3)
    assert (first["page"], first["pages"]) == (1, 3) and len(first["register"]) >= 20
    assert third["register"] and not {r["task"] for r in first["register"]} & {
        r["task"] for r in third["register"]
    }


def test_refresh_follows_the_store(corpus_docs, gazetteer):
    from obligraph.graph.build import write_documents
    from obligraph.graph.remove import remove_document
    from obligraph.graph.stores import open_store

    store = open_store(memory=True)
    write_documents(corpus_docs, store, gazetteer=gazetteer)
    before = summary(store)
    remove_document(store, "704/QĐ-LĐTBXH")
    after = summary(store)
    assert after.digest != before.digest
    assert after.totals["documents"] == 4
    assert after.totals["tasks"] == before.totals["tasks"] - 37
    assert refresh_summary(store).digest == after.digest  # unchanged: the same graph


def test_trace_counts_a_units_tasks_the_same_way(corpus_store, counted):
    from obligraph.queries.trace import trace_unit

    for unit in (UNIT, THU_DUC):
        tally = counted.units[unit]
        counts = trace_unit(corpus_store, tally.label).counts
        assert (counts["lead"], counts["support"]) == (tally.lead, tally.support), unit
        assert counts["obligations"] == tally.load


# The overview's aggregation before the summary (its SPARQL, kept here as the "before").
OLD_LOAD_MATRIX = """SELECT ?u ?prog ?role (COUNT(DISTINCT ?t) AS ?n) WHERE {
  ?a ob:unit ?u ; ob:role ?r ; ob:task ?t .
  BIND(IF(?r = ob:LeadRole, "lead", "support") AS ?role)
  ?t ob:inDocument ?d .
  OPTIONAL { ?t ob:programme ?p1 } OPTIONAL { ?d ob:implements ?p2 }
  BIND(COALESCE(?p1, ?p2, ?d) AS ?prog) }
GROUP BY ?u ?prog ?role"""


def test_before_and_after_differ_only_in_the_multi_programme_totals(corpus_store, counted):
    from obligraph.queries.library import to_table, with_prefixes

    table = to_table(corpus_store.query(with_prefixes(OLD_LOAD_MATRIX)))
    old_cells: dict[tuple[str, str], list[int]] = {}
    old_totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in (dict(zip(table.columns, row, strict=True)) for row in table.rows):
        i = 0 if r["role"] == "lead" else 1
        old_cells.setdefault((r["u"], r["prog"]), [0, 0])[i] += int(r["n"])
        old_totals[r["u"]][i] += int(r["n"])  # the old ranking: the sum of the cells
    # the cells (a unit's tasks under one programme) are the same numbers
    assert old_cells == counted.cells
    # the totals differ exactly for units with tasks of multi-programme plans, where the
    # old ranking counted a task once per programme its plan implements
    changed = {
        u
        for u, tot in old_totals.items()
        if tot != [counted.units[u].lead, counted.units[u].support]
    }
    multi = {
        u
        for u in counted.units
        if sum(sum(counted.cells[k]) for k in counted.cells if k[0] == u) > counted.units[u].load
    }
    assert changed == multi and THU_DUC in changed and UNIT not in changed
    assert old_totals[THU_DUC] == [128, 9]
