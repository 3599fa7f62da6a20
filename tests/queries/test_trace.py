"""``trace`` on the bundled corpus: source lines, legal-basis chains, renderers, CLI.

Expectations are read from the documents: Decision 704/QĐ-LĐTBXH rests on
Nghị định 14/2017/NĐ-CP (Căn cứ, line 16) and Quyết định 23/QĐ-TTg (line 20),
and its annex row 1.a (line 141) is led by Cục Trẻ em; the Ho Chi Minh City
plan 4063/QĐ-UBND rests on Luật Trẻ em (line 22) and Nghị định 56/2017/NĐ-CP
(line 26), and gives Sở Y tế Chỉ tiêu 3-6 (line 164) and the health tasks of
each group ("Sở Y tế chủ trì triển khai: ...", lines 278, 302, 336, 510).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from obligraph.queries.trace import trace_unit
from obligraph.queries.trace_render import render, to_html, to_json, to_markdown
from typer.testing import CliRunner

from obligraph.base.errors import UnitNotFoundError
from obligraph.cli import app

F704 = "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.txt"
F406 = "qd-406-ldtbxh-2020-ke-hoach-phong-chong-bao-luc-xam-hai.txt"
F4063 = "qd-4063-ubnd-tphcm-2022-ke-hoach-vi-tre-em-den-2030.txt"


@pytest.fixture(scope="module")
def cte(corpus_store, gazetteer):
    return trace_unit(corpus_store, "Cục Trẻ em", gazetteer=gazetteer)


@pytest.fixture(scope="module")
def so_yte(corpus_store, gazetteer):
    return trace_unit(corpus_store, "Sở Y tế", gazetteer=gazetteer)


def at(trace, file, line):
    found = [o for o in trace.obligations if o.source.file == file and o.source.line_start == line]
    assert found, f"no obligation at {file}:{line}"
    return found[0]


def test_cuc_tre_em_source_lines(cte):
    assert cte.unit == "Cục Trẻ em"
    row = at(cte, F704, 141)
    assert row.role == "lead" and row.document == "704/QĐ-LĐTBXH"
    assert "Xây dựng, lồng ghép, hướng dẫn triển khai" in row.source.quote
    assert "Cục Trẻ em" in row.source.quote  # the quoted annex row names the unit
    assert row.timeframe == "Hàng năm"
    assert "23/QĐ-TTg" in row.programmes
    support = at(cte, F704, 181)  # 9.b: Thanh tra Bộ leads, Cục Trẻ em supports
    assert support.role == "support"
    assert at(cte, F406, 121).programmes == ["1863/QĐ-TTg"]
    counts = cte.counts
    assert counts["lead"] >= 26 and counts["support"] >= 2 and counts["documents"] >= 2


def test_cuc_tre_em_legal_basis_chain(cte):
    row = at(cte, F704, 141)
    basis = {step.number: step for step in row.legal_basis}
    assert {"14/2017/NĐ-CP", "23/QĐ-TTg"} <= set(basis)
    nd14 = basis["14/2017/NĐ-CP"]
    assert nd14.depth == 1 and nd14.date == "2017-02-17"
    assert nd14.source is not None and nd14.source.file == F704
    assert nd14.source.line_start == 16 and "Căn cứ Nghị định số 14/2017/NĐ-CP" in (
        nd14.source.quote
    )
    assert basis["23/QĐ-TTg"].source.line_start == 20
    row406 = at(cte, F406, 121)
    assert "1863/QĐ-TTg" in {step.number for step in row406.legal_basis}


def test_abbreviation_gives_the_same_trace(corpus_store, gazetteer, cte):
    short = trace_unit(corpus_store, "Cục TE", gazetteer=gazetteer)
    assert short.unit == "Cục Trẻ em" and short.query == "Cục TE"
    assert [o.task_iri for o in short.obligations] == [o.task_iri for o in cte.obligations]


def test_so_y_te(so_yte):
    assert so_yte.unit.startswith("Sở Y tế")
    lines = {o.source.line_start for o in so_yte.obligations if o.source.file == F4063}
    assert {278, 302, 336, 510} <= lines
    assert all(o.document == "4063/QĐ-UBND" for o in so_yte.obligations)
    task = at(so_yte, F4063, 278)
    assert task.role == "lead" and "trẻ em khuyết tật" in task.text
    assert "Sở Y tế" in task.source.quote
    chain = {s.number or s.title: s for s in task.legal_basis}
    assert "56/2017/NĐ-CP" in chain and chain["56/2017/NĐ-CP"].source.line_start == 26
    law = [s for s in task.legal_basis if "Luật Trẻ em" in s.title]
    assert law and law[0].source.line_start == 22


def test_overlaps_stay_within_the_units_obligations(cte):
    mine = {o.task_iri for o in cte.obligations}
    overlaps = [(o, ov) for o in cte.obligations for ov in o.overlaps]
    assert all(ov.iri in mine for _o, ov in overlaps)
    # "Tổ chức tọa đàm, hội thảo, sự kiện, chiến dịch truyền thông ..." in 704 4.c and 406 1.d
    talks = at(cte, F704, 158)
    assert any(ov.document == "406/QĐ-LĐTBXH" for ov in talks.overlaps)


def test_unknown_unit_suggests_the_closest(corpus_store, gazetteer):
    with pytest.raises(UnitNotFoundError) as info:
        trace_unit(corpus_store, "Cục Trẻ emm Bộ Lao động", gazetteer=gazetteer)
    assert "Cục Trẻ em" in info.value.suggestions
    assert "Cục Trẻ em" in str(info.value)


def test_json_output(cte):
    data = json.loads(to_json(cte))
    assert data["unit"] == "Cục Trẻ em" and data["counts"]["lead"] == cte.counts["lead"]
    first = next(
        o
        for o in data["obligations"]
        if o["source"]["file"] == F704 and o["source"]["line_start"] == 141
    )
    assert first["source"]["lines"] == "141" and first["document"] == "704/QĐ-LĐTBXH"
    assert "14/2017/NĐ-CP" in {s["number"] for s in first["legal_basis"]}
    assert "trẻ em" in to_json(cte)  # diacritics kept, not \\u escapes


def test_markdown_output(so_yte):
    text = to_markdown(so_yte)
    assert text.startswith(f"# Trace: {so_yte.unit}")
    assert f"`{F4063}:278`" in text
    assert "> - Sở Y tế chủ trì triển khai" in text or "> Sở Y tế chủ trì triển khai" in text
    assert "**Legal basis (Căn cứ):**" in text and "56/2017/NĐ-CP" in text


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained(cte):
    page = to_html(cte)
    parser = _Collect()
    parser.feed(page)
    assert "script" not in parser.tags and "link" not in parser.tags
    assert parser.urls == []  # nothing fetched
    text = "".join(parser.text)
    assert "Căn cứ" in text and F704 + ":141" in text and "14/2017/NĐ-CP" in text
    assert text.count("Xây dựng, lồng ghép, hướng dẫn triển khai") >= 1


def test_terminal_rendering(cte):
    text = render(cte, "terminal")
    assert "Trace: Cục Trẻ em" in text and f"{F704}:141" in text and "14/2017/NĐ-CP" in text


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory, corpus_docs, gazetteer):
    from obligraph.graph.build import write_documents
    from obligraph.graph.stores import open_store

    path = tmp_path_factory.mktemp("trace-store") / "store"
    store = open_store(path)
    write_documents(corpus_docs, store, gazetteer=gazetteer)
    store.close()
    return path


def test_cli_trace_formats(disk_store, tmp_path):
    runner = CliRunner()
    out = tmp_path / "cte.html"
    result = runner.invoke(
        app, ["trace", "Cục TE", "--store", str(disk_store), "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "14/2017/NĐ-CP" in out.read_text(encoding="utf-8")
    result = runner.invoke(app, ["trace", "Sở Y tế", "--store", str(disk_store), "-f", "markdown"])
    assert result.exit_code == 0 and f"{F4063}:278" in result.stdout
    result = runner.invoke(app, ["trace", "Cục Trẻ em", "--store", str(disk_store)])
    assert result.exit_code == 0 and "Căn cứ" in result.stdout


def test_cli_trace_unknown_unit(disk_store):
    args = ["trace", "Cục Trẻ emm Bộ Lao động", "--store", str(disk_store)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "Cục Trẻ em" in result.output and "Traceback" not in result.output


def test_cli_trace_subunits(disk_store):
    result = CliRunner().invoke(
        app,
        ["trace", "Bộ LĐTBXH", "--include-subunits", "--store", str(disk_store), "-f", "json"],
    )
    assert result.exit_code == 0, result.output
    units = {o["unit"] for o in json.loads(result.stdout)["obligations"]}
    # canonical names (gazetteer): 704's "Thanh tra Bộ" is the ministry's inspectorate
    assert {"Cục Trẻ em", "Thanh tra Bộ Lao động - Thương binh và Xã hội"} <= units
