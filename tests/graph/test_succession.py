"""Who owes it now: the 2025 succession of the corpus's units (issue: succession).

The expectations are the facts of ``ontology/succession.tsv``, each resting on the act
named in its row (Nghị quyết 176/2025/QH15 on the Government's ministries, Nghị định
42/2025/NĐ-CP on the Ministry of Health, 202/2025/QH15 on the provinces, ...); see
docs/succession.md for the sources.
"""

from __future__ import annotations

import pytest
from obligraph.graph.analysis.succession import DATA, load_events, status, successors
from obligraph.graph.build import build
from obligraph.graph.export import obligation_rows, unit_now
from obligraph.graph.stores import open_store
from obligraph.loaders import load_document
from obligraph.queries import library
from obligraph.queries.trace import trace_unit

import obligraph


def _now(name: str) -> dict[str, str]:
    return {s.name: s.function for s in successors(name)}


def test_every_unit_of_the_corpus_has_its_2025_status():
    names = set()
    for path in obligraph.corpus_dir().glob("*.txt"):
        doc = load_document(path)
        names |= {u.canonical for u in doc.units if not u.generic}
    missing = sorted(n for n in names if not status(n))
    assert missing == []
    assert {e.status for e in load_events()} == {"sourced", "uncertain"}


def test_the_ministry_of_labour_ended_and_its_children_went_to_health():
    assert status("Bộ Lao động - Thương binh và Xã hội") == "merger"
    now = _now("Bộ Lao động - Thương binh và Xã hội")
    assert "Bộ Nội vụ" in now  # Nghị quyết 176/2025/QH15: merged with Bộ Nội vụ
    assert "trẻ em" in now["Bộ Y tế"]  # Nghị định 42/2025/NĐ-CP
    assert "giáo dục nghề nghiệp" in now["Bộ Giáo dục và Đào tạo"]


def test_cuc_tre_em_and_cuc_bao_tro_xa_hoi():
    assert "Bộ Y tế" in _now("Cục Trẻ em")  # its function: children's affairs
    assert status("Cục Bảo trợ xã hội") == "continues"  # now under the Ministry of Health
    assert _now("Cục Bảo trợ xã hội") == {"Cục Bảo trợ xã hội": ""}


def test_the_city_department_of_labour_and_the_districts():
    now = _now("Sở Lao động - Thương binh và Xã hội Thành phố Hồ Chí Minh")
    assert "Sở Nội vụ Thành phố Hồ Chí Minh" in now
    assert "trẻ em" in now["Sở Y tế Thành phố Hồ Chí Minh"]
    # the district level ended on 1 July 2025; its powers went to wards and communes
    assert status("Ủy ban nhân dân quận, huyện, thành phố Thủ Đức") == "abolition"
    assert any("phường" in n for n in _now("Ủy ban nhân dân quận, huyện, thành phố Thủ Đức"))


@pytest.mark.parametrize(
    ("former", "now"),
    [
        ("Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
        ("Ủy ban nhân dân tỉnh Hà Giang", "Ủy ban nhân dân tỉnh Tuyên Quang"),
    ],
)
def test_a_province_merged_in_2025(former, now):
    assert status(former) == "merger"
    assert list(_now(former)) == [now]
    assert unit_now(former) == now


@pytest.fixture(scope="module")
def store():
    s = open_store(memory=True)
    build([obligraph.corpus_dir()], s)
    return s


def test_who_owes_now_query(store):
    rows = library.run(store, "who-owes-now", {"document": "406/QĐ-LĐTBXH"}).dicts()
    row = [
        r for r in rows if str(r["taskId"]) == "annex-1-a" and str(r["leadThen"]) == "Cục Trẻ em"
    ]
    assert {str(r["leadNow"]) for r in row} >= {"Bộ Y tế"}


def test_successors_and_inherited_queries(store):
    rows = library.run(
        store, "successors-of-unit", {"unit": "Bộ Lao động - Thương binh và Xã hội"}
    ).dicts()
    assert {str(r["to"]) for r in rows if r.get("to")} >= {"Bộ Nội vụ", "Bộ Y tế"}
    assert {str(r["act"]) for r in rows if r.get("act")} >= {"176/2025/QH15", "42/2025/NĐ-CP"}
    inherited = library.run(store, "inherited-obligations", {"unit": "Bộ Y tế"}).dicts()
    formers = {str(r["former"]) for r in inherited}
    assert "Cục Trẻ em" in formers
    assert {str(r["document"]) for r in inherited} >= {"406/QĐ-LĐTBXH", "704/QĐ-LĐTBXH"}


def test_trace_and_register_say_who_owes_it_now(store):
    trace = trace_unit(store, "Cục Trẻ em")
    assert trace.status_2025 == "merger"
    assert "Bộ Y tế" in {s["name"] for s in trace.successors}
    rows = [r for r in obligation_rows(store) if r["unit"] == "Cục Trẻ em"]
    assert rows and all("Bộ Y tế" in r["unit_now"] for r in rows)


def test_uncertain_facts_an_obligation_rests_on_carry_a_finding(store):
    rows = store.query(
        "PREFIX ob: <https://w3id.org/obligraph/ontology#> "
        "SELECT ?message ?file ?line WHERE { ?f a ob:Finding ; ob:code 'uncertain-succession' ; "
        "ob:message ?message ; ob:source ?s . ?s ob:sourceFile ?file ; ob:lineStart ?line }"
    ).dicts()
    # Cục Trẻ em leads tasks of the corpus; its merger into Cục Bà mẹ và Trẻ em (Ministry of
    # Health) rests on no text read here, so it is flagged with the data file's row
    cuc = [r for r in rows if "Cục Trẻ em" in str(r["message"])]
    assert cuc and str(cuc[0]["file"]) == "succession.tsv"
    line = int(cuc[0]["line"])
    rows_of_file = DATA.read_text(encoding="utf-8").splitlines()
    assert "Cục Trẻ em\tCục Bà mẹ và Trẻ em" in rows_of_file[line - 1]


def test_a_clean_store_has_no_succession_finding_about_other_units(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(
        "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU\nSố: 5/KH-UBND\nLai Châu, ngày 3 tháng 3 năm 2026\n"
        "KẾ HOẠCH\nTrồng rừng\nCăn cứ Luật Lâm nghiệp ngày 15 tháng 11 năm 2017;\n"
        "PHỤ LỤC\nTT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\n"
        "1\tTrồng rừng\tSở Nông nghiệp và Môi trường\tCác xã\n",
        encoding="utf-8",
    )
    s = open_store(memory=True)
    build([plan], s)
    codes = {
        str(r["c"])
        for r in s.query(
            "PREFIX ob: <https://w3id.org/obligraph/ontology#> "
            "SELECT ?c WHERE { ?f a ob:Finding ; ob:code ?c }"
        ).dicts()
    }
    assert not codes & {"uncertain-succession", "no-successor"}
