"""Registers (a unit's, a document's, a programme's, a search's): filters with counts,
sort, paging and downloads of exactly what is shown, on the bundled corpus.

Every expected number is computed here by an independent SPARQL query on the store
(a task's programmes as docs/model.md#counts defines them: its own, else what its
document implements, else the document), never by the pages' code.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata

import httpx
import pytest

pytestmark = pytest.mark.server

UNIT_IRI = "https://w3id.org/obligraph/id/unit/cuc-tre-em"
PREFIXES = """PREFIX ob: <https://w3id.org/obligraph/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
"""
#: (task, role, programme number) of a unit's register, straight from the graph.
UNIT_ROWS = (
    PREFIXES
    + """SELECT DISTINCT ?t ?r ?no WHERE {
  ?a ob:unit <UNIT> ; ob:task ?t ; ob:role ?r . FILTER(?r IN (ob:LeadRole, ob:SupportRole))
  ?t a ob:Task ; ob:inDocument ?d .
  { ?t ob:programme ?p }
  UNION { FILTER NOT EXISTS { ?t ob:programme ?x } ?d ob:implements ?p }
  UNION { FILTER NOT EXISTS { ?t ob:programme ?x } FILTER NOT EXISTS { ?d ob:implements ?y }
          BIND(?d AS ?p) }
  ?p eli:id_local ?no }"""
)


def get(site: str, path: str, **params: str) -> httpx.Response:
    return httpx.get(site + path, params=params or None, timeout=60)


def shown(page: str) -> tuple[int, int]:
    """(rows that pass the filters, rows of the register) the page says."""
    m = re.search(r'id="register-count" data-shown="(\d+)" data-total="(\d+)"', page)
    assert m, "no register count on the page"
    return int(m.group(1)), int(m.group(2))


def facet(page: str, name: str) -> dict[str, int]:
    """A facet's values and counts as the page shows them."""
    block = re.search(rf'<div class="facet" data-facet="{name}">(.*?)</div>', page, re.S)
    assert block, f"no facet {name}"
    pairs = re.findall(
        r'data-value="([^"]*)"[^>]*>.*?<span class="n" data-count="(\d+)"', block.group(1), re.S
    )
    return {v: int(n) for v, n in pairs}


def rows_of(page: str) -> list[str]:
    return re.findall(r'<tr class="role-[a-z]+">(.*?)</tr>', page, re.S)


@pytest.fixture(scope="module")
def unit_rows(corpus_store) -> set[tuple[str, str, str]]:
    result = corpus_store.query(UNIT_ROWS.replace("UNIT", UNIT_IRI))
    return {(str(t), str(r).rsplit("#", 1)[-1], str(no)) for t, r, no in result.rows}


def test_unit_register_facets_count_what_the_store_holds(site, unit_rows):
    page = get(site, "/unit/cuc-tre-em").text
    pairs = {(t, r) for t, r, _ in unit_rows}
    assert shown(page) == (len(pairs), len(pairs)) == (44, 44)
    by_programme: dict[str, int] = {}
    for _t, _r, no in unit_rows:
        by_programme[no] = by_programme.get(no, 0) + 1
    assert facet(page, "programme") == by_programme
    roles = {"lead": 0, "support": 0}
    for _t, r in pairs:
        roles["lead" if r == "LeadRole" else "support"] += 1
    assert facet(page, "role") == roles


def test_programme_filter_keeps_its_rows_and_recounts(site, unit_rows):
    programme = "1863/QĐ-TTg"
    expected = {(t, r) for t, r, no in unit_rows if no == programme}
    page = get(site, "/unit/cuc-tre-em", programme=programme).text
    assert shown(page) == (len(expected), 44)
    assert 0 < len(expected) < 44
    assert len(rows_of(page)) == len(expected)
    leads = sum(r == "LeadRole" for _t, r in expected)
    assert facet(page, "role") == {
        k: v for k, v in {"lead": leads, "support": len(expected) - leads}.items() if v
    }
    assert facet(page, "programme")[programme] == len(expected)
    assert "16 trên 44 dòng" in page  # read off the page: 16 rows under 1863/QĐ-TTg
    # the chosen value links back to the unfiltered register
    assert re.search(r'class="chosen"><a data-value="1863/QĐ-TTg" href="/unit/cuc-tre-em#', page)


