"""The web pages over a real server: home and search, unit, document, overview, editor, views.

Content is checked against what the bundled documents say; each page in
Vietnamese (the default) and in English (``?lang=en``).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import httpx
import pytest

pytestmark = pytest.mark.server

UNIT = "/unit/cuc-tre-em"
DOC_704 = "/doc/qd/704-qd-ldtbxh/2021"


def get(site: str, path: str, **params: str) -> httpx.Response:
    return httpx.get(site + path, params=params or None, timeout=30)


def text_of(html: str) -> str:
    """Visible-ish text: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# ---------------------------------------------------------------- home and search


def test_home_in_vietnamese_and_english(site):
    vi = get(site, "/")
    assert vi.status_code == 200 and vi.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in vi.text
    assert "obligraph — sổ nghĩa vụ" in vi.text and "Tìm kiếm" in vi.text
    # the store holds the five bundled documents
    assert re.search(r"Kho dữ liệu hiện có: 5 văn bản, \d+ nhiệm vụ", text_of(vi.text))
    en = get(site, "/", lang="en")
    assert '<html lang="en">' in en.text
    assert "obligraph — obligation register" in en.text
    assert re.search(r"The store holds: 5 documents, \d+ tasks", text_of(en.text))
    assert 'href="/overview?lang=en"' in en.text  # links keep the language


def test_search_ignores_diacritics(site):
    page = get(site, "/", q="tre em").text
    assert "Kết quả: «tre em»" in page
    units = re.search(r'<ul class="hits hits-unit">(.*?)</ul>', page, re.S).group(1)
    assert '<a href="/unit/cuc-tre-em">Cục Trẻ em</a>' in units
    assert "Quỹ Bảo trợ trẻ em Việt Nam" in units
    tasks = re.search(r'<ul class="hits hits-task">(.*?)</ul>', page, re.S).group(1)
    assert "trẻ em" in tasks
    # the same hits whether typed with or without marks, in any case
    for q in ("trẻ em", "TRE EM", "Trẻ Em"):
        again = get(site, "/", q=q).text
        assert (
            again.split('<section id="results">')[1].split("</h2>")[1]
            == page.split('<section id="results">')[1].split("</h2>")[1]
        )


def test_search_finds_documents_by_number(site):
    page = get(site, "/", q="704/QD").text
    docs = re.search(r'<ul class="hits hits-document">(.*?)</ul>', page, re.S).group(1)
    assert f'<a href="{DOC_704}">704/QĐ-LĐTBXH</a>' in docs


def test_search_with_nothing_found(site):
    assert "Không tìm thấy kết quả nào." in get(site, "/", q="zzzqqq").text
    assert "Nothing found." in get(site, "/", q="zzzqqq", lang="en").text


def test_search_hits_of_tasks_open_the_row(site):
    page = get(site, "/", q="co so du lieu ve tre em").text
    href = re.search(r'<ul class="hits hits-task">\s*<li><a href="([^"]+)"', page).group(1)
    path, anchor = href.split("#")
    doc = get(site, path).text
    assert f'id="{anchor}"' in doc


# ---------------------------------------------------------------- unit page


def test_unit_page_register_with_sources(site):
    page = get(site, UNIT).text
    assert "<h1>Cục Trẻ em</h1>" in page
    assert "Cục TE" in page  # the abbreviation the texts use
    assert '<a href="/unit/bo-lao-dong-thuong-binh-va-xa-hoi">' in page  # its ministry
    assert "<dd>Đơn vị thuộc bộ</dd>" in page  # its level, named by the ontology
    assert "<h2>Sổ nghĩa vụ (44)</h2>" in page
    # 406, annex 1.a, line 121: Cục Trẻ em leads, "Hàng năm"
    row = next(
        r
        for r in re.findall(r"<tr class=\"role-[a-z]+\">(.*?)</tr>", page, re.S)
        if "dòng 121" in r and "406/QĐ-LĐTBXH" in r
    )
    assert "chủ trì" in row and "Hàng năm" in row
    assert "qd-406-ldtbxh-2020-ke-hoach-phong-chong-bao-luc-xam-hai.txt, dòng 121" in row
    assert "<blockquote>a)" in row and "Xây dựng tài liệu và hướng dẫn cho cha mẹ" in row
    assert '<section id="deadlines">' in page and '<section id="overlaps">' in page
    assert re.search(r"<h2>Trùng lặp với nhiệm vụ khác \([1-9]\d*\)</h2>", page)
    assert 'id="download-csv" href="/unit/cuc-tre-em/obligations.csv"' in page
    assert 'id="download-xlsx" href="/unit/cuc-tre-em/obligations.xlsx"' in page
    assert '<iframe class="graph" src="/view/unit?target=' in page


