"""The named-query runner over a store: headers, typed parameters, units, output formats.

The store holds a small hand-written plan (tests/graph/test_build_records.py) so
the expected rows come from reading that plan, not from running the code.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from obligraph.graph.build import write_documents
from obligraph.graph.stores import open_store
from obligraph.queries import library
from openpyxl import load_workbook
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from obligraph.base.errors import QueryError, UnitNotFoundError

from .test_build_records import plan


@pytest.fixture(scope="module")
def store():
    s = open_store(memory=True)
    write_documents([plan()], s)
    return s


def test_every_library_query_has_a_valid_header():
    queries = library.catalogue()
    assert {"documents", "stats-by-type", "obligations-of-unit"} <= {q.name for q in queries}
    for q in queries:
        assert " | " in q.title, q.name  # Vietnamese | English
        assert q.description, q.name
        for p in q.params:
            assert p.type in library.PARAM_TYPES
            assert p.example, (q.name, p.name)
            assert f"?{p.name}" in q.text, (q.name, p.name)


def test_header_is_parsed_exactly():
    q = library.get("documents")
    assert q.title == "Văn bản đã nạp | Loaded documents"
    assert [(p.name, p.type, p.example) for p in q.params] == [("year", "integer", "2020")]
    bad = "# title: x\n# param: year | number | Năm | 2020\nSELECT * {}"
    with pytest.raises(QueryError, match="unknown type 'number'") as err:
        library.parse_query(bad, name="bad", path="bad.rq")
    assert err.value.file == "bad.rq" and err.value.line == 2


def test_named_query_with_parameter(store):
    res = library.run(store, "documents", {"year": "2024"})
    rows = res.dicts()
    assert len(rows) == 1
    assert rows[0]["number"] == Literal("12/KH-UBND")
    assert rows[0]["type"] == Literal("Kế hoạch", lang="vi")
    assert rows[0]["tasks"].toPython() == 2
    assert library.run(store, "documents", {"year": "2020"}).rows == []


def test_missing_unknown_and_badly_typed_parameters(store):
    with pytest.raises(QueryError, match="needs parameter 'year'"):
        library.run(store, "documents", {})
    with pytest.raises(QueryError, match="has no parameter month"):
        library.run(store, "documents", {"year": "2024", "month": "3"})
    with pytest.raises(QueryError, match="'hai nghìn' is not a valid integer"):
        library.run(store, "documents", {"year": "hai nghìn"})
    with pytest.raises(QueryError, match="did you mean documents"):
        library.get("document")


def test_param_types_become_rdf_terms():
    def conv(kind: str, value: str):
        return library.convert_param(library.Param("x", kind), value)

    assert conv("integer", "2025") == Literal(2025)
    assert conv("decimal", "12,5").toPython() == pytest.approx(12.5)
    assert conv("date", "2020-12-31") == Literal("2020-12-31", datatype=XSD.date)
    assert conv("boolean", "có") == Literal(True)
    assert conv("iri", "ob:Task") == URIRef("https://w3id.org/obligraph/ontology#Task")
    assert conv("literal", 'Sở "Y tế" } #') == Literal('Sở "Y tế" } #')
    with pytest.raises(QueryError, match="not a valid iri"):
        conv("iri", "<https://example.org/a b>")
    with pytest.raises(QueryError, match="not a valid date"):
        conv("date", "31/12/2020")


def test_unit_parameter_resolves_through_the_gazetteer():
    param = library.Param("unit", "unit")
    expected = URIRef("https://w3id.org/obligraph/id/unit/cuc-tre-em")
    assert library.convert_param(param, "Cục TE") == expected
    assert library.convert_param(param, "cuc tre em") == expected
    with pytest.raises(UnitNotFoundError) as err:
        library.convert_param(param, "Cục Trẻ")
    assert "Cục Trẻ em" in err.value.suggestions
    assert "Cục Trẻ em" in str(err.value)


def test_unit_query_and_inline_text_and_rq_file(store, tmp_path):
    res = library.run(
        store,
        "obligations-of-unit",
        {"unit": "các đơn vị liên quan", "subunits": "false"},
    )
    rows = [(str(d["text"]), str(d["role"])) for d in res.dicts()]
    assert rows == [("Tuyên truyền về quyền trẻ em", "support")]
    inline = "SELECT ?t WHERE { ?t <https://w3id.org/obligraph/ontology#taskId> ?id }"
    res = library.run(store, inline, {"id": "II-2"})
    assert [str(r[0]).rsplit("/", 1)[-1] for r in res.rows] == ["ii-2"]
    rq = tmp_path / "mine.rq"
    rq.write_text("# title: t | t\n# param: id | literal | task id | II-2\n" + inline, "utf-8")
    assert len(library.run(store, str(rq), {"id": "annex-1-a"}).rows) == 1
    with pytest.raises(QueryError, match="no such query file"):
        library.run(store, str(tmp_path / "missing.rq"), {})


def test_output_formats(store, tmp_path):
    res = library.run(store, "documents", {"year": "2024"})
    data = json.loads(library.render(res, "json"))
    assert data[0]["number"] == "12/KH-UBND" and data[0]["tasks"] == 2
    assert "\\u" not in library.render(res, "json")
    tsv = library.render(res, "tsv").splitlines()
    assert tsv[0].split("\t")[:3] == ["number", "type", "date"]
    dest = library.write(res, "csv", tmp_path / "docs.csv")
    raw = dest.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["type"] == "Kế hoạch"
    library.write(res, "xlsx", tmp_path / "docs.xlsx")
    ws = load_workbook(tmp_path / "docs.xlsx").active
    assert [c.value for c in ws[1]][:2] == ["number", "type"]
    assert ws["B2"].value == "Kế hoạch"
    table = library.render(res, "table")
    assert "12/KH-UBND" in table and "1 row(s)" in table
    ask = store.query("ASK { ?s ?p ?o }")
    assert json.loads(library.render(ask, "json")) == {"boolean": True}
