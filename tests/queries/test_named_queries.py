"""Every named query runs on the bundled corpus and answers what the documents say.

Expectations come from reading the five documents in ``obligraph/corpus/``;
line numbers are the documents' own (1-based). Documents are named by their
number as printed (``704/QĐ-LĐTBXH``); the guidance letter has none.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from obligraph.queries.library import catalogue, get, run

from obligraph.base.errors import QueryError
from obligraph.base.textkeys import fold

QD704 = "704/QĐ-LĐTBXH"
QD406 = "406/QĐ-LĐTBXH"
QD923 = "923/QĐ-LĐTBXH"
QD4063 = "4063/QĐ-UBND"
DOCS_MD = Path(__file__).resolve().parents[2] / "docs" / "queries.md"


def lines(rows, document, column="line"):
    """The source lines of the rows about one document."""
    return {int(r[column]) for r in rows if r.get("document") == document and r.get(column)}


def by_line(rows, document, line, column="line"):
    found = [r for r in rows if r.get("document") == document and r.get(column) == str(line)]
    assert found, f"nothing at {document} line {line}"
    return found


# ------------------------------------------------------------------ the library itself


def test_library_has_the_promised_queries():
    names = {q.name for q in catalogue()}
    promised = {
        "obligations-of-unit", "lead-support-counts", "tasks-of-document",
        "implementers-of-programme", "legal-basis-chain", "derived-from-basis",
        "indicator-targets", "obligations-due", "obligations-due-before", "unassigned-tasks",
        "co-led-tasks", "multi-programme-units", "unit-collaborations", "partners-of-unit",
        "requests-vs-obligations", "overlapping-obligations", "task-search", "unit-search",
        "findings", "reporting-deadlines",
    }  # fmt: skip
    assert promised <= names
    assert len(names - {"documents", "stats-by-type"}) >= 15


@pytest.mark.parametrize("query", catalogue(), ids=lambda q: q.name)
def test_header_is_complete(query):
    vi, _, en = query.title.partition(" | ")
    assert vi.strip() and en.strip(), f"{query.name}: title needs 'Vietnamese | English'"
    assert len(query.description) > 40
    for p in query.params:
        assert p.description and p.example, f"{query.name}: param {p.name} lacks text/example"
        assert re.search(rf"\?{p.name}\b", query.text.split("WHERE", 1)[1])


@pytest.mark.parametrize("query", catalogue(), ids=lambda q: q.name)
def test_every_query_runs_with_its_example(corpus_store, people_store, people_queries, query):
    params = {p.name: p.example for p in query.params}
    result = run(corpus_store, query.name, params)
    assert result.vars
    if query.name in people_queries:  # nobody corrected the bundled corpus
        assert not result.rows
        params = {**params, "unit": "Vụ Kế hoạch - Tài chính"} if query.params else params
        result = run(people_store, query.name, params)
    if query.name != "obligations-due-before":  # its example date is checked below
        assert result.rows, f"{query.name} {params} found nothing in the corpus"


def test_docs_list_every_query():
    text = DOCS_MD.read_text(encoding="utf-8")
    for q in catalogue():
        assert f"### `{q.name}`" in text, f"docs/queries.md misses {q.name}"
        assert q.title in text
        for p in q.params:
            assert f"| `{p.name}` | {p.type} |" in text, f"docs miss {q.name} param {p.name}"


def test_missing_parameter_is_a_clear_error(corpus_store):
    with pytest.raises(QueryError, match="unit"):
        run(corpus_store, "obligations-of-unit", {"subunits": "false"})


# ------------------------------------------------------------------ obligations of a unit


def test_obligations_of_cuc_tre_em(ask):
    rows = ask("obligations-of-unit", unit="Cục Trẻ em", subunits="false")
    assert {r["unitName"] for r in rows} == {"Cục Trẻ em"}
    lead = {(r["document"], int(r["line"])) for r in rows if r["role"] == "lead"}
    support = {(r["document"], int(r["line"])) for r in rows if r["role"] == "support"}
    # 704 annex: leads 1.a (141), 1.b with Cục Bảo trợ xã hội (142), 2.a (146), 3.a (152),
    # 9.a (180), 10 (183); supports 2.b (147) and 9.b led by Thanh tra Bộ (181)
    assert {(QD704, n) for n in (141, 142, 146, 152, 180, 183)} <= lead
    assert {(QD704, 147), (QD704, 181)} <= support
    assert (QD704, 181) not in lead and (QD704, 147) not in lead
    # 406 annex: leads 1.a (121) and the inspection row 4 with Thanh tra Bộ (139)
    assert {(QD406, 121), (QD406, 139)} <= lead
    row = by_line(rows, QD704, 141)[0]
    assert row["text"].startswith("Xây dựng, lồng ghép, hướng dẫn triển khai")
    assert row["timeframe"] == "Hàng năm"
    assert "23/QĐ-TTg" in row["programmes"]
    assert row["sourceFile"] == "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.txt"


def test_obligations_accept_abbreviation_and_subunits(ask):
    full = ask("obligations-of-unit", unit="Cục Trẻ em", subunits="false")
    short = ask("obligations-of-unit", unit="Cục TE", subunits="false")
    assert short == full
    ministry = "Bộ Lao động - Thương binh và Xã hội"
    alone = ask("obligations-of-unit", unit=ministry, subunits="false")
    with_units = ask("obligations-of-unit", unit=ministry, subunits="true")
    assert "Cục Trẻ em" not in {r["unitName"] for r in alone}
    names = {r["unitName"] for r in with_units}
    assert {
        "Cục Trẻ em",
        "Thanh tra Bộ Lao động - Thương binh và Xã hội",
        "Cục Bảo trợ xã hội",
    } <= names
    cte = [r for r in with_units if r["unitName"] == "Cục Trẻ em"]
    assert len(cte) == len(full)


def test_lead_support_counts(ask):
    rows = {r["unitName"]: r for r in ask("lead-support-counts")}
    cte = rows["Cục Trẻ em"]
    # 704's annex alone: Cục Trẻ em leads 26 rows and supports 2 (2.b, 9.b)
    assert int(cte["lead"]) >= 26 and int(cte["support"]) >= 2
    assert int(cte["total"]) == len(
        {(r["document"], r["taskId"]) for r in ask("obligations-of-unit", unit="Cục Trẻ em",
                                                    subunits="false")}
    )  # fmt: skip
    assert int(cte["documents"]) >= 2  # 704 and 406
    # Thanh tra Bộ leads 704 9.b and 406 row 4; supports 704 5.b and 9.a
    tt = rows["Thanh tra Bộ Lao động - Thương binh và Xã hội"]
    assert int(tt["lead"]) >= 2 and int(tt["support"]) >= 2
    assert int(cte["lead"]) > int(cte["support"])


# ------------------------------------------------------------------ documents


def test_tasks_of_704(ask):
    rows = ask("tasks-of-document", document=QD704)
    assert rows == ask("tasks-of-document", document="704/qđ-lđtbxh")  # case-insensitive
    row141 = next(r for r in rows if r["line"] == "141")
    assert row141["leads"] == "Cục Trẻ em"
    for unit in ("Cục Bảo trợ xã hội", "Cục Việc làm", "Văn phòng Quốc gia về giảm nghèo"):
        assert unit in row141["supports"]
    row142 = next(r for r in rows if r["line"] == "142")
    assert set(row142["leads"].split("; ")) == {"Cục Trẻ em", "Cục Bảo trợ xã hội"}
    row181 = next(r for r in rows if r["line"] == "181")
    assert (
        row181["leads"] == "Thanh tra Bộ Lao động - Thương binh và Xã hội"
        and "Cục Trẻ em" in row181["supports"]
    )
    assert {r["sourceFile"] for r in rows} == {
        "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.txt"
    }
    assert ask("tasks-of-document", document="704/QĐ-TTg") == []


def test_tasks_of_a_document_without_number_by_file_name(ask):
    """The guidance letter reached us without its header: its file name finds it. Its
    ten numbered items (lines 17 ... 190) are the tasks, in source order."""
    rows = ask("tasks-of-document", document="cv-ldtbxh-2020-huong-dan-cong-tac-tre-em.txt")
    assert [r["taskId"] for r in rows] == [str(n) for n in range(1, 11)]
    assert [r["line"] for r in rows][:3] == ["17", "39", "73"] and rows[-1]["line"] == "190"
    assert rows[7]["text"].startswith("Tăng cường thanh tra, kiểm tra việc thực hiện")


def test_implementers_of_programmes(ask):
    docs = {r["document"] for r in ask("implementers-of-programme", programme="23/QĐ-TTg")}
    assert {QD704, QD4063} <= docs and QD406 not in docs
    docs = {r["document"] for r in ask("implementers-of-programme", programme="1863/QĐ-TTg")}
    assert QD406 in docs and QD704 not in docs
    docs = {r["document"] for r in ask("implementers-of-programme", programme="23/CT-TTg")}
    assert docs == {QD923}


def test_legal_basis_chain_of_704(ask):
    rows = ask("legal-basis-chain", document=QD704)
    direct = {r["basisNumber"] for r in rows if r["direct"] == "true"}
    # Căn cứ at lines 16 and 20 of the decision
    assert {"14/2017/NĐ-CP", "23/QĐ-TTg"} <= direct


def test_legal_basis_chain_of_4063_reaches_the_law(ask):
    rows = ask("legal-basis-chain", document=QD4063)
    numbers = {r["basisNumber"] for r in rows}
    titles = {fold(r["basisTitle"] or "") for r in rows}
    assert {"56/2017/NĐ-CP", "121/2020/QH14", "1863/QĐ-TTg", "23/QĐ-TTg"} <= numbers
    assert any("luat tre em" in t for t in titles)  # Căn cứ Luật Trẻ em (line 22)


def test_derived_from_basis(ask):
    docs = {r["document"] for r in ask("derived-from-basis", basis="14/2017/NĐ-CP")}
    assert {QD704, QD406, QD923} <= docs and QD4063 not in docs  # the ministry's Căn cứ
    docs = {r["document"] for r in ask("derived-from-basis", basis="56/2017/NĐ-CP")}
    assert QD4063 in docs and QD704 not in docs


# ------------------------------------------------------------------ indicators and dates


def test_indicator_targets_by_year(ask):
    y2025 = [r for r in ask("indicator-targets", year="2025") if r["document"] == QD4063]
    y2030 = [r for r in ask("indicator-targets", year="2030") if r["document"] == QD4063]
    ind1 = [r for r in y2025 if r["indicatorId"] == "1"]
    # Chỉ tiêu 1: 65% in 2025, 75% in 2030, Sở Lao động - Thương binh và Xã hội reports
    assert [float(r["value"]) for r in ind1] == [65.0]
    assert "Sở Lao động - Thương binh và Xã hội" in ind1[0]["owners"]
    assert [float(r["value"]) for r in y2030 if r["indicatorId"] == "1"] == [75.0]
    # Chỉ tiêu 6 (HIV, 2% in 2030) has no 2025 target
    assert not [r for r in y2025 if r["indicatorId"].split(".")[0] == "6"]
    assert [float(r["value"]) for r in y2030 if r["indicatorId"] == "6"] == [2.0]
    # Sở Y tế owns Chỉ tiêu 3-6 (line 164); 3, 4 and 5 have several sub-targets
    health = [r for r in y2025 if r["indicatorId"].split(".")[0] in {"3", "4", "5"}]
    assert len(health) == 8  # 3 (three rates), 4 (three), 5 (two)
    assert all(r["owners"] == "Sở Y tế Thành phố Hồ Chí Minh" for r in health)
    infant = next(r for r in y2025 if r["indicatorId"] == "3.2")
    # "Giảm tỷ suất tử vong của trẻ em dưới 1 tuổi xuống 8,05/1.000 trẻ đẻ sống năm 2025"
    assert float(infant["value"]) == 8.05 and infant["comparator"] == "AtMost"
    assert infant["line"] == "142"


def test_obligations_due_in_a_year(ask):
    due2025 = ask("obligations-due", year="2025")
    # 704 row 10 "Năm 2025 Năm 2030" (183); 406 row 6 "Hằng năm Năm 2022 Năm 2025" (141)
    assert 183 in lines(due2025, QD704) and 141 in lines(due2025, QD406)
    assert 141 not in lines(due2025, QD704)  # "Hàng năm" only: not listed
    due2022 = ask("obligations-due", year="2022")
    assert 141 in lines(due2022, QD406) and 183 not in lines(due2022, QD704)
    due2020 = ask("obligations-due", year="2020")
    assert 127 in lines(due2020, QD406)  # 406 row 2.a "Năm 2020"


def test_obligations_due_before_a_date(ask):
    rows = ask("obligations-due-before", date="2020-12-31")
    assert rows and all(r["dueDate"] <= "2020-12-31" for r in rows)
    # the guidance letter: report "trước ngày 25/5 và 20/11 năm 2020" (line 208)
    assert {"2020-05-25", "2020-11-20"} <= {r["dueDate"] for r in rows}
    early = ask("obligations-due-before", date="2020-06-01")
    assert "2020-11-20" not in {r["dueDate"] for r in early}


def test_reporting_deadlines(ask):
    rows = ask("reporting-deadlines")
    hcm = [r for r in rows if r["document"] == QD4063]
    # "Định kỳ 6 tháng (trước ngày 10 tháng 6) và hàng năm (trước ngày 10 tháng 11)", line 598
    assert {"--06-10", "--11-10"} <= {r["monthDay"] for r in hcm}
    assert all("Sở Lao động - Thương binh và Xã hội" in (r["reportTo"] or "") for r in hcm
               if r["monthDay"] in ("--06-10", "--11-10"))  # fmt: skip


# ------------------------------------------------------------------ gaps and shapes


def test_unassigned_tasks(ask):
    rows = ask("unassigned-tasks")
    docs = {r["document"] for r in rows}
    assert QD923 in docs  # its annex of assignments is not in the file
    texts = [fold(r["text"]) for r in rows if r["document"] == QD923]
    assert any("duoi nuoc" in t for t in texts)  # the drowning-prevention tasks
    assert 141 not in lines(rows, QD704) and 146 not in lines(rows, QD704)


def test_co_led_tasks(ask):
    rows = ask("co-led-tasks")
    assert {142, 143, 146, 147, 148, 149} <= lines(rows, QD704)
    assert 141 not in lines(rows, QD704) and 181 not in lines(rows, QD704)
    row146 = by_line(rows, QD704, 146)[0]
    assert set(row146["leads"].split("; ")) == {"Cục Trẻ em", "Vụ Pháp chế"}
    assert row146["leadCount"] == "2"
    assert 139 in lines(rows, QD406)  # "Thanh tra Bộ; Cục Trẻ em"


def test_multi_programme_units(ask):
    rows = {r["unitName"]: r for r in ask("multi-programme-units")}
    cte = rows["Cục Trẻ em"]
    assert {"23/QĐ-TTg", "1863/QĐ-TTg"} <= set(cte["programmes"].split("; "))
    assert all(int(r["programmeCount"]) >= 2 for r in rows.values())


def test_unit_collaborations(ask):
    rows = ask("unit-collaborations")
    pair = [r for r in rows if {r["unitA"], r["unitB"]} == {"Cục Trẻ em", "Cục Bảo trợ xã hội"}]
    # 704 rows 1.a-c, 2.a-d, 3.a, 4.b, 5.b, 6.a, 6.b name both
    assert len(pair) == 1 and int(pair[0]["sharedTasks"]) >= 12
    assert not [r for r in rows if "Các đơn vị liên quan" in (r["unitA"], r["unitB"])]


def test_partners_of_cuc_tre_em(ask):
    rows = {r["partnerName"]: r for r in ask("partners-of-unit", unit="Cục Trẻ em")}
    tt = rows["Thanh tra Bộ Lao động - Thương binh và Xã hội"]
    assert int(tt["partnerSupportsUs"]) >= 2  # 704 5.b and 9.a
    assert int(tt["weSupportThem"]) >= 1  # 704 9.b
    assert int(tt["coLed"]) >= 1  # 406 row 4
    assert "Cục Trẻ em" not in rows


def test_requests_vs_obligations(ask):
    rows = [r for r in ask("requests-vs-obligations") if r["document"] == QD4063]
    # "Đề nghị Liên đoàn Lao động Thành phố: ..." (line 580): asked, not ordered
    ldld = [r for r in rows if "Liên đoàn Lao động" in r["unitName"]]
    assert ldld and int(ldld[0]["requests"]) >= 1 and int(ldld[0]["obligations"]) == 0
    so_yte = [r for r in rows if r["unitName"].startswith("Sở Y tế")]
    assert so_yte and int(so_yte[0]["obligations"]) >= 4 and int(so_yte[0]["requests"]) == 0


def test_findings(ask):
    rows = ask("findings")
    assert rows and {r["severity"] for r in rows} <= {"error", "warning", "info"}
    order = [{"error": 0, "warning": 1, "info": 2}[r["severity"]] for r in rows]
    assert order == sorted(order)
    assert all(r["document"] and r["code"] and r["message"] for r in rows)
    # 923 says "Phụ lục kèm theo" (line 209) but the file carries no annex
    assert any(r["document"] == QD923 and "annex" in r["code"] for r in rows)
    # 704's annex caption reads "Kèm theo Quyết định số 17/QĐ-LĐTBXH" (line 136)
    mismatch = [r for r in rows if r["document"] == QD704 and r["line"] == "136"]
    assert (
        mismatch and mismatch[0]["severity"] == "error" and "17/QĐ-LĐTBXH" in mismatch[0]["message"]
    )
    assert len({r["finding"] for r in rows}) == len(rows)  # one row per finding


# ------------------------------------------------------------------ overlaps and search


def test_overlapping_obligations(ask):
    rows = ask("overlapping-obligations")
    assert rows and all(0 < float(r["score"]) <= 1 for r in rows)
    pairs = {frozenset({(r["documentA"], r["lineA"]), (r["documentB"], r["lineB"])}) for r in rows}
    # "Tổ chức tọa đàm, hội thảo, sự kiện, chiến dịch truyền thông về ..." led by Cục Trẻ em
    # in 704 (4.c, line 158) and 406 (1.d, line 124)
    assert frozenset({(QD704, "158"), (QD406, "124")}) in pairs
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)


SEARCH_TERMS = ["tre em bi xam hai", "TRẺ EM BỊ XÂM HẠI", "  Tre  Em bị xâm hại "]


@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_task_search_ignores_diacritics_and_case(ask, corpus_docs, term):
    rows = ask("task-search", q=term)
    expected = {
        (d.number, t.task_id)
        for d in corpus_docs
        for t in d.tasks
        if "tre em bi xam hai" in fold(t.text)
    }
    assert expected, "the corpus speaks of 'trẻ em bị xâm hại'"
    assert {(r["document"], r["taskId"]) for r in rows} == expected
    assert all("trẻ em bị xâm hại" in r["text"].lower() for r in rows)  # diacritics kept
    assert 152 in lines(rows, QD704)


def test_task_search_tre_em_finds_tre_em(ask):
    rows = ask("task-search", q="tre em")
    assert rows and all("trẻ em" in r["text"].lower() for r in rows)
    assert ask("task-search", q="không có trong văn bản nào") == []


def test_unit_search(ask):
    names = {r["unitName"] for r in ask("unit-search", q="so y te")}
    assert any(n.startswith("Sở Y tế") for n in names)
    assert all("so y te" in fold(n) or n for n in names)
    cte = [r for r in ask("unit-search", q="cuc tre em") if r["unitName"] == "Cục Trẻ em"]
    assert cte and cte[0]["parentName"] == "Bộ Lao động - Thương binh và Xã hội"
    assert int(cte[0]["assignments"]) >= 28


def test_get_unknown_query_suggests():
    with pytest.raises(QueryError, match="obligations-of-unit"):
        get("obligations-of-unt")