def test_unit_page_says_who_owes_it_now(site):
    page = get(site, UNIT).text
    # Cục Trẻ em's children's affairs went to the Ministry of Health in 2025 (NĐ 42/2025/NĐ-CP)
    now = re.search(r'<dd class="now">(.*?)</dd>', page, re.S).group(1)
    assert now.startswith("Năm 2025") and "Bộ Y tế" in now and "42/2025/NĐ-CP" in now
    assert "Ai chịu trách nhiệm hôm nay" in page


def test_unit_page_in_english(site):
    page = get(site, UNIT, lang="en").text
    assert "<h2>Obligation register (44)</h2>" in page
    assert "Other names" in page and "Part of" in page
    assert "<dd>Ministry unit</dd>" in page
    assert '<span class="role lead">lead</span>' in page
    assert "&lang=en" in re.search(r'<iframe class="graph" src="([^"]+)"', page).group(1)


def test_unknown_unit_is_a_404_page(site):
    r = get(site, "/unit/no-such-unit")
    assert r.status_code == 404
    assert "Không tìm thấy" in r.text and "unit/no-such-unit" in r.text
    assert get(site, "/unit/no-such-unit", lang="en").text.count("Not found") >= 1


def test_register_csv_has_a_bom_and_the_rows(site):
    r = get(site, UNIT + "/obligations.csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert 'filename="obligations-cuc-tre-em.csv"' in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for Excel
    text = r.content.decode("utf-8-sig")
    assert unicodedata.is_normalized("NFC", text)
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == 44
    row = next(x for x in table if x["line"] == "121" and x["document"] == "406/QĐ-LĐTBXH")
    assert row["role"] == "lead" and row["task_id"] == "annex-1-a"
    assert row["source_file"] == "qd-406-ldtbxh-2020-ke-hoach-phong-chong-bao-luc-xam-hai.txt"
    assert "Xây dựng tài liệu và hướng dẫn cho cha mẹ" in row["quote"]


def test_register_xlsx_opens_with_the_same_rows(site):
    from openpyxl import load_workbook

    r = get(site, UNIT + "/obligations.xlsx")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    values = list(sheet.iter_rows(values_only=True))
    header, body = values[0], values[1:]
    assert "quote" in header and "role" in header
    assert len(body) == 44
    col = header.index("text")
    assert any("Xây dựng tài liệu và hướng dẫn cho cha mẹ" in (row[col] or "") for row in body)


def test_register_download_of_unknown_format_is_404(site):
    assert get(site, UNIT + "/obligations.pdf").status_code == 404


# ---------------------------------------------------------------- document page


def test_document_page_of_704(site):
    page = get(site, DOC_704).text
    assert "704/QĐ-LĐTBXH" in page.split("</h1>")[0]
    assert "Bộ Lao động - Thương binh và Xã hội" in page
    legal = page.split('<section id="legal-bases">')[1].split("</section>")[0]
    assert "14/2017/NĐ-CP" in legal and "23/QĐ-TTg" in legal
    assert "dòng 16" in legal  # "Căn cứ Nghị định số 14/2017/NĐ-CP" is line 16
    tasks = page.split('<section id="tasks">')[1].split("</section>")[0]
    assert "<h2>Nhiệm vụ (37)</h2>" in tasks
    assert 'id="task-annex-8-a"' in tasks and "Cục Trẻ em" in tasks
    assert '<section id="findings">' in page
    assert 'id="doc-graph" href="/view/document?target=' in page


def test_document_page_lists_tasks_not_deadlines(site):
    """Regression: reporting deadlines (ob:inDocument, not ob:Task) were listed as tasks."""
    page = get(site, DOC_704).text
    tasks = page.split('<section id="tasks">')[1].split("</section>")[0]
    assert re.findall(r'<tr id="task-([^"]*)"', tasks) == [
        i for i in re.findall(r'<tr id="task-([^"]*)"', tasks) if i.startswith("annex-")
    ]


def test_document_page_in_english(site):
    page = get(site, DOC_704, lang="en").text
    assert "Legal bases and citations" in page and "<h2>Tasks (37)</h2>" in page
    assert "legal basis" in page  # the relation, translated


def test_cited_document_page_says_it_is_not_loaded(site):
    page = get(site, "/doc/nd/14-2017-nd-cp/2017").text
    assert "Văn bản này chỉ được trích dẫn, chưa được nạp." in page
    assert "704/QĐ-LĐTBXH" in page  # cited by


# ---------------------------------------------------------------- overview, views, editor


def test_overview_draws_the_heat_map_load_and_overlaps(site):
    page = get(site, "/overview").text
    heat = page.split('<section id="heat">')[1].split("</section>")[0]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart heat"' in heat
    assert 'data-row="Cục Trẻ em" data-col="23/QĐ-TTg"' in heat
    assert "<details><summary>Xem bảng số liệu</summary>" in heat  # table behind the picture
    load = page.split('<section id="load">')[1].split("</section>")[0]
    assert 'class="chart bars"' in load and "Cục Trẻ em" in load
    overlap = page.split('<section id="overlap">')[1].split("</section>")[0]
    assert re.search(r"Trùng lặp giữa các chương trình \([1-9]\d*\)", overlap)
    en = get(site, "/overview", lang="en").text
    assert "Tasks per unit × programme (lead/support)" in en and "Units ranked by load" in en


def test_overview_shows_the_busiest_units_and_says_how_many_more(site, corpus_store):
    """The bundled corpus has more units with tasks than the overview shows: the load
    table and the heat table hold the busiest, a note in each language says how many
    more, and the downloads hold every unit, cell and pair of programmes."""
    from obligraph.graph.analysis.summary import summary
    from obligraph.viz.web.data import iri_tail
    from obligraph.viz.web.pages import HEAT_ROWS

    s = summary(corpus_store)
    ranked = s.ranked()
    assert len(ranked) > HEAT_ROWS  # the bound bites
    more = len(ranked) - HEAT_ROWS
    page = get(site, "/overview").text
    load = page.split('<section id="load">')[1].split("</section>")[0]
    shown = re.findall(r'<tr><td>\d+</td><td><a href="/unit/([^"]+)">', load)
    assert shown == [iri_tail(u.unit, "unit") for u in ranked[:HEAT_ROWS]]
    note = re.search(r'<p class="note bound" id="load-bound">(.*?)</p>', load).group(1)
    assert note == (
        f"Chỉ gồm {HEAT_ROWS} đơn vị nhiều nhiệm vụ nhất trong {len(ranked)} đơn vị có "
        f"nhiệm vụ; {more} đơn vị còn lại có trong tệp tải về."
    )
    heat = page.split('<section id="heat">')[1].split("</section>")[0]
    table = heat.split('<table class="matrix">')[1]
    assert re.findall(r'<tr><td><a href="/unit/([^"]+)">', table) == shown
    assert f"{more} đơn vị và" in heat and 'href="/overview/cells.csv"' in heat
    en = get(site, "/overview", lang="en").text
    assert (
        f"Showing the {HEAT_ROWS} busiest of the {len(ranked)} units with tasks; the other "
        f"{more} are in the download." in en
    )
    rows = list(csv.DictReader(io.StringIO(get(site, "/overview/load.csv").text.lstrip("\ufeff"))))
    assert [r["unit"] for r in rows] == [u.label for u in ranked]
    assert [int(r["lead"]) + int(r["support"]) for r in rows] == [u.load for u in ranked]
    cells = get(site, "/overview/cells.json").json()
    want = {
        (s.units[u].label, s.programme_label(p), lead, support)
        for (u, p), (lead, support) in s.cells.items()
        if u in s.units and (lead or support)
    }
    assert {(c["unit"], c["programme"], c["lead"], c["support"]) for c in cells} == want
    pairs = get(site, "/overview/programme-pairs.json").json()
    assert {(r["programme_a"], r["programme_b"]): r["pairs"] for r in pairs} == {
        (s.programme_label(a), s.programme_label(b)): n for (a, b), n in s.programme_pairs.items()
    }
    assert get(site, "/overview/everything.csv").status_code == 404


def test_overview_bounds_programmes_too(corpus_store):
    """With fewer columns than the corpus has programmes, the heat map shows the busiest
    programmes (most tasks over every unit) and the overlap matrix the programmes with
    the most overlapping pairs; the counts of what is left out are the store's."""
    from obligraph.graph.analysis.summary import summary
    from obligraph.viz.web.pages import overview

    s = summary(corpus_store)
    per: dict[str, int] = {}
    for (_u, p), (lead, support) in s.cells.items():
        per[s.programme_label(p)] = per.get(s.programme_label(p), 0) + lead + support
    assert len(per) > 3
    got = overview(corpus_store, "vi", rows=5, columns=3)
    assert [u for u, _ in got["ranked"]] == [u.label for u in s.ranked()[:5]]
    assert len(got["programmes"]) == 3
    assert min(per[p] for p in got["programmes"]) >= max(
        n for p, n in per.items() if p not in got["programmes"]
    )
    assert got["more_programmes"] == len(per) - 3 and got["more_units"] == len(s.ranked()) - 5
    assert {p for _u, p in got["cells"]} <= set(got["programmes"])
    cols = set(re.findall(r'data-col="([^"]+)"', got["heat_svg"]))
    rows = set(re.findall(r'data-row="([^"]+)"', got["heat_svg"]))
    assert cols <= set(got["programmes"]) and rows <= {u for u, _ in got["ranked"]}
    paired = {x for ab in s.programme_pairs for x in ab}
    assert got["pair_programmes_total"] == len(paired)
    assert len(got["pair_programmes"]) == min(3, len(paired))
    assert set(re.findall(r'data-col="([^"]+)"', got["overlap_svg"])) <= set(got["pair_programmes"])


def test_view_pages_are_served_self_contained(site):
    from obligraph.viz.render import assert_self_contained

    r = get(site, "/view/unit", target="https://w3id.org/obligraph/id/unit/cuc-tre-em")
    assert r.status_code == 200
    assert_self_contained(r.text)
    assert "<h1>Cục Trẻ em: 44 nhiệm vụ</h1>" in r.text
    en = get(site, "/view/lineage", target="4063/QĐ-UBND", lang="en").text
    assert "<h1>Legal basis of 4063/QĐ-UBND</h1>" in en
    assert get(site, "/view/map").status_code == 404
    bad = get(site, "/view/unit", target="Cục Trẻ")
    assert bad.status_code == 400 and "did you mean" in bad.text


def test_editor_page_serves_yasgui_locally_with_the_named_queries(site):
    from obligraph.queries.library import catalogue

    page = get(site, "/editor").text
    assert "<h1>Trình soạn SPARQL</h1>" in page
    assert '<link rel="stylesheet" href="/vendor/yasgui/yasgui.min.css">' in page
    assert '<script src="/vendor/yasgui/yasgui.min.js"></script>' in page
    names = re.findall(r'data-query="([^"]+)"', page)
    assert names == [q.name for q in catalogue()]
    for src in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert src.startswith(("/", "#")), src  # everything from this server
    js = get(site, "/vendor/yasgui/yasgui.min.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert "SPARQL editor" in get(site, "/editor", lang="en").text


def test_editor_queries_have_their_parameters_bound(site):
    queries = get(site, "/editor/queries.json").json()
    assert queries and all({"name", "title", "query"} <= set(q) for q in queries)
    with_params = [q for q in queries if q["query"].startswith("# ?")]
    assert with_params and all("VALUES" in q["query"] for q in with_params)


def test_pages_link_only_to_this_server(site):
    for path in ("/", "/?q=tre+em", UNIT, DOC_704, "/overview", "/editor"):
        page = get(site, path).text
        for ref in re.findall(r'(?:src|href)="([^"]*)"', page):
            assert ref.startswith(("/", "#", "?")), (path, ref)