def test_download_holds_exactly_the_rows_shown(site, unit_rows):
    programme = "1863/QĐ-TTg"
    page = get(site, "/unit/cuc-tre-em", programme=programme, sort="-document").text
    link = re.search(r'id="download-csv" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert link.startswith("/unit/cuc-tre-em/obligations.csv?")
    r = httpx.get(site + link, timeout=60)
    assert r.content.startswith(b"\xef\xbb\xbf")
    text = r.content.decode("utf-8-sig")
    assert unicodedata.is_normalized("NFC", text)
    table = list(csv.DictReader(io.StringIO(text)))
    expected = {(t, r) for t, r, no in unit_rows if no == programme}
    assert len(table) == len(expected) == len(rows_of(page))
    assert all(programme in row["programmes"] for row in table)
    shown_ids = [
        re.search(r'href="/task/[^"]*/task/([^"]+)"', row).group(1) for row in rows_of(page)
    ]
    assert [row["task_id"] for row in table] == shown_ids  # same rows, same order
    data = json.loads(httpx.get(site + link.replace(".csv", ".json"), timeout=60).text)
    assert [row["task_id"] for row in data] == shown_ids
    from openpyxl import load_workbook

    xlsx = httpx.get(site + link.replace(".csv", ".xlsx"), timeout=60).content
    sheet = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert len(sheet) == len(expected) + 1 and sheet[0][0] == "role"


def test_sort_by_a_column_and_back(site):
    up = rows_of(get(site, "/unit/cuc-tre-em", sort="document").text)
    down = rows_of(get(site, "/unit/cuc-tre-em", sort="-document").text)
    docs_up = [re.search(r'href="/doc/[^"]+">([^<]+)</a>', r).group(1) for r in up]
    docs_down = [re.search(r'href="/doc/[^"]+">([^<]+)</a>', r).group(1) for r in down]
    assert docs_up == sorted(docs_up) and docs_down == sorted(docs_down, reverse=True)
    assert docs_up[0] != docs_down[0]


def test_document_register_counts_its_assignments(site, corpus_store):
    doc = "https://w3id.org/obligraph/id/doc/qd/704-qd-ldtbxh/2021"
    q = (
        PREFIXES
        + f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?t ?u ?r WHERE {{
        ?t a ob:Task ; ob:inDocument <{doc}> .
        OPTIONAL {{ ?a ob:task ?t ; ob:unit ?u ; ob:role ?r }} }} }}"""
    )
    expected = int(corpus_store.query(q).rows[0][0])
    page = get(site, "/register/document/qd/704-qd-ldtbxh/2021").text
    assert shown(page) == (expected, expected)
    assert "<h1>Sổ nghĩa vụ theo văn bản: 704/QĐ-LĐTBXH</h1>" in page
    lead = get(site, "/register/document/qd/704-qd-ldtbxh/2021", role="lead").text
    assert shown(lead)[0] == facet(page, "role")["lead"] == 37  # one lead per row of its 37


def test_search_register_has_every_task_found(site):
    home = get(site, "/", q="tre em").text
    found = int(re.search(r"<h3>Nhiệm vụ \((\d+)\)</h3>", home).group(1))
    link = re.search(r'id="search-register" href="([^"]+)"', home).group(1)
    page = httpx.get(site + link.replace("&amp;", "&"), timeout=60).text
    csv_link = re.search(r'id="download-csv" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    table = list(
        csv.DictReader(io.StringIO(httpx.get(site + csv_link).content.decode("utf-8-sig")))
    )
    assert len(table) == shown(page)[0]
    assert len({(row["document"], row["task_id"]) for row in table}) == found


def test_programme_register_and_english_headings(site, corpus_store):
    page = get(site, "/register/programme/qd/1863-qd-ttg/2019").text
    assert "Sổ nghĩa vụ theo chương trình" in page and "Bộ lọc" in page
    assert set(facet(page, "programme")) >= {"1863/QĐ-TTg"}
    assert facet(page, "programme")["1863/QĐ-TTg"] == shown(page)[0] > 0
    en = get(site, "/register/programme/qd/1863-qd-ttg/2019", lang="en").text
    assert "Obligation register of the programme" in en and "Filters" in en
    assert "Bộ lọc" not in en and "Chương trình" not in en.split("<main")[1]


def test_unknown_register_is_404(site):
    assert get(site, "/register/unit/no-such-unit").status_code == 404
    assert get(site, "/register/else/x").status_code == 404
    assert get(site, "/unit/cuc-tre-em/obligations.pdf").status_code == 404


def test_query_page_describes_the_query_in_vietnamese(site):
    from obligraph.queries.library import get as named

    q = named("obligations-of-unit")
    page = get(site, "/queries/obligations-of-unit").text
    assert f'<p class="description">{q.description_vi}</p>' in page
    assert q.description not in page
    en = get(site, "/queries/obligations-of-unit", lang="en").text
    assert q.description_vi not in en


def test_a_big_unit_register_is_read_a_page_at_a_time(corpus_store):
    """Past the bound (lowered here to bite on the bundled corpus) the unit page reads
    only its page's tasks, in the order of their addresses, with no facets; its counts
    are the stored summary's; the pages together hold exactly the register's rows."""
    from obligraph.graph.analysis.summary import summary, unit_tally
    from obligraph.viz.web.data import unit_summary
    from obligraph.viz.web.pages import unit
    from obligraph.viz.web.register import _natural, bounded_page
    from obligraph.viz.web.registers import register_keys

    iri = "https://w3id.org/obligraph/id/unit/cuc-tre-em"
    s = summary(corpus_store)
    tally, best = unit_summary(corpus_store, iri)
    want = unit_tally(s, iri)
    assert (tally.lead, tally.support, tally.pairs, tally.shared) == (
        want.lead,
        want.support,
        want.pairs,
        want.shared,
    )
    assert best == s.unit_overlaps.get(iri, [])
    every = {(r["task"], r["role"]) for r in register_keys(corpus_store, "unit", iri)}
    assert len(every) == want.load > 10
    first = bounded_page(corpus_store, iri, want.load, 1, size=10)
    assert first.total == want.load and first.facets == {}
    tasks = sorted({t for t, _ in every}, key=_natural)
    assert first.pages == (len(tasks) + 9) // 10 > 1
    seen, order = set(), []
    for n in range(1, first.pages + 1):
        got = bounded_page(corpus_store, iri, want.load, n, size=10)
        assert got.page == n and len({r["task"] for r in got.rows}) <= 10
        seen |= {(r["task"], r["role"]) for r in got.rows}
        order += list(dict.fromkeys(r["task"] for r in got.rows))
    assert seen == every and order == tasks
    page = unit(corpus_store, "cuc-tre-em", "vi", 1, {}, bounded_from=10)
    assert page["bounded"] and page["tally"].load == want.load
    assert [r["task"] for r in page["register"]][:1] == tasks[:1]
    assert page["facets"] == []
    # a filter or a sort reads the whole register again, with its facets
    sorted_page = unit(corpus_store, "cuc-tre-em", "vi", 1, {"sort": "due"}, bounded_from=10)
    assert not sorted_page["bounded"] and sorted_page["facets"]
    assert not unit(corpus_store, "cuc-tre-em", "vi", 1, {})["bounded"]
